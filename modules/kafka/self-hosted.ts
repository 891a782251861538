/**
 * One Kafka broker on ECS in KRaft combined mode (broker + controller, no ZooKeeper), registered in the cluster's
 * Cloud Map namespace as `kafka`, with its log directory on encrypted EFS so messages survive a restart. Topics are
 * declared as data and created by a one-shot `create-topics` container once the broker is healthy.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition, EcsTaskDefinitionVolume } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import {
  allowFrom, arn, createRole, createSecurityGroup, dataSubnetIds, endpoint, Endpoint, fail, fitName, IConnectable, INetwork, inRange, logRetentionDays, matches, nonEmpty, PolicyStatement, Protection, serviceTrustPolicy,
} from "../core";
import type { IEcsCluster } from "../ecs-cluster";
import { KafkaTopic } from "./types";
import { checkTopics, createTopicsScript } from "./topics";
import { checkTaskSize } from "./task-size";
import { FileSystem } from "../efs";

export interface SelfHostedKafkaProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Base name of the ECS service, task family, roles and log group, e.g. "alerting-platform-dev-kafka". */
  readonly name: string;
  /** The task runs in its private subnets. */
  readonly network: INetwork;
  /** ECS cluster with a Cloud Map namespace; the broker registers there as `kafka`. A Fargate Spot cluster still runs the broker on regular Fargate. */
  readonly cluster: IEcsCluster;
  /** Kafka image (4.x, KRaft). @default "apache/kafka:4.1.0" */
  readonly image?: string;
  /** ECR repository `image` comes from; the execution role may pull from it. @default none (a public image, pulled through NAT) */
  readonly imageRepositoryArn?: string;
  /** Task CPU units. @default 512 */
  readonly cpu?: number;
  /** Task memory in MiB, at least 768; half becomes the broker's JVM heap. @default 1024 */
  readonly memoryMiB?: number;
  /** Topics to create at start-up (idempotent: existing topics are left as they are). */
  readonly topics: readonly KafkaTopic[];
  /** Log directory on encrypted EFS; false keeps it in the task and loses every message on restart. @default true */
  readonly durableStorage?: boolean;
  /** Days the container log group keeps logs. */
  readonly logRetentionDays: number;
  /** Container log group. @default "/ecs/<name>" */
  readonly logGroupName?: string;
  /** Customer-managed KMS key for the EFS file system and the log group. @default AWS-managed keys */
  readonly kmsKeyArn?: string;
  /** Terraform `prevent_destroy` on the EFS file system (and its backup vault). @default false */
  readonly preventDestroy?: boolean;
  /**
   * Days AWS Backup keeps the daily recovery points of the EFS log directory, 1-36500 (G8); false: no backup plan
   * (EFS automatic backups then stay on). Only with durableStorage. @default 35
   */
  readonly backupRetentionDays?: number | false;
  /** Hours a message is kept (log.retention.hours). @default 168 */
  readonly retentionHours?: number;
}

const DEFAULT_IMAGE = "apache/kafka:4.1.0";
const PORT = 9092;
const CONTROLLER_PORT = 9093;
/** Loopback listener for the health check and the topic tool: they never depend on Cloud Map DNS. */
const LOCAL_PORT = 9094;
const BROKERS = 1;
const DATA_DIR = "/var/lib/kafka/data";
const DATA_VOLUME = "kafka-data";
const KAFKA_ACCESS_POINT = "kafka";
/** uid/gid of the apache/kafka image's user, owner of the log directory. */
const KAFKA_UID = 1000;
const TOOL_HEAP = "-Xmx128m -Xms64m";

/** A stable KRaft cluster id: 16 bytes of a hash of the name, base64url (22 characters), never starting with "-". */
export function kraftClusterId(name: string): string {
  for (let salt = 0; ; salt++) {
    const id = createHash("sha256").update(`kafka-cluster:${name}:${salt}`).digest().subarray(0, 16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

type ContainerDefinition = Record<string, unknown>;

export class SelfHostedKafka extends Construct implements IConnectable {
  /** "kafka.<namespace>:9092": what clients put in bootstrap.servers (PLAINTEXT, inside the VPC only). */
  readonly bootstrapServers: string;
  /** The broker's Cloud Map name and port: `endpoint.hostname`, `endpoint.port`. */
  readonly endpoint: Endpoint;
  readonly port: number = PORT;
  readonly securityGroupId: string;
  readonly serviceName: string;
  readonly topics: readonly KafkaTopic[];
  readonly fileSystemId?: string;
  readonly logGroupName: string;
  readonly taskRoleArn: string;
  readonly resource: EcsService;

  constructor(scope: Construct, id: string, props: SelfHostedKafkaProps) {
    super(scope, id);
    const name = matches(this, "name", props.name, /^[a-zA-Z][a-zA-Z0-9_-]{0,254}$/, "1-255 letters, digits, hyphens and underscores, starting with a letter");
    const namespace = props.cluster.namespace
      ?? fail(this, "cluster.namespace", props.cluster.namespace, "expected an ECS cluster with a Cloud Map namespace: Kafka is reached by name (kafka.<namespace>)");
    const launchType = props.cluster.launchType;
    const cpu = props.cpu ?? 512;
    const memoryMiB = props.memoryMiB ?? 1024;
    checkTaskSize(this, launchType, cpu, memoryMiB);
    this.topics = checkTopics(this, props.topics, BROKERS);
    const retentionHours = inRange(this, "retentionHours", props.retentionHours ?? 168, 1, 87600);
    const retentionDays = logRetentionDays(this, "logRetentionDays", props.logRetentionDays);
    const logGroupName = matches(this, "logGroupName", props.logGroupName ?? `/ecs/${name}`, /^[A-Za-z0-9._\-/#]{1,512}$/, "a CloudWatch log group name: 1-512 letters, digits and . _ - / #");
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    if (props.imageRepositoryArn !== undefined) arn(this, "imageRepositoryArn", props.imageRepositoryArn, "ecr");
    const image = matches(this, "image", props.image ?? DEFAULT_IMAGE, /^\S+$/, "an image reference such as \"apache/kafka:4.1.0\"");
    nonEmpty(this, "network.privateSubnetIds", props.network.privateSubnetIds);
    const durable = props.durableStorage ?? true;
    if (!durable && (props.backupRetentionDays ?? props.protection?.backupRetentionDays) !== undefined) {
      fail(this, "backupRetentionDays", (props.backupRetentionDays ?? props.protection?.backupRetentionDays), "expected no value when durableStorage is false (there is no file system to back up)");
    }
    if (typeof props.backupRetentionDays === "number") inRange(this, "backupRetentionDays", (props.backupRetentionDays ?? props.protection?.backupRetentionDays), 1, 36500);

    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", name, "broker", "securityGroupName"),
      description: `Kafka broker ${name}: clients allowed with allowFrom on ${PORT}`,
      vpcId: props.network.vpcId,
      egress: "all",
    });
    this.securityGroupId = sg.id;

    // The log directory: the efs module's file system (TLS-only, encrypted, AWS Backup), one access point owned by
    // the apache/kafka image's user, NFS from this broker only.
    const storage = durable
      ? new FileSystem(this, "Storage", {
          name: `${name}-data`,
          network: props.network,
          kmsKeyArn: props.kmsKeyArn,
          preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy) ?? false,
          awsBackup: props.backupRetentionDays === false ? false : { retentionDays: (props.backupRetentionDays ?? props.protection?.backupRetentionDays) ?? 35 },
          accessPoints: [{ name: KAFKA_ACCESS_POINT, path: "/kafka", uid: KAFKA_UID, gid: KAFKA_UID }],
        })
      : undefined;
    if (storage) allowFrom(storage, this, FileSystem.PORT, "NFS from the Kafka broker");
    this.fileSystemId = storage?.fileSystemId;

    const logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: logGroupName,
      retentionInDays: retentionDays,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
    });
    this.logGroupName = logGroup.name;

    const executionStatements: PolicyStatement[] = [
      { sid: "WriteLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logGroup.arn}:*`] },
    ];
    if (props.imageRepositoryArn) {
      executionStatements.push(
        { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        { sid: "PullImage", actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], resources: [props.imageRepositoryArn] },
      );
    }
    const executionRole = createRole(this, "ExecutionRole", {
      name: fitName(this, "name", name, "exec", "iamRoleName"),
      description: `Starts the ${name} Kafka task: pulls its image and writes its logs`,
      assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"),
      statements: executionStatements,
    });
    const taskRole = createRole(this, "TaskRole", {
      name: fitName(this, "name", name, "task", "iamRoleName"),
      description: `The ${name} Kafka broker: mounts its EFS log directory, nothing else`,
      assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"),
      statements: storage?.clientStatements(KAFKA_ACCESS_POINT) ?? [],
    });
    this.taskRoleArn = taskRole.arn;

    const region = new DataAwsRegion(this, "Region");
    const advertisedHost = `kafka.${namespace.name}`;
    this.endpoint = endpoint(advertisedHost, PORT);
    this.bootstrapServers = this.endpoint.address;
    const logging = (prefix: string) => ({
      logDriver: "awslogs",
      options: { "awslogs-group": logGroup.name, "awslogs-region": region.name, "awslogs-stream-prefix": prefix },
    });
    const maxPartitions = Math.max(...this.topics.map((t) => t.partitions));
    const broker: ContainerDefinition = {
      name: "kafka",
      image,
      essential: true,
      portMappings: [{ containerPort: PORT, hostPort: PORT, protocol: "tcp" }],
      environment: environment({
        CLUSTER_ID: kraftClusterId(name),
        KAFKA_NODE_ID: "1",
        KAFKA_PROCESS_ROLES: "broker,controller",
        KAFKA_CONTROLLER_QUORUM_VOTERS: `1@localhost:${CONTROLLER_PORT}`,
        KAFKA_LISTENERS: `PLAINTEXT://:${PORT},CONTROLLER://:${CONTROLLER_PORT},LOCAL://127.0.0.1:${LOCAL_PORT}`,
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${advertisedHost}:${PORT},LOCAL://127.0.0.1:${LOCAL_PORT}`,
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,LOCAL:PLAINTEXT",
        KAFKA_CONTROLLER_LISTENER_NAMES: "CONTROLLER",
        KAFKA_INTER_BROKER_LISTENER_NAME: "LOCAL",
        KAFKA_LOG_DIRS: DATA_DIR,
        KAFKA_NUM_PARTITIONS: `${maxPartitions}`,
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: "false",
        KAFKA_DEFAULT_REPLICATION_FACTOR: `${BROKERS}`,
        KAFKA_MIN_INSYNC_REPLICAS: "1",
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: `${BROKERS}`,
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: `${BROKERS}`,
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: "1",
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: `${BROKERS}`,
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: "1",
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: "0",
        KAFKA_LOG_RETENTION_HOURS: `${retentionHours}`,
        KAFKA_HEAP_OPTS: `-Xmx${Math.floor(memoryMiB / 2)}m -Xms${Math.floor(memoryMiB / 2)}m`,
      }),
      ...(storage ? { mountPoints: [{ sourceVolume: DATA_VOLUME, containerPath: DATA_DIR, readOnly: false }] } : {}),
      ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }],
      healthCheck: {
        command: ["CMD-SHELL", `KAFKA_HEAP_OPTS='${TOOL_HEAP}' /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server 127.0.0.1:${LOCAL_PORT} > /dev/null 2>&1 || exit 1`],
        interval: 30,
        timeout: 20,
        retries: 5,
        startPeriod: 120,
      },
      stopTimeout: 60,
      logConfiguration: logging("kafka"),
    };
    const createTopics: ContainerDefinition = {
      name: "create-topics",
      image,
      essential: false,
      dependsOn: [{ containerName: "kafka", condition: "HEALTHY" }],
      entryPoint: ["/bin/sh", "-c"],
      command: [createTopicsScript(this.topics, `127.0.0.1:${LOCAL_PORT}`)],
      environment: environment({ KAFKA_HEAP_OPTS: TOOL_HEAP }),
      logConfiguration: logging("create-topics"),
    };

    const volume: EcsTaskDefinitionVolume[] = storage
      ? [{
          name: DATA_VOLUME,
          efsVolumeConfiguration: {
            fileSystemId: storage.fileSystemId,
            transitEncryption: "ENABLED",
            authorizationConfig: { accessPointId: storage.accessPointIds[KAFKA_ACCESS_POINT], iam: "ENABLED" },
          },
        }]
      : [];
    const taskDefinition = new EcsTaskDefinition(this, "TaskDefinition", {
      family: name,
      networkMode: "awsvpc",
      requiresCompatibilities: [launchType],
      cpu: `${cpu}`,
      memory: `${memoryMiB}`,
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      // JSON.stringify, not jsonencode: JSON escaping of the shell script is exact; references still resolve.
      containerDefinitions: JSON.stringify([broker, createTopics]),
      ...(volume.length > 0 ? { volume } : {}),
    });

    const discovery = new ServiceDiscoveryService(this, "Discovery", {
      name: "kafka",
      description: `Kafka broker ${name}`,
      dnsConfig: { namespaceId: namespace.id, routingPolicy: "MULTIVALUE", dnsRecords: [{ ttl: 10, type: "A" }] },
      healthCheckCustomConfig: { failureThreshold: 1 },
    });

    const capacityProvider = launchType === "EC2" ? props.cluster.capacityProviderName : undefined;
    this.resource = new EcsService(this, "Service", {
      name,
      cluster: props.cluster.clusterArn,
      taskDefinition: taskDefinition.arn,
      desiredCount: 1,
      // One broker owns one log directory: stop the old task before starting the new one.
      deploymentMaximumPercent: 100,
      deploymentMinimumHealthyPercent: 0,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      ...(capacityProvider
        ? { capacityProviderStrategy: [{ capacityProvider, weight: 1, base: 0 }] }
        : { launchType }),
      ...(launchType === "FARGATE" ? { platformVersion: "LATEST" } : {}),
      networkConfiguration: { subnets: dataSubnetIds(props.network), securityGroups: [sg.id], assignPublicIp: false },
      serviceRegistries: { registryArn: discovery.arn },
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      enableExecuteCommand: false,
      waitForSteadyState: false,
      ...(storage ? { dependsOn: storage.mountTargets } : {}),
    });
    this.serviceName = this.resource.name;
  }
}

/** ECS returns environment variables sorted by name; sorting here keeps the plan free of spurious diffs. */
function environment(vars: Readonly<Record<string, string>>): { name: string; value: string }[] {
  return Object.keys(vars).sort().map((k) => ({ name: k, value: vars[k] }));
}
