/**
 * chat-app (plan 001): five chat microservices on ECS (Fargate) or EKS, RDS PostgreSQL, DocumentDB, MSK, S3 +
 * CloudFront, a self-managed Redis Cluster on EC2, WAF, X-Ray, optional blue/green. Requirements CA1-CA10, G1-G10.
 *
 * On ECS, `api-gateway` is the public entry behind the ALB and the other four are reached through Cloud Map. On EKS,
 * the Kubernetes workloads and their ingress are deployed by the application's Helm charts with the IRSA roles and
 * the WAF ACL this stack outputs (the ingress annotates `alb.ingress.kubernetes.io/wafv2-acl-arn`).
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { CHAT_SERVICES, ChatServiceName } from "../environments";
import { allowFrom, IConnectable, IGrantee } from "../modules/core";
import { KmsKey } from "../modules/kms-key";
import { Database } from "../modules/rds";
import { DocumentDb } from "../modules/documentdb";
import { ManagedKafka } from "../modules/kafka";
import { S3Bucket } from "../modules/s3-bucket";
import { S3Distribution } from "../modules/cloudfront";
import { BACKUP_LIFECYCLE_RULES, RedisClusterOnEc2 } from "../modules/redis-cluster";
import { WebAcl } from "../modules/waf";
import { EcrRepository } from "../modules/ecr";
import { AlarmTopic, XraySamplingRule } from "../modules/observability";
import { SystemStack, SystemStackProps, VPC_PORTS } from "./system-stack";
import { pascal } from "./naming";
import { ChatAppParts, SERVICE_PORT, SYSTEM, USES } from "./chat-app-parts";
import { buildEcsServices } from "./chat-app-ecs";
import { buildEksServices } from "./chat-app-eks";

export { SYSTEM } from "./chat-app-parts";
/** CloudFront reads web ACLs (CLOUDFRONT scope) and certificates from this region only. */
const EDGE_REGION = "us-east-1";

export type ChatAppStackProps = SystemStackProps;

export class ChatAppStack extends SystemStack {
  constructor(scope: Construct, props: ChatAppStackProps) {
    super(scope, SYSTEM, props);
    const env = this.env;
    const cfg = env.systems.chatApp;
    const protection = this.protection;
    const prefix = this.prefix;

    // CloudFront reads the SSE-KMS attachments through origin access control, so it must decrypt with this key;
    // the bucket policy lets only this stack's distribution read (CA5).
    const key = this.stackKey("logs, buckets, data stores, brokers and alarms", ["sns.amazonaws.com", "cloudwatch.amazonaws.com", "cloudfront.amazonaws.com"]);
    // CA10: 10.0.0.0/16 across three AZs.
    const network = this.systemNetwork(cfg, key, [VPC_PORTS.postgres, VPC_PORTS.documentDb, VPC_PORTS.mskIam, VPC_PORTS.redis, VPC_PORTS.redisBus, SERVICE_PORT]);

    // CA2: PostgreSQL, Multi-AZ in prod, a supported major version (16, not the plan's 14).
    const database = new Database(this, "Database", {
      name: `${prefix}-db`,
      network,
      engine: { kind: "instance", instanceClass: cfg.database.instanceClass, allocatedStorageGiB: cfg.database.allocatedStorageGiB, maxAllocatedStorageGiB: cfg.database.maxAllocatedStorageGiB },
      engineVersion: "16",
      multiAz: cfg.database.multiAz,
      protection,
      kmsKeyArn: key.keyArn,
    });
    // CA3: DocumentDB, encrypted, private.
    const documentDb = new DocumentDb(this, "DocumentDb", {
      name: `${prefix}-docdb`,
      network,
      instanceClass: cfg.documentDb.instanceClass,
      instances: cfg.documentDb.instances,
      protection,
      kmsKeyArn: key.keyArn,
      logRetentionDays: cfg.logRetentionDays,
    });
    // CA4: three brokers across three AZs, a supported Kafka version.
    const kafka = new ManagedKafka(this, "Kafka", {
      name: `${prefix}-kafka`,
      network,
      instanceType: cfg.msk.instanceType,
      brokerCount: cfg.msk.brokerCount,
      volumeGiB: cfg.msk.volumeGiB,
      kmsKeyArn: key.keyArn,
      brokerLogs: { retentionDays: cfg.logRetentionDays },
      protection,
    });
    // us-east-1 (a second provider with the same default tags, G3): the CDN's web ACL, and the attachments replica
    // unless attachmentsReplicaRegion puts it elsewhere (prod: the EU disaster-recovery region).
    const replicaRegion = cfg.attachmentsReplicaRegion ?? EDGE_REGION;
    const replicaAtEdge = replicaRegion === EDGE_REGION;
    // CloudFront reads the replica through origin access control when it fails over, so it decrypts with its key.
    const cloudfrontDecrypts = ["cloudfront.amazonaws.com"];
    const edge = this.regionalProvider("us_east_1", EDGE_REGION);
    const edgeKey = new KmsKey(this, "EdgeKey", {
      name: `${prefix}-edge`,
      description: replicaAtEdge ? `${prefix}: attachments replica and CDN firewall logs in ${EDGE_REGION}` : `${prefix}: CDN firewall logs in ${EDGE_REGION}`,
      ...(replicaAtEdge ? { allowServices: cloudfrontDecrypts } : {}),
      protection,
      provider: edge,
    });
    const dr = replicaAtEdge ? { provider: edge, key: edgeKey } : this.replicaSide(replicaRegion, "attachments replica (the CDN's failover origin) and Redis backup copies", cloudfrontDecrypts);
    // CA6: six Redis nodes on EC2 across three AZs, backups to S3 with 7/4/3 retention; with
    // redisCluster.replicateBackups (issue 10 item 3) the RDB copies also go to the attachments replica's region.
    const backupsReplica = cfg.redisCluster.replicateBackups
      ? new S3Bucket(this, "RedisBackupsReplicaBucket", {
          ...this.replicaAccessLogs(replicaRegion),
          bucketName: `${prefix}-redis-backups-replica`,
          kmsKeyArn: dr.key.keyArn,
          provider: dr.provider,
          lifecycleRules: BACKUP_LIFECYCLE_RULES,
          protection,
        })
      : undefined;
    const redis = new RedisClusterOnEc2(this, "RedisCluster", {
      name: `${prefix}-redis`,
      network,
      instanceType: cfg.redisCluster.instanceType,
      dataVolumeGiB: cfg.redisCluster.dataVolumeGiB,
      kmsKeyArn: key.keyArn,
      backupBucketName: `${prefix}-redis-backups`,
      ...this.accessLogs,
      ...(backupsReplica ? { backupReplicateTo: { destinationBucketArn: backupsReplica.bucketArn, destinationKmsKeyArn: dr.key.keyArn } } : {}),
      protection,
      logRetentionDays: cfg.logRetentionDays,
    });

    // CA5: a copy of every attachment, the CDN's failover origin (and the attachments' disaster recovery), logging to
    // the DR region's log bucket when the environment names one there (issue 10 item 3).
    const replica = new S3Bucket(this, "AttachmentsReplicaBucket", {
      ...this.replicaAccessLogs(replicaRegion),
      bucketName: `${prefix}-attachments-replica`,
      kmsKeyArn: dr.key.keyArn,
      provider: dr.provider,
      protection,
    });
    // CA5: attachments in a private, versioned bucket, served by CloudFront through origin access control.
    const attachments = new S3Bucket(this, "AttachmentsBucket", {
      ...this.accessLogs,
      bucketName: `${prefix}-attachments`,
      kmsKeyArn: key.keyArn,
      replicateTo: { destinationBucketArn: replica.bucketArn, destinationKmsKeyArn: dr.key.keyArn },
      protection,
    });
    // CA7: the CDN's own web ACL, CLOUDFRONT scope, with its request logs in us-east-1 too.
    const cdnFirewall = new WebAcl(this, "CdnFirewall", {
      name: `${prefix}-cdn`,
      scope: "CLOUDFRONT",
      provider: edge,
      logging: { retentionDays: cfg.logRetentionDays, kmsKeyArn: edgeKey.keyArn },
    });
    const cdn = new S3Distribution(this, "Cdn", {
      name: `${prefix}-cdn`,
      bucket: attachments,
      failoverBucket: replica,
      aliases: cfg.cdn.aliases,
      certificateArn: cfg.cdn.certificateArn,
      blockedCountries: cfg.cdn.blockedCountries,
      webAclArn: cdnFirewall.webAclArn,
      // Issue 10 item 3: CloudFront standard logging v2 to a log group in us-east-1 (checkov still reads only logging_config).
      standardLogging: { provider: edge, retentionDays: cfg.logRetentionDays, kmsKeyArn: edgeKey.keyArn },
    });
    attachments.addPolicyStatement(cdn.bucketPolicyStatement());
    replica.addPolicyStatement(cdn.failoverBucketPolicyStatement());

    // CA8: X-Ray sampling; task roles (ECS: xrayTracing) and pod roles (EKS) may write traces.
    new XraySamplingRule(this, "Sampling", { name: prefix, fixedRate: cfg.tracingSampleRate });
    // What each service's application calls, besides X-Ray and its secrets.
    const grantUses = (grantee: IGrantee, name: ChatServiceName): void => {
      if (USES[name].kafka) kafka.grantProduceConsume(grantee);
      if (USES[name].attachments) attachments.grantReadWrite(grantee);
    };

    // CA1: one repository per service.
    const repositories = Object.fromEntries(
      CHAT_SERVICES.map((name) => [name, new EcrRepository(this, `${pascal(name)}Repository`, { name: `${prefix}/${name}`, kmsKeyArn: key.keyArn, forceDelete: protection.forceDestroy })]),
    ) as Record<ChatServiceName, EcrRepository>;

    const topic = new AlarmTopic(this, "Alarms", { name: `${prefix}-alarms`, kmsKeyArn: key.keyArn, emailSubscriptions: cfg.alarmEmails });
    // CA7: WAF in front of the public entry; Shield Advanced (opt-in) protects the ALB on ECS.
    const firewall = (associateWith: string[]) =>
      new WebAcl(this, "Firewall", {
        name: prefix,
        shieldAdvanced: cfg.shieldAdvanced,
        logging: { retentionDays: cfg.logRetentionDays, kmsKeyArn: key.keyArn },
        associateWith,
      });

    // The secrets a pod reads through IRSA (ECS tasks read theirs through the execution role).
    const grantSecrets = (grantee: IGrantee, name: ChatServiceName): void => {
      redis.authSecret?.grantRead(grantee);
      if (USES[name].postgres) database.secret.grantRead(grantee);
      if (USES[name].documentDb) documentDb.secret.grantRead(grantee);
    };

    const allow = (client: IConnectable, name: ChatServiceName) => {
      if (USES[name].postgres) allowFrom(database, client, database.port);
      if (USES[name].documentDb) allowFrom(documentDb, client, documentDb.port);
      if (USES[name].kafka) allowFrom(kafka, client, kafka.port);
    };

    const parts: ChatAppParts = { stack: this, cfg, prefix, key, network, repositories, topic, firewall, database, documentDb, kafka, redis, attachments, cdn, allow, grantUses, grantSecrets };
    const { outputs, deployRole } = cfg.compute === "ecs" ? buildEcsServices(parts) : buildEksServices(parts);

    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
    new TerraformOutput(this, "cdn_domain_name", { value: cdn.domainName });
    new TerraformOutput(this, "attachments_bucket", { value: attachments.bucketName });
    new TerraformOutput(this, "attachments_replica_bucket", { value: replica.bucketName });
    new TerraformOutput(this, "cdn_waf_acl_arn", { value: cdnFirewall.webAclArn });
    new TerraformOutput(this, "redis_cluster_nodes", { value: redis.privateIps });
    new TerraformOutput(this, "database_endpoint", { value: database.endpoint.address });
    new TerraformOutput(this, "documentdb_endpoint", { value: documentDb.endpoint.address });
    new TerraformOutput(this, "kafka_bootstrap_brokers", { value: kafka.bootstrapBrokersSaslIam });
    new TerraformOutput(this, "deploy_role_arn", { value: deployRole.roleArn });
  }
}
