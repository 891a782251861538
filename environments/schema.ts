/**
 * The one schema of an environment object. Every object is strict: a key the schema does not know is refused
 * (a misspelled system or setting fails at synth instead of being ignored), and `types.ts` derives the TypeScript
 * types from here (`z.infer`), so the two cannot drift. Range and cross-field checks live in `validate.ts`.
 */
import { z } from "zod";

export const ENVIRONMENT_NAMES = ["dev", "staging", "prod"] as const;
export const ALERTING_SERVICES = ["rule-service", "alert-producer", "evaluator", "aggregator", "sender", "rule-updater"] as const;
export const CHAT_SERVICES = ["api-gateway", "auth-service", "user-service", "chat-service", "notification-service"] as const;

const text = z.string();
const count = z.number();

/** One object with the same schema under each name. */
function perName<const N extends string, S extends z.ZodType>(names: readonly N[], schema: S) {
  return z.strictObject(Object.fromEntries(names.map((n) => [n, schema])) as Record<N, S>);
}

export const backendSettingsSchema = z.strictObject({
  /** State bucket, created by the bootstrap stack. */
  bucket: text,
  /** DynamoDB lock table, created by the bootstrap stack. */
  lockTable: text,
  /** Region of the bucket and table. */
  region: text,
  /** Also take Terraform's native S3 lock file (`use_lockfile`). @default false */
  useLockfile: z.boolean().optional(),
});

/** NAT for private subnets: none (no outbound internet; cheapest), one shared gateway, or one per AZ (HA). */
export const natGatewaysSchema = z.enum(["none", "single", "perAz"]);

/** What an environment trades between cost and safety for stateful resources (G8). */
export const safetyProfileSchema = z.strictObject({
  /** RDS/Aurora/DocumentDB deletion protection and ALB deletion protection. */
  deletionProtection: z.boolean(),
  /** Skip the final snapshot when a database is destroyed (loses the last data). */
  skipFinalSnapshot: z.boolean(),
  /** Automated backup retention of databases, days. */
  backupRetentionDays: count,
  /** Terraform `prevent_destroy` on stateful resources (databases, caches, brokers, buckets). */
  preventDestroy: z.boolean(),
  /** Let `terraform destroy` empty and delete buckets and repositories (loses their objects and images). */
  forceDestroy: z.boolean(),
});

/** CPU units (1024 = 1 vCPU), memory and task counts of one container service. */
export const serviceSizingSchema = z.strictObject({
  cpu: count,
  memoryMiB: count,
  desiredCount: count,
  minCount: count,
  maxCount: count,
});

const databaseSizingShape = {
  instanceClass: text,
  allocatedStorageGiB: count,
  /** Storage autoscaling ceiling; equal to allocatedStorageGiB turns autoscaling off. */
  maxAllocatedStorageGiB: count,
  multiAz: z.boolean(),
};
export const databaseSizingSchema = z.strictObject(databaseSizingShape);

/** An RDS PostgreSQL instance, or Aurora PostgreSQL Serverless v2 (DA4). */
export const databaseChoiceSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("instance"), ...databaseSizingShape }),
  z.strictObject({ kind: z.literal("aurora-serverless-v2"), minAcu: count, maxAcu: count, instances: count }),
]);

export const mskSizingSchema = z.strictObject({ instanceType: text, brokerCount: count, volumeGiB: count });

export const eksSizingSchema = z.strictObject({
  kubernetesVersion: text,
  instanceTypes: z.array(text).readonly(),
  minSize: count,
  desiredSize: count,
  maxSize: count,
  // ---- issue 8 (EKS add-ons): versions replacing the pinned row of kubernetesVersion (modules/eks ADDON_VERSIONS)
  addonVersions: z
    .strictObject({ "vpc-cni": text, coredns: text, "kube-proxy": text, "aws-ebs-csi-driver": text, "eks-pod-identity-agent": text })
    .partial()
    .optional(),
});

/**
 * Issue 10 item 2: interface endpoints of the system's VPC (~$7/month each per AZ) and the destinations outside the
 * VPC its workloads may reach (TCP, each with its reason). Unset: no interface endpoints, HTTPS through NAT.
 */
export const egressSettingsSchema = z.strictObject({
  interfaceEndpoints: z.array(text).readonly(),
  /** `appliesTo`: only the workloads under these top-level construct ids (e.g. "Cluster"); every workload when unset. */
  outside: z.array(z.strictObject({ cidr: text, port: count, description: text, appliesTo: z.array(text).readonly().optional() })).readonly(),
});

const network = { vpcCidr: text, azCount: count, natGateways: natGatewaysSchema, egress: egressSettingsSchema.optional() };
const emails = z.array(text).readonly();

export const alertingPlatformSchema = z.strictObject({
  ...network,
  containerInsights: z.boolean(),
  /** EC2 capacity of the ECS cluster (AP2). */
  cluster: z.strictObject({ instanceType: text, minInstances: count, maxInstances: count }),
  services: perName(ALERTING_SERVICES, serviceSizingSchema),
  /** ACM certificate for the ALB's HTTPS listener; HTTP only when unset (AP6). */
  certificateArn: text.optional(),
  /**
   * Port 80 when certificateArn is set: "redirect" (an HTTP listener answering 301 to HTTPS) or "closed" (no HTTP
   * listener, no port-80 ingress). Refused without a certificate. @default "redirect"
   */
  http: z.enum(["redirect", "closed"]).optional(),
  database: databaseSizingSchema,
  redis: z.strictObject({ nodeType: text, snapshotRetentionDays: count }),
  /** The self-hosted broker's task size and topic partitions (its storage is EFS, which grows on its own). */
  kafka: z.strictObject({ cpu: count, memoryMiB: count, partitions: count }),
  logRetentionDays: count,
});

export const dotnetApiSchema = z.strictObject({
  ...network,
  /** ECS Container Insights (costs per metric). */
  containerInsights: z.boolean(),
  /** The .NET 8 API on Fargate (DA1). */
  api: serviceSizingSchema,
  certificateArn: text.optional(),
  /**
   * Port 80 when certificateArn is set: "redirect" (an HTTP listener answering 301 to HTTPS) or "closed" (no HTTP
   * listener, no port-80 ingress). Refused without a certificate. @default "redirect"
   */
  http: z.enum(["redirect", "closed"]).optional(),
  /** DA4: instance or Aurora Serverless v2. */
  database: databaseChoiceSchema,
  /** DA2: Multi-AZ automatic failover needs a replica. */
  redis: z.strictObject({ nodeType: text, replicas: count, multiAz: z.boolean(), snapshotRetentionDays: count }),
  msk: mskSizingSchema,
  /** DA7: alarm when the API's consumer group lags this many messages behind. */
  consumerLag: z.strictObject({ consumerGroup: text, topic: text, maxOffsetLag: count }),
  alarmEmails: emails,
  logRetentionDays: count,
});

export const chatAppSchema = z.strictObject({
  ...network,
  /** ECS Container Insights (costs per metric). */
  containerInsights: z.boolean(),
  /** CA1: where the five services run. */
  compute: z.enum(["ecs", "eks"]),
  services: perName(CHAT_SERVICES, serviceSizingSchema),
  /** Used when compute is "eks". */
  eks: eksSizingSchema,
  certificateArn: text.optional(),
  /**
   * Port 80 when certificateArn is set: "redirect" (an HTTP listener answering 301 to HTTPS) or "closed" (no HTTP
   * listener, no port-80 ingress). Refused without a certificate. @default "redirect"
   */
  http: z.enum(["redirect", "closed"]).optional(),
  /**
   * CA5: the attachments CDN. A custom domain needs an ACM certificate in us-east-1; `blockedCountries` (ISO codes)
   * turns on geo restriction.
   */
  cdn: z.strictObject({ aliases: z.array(text).readonly(), certificateArn: text.optional(), blockedCountries: z.array(text).readonly() }),
  /**
   * CA5: region of the attachments replica (the CDN's failover origin and the attachments' disaster-recovery copy).
   * @default "us-east-1" (beside the CDN's firewall); prod keeps it in the EU DR region, where its access logs go
   */
  attachmentsReplicaRegion: text.optional(),
  database: databaseSizingSchema,
  documentDb: z.strictObject({ instanceClass: text, instances: count }),
  msk: mskSizingSchema,
  /** CA6: the self-managed Redis Cluster on EC2. */
  redisCluster: z.strictObject({
    instanceType: text,
    dataVolumeGiB: count,
    /** Issue 10 item 3: replicate the RDB backup bucket to attachmentsReplicaRegion (disaster recovery). @default false */
    replicateBackups: z.boolean().optional(),
  }),
  /** CA7: Shield Advanced is a paid subscription; opt in per environment. */
  shieldAdvanced: z.boolean(),
  /** CA9: CodeDeploy blue/green for the ECS services. */
  blueGreen: z.boolean(),
  /** CA8: X-Ray sampling rate, 0-1. */
  tracingSampleRate: count,
  alarmEmails: emails,
  logRetentionDays: count,
});

export const tvmazeIngestionSchema = z.strictObject({
  ...network,
  /** ECS Container Insights (costs per metric). */
  containerInsights: z.boolean(),
  /** TV1: 512 CPU units / 1 GB, desired 2, scaling 1-4 on CPU. */
  service: serviceSizingSchema,
  /** TV2: HTTPS with an ACM certificate and HTTP->HTTPS redirect when set. */
  certificateArn: text.optional(),
  database: databaseSizingSchema,
  redis: z.strictObject({ nodeType: text }),
  /** TV6: shared EFS file system. */
  efs: z.boolean(),
  /** TV9: rotation of the database secret, days. */
  secretRotationDays: count,
  /**
   * TV5 (issue 10 item 3): replicate the assets and backups buckets to this region for disaster recovery (temp holds
   * scratch data that expires, and stays in one region); off when unset.
   */
  replicaRegion: text.optional(),
  /** TV10: WAF rate limit and geo restriction. */
  waf: z.strictObject({ rateLimitPer5Minutes: count, blockedCountries: z.array(text).readonly() }),
  /** TV12: API Gateway with usage plans and Cognito. */
  apiGateway: z.boolean(),
  /** TV8: 0.1 = 10 %. */
  tracingSampleRate: count,
  alarmEmails: emails,
  /** TV7: 30 days. */
  logRetentionDays: count,
});

export const uploadPipelineSchema = z.strictObject({
  ...network,
  eks: eksSizingSchema,
  database: databaseSizingSchema,
  /** UP2: the parser's maximum processing time drives the visibility timeout. */
  queue: z.strictObject({ visibilityTimeoutSeconds: count, maxReceiveCount: count }),
  /** UP1: browser origins allowed to PUT with pre-signed URLs. */
  uploadCorsOrigins: z.array(text).readonly(),
  /** UP9: replicate the upload bucket to this region for disaster recovery; off when unset. */
  replicaRegion: text.optional(),
  logRetentionDays: count,
});

export const environmentSchema = z.strictObject({
  name: z.enum(ENVIRONMENT_NAMES),
  /** Value of the Project tag. */
  project: text,
  region: text,
  /** 12-digit AWS account id. When set, the provider refuses to touch any other account. */
  accountId: text.optional(),
  backend: backendSettingsSchema,
  safety: safetyProfileSchema,
  /** GitHub organisation whose repositories may deploy through OIDC (G10). */
  githubOrg: text,
  /**
   * Image tag the task definitions run. Repositories have immutable tags: CI pushes `<git sha>` and deploys by
   * registering a new task definition revision (or by changing this value and running `cdktf deploy`).
   */
  imageTag: text,
  /**
   * Issue 10 item 3: the account's SSE-S3 access-log bucket (bootstrap creates it): S3 server access logs of the
   * system buckets and ALB access logs go there. Unset: no access logs.
   */
  accessLogsBucket: text.optional(),
  /**
   * The disaster-recovery region's access-log bucket (bootstrap's `replica.accessLogsBucket`, SSE-S3): replica
   * buckets in `region` log there (S3 logs only to a bucket in the same region). Unset: replicas keep no access log.
   */
  replicaAccessLogs: z.strictObject({ region: text, bucket: text }).optional(),
  systems: z.strictObject({
    alertingPlatform: alertingPlatformSchema,
    dotnetApi: dotnetApiSchema,
    chatApp: chatAppSchema,
    tvmazeIngestion: tvmazeIngestionSchema,
    uploadPipeline: uploadPipelineSchema,
  }),
});
