/**
 * tvmaze-ingestion (plan 002): one ingestion service on ECS Fargate behind an ALB (HTTPS when a certificate is set),
 * RDS PostgreSQL, ElastiCache Redis, three S3 buckets, optional EFS, WAF, alarms, X-Ray, optional API Gateway +
 * Cognito. Requirements TV1-TV12 and G1-G10.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { allowFrom } from "../modules/core";
import { EcsCluster } from "../modules/ecs-cluster";
import { EcsService } from "../modules/ecs-service";
import { Alb } from "../modules/alb";
import { Database } from "../modules/rds";
import { Redis } from "../modules/redis";
import { S3Bucket } from "../modules/s3-bucket";
import { FileSystem } from "../modules/efs";
import { WebAcl } from "../modules/waf";
import { EcrRepository } from "../modules/ecr";
import { GithubDeployRole } from "../modules/github-oidc";
import { ApiWithUsagePlans } from "../modules/api-gateway";
import { AlarmTopic, Alarms, albAlarms, ecsServiceAlarms, rdsAlarms, XraySamplingRule } from "../modules/observability";
import { SystemStack, SystemStackProps, VPC_PORTS } from "./system-stack";
import { pascal } from "./naming";

export const SYSTEM = "tvmaze-ingestion";
const SERVICE_PORT = 3000;
/** TV5: the three buckets, prefixed per system and environment. */
export const TVMAZE_BUCKETS = ["assets", "backups", "temp"] as const;
/** The buckets copied to replicaRegion: not temp (scratch data that expires). */
export const REPLICATED_BUCKETS = ["assets", "backups"] as const;

export type TvmazeIngestionStackProps = SystemStackProps;

export class TvmazeIngestionStack extends SystemStack {
  readonly service: EcsService;

  constructor(scope: Construct, props: TvmazeIngestionStackProps) {
    super(scope, SYSTEM, props);
    const env = this.env;
    const cfg = env.systems.tvmazeIngestion;
    const protection = this.protection;
    const prefix = this.prefix;

    const key = this.stackKey("logs, buckets, file system, data stores and alarms", ["sns.amazonaws.com", "cloudwatch.amazonaws.com"]);
    const network = this.systemNetwork(cfg, key, [VPC_PORTS.postgres, VPC_PORTS.redis, VPC_PORTS.nfs]);
    const cluster = new EcsCluster(this, "Cluster", {
      name: prefix,
      network,
      containerInsights: cfg.containerInsights,
      capacity: { kind: "fargate" },
      kmsKeyArn: key.keyArn,
      logRetentionDays: cfg.logRetentionDays,
    });

    // TV2: health check /up, idle timeout 60 s, HTTPS + redirect when a certificate is set.
    const alb = new Alb(this, "LoadBalancer", {
      ...this.accessLogs,
      name: prefix,
      network,
      certificateArn: cfg.certificateArn,
      idleTimeoutSeconds: 60,
      protection,
    });
    const target = alb.addTarget("ServiceTarget", { name: "service", port: SERVICE_PORT, healthCheckPath: "/up" });

    // TV3 / TV9: PostgreSQL with storage autoscaling, Sunday 03:00-04:00 maintenance, 30-day secret rotation.
    const database = new Database(this, "Database", {
      name: `${prefix}-db`,
      network,
      engine: {
        kind: "instance",
        instanceClass: cfg.database.instanceClass,
        allocatedStorageGiB: cfg.database.allocatedStorageGiB,
        maxAllocatedStorageGiB: cfg.database.maxAllocatedStorageGiB,
      },
      multiAz: cfg.database.multiAz,
      maintenanceWindow: "sun:03:00-sun:04:00",
      protection,
      kmsKeyArn: key.keyArn,
      passwordRotationDays: cfg.secretRotationDays,
    });

    // TV4: a single Redis node.
    const redis = new Redis(this, "Cache", {
      name: `${prefix}-redis`,
      network,
      nodeType: cfg.redis.nodeType,
      replicas: 0,
      kmsKeyArn: key.keyArn,
      protection,
      logs: { retentionDays: cfg.logRetentionDays },
    });

    // TV5: assets, backups, temp: Standard-IA after 30 days, Glacier after 90. With replicaRegion (issue 10 item 3),
    // assets and backups replicate there for disaster recovery; temp holds scratch data that expires.
    const tiering = {
      id: "tiering",
      transitions: [
        { days: 30, storageClass: "STANDARD_IA" as const },
        { days: 90, storageClass: "GLACIER" as const },
      ],
      noncurrentExpirationDays: 90,
    };
    const replicated = (name: string) => cfg.replicaRegion !== undefined && (REPLICATED_BUCKETS as readonly string[]).includes(name);
    const buckets = TVMAZE_BUCKETS.map((name) => {
      let replica: S3Bucket | undefined;
      let replicaKey: string | undefined;
      if (replicated(name)) {
        const side = this.replicaSide(cfg.replicaRegion!, "disaster-recovery copies of assets and backups");
        replicaKey = side.key.keyArn;
        // The copy ages like the original (replicas arrive as STANDARD).
        replica = new S3Bucket(this, `${pascal(name)}ReplicaBucket`, {
          ...this.replicaAccessLogs(cfg.replicaRegion!),
          bucketName: `${prefix}-${name}-replica`, kmsKeyArn: replicaKey, provider: side.provider, lifecycleRules: [tiering], protection,
        });
      }
      return new S3Bucket(this, `${pascal(name)}Bucket`, {
        ...this.accessLogs,
        bucketName: `${prefix}-${name}`,
        kmsKeyArn: key.keyArn,
        lifecycleRules: [tiering],
        ...(replica ? { replicateTo: { destinationBucketArn: replica.bucketArn, destinationKmsKeyArn: replicaKey } } : {}),
        protection,
      });
    });

    // TV6: optional shared file system.
    const fileSystem = cfg.efs
      ? new FileSystem(this, "SharedFiles", {
          name: `${prefix}-shared`,
          network,
          kmsKeyArn: key.keyArn,
          protection,
          accessPoints: [{ name: "app", path: "/app", uid: 1000, gid: 1000 }],
        })
      : undefined;

    const repository = new EcrRepository(this, "ServiceRepository", { name: `${prefix}/service`, kmsKeyArn: key.keyArn, forceDelete: protection.forceDestroy });

    // TV1: 512 CPU units / 1 GB, desired 2, scaling 1-4 on CPU.
    this.service = new EcsService(this, "Service", {
      name: `${prefix}-service`,
      cluster,
      network,
      image: `${repository.repositoryUrl}:${env.imageTag}`,
      cpu: cfg.service.cpu,
      memoryMiB: cfg.service.memoryMiB,
      containerPort: SERVICE_PORT,
      desiredCount: cfg.service.desiredCount,
      // The plan scales on CPU only: no memory policy competing with it.
      scaling: { minCount: cfg.service.minCount, maxCount: cfg.service.maxCount, cpuTargetPercent: 70, memoryTargetPercent: false },
      logGroupName: `/ecs/${SYSTEM}/${env.name}/service`,
      logRetentionDays: cfg.logRetentionDays,
      kmsKeyArn: key.keyArn,
      environment: {
        DB_HOST: database.endpoint.hostname,
        DB_PORT: String(database.endpoint.port),
        DB_NAME: database.databaseName,
        REDIS_URL: `rediss://${redis.endpoint.address}`,
        REDIS_TTL_SECONDS: "86400",
        // Redis authenticates with IAM: the task signs a token for this user with its role.
        REDIS_USER: redis.appUserName ?? "",
        REDIS_REPLICATION_GROUP_ID: redis.replicationGroupId,
        ASSETS_BUCKET: buckets[0].bucketName,
        BACKUPS_BUCKET: buckets[1].bucketName,
        TEMP_BUCKET: buckets[2].bucketName,
      },
      secrets: { DB_USERNAME: database.secret.field("username"), DB_PASSWORD: database.secret.field("password") },
      secretsKmsKeyArn: key.keyArn,
      healthCheckPath: "/up",
      loadBalancer: target,
      xrayTracing: true,
      // TV6: the shared file system through its "app" access point, TLS and IAM (the task role may mount it).
      efsVolumes: fileSystem
        ? [{ name: "shared", fileSystemId: fileSystem.fileSystemId, accessPointId: fileSystem.accessPointIds.app, containerPath: "/mnt/shared" }]
        : undefined,
    });

    // The task role: its buckets and the cache (the module adds the file system mount when there is one).
    for (const bucket of buckets) bucket.grantReadWrite(this.service);
    redis.grantConnect(this.service);

    // TV11: ALB from the internet (the module), service only from the ALB, data stores only from the service.
    allowFrom(this.service, alb, SERVICE_PORT);
    allowFrom(database, this.service, database.port);
    allowFrom(redis, this.service, redis.port);
    if (fileSystem) allowFrom(fileSystem, this.service, 2049);

    // TV10: rate limit, SQL injection and XSS rules, geo restriction.
    new WebAcl(this, "Firewall", {
      name: prefix,
      rateLimitPer5Minutes: cfg.waf.rateLimitPer5Minutes,
      blockedCountries: cfg.waf.blockedCountries.length ? cfg.waf.blockedCountries : undefined,
      associateWith: [alb.albArn],
      logging: { retentionDays: cfg.logRetentionDays, kmsKeyArn: key.keyArn },
    });

    // TV7: CPU > 80 %, memory > 85 %, DB connections > 80 % of max, 5xx > 5 %, response time > 2 s, to SNS.
    const topic = new AlarmTopic(this, "Alarms", { name: `${prefix}-alarms`, kmsKeyArn: key.keyArn, emailSubscriptions: cfg.alarmEmails });
    new Alarms(this, "ServiceAlarms", {
      topic,
      alarms: [
        ...ecsServiceAlarms({ name: `${prefix}-service`, clusterName: cluster.clusterName, serviceName: this.service.serviceName, cpuPercent: 80, memoryPercent: 85 }),
        ...albAlarms({ name: `${prefix}-alb`, albArnSuffix: alb.arnSuffix, targetGroupArnSuffix: target.arnSuffix, error5xxPercent: 5, responseTimeSeconds: 2 }),
        ...rdsAlarms({ name: prefix, identifier: database.identifier, maxConnections: database.connectionsAlarmMaximum, connectionsPercent: 80 }),
      ],
    });

    // TV8: 10 % of requests traced.
    new XraySamplingRule(this, "Sampling", { name: `${prefix}`, fixedRate: cfg.tracingSampleRate, serviceName: `${prefix}-service` });

    // TV12: API Gateway with usage plans and Cognito, off unless the environment turns it on.
    const api = cfg.apiGateway
      ? new ApiWithUsagePlans(this, "PublicApi", {
          name: `${prefix}-api`,
          backendUrl: `${cfg.certificateArn ? "https" : "http"}://${alb.dnsName}`,
          requestsPerMinute: 1000,
          logRetentionDays: cfg.logRetentionDays,
          kmsKeyArn: key.keyArn,
          // The user pool holds the users: protected where the environment protects its databases.
          protection,
        })
      : undefined;

    const deployRole = new GithubDeployRole(this, "DeployRole", {
      name: `${prefix}-github-deploy`,
      repositories: [`${env.githubOrg}/${SYSTEM}`],
      ecrRepositoryArns: [repository.repositoryArn],
      ecs: { clusterArn: cluster.clusterArn, serviceArns: [this.service.serviceArn], passRoleArns: [this.service.taskRoleArn, this.service.executionRoleArn] },
    });

    new TerraformOutput(this, "alb_dns_name", { value: alb.dnsName });
    new TerraformOutput(this, "ecr_repository_url", { value: repository.repositoryUrl });
    new TerraformOutput(this, "bucket_names", { value: Object.fromEntries(TVMAZE_BUCKETS.map((n, i) => [n, buckets[i].bucketName])) });
    new TerraformOutput(this, "database_endpoint", { value: database.endpoint.address });
    new TerraformOutput(this, "alarm_topic_arn", { value: topic.topicArn });
    new TerraformOutput(this, "deploy_role_arn", { value: deployRole.roleArn });
    if (api) new TerraformOutput(this, "api_invoke_url", { value: api.invokeUrl });
  }
}
