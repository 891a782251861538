import type { Environment } from "./types";
import { audit, replica, stateBackend } from "./bootstrap";

// ---- Issue 10 item 2: interface endpoints and outside destinations of each system's workloads (prod only). ----
/** Every system: images, logs, secrets, parameters, keys, role sessions. */
const COMMON_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "kms", "sts"];
const egress = {
  /**
   * ECS on EC2: the agent, telemetry and Session Manager of the instances. The Kafka image comes from Docker Hub,
   * pulled by the ECS agent on the cluster's instances (EC2 launch type), so only their group reaches out.
   */
  alertingPlatform: {
    interfaceEndpoints: [...COMMON_ENDPOINTS, "ecs", "ecs-agent", "ecs-telemetry", "ec2messages", "ssmmessages"],
    outside: [{ cidr: "0.0.0.0/0", port: 443, description: "HTTPS to Docker Hub: the broker's apache/kafka image (no ECR copy yet)", appliesTo: ["Cluster"] }],
  },
  dotnetApi: { interfaceEndpoints: COMMON_ENDPOINTS, outside: [] },
  /** Traces and metrics (CA8), Session Manager on the Redis Cluster nodes. */
  chatApp: { interfaceEndpoints: [...COMMON_ENDPOINTS, "xray", "monitoring", "ec2messages", "ssmmessages"], outside: [] },
  /** TV: the TVmaze API has no fixed address range. */
  tvmazeIngestion: {
    interfaceEndpoints: [...COMMON_ENDPOINTS, "xray"],
    outside: [{ cidr: "0.0.0.0/0", port: 443, description: "HTTPS to the TVmaze API (api.tvmaze.com: no fixed address range)" }],
  },
  /** EKS nodes: queue, cluster API, pod identity, EC2 and load balancer controllers, autoscaling. */
  uploadPipeline: { interfaceEndpoints: [...COMMON_ENDPOINTS, "sqs", "eks", "eks-auth", "ec2", "elasticloadbalancing", "autoscaling"], outside: [] },
};
// ---- end issue 10 item 2 ----

/**
 * prod: Multi-AZ, deletion protection, final snapshots, NAT per AZ, HTTPS, a year of logs (G8).
 * Example values to replace with your own: the ACM certificate ARNs, the CDN alias and githubOrg.
 */
export const prod: Environment = {
  name: "prod",
  project: "platform",
  region: "eu-west-1",
  backend: stateBackend,
  githubOrg: "example-org",
  imageTag: "initial",
  // Issue 10 item 3: S3 server access logs and ALB access logs to the account's log bucket.
  accessLogsBucket: audit.accessLogsBucket,
  // Replica buckets in the DR region log to bootstrap's log bucket there (S3 logs only within a region).
  replicaAccessLogs: { region: replica.region, bucket: replica.accessLogsBucket },
  safety: {
    deletionProtection: true,
    skipFinalSnapshot: false,
    backupRetentionDays: 7,
    preventDestroy: true,
    forceDestroy: false,
  },
  systems: {
    alertingPlatform: {
      egress: egress.alertingPlatform,
      vpcCidr: "10.0.0.0/16",
      azCount: 2,
      natGateways: "perAz",
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1f0e7c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
      // HTTPS only (issue 10 item 4): no port-80 listener or ingress; the plan asks for no HTTP redirect here.
      http: "closed",
      containerInsights: true,
      cluster: { instanceType: "t3.micro", minInstances: 1, maxInstances: 4 },
      services: {
        "rule-service": { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        "alert-producer": { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        evaluator: { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        aggregator: { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        sender: { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 },
        "rule-updater": { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 1 },
      },
      database: { instanceClass: "db.t3.micro", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 100, multiAz: true },
      redis: { nodeType: "cache.t3.micro", snapshotRetentionDays: 5 },
      kafka: { cpu: 512, memoryMiB: 768, partitions: 9 },
      logRetentionDays: 365,
    },
    dotnetApi: {
      egress: egress.dotnetApi,
      vpcCidr: "10.10.0.0/16",
      azCount: 3,
      natGateways: "perAz",
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/2a1b3c4d-5e6f-4a8b-9c0d-e1f2a3b4c5d6",
      // HTTPS only (issue 10 item 4): no port-80 listener or ingress; the plan asks for no HTTP redirect here.
      http: "closed",
      containerInsights: true,
      api: { cpu: 512, memoryMiB: 1024, desiredCount: 2, minCount: 2, maxCount: 6 },
      database: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 16, instances: 2 },
      redis: { nodeType: "cache.t3.micro", replicas: 1, multiAz: true, snapshotRetentionDays: 5 },
      msk: { instanceType: "kafka.m5.large", brokerCount: 3, volumeGiB: 100 },
      consumerLag: { consumerGroup: "dotnet-api", topic: "events", maxOffsetLag: 1000 },
      alarmEmails: [],
      logRetentionDays: 365,
    },
    chatApp: {
      egress: egress.chatApp,
      vpcCidr: "10.0.0.0/16",
      azCount: 3,
      natGateways: "perAz",
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/3b2c4d5e-6f7a-4b9c-8d1e-f2a3b4c5d6e7",
      // HTTPS only (issue 10 item 4): no port-80 listener or ingress; the plan asks for no HTTP redirect here.
      http: "closed",
      containerInsights: true,
      // Attachments stay in the EU: the replica (CDN failover origin, DR copy) in the DR region, logging there.
      attachmentsReplicaRegion: replica.region,
      cdn: { aliases: ["files.chat.example.com"], certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0c1f5e1a-7d6b-4f7e-9a57-3c2b1d0e9f11", blockedCountries: ["KP", "IR", "SY", "CU"] },
      compute: "ecs",
      services: {
        "api-gateway": { cpu: 256, memoryMiB: 512, desiredCount: 2, minCount: 2, maxCount: 6 },
        "auth-service": { cpu: 256, memoryMiB: 512, desiredCount: 2, minCount: 2, maxCount: 6 },
        "user-service": { cpu: 256, memoryMiB: 512, desiredCount: 2, minCount: 2, maxCount: 6 },
        "chat-service": { cpu: 512, memoryMiB: 1024, desiredCount: 2, minCount: 2, maxCount: 6 },
        "notification-service": { cpu: 256, memoryMiB: 512, desiredCount: 2, minCount: 2, maxCount: 6 },
      },
      eks: { kubernetesVersion: "1.33", instanceTypes: ["t3.medium"], minSize: 2, desiredSize: 3, maxSize: 6 },
      database: { instanceClass: "db.t3.medium", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 100, multiAz: true },
      documentDb: { instanceClass: "db.t3.medium", instances: 2 },
      msk: { instanceType: "kafka.m5.large", brokerCount: 3, volumeGiB: 100 },
      // Issue 10 item 3: the RDB backups are copied to the DR region too (cheap: a few GB a day, expiring 7/28/90 days).
      redisCluster: { instanceType: "t3.medium", dataVolumeGiB: 50, replicateBackups: true },
      shieldAdvanced: false,
      blueGreen: true,
      tracingSampleRate: 0.05,
      alarmEmails: [],
      logRetentionDays: 365,
    },
    tvmazeIngestion: {
      egress: egress.tvmazeIngestion,
      vpcCidr: "10.20.0.0/16",
      azCount: 2,
      natGateways: "perAz",
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/4c3d5e6f-7a8b-4c0d-9e2f-a3b4c5d6e7f8",
      // Issue 10 item 3: assets and backups copied to the DR region (temp stays: scratch data that expires).
      replicaRegion: replica.region,
      containerInsights: true,
      service: { cpu: 512, memoryMiB: 1024, desiredCount: 2, minCount: 1, maxCount: 4 },
      database: { instanceClass: "db.t3.small", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 100, multiAz: true },
      redis: { nodeType: "cache.t3.small" },
      efs: true,
      secretRotationDays: 30,
      waf: { rateLimitPer5Minutes: 2000, blockedCountries: [] },
      apiGateway: false,
      tracingSampleRate: 0.1,
      alarmEmails: [],
      logRetentionDays: 365,
    },
    uploadPipeline: {
      egress: egress.uploadPipeline,
      vpcCidr: "10.30.0.0/16",
      azCount: 3,
      natGateways: "perAz",
      eks: { kubernetesVersion: "1.33", instanceTypes: ["t3.medium"], minSize: 2, desiredSize: 2, maxSize: 4 },
      database: { instanceClass: "db.t3.small", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 100, multiAz: true },
      queue: { visibilityTimeoutSeconds: 900, maxReceiveCount: 5 },
      uploadCorsOrigins: ["https://uploads.example.com"],
      // UP9 (issue 10 item 5): uploads cannot be rebuilt from anywhere else; plan 004's DR section replicates them.
      replicaRegion: replica.region,
      logRetentionDays: 365,
    },
  },
};
