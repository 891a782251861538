/**
 * upload-pipeline (plan 004): uploader + parser on EKS with IRSA, an S3 upload bucket, an SQS job queue with a
 * dead-letter queue, RDS PostgreSQL, Secrets Manager, and an external Confluent Kafka (nothing Kafka on AWS).
 * Requirements UP1-UP9 and G1-G10. Kubernetes objects (namespaces, service accounts, Helm releases) are deployed by
 * the application's pipeline from the outputs below (UP8).
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { allowFrom } from "../modules/core";
import { KmsKey } from "../modules/kms-key";
import { LifecycleRule, S3Bucket } from "../modules/s3-bucket";
import { Queue } from "../modules/sqs";
import { Database } from "../modules/rds";
import { Secret } from "../modules/secrets";
import { EcrRepository } from "../modules/ecr";
import { GithubDeployRole } from "../modules/github-oidc";
import { AlarmTopic } from "../modules/observability";
import { SystemStack, SystemStackProps, VPC_PORTS } from "./system-stack";

export const SYSTEM = "upload-pipeline";
/** UP4: each workload runs in its own namespace under a service account of the same name. */
export const WORKLOADS = ["uploader", "parser"] as const;

/** UP1: uploads move to Glacier Instant Retrieval after 30 days and to Glacier Flexible Retrieval after 90. */
const ARCHIVE: LifecycleRule = {
  id: "archive",
  transitions: [
    { days: 30, storageClass: "GLACIER_IR" },
    { days: 90, storageClass: "GLACIER" },
  ],
  noncurrentExpirationDays: 90,
};

export type UploadPipelineStackProps = SystemStackProps;

export class UploadPipelineStack extends SystemStack {
  constructor(scope: Construct, props: UploadPipelineStackProps) {
    super(scope, SYSTEM, props);
    const env = this.env;
    const cfg = env.systems.uploadPipeline;
    const protection = this.protection;
    const prefix = this.prefix;

    const key = this.stackKey("bucket, queue, secrets, database, logs and alarms", ["s3.amazonaws.com", "cloudwatch.amazonaws.com"]);
    const network = this.systemNetwork(cfg, key, [VPC_PORTS.postgres]);

    // UP9: an optional replica bucket in another region, with its own provider and key.
    let replica: { bucket: S3Bucket; key: KmsKey } | undefined;
    if (cfg.replicaRegion) {
      // G3: the replica's resources carry the same tags as everything the default provider creates.
      const { provider: drProvider, key: drKey } = this.replicaSide(cfg.replicaRegion, "disaster-recovery copy of uploads");
      replica = {
        key: drKey,
        bucket: new S3Bucket(this, "UploadReplicaBucket", {
          // Issue 10 item 3: access logs to the DR region's log bucket (bootstrap's replica side).
          ...this.replicaAccessLogs(cfg.replicaRegion),
          bucketName: `${prefix}-uploads-replica`,
          kmsKeyArn: drKey.keyArn,
          provider: drProvider,
          // The disaster-recovery copy ages like the original (replicas arrive as STANDARD).
          lifecycleRules: [ARCHIVE],
          protection,
        }),
      };
    }

    // UP1: versioned, encrypted, private; Glacier tiers at 30 and 90 days; CORS for pre-signed browser uploads.
    const uploads = new S3Bucket(this, "UploadBucket", {
      ...this.accessLogs,
      bucketName: `${prefix}-uploads`,
      kmsKeyArn: key.keyArn,
      lifecycleRules: [ARCHIVE],
      cors: [{ allowedOrigins: cfg.uploadCorsOrigins, allowedMethods: ["PUT", "POST", "GET"] }],
      replicateTo: replica ? { destinationBucketArn: replica.bucket.bucketArn, destinationKmsKeyArn: replica.key.keyArn } : undefined,
      protection,
    });

    // UP2: job queue with a dead-letter queue; the visibility timeout covers the parser's longest job. A job that
    // lands in the DLQ alarms on the stack's topic (the queue's DLQ-depth alarm).
    const alarms = new AlarmTopic(this, "Alarms", { name: `${prefix}-alarms`, kmsKeyArn: key.keyArn });
    const queue = new Queue(this, "JobQueue", {
      name: `${prefix}-jobs`,
      visibilityTimeoutSeconds: cfg.queue.visibilityTimeoutSeconds,
      deadLetter: { maxReceiveCount: cfg.queue.maxReceiveCount },
      kmsKeyArn: key.keyArn,
      deadLetterAlarm: { topicArn: alarms.topicArn },
    });

    // UP3: EKS with managed node groups in private subnets, OIDC for IRSA, control-plane logs, KMS secrets encryption.
    // Issue 8: the load balancer controller (through EKS Pod Identity) creates the uploader's ALB ingress (plan 004, step 9).
    const cluster = this.systemCluster(cfg.eks, network, key, cfg.logRetentionDays, "podIdentity");

    // UP6: PostgreSQL, Multi-AZ in prod, encrypted, automated backups with point-in-time recovery.
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
      protection,
      kmsKeyArn: key.keyArn,
    });
    // Pods reach the database through the cluster's security group (nodes and pods share it).
    allowFrom(database, cluster, database.port);

    // UP5 / UP7: Confluent Kafka is external; its connection details live in Secrets Manager, set out of band.
    const kafkaSecret = new Secret(this, "ConfluentKafka", {
      name: `${SYSTEM}/${env.name}/confluent-kafka`,
      description: "Confluent Cloud bootstrap servers and API key for the upload pipeline (set out of band)",
      kmsKeyArn: key.keyArn,
      jsonKeys: ["bootstrap_servers", "api_key", "api_secret"],
      protection,
    });

    // UP4: one IRSA role per workload, bound to its namespace and service account.
    const uploader = cluster.serviceAccountRole("UploaderRole", {
      name: `${prefix}-uploader`,
      namespace: "uploader",
      serviceAccount: "uploader",
    });
    uploads.grantPut(uploader);
    queue.grantSendMessages(uploader);
    kafkaSecret.grantRead(uploader);
    const parser = cluster.serviceAccountRole("ParserRole", {
      name: `${prefix}-parser`,
      namespace: "parser",
      serviceAccount: "parser",
    });
    uploads.grantRead(parser);
    queue.grantConsumeMessages(parser);
    kafkaSecret.grantRead(parser);
    database.grantConnect(parser);

    const repositories = WORKLOADS.map(
      (name) => new EcrRepository(this, name === "uploader" ? "UploaderRepository" : "ParserRepository", { name: `${prefix}/${name}`, kmsKeyArn: key.keyArn, forceDelete: protection.forceDestroy }),
    );

    // G10: GitHub Actions pushes images and runs helm against this cluster (access entry below).
    const deployRole = new GithubDeployRole(this, "DeployRole", {
      name: `${prefix}-github-deploy`,
      repositories: [`${env.githubOrg}/${SYSTEM}`],
      ecrRepositoryArns: repositories.map((r) => r.repositoryArn),
      eks: { clusterArn: cluster.clusterArn },
    });
    cluster.grantAccess("DeployAccess", { principalArn: deployRole.roleArn, policy: "AmazonEKSEditPolicy", namespaces: [...WORKLOADS] });

    // UP8: what the Helm charts need.
    new TerraformOutput(this, "cluster_name", { value: cluster.clusterName });
    new TerraformOutput(this, "cluster_endpoint", { value: cluster.endpoint });
    new TerraformOutput(this, "load_balancer_controller_role_arn", { value: cluster.loadBalancerControllerRole.roleArn });
    new TerraformOutput(this, "uploader_role_arn", { value: uploader.roleArn });
    new TerraformOutput(this, "parser_role_arn", { value: parser.roleArn });
    new TerraformOutput(this, "queue_url", { value: queue.queueUrl });
    new TerraformOutput(this, "dead_letter_queue_url", { value: queue.deadLetterQueueUrl ?? "" });
    new TerraformOutput(this, "alarm_topic_arn", { value: alarms.topicArn });
    new TerraformOutput(this, "upload_bucket_name", { value: uploads.bucketName });
    new TerraformOutput(this, "database_endpoint", { value: database.endpoint.address });
    new TerraformOutput(this, "database_secret_arn", { value: database.secretArn });
    new TerraformOutput(this, "kafka_secret_arn", { value: kafkaSecret.secretArn });
    new TerraformOutput(this, "ecr_repository_urls", { value: Object.fromEntries(WORKLOADS.map((n, i) => [n, repositories[i].repositoryUrl])) });
    new TerraformOutput(this, "deploy_role_arn", { value: deployRole.roleArn });
  }
}
