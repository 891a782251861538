/**
 * The shape of an environment: plain typed data, no cdktf. `dev.ts`, `staging.ts` and `prod.ts` each export one
 * `Environment`; every knob that differs between environments lives there, and stacks read nothing else.
 */
import type { BackendSettings } from "../.terraform-backend";

export type EnvironmentName = "dev" | "staging" | "prod";
export const ENVIRONMENT_NAMES: readonly EnvironmentName[] = ["dev", "staging", "prod"];

/** NAT for private subnets: none (no outbound internet; cheapest), one shared gateway, or one per AZ (HA). */
export type NatGateways = "none" | "single" | "perAz";

/** What an environment trades between cost and safety for stateful resources (G8). */
export interface SafetyProfile {
  /** RDS/Aurora/DocumentDB deletion protection and ALB deletion protection. */
  readonly deletionProtection: boolean;
  /** Skip the final snapshot when a database is destroyed (loses the last data). */
  readonly skipFinalSnapshot: boolean;
  /** Automated backup retention of databases, days. */
  readonly backupRetentionDays: number;
  /** Terraform `prevent_destroy` on stateful resources (databases, caches, brokers, buckets). */
  readonly preventDestroy: boolean;
  /** Let `terraform destroy` empty and delete buckets and repositories (loses their objects and images). */
  readonly forceDestroy: boolean;
}

/** CPU units, memory and task counts of one container service. */
export interface ServiceSizing {
  /** CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly desiredCount: number;
  readonly minCount: number;
  readonly maxCount: number;
}

export interface DatabaseSizing {
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  /** Storage autoscaling ceiling; equal to allocatedStorageGiB turns autoscaling off. */
  readonly maxAllocatedStorageGiB: number;
  readonly multiAz: boolean;
}

export const ALERTING_SERVICES = ["rule-service", "alert-producer", "evaluator", "aggregator", "sender", "rule-updater"] as const;
export type AlertingServiceName = (typeof ALERTING_SERVICES)[number];

export interface AlertingPlatformSettings {
  readonly vpcCidr: string;
  readonly azCount: number;
  readonly natGateways: NatGateways;
  readonly containerInsights: boolean;
  /** EC2 capacity of the ECS cluster (AP2). */
  readonly cluster: {
    readonly instanceType: string;
    readonly minInstances: number;
    readonly maxInstances: number;
  };
  readonly services: { readonly [name in AlertingServiceName]: ServiceSizing };
  /** ACM certificate for the ALB's HTTPS listener; HTTP only when unset (AP6). */
  readonly certificateArn?: string;
  readonly database: DatabaseSizing;
  readonly redis: { readonly nodeType: string; readonly snapshotRetentionDays: number };
  readonly kafka: { readonly cpu: number; readonly memoryMiB: number; readonly storageGiB: number; readonly partitions: number };
  readonly logRetentionDays: number;
}

/** An RDS PostgreSQL instance, or Aurora PostgreSQL Serverless v2 (DA4). */
export type DatabaseChoice =
  | ({ readonly kind: "instance" } & DatabaseSizing)
  | { readonly kind: "aurora-serverless-v2"; readonly minAcu: number; readonly maxAcu: number; readonly instances: number };

export interface MskSizing {
  readonly instanceType: string;
  readonly brokerCount: number;
  readonly volumeGiB: number;
}

export interface DotnetApiSettings {
  readonly vpcCidr: string;
  readonly azCount: number;
  readonly natGateways: NatGateways;
  /** ECS Container Insights (costs per metric). */
  readonly containerInsights: boolean;
  /** The .NET 8 API on Fargate (DA1). */
  readonly api: ServiceSizing;
  readonly certificateArn?: string;
  /** DA4: instance or Aurora Serverless v2. */
  readonly database: DatabaseChoice;
  /** DA2: Multi-AZ automatic failover needs a replica. */
  readonly redis: { readonly nodeType: string; readonly replicas: number; readonly multiAz: boolean; readonly snapshotRetentionDays: number };
  readonly msk: MskSizing;
  /** DA7: alarm when the API's consumer group lags this many messages behind. */
  readonly consumerLag: { readonly consumerGroup: string; readonly topic: string; readonly maxOffsetLag: number };
  readonly alarmEmails: readonly string[];
  readonly logRetentionDays: number;
}

export const CHAT_SERVICES = ["api-gateway", "auth-service", "user-service", "chat-service", "notification-service"] as const;
export type ChatServiceName = (typeof CHAT_SERVICES)[number];

export interface EksSizing {
  readonly kubernetesVersion: string;
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

export interface ChatAppSettings {
  readonly vpcCidr: string;
  /** CA10: three AZs. */
  readonly azCount: number;
  readonly natGateways: NatGateways;
  /** ECS Container Insights (costs per metric). */
  readonly containerInsights: boolean;
  /** CA1: where the five services run. */
  readonly compute: "ecs" | "eks";
  readonly services: { readonly [name in ChatServiceName]: ServiceSizing };
  /** Used when compute is "eks". */
  readonly eks: EksSizing;
  readonly certificateArn?: string;
  /**
   * CA5: the attachments CDN. A custom domain needs an ACM certificate in us-east-1; `blockedCountries` (ISO codes)
   * turns on geo restriction.
   */
  readonly cdn: { readonly aliases: readonly string[]; readonly certificateArn?: string; readonly blockedCountries: readonly string[] };
  readonly database: DatabaseSizing;
  readonly documentDb: { readonly instanceClass: string; readonly instances: number };
  readonly msk: MskSizing;
  /** CA6: the self-managed Redis Cluster on EC2. */
  readonly redisCluster: { readonly instanceType: string; readonly dataVolumeGiB: number };
  /** CA7: Shield Advanced is a paid subscription; opt in per environment. */
  readonly shieldAdvanced: boolean;
  /** CA9: CodeDeploy blue/green for the ECS services. */
  readonly blueGreen: boolean;
  /** CA8: X-Ray sampling rate, 0-1. */
  readonly tracingSampleRate: number;
  readonly alarmEmails: readonly string[];
  readonly logRetentionDays: number;
}

export interface TvmazeIngestionSettings {
  readonly vpcCidr: string;
  readonly azCount: number;
  readonly natGateways: NatGateways;
  /** ECS Container Insights (costs per metric). */
  readonly containerInsights: boolean;
  /** TV1: 512 CPU units / 1 GB, desired 2, scaling 1-4 on CPU. */
  readonly service: ServiceSizing;
  /** TV2: HTTPS with an ACM certificate and HTTP->HTTPS redirect when set. */
  readonly certificateArn?: string;
  readonly database: DatabaseSizing;
  readonly redis: { readonly nodeType: string };
  /** TV6: shared EFS file system. */
  readonly efs: boolean;
  /** TV9: rotation of the database secret, days. */
  readonly secretRotationDays: number;
  /** TV10: WAF rate limit and geo restriction. */
  readonly waf: { readonly rateLimitPer5Minutes: number; readonly blockedCountries: readonly string[] };
  /** TV12: API Gateway with usage plans and Cognito. */
  readonly apiGateway: boolean;
  /** TV8: 0.1 = 10 %. */
  readonly tracingSampleRate: number;
  readonly alarmEmails: readonly string[];
  /** TV7: 30 days. */
  readonly logRetentionDays: number;
}

export interface UploadPipelineSettings {
  readonly vpcCidr: string;
  readonly azCount: number;
  readonly natGateways: NatGateways;
  readonly eks: EksSizing;
  readonly database: DatabaseSizing;
  /** UP2: the parser's maximum processing time drives the visibility timeout. */
  readonly queue: { readonly visibilityTimeoutSeconds: number; readonly maxReceiveCount: number };
  /** UP1: browser origins allowed to PUT with pre-signed URLs. */
  readonly uploadCorsOrigins: readonly string[];
  /** UP9: replicate the upload bucket to this region for disaster recovery; off when unset. */
  readonly replicaRegion?: string;
  readonly logRetentionDays: number;
}

export interface Environment {
  readonly name: EnvironmentName;
  /** Value of the Project tag. */
  readonly project: string;
  readonly region: string;
  /** When set, the provider refuses to touch any other account. */
  readonly accountId?: string;
  readonly backend: BackendSettings;
  readonly safety: SafetyProfile;
  /** GitHub organisation whose repositories may deploy through OIDC (G10). */
  readonly githubOrg: string;
  /**
   * Image tag the task definitions run. Repositories have immutable tags: CI pushes `<git sha>` and deploys by
   * registering a new task definition revision (or by changing this value and running `cdktf deploy`).
   */
  readonly imageTag: string;
  readonly systems: {
    readonly alertingPlatform: AlertingPlatformSettings;
    readonly dotnetApi: DotnetApiSettings;
    readonly chatApp: ChatAppSettings;
    readonly tvmazeIngestion: TvmazeIngestionSettings;
    readonly uploadPipeline: UploadPipelineSettings;
  };
}
