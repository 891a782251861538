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
  };
}
