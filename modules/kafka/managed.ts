/**
 * Amazon MSK, provisioned: brokers spread over the private subnets, encryption at rest (KMS) and TLS everywhere,
 * IAM authentication only (no unauthenticated access, no passwords), broker settings in a versioned MSK
 * configuration, broker logs in CloudWatch. Clients reach it on 9098 once a stack calls `allowFrom(msk, service, 9098)`
 * and grants `grantProduce` / `grantConsume` to their task role.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { checkScram, checkStorageAutoScaling, MskScram, MskStorageAutoScaling, scramAssociation, ServerPropertyValue, serverPropertiesText, storageScaling } from "./msk-options";
import {
  arn, createSecurityGroup, dataSubnetIds, fail, fitName, grant, IConnectable, IGrantee, INetwork, inRange, logRetentionDays, matches, oneOf, PolicyStatement, Protection, refuse,
} from "../core";

export type MskEnhancedMonitoring = "DEFAULT" | "PER_BROKER" | "PER_TOPIC_PER_BROKER" | "PER_TOPIC_PER_PARTITION";

export interface ManagedKafkaProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Base name, e.g. "chat-app-prod-kafka"; the cluster name is derived from it (64 characters). */
  readonly name: string;
  /** Brokers spread over its private subnets (2 or 3 of them, one per AZ). */
  readonly network: INetwork;
  /** A Kafka version MSK still supports. @default "3.8.x" */
  readonly kafkaVersion?: string;
  /** Broker instance type. @default "kafka.t3.small" */
  readonly instanceType?: string;
  /** Brokers, a multiple of the number of private subnets (AZs), at least 2. @default one per private subnet */
  readonly brokerCount?: number;
  /** EBS storage per broker in GiB, 1-16384. @default 100 */
  readonly volumeGiB?: number;
  /** Partitions of a topic created without a count (num.partitions). @default 3, or brokerCount when smaller */
  readonly defaultPartitions?: number;
  /** Customer-managed KMS key for data at rest and the broker log group. @default the AWS-managed key */
  readonly kmsKeyArn?: string;
  /** Broker logs to CloudWatch; false turns them off (loses the broker trail). @default { retentionDays: 30 } */
  readonly brokerLogs?: false | { readonly retentionDays: number };
  /** Terraform `prevent_destroy` on the cluster. @default false */
  readonly preventDestroy?: boolean;
  /** CloudWatch metric level; per-topic levels give the consumer-lag metrics alarms need (DA7). @default "PER_TOPIC_PER_PARTITION" */
  readonly enhancedMonitoring?: MskEnhancedMonitoring;
  /** Grow broker storage when disk use passes the target (never shrinks); Terraform then ignores the volume size. @default off */
  readonly storageAutoScaling?: MskStorageAutoScaling;
  /** SASL/SCRAM beside IAM: clients with a user name and password from the given AmazonMSK_* secrets, on port 9096. @default off (IAM only) */
  readonly scram?: MskScram;
  /**
   * Broker properties merged over the module's (auto.create.topics.enable=false, default.replication.factor,
   * min.insync.replicas, num.partitions, unclean.leader.election.enable=false), e.g. { "log.retention.hours": 168 }.
   * @default {}
   */
  readonly serverProperties?: Readonly<Record<string, ServerPropertyValue>>;
}

const DEFAULT_VERSION = "3.8.x";
/** MSK versions without an end-of-support date that has passed (the ".kraft" forms create KRaft clusters). */
const SUPPORTED_VERSION = /^(3\.6\.0|3\.[7-9]\.x(\.kraft)?|4\.\d+\.x)$/;
const SUPPORTED_TEXT = "3.6.0, 3.7.x, 3.8.x (recommended), 3.9.x, 4.0.x, or a .kraft form such as 3.7.x.kraft";
const IAM_PORT = 9098;

export class ManagedKafka extends Construct implements IConnectable {
  readonly clusterArn: string;
  readonly clusterName: string;
  /** Bootstrap brokers for IAM-authenticated clients (TLS, port 9098). */
  readonly bootstrapBrokersSaslIam: string;
  /** Bootstrap brokers for TLS on 9094; empty while only IAM authentication is on. */
  readonly bootstrapBrokersTls: string;
  /** Bootstrap brokers for SASL/SCRAM clients (TLS, port 9096); empty unless scram is set. */
  readonly bootstrapBrokersSaslScram: string;
  readonly port: number = IAM_PORT;
  readonly securityGroupId: string;
  readonly configurationArn: string;
  readonly resource: MskCluster;

  constructor(scope: Construct, id: string, props: ManagedKafkaProps) {
    super(scope, id);
    matches(this, "name", props.name, /^[a-zA-Z][a-zA-Z0-9-]*$/, "letters, digits and hyphens, starting with a letter");
    const clusterName = fitName(this, "name", props.name, "", "mskClusterName");
    const version = this.checkVersion(props.kafkaVersion ?? DEFAULT_VERSION);
    const instanceType = matches(this, "instanceType", props.instanceType ?? "kafka.t3.small", /^kafka\.[a-z][a-z0-9]*\.[a-z0-9]+$/, "an MSK broker type such as \"kafka.t3.small\" or \"kafka.m7g.large\"");
    const subnets = dataSubnetIds(props.network);
    refuse(this, "network.privateSubnetIds", subnets, subnets.length < 2 || subnets.length > 3, "expected 2 or 3 private subnets in different AZs: MSK spreads brokers over 2 or 3 AZs");
    const brokers = inRange(this, "brokerCount", props.brokerCount ?? subnets.length, 2, 90);
    refuse(this, "brokerCount", brokers, brokers % subnets.length !== 0, `expected a multiple of the ${subnets.length} private subnets (AZs) so that each AZ holds the same number of brokers`);
    const volumeGiB = inRange(this, "volumeGiB", props.volumeGiB ?? 100, 1, 16384);
    const partitions = inRange(this, "defaultPartitions", props.defaultPartitions ?? Math.min(3, brokers), 1, 1000);
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    const logs = props.brokerLogs === false ? undefined : (props.brokerLogs ?? { retentionDays: 30 });
    if (logs) logRetentionDays(this, "brokerLogs.retentionDays", logs.retentionDays);
    const scaling = checkStorageAutoScaling(this, props.storageAutoScaling, volumeGiB);
    const scramSecrets = checkScram(this, props.scram);
    const monitoring = oneOf<MskEnhancedMonitoring>(this, "enhancedMonitoring", props.enhancedMonitoring ?? "PER_TOPIC_PER_PARTITION", ["DEFAULT", "PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"]);

    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", props.name, "msk", "securityGroupName"),
      description: `MSK ${clusterName}: clients allowed with allowFrom on ${IAM_PORT} (IAM over TLS)`,
      vpcId: props.network.vpcId,
      egress: "none",
    });
    this.securityGroupId = sg.id;

    const replication = Math.min(3, brokers);
    const serverProperties = serverPropertiesText(this, {
      "auto.create.topics.enable": "false",
      "default.replication.factor": String(replication),
      "min.insync.replicas": String(brokers >= 3 ? 2 : 1),
      "num.partitions": String(partitions),
      "unclean.leader.election.enable": "false",
    }, props.serverProperties);
    // The name changes with the content, and create_before_destroy makes the new one before the cluster moves to it.
    const digest = createHash("sha256").update(`${version}\n${serverProperties}`).digest("hex").slice(0, 8);
    const configuration = new MskConfiguration(this, "Configuration", {
      name: fitName(this, "name", props.name, digest, "mskClusterName"),
      description: `Broker settings of ${clusterName}`,
      kafkaVersions: [version],
      serverProperties,
      lifecycle: { createBeforeDestroy: true },
    });
    this.configurationArn = configuration.arn;

    const logGroup = logs
      ? new CloudwatchLogGroup(this, "BrokerLogGroup", {
          name: `/msk/${clusterName}`,
          retentionInDays: logs.retentionDays,
          ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
        })
      : undefined;

    this.resource = new MskCluster(this, "Cluster", {
      clusterName,
      kafkaVersion: version,
      numberOfBrokerNodes: brokers,
      brokerNodeGroupInfo: {
        clientSubnets: subnets,
        instanceType,
        securityGroups: [sg.id],
        storageInfo: { ebsStorageInfo: { volumeSize: volumeGiB } },
        connectivityInfo: { publicAccess: { type: "DISABLED" } },
      },
      encryptionInfo: {
        ...(props.kmsKeyArn ? { encryptionAtRestKmsKeyArn: props.kmsKeyArn } : {}),
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
      },
      clientAuthentication: { sasl: { iam: true, scram: scramSecrets !== undefined }, unauthenticated: false },
      configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
      enhancedMonitoring: monitoring,
      openMonitoring: { prometheus: { jmxExporter: { enabledInBroker: false }, nodeExporter: { enabledInBroker: false } } },
      loggingInfo: { brokerLogs: { cloudwatchLogs: logGroup ? { enabled: true, logGroup: logGroup.name } : { enabled: false } } },
      lifecycle: {
        preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy) ?? false,
        // With storage auto scaling, the volume grows outside Terraform: a plan must not shrink it back.
        ...(scaling ? { ignoreChanges: ["broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size"] } : {}),
      },
    });
    this.clusterArn = this.resource.arn;
    this.bootstrapBrokersSaslScram = this.resource.bootstrapBrokersSaslScram;
    if (scaling) storageScaling(this, this.resource.arn, clusterName, scaling);
    if (scramSecrets) scramAssociation(this, this.resource.arn, scramSecrets);
    this.clusterName = this.resource.clusterName;
    this.bootstrapBrokersSaslIam = this.resource.bootstrapBrokersSaslIam;
    this.bootstrapBrokersTls = this.resource.bootstrapBrokersTls;
  }

  /**
   * What a client's task role needs to produce and consume with IAM authentication, scoped to this cluster:
   * topics whose names start with `topicsPrefix` and consumer groups starting with `groupsPrefix` ("*" = all).
   * @deprecated use grantProduce / grantConsume / grantProduceConsume
   */
  clientPolicyStatements(topicsPrefix = "*", groupsPrefix = "*"): PolicyStatement[] {
    return this.clientStatements("readWrite", topicsPrefix, groupsPrefix);
  }

  /** Produce to topics starting with `topicsPrefix` ("*" = all), with IAM authentication. */
  grantProduce(grantee: IGrantee, topicsPrefix = "*"): PolicyStatement[] {
    return grant(grantee, this.clientStatements("produce", topicsPrefix, "*"));
  }

  /** Consume from topics starting with `topicsPrefix` in consumer groups starting with `groupsPrefix`. */
  grantConsume(grantee: IGrantee, topicsPrefix = "*", groupsPrefix = "*"): PolicyStatement[] {
    return grant(grantee, this.clientStatements("consume", topicsPrefix, groupsPrefix));
  }

  /** Produce and consume (one set of statements: what a service that does both needs). */
  grantProduceConsume(grantee: IGrantee, topicsPrefix = "*", groupsPrefix = "*"): PolicyStatement[] {
    return grant(grantee, this.clientStatements("readWrite", topicsPrefix, groupsPrefix));
  }

  private clientStatements(use: "produce" | "consume" | "readWrite", topicsPrefix: string, groupsPrefix: string): PolicyStatement[] {
    const produce = use !== "consume";
    const consume = use !== "produce";
    const topics = this.pattern("topicsPrefix", topicsPrefix);
    const groups = this.pattern("groupsPrefix", groupsPrefix);
    // Topic and group ARNs share the cluster's name and uuid: arn:...:topic/<cluster>/<uuid>/<topic>.
    const under = (kind: "topic" | "group") => `${Fn.replace(this.clusterArn, ":cluster/", `:${kind}/`)}/`;
    return [
      {
        sid: "ConnectToCluster",
        actions: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", ...(produce ? ["kafka-cluster:WriteDataIdempotently"] : [])],
        resources: [this.clusterArn],
      },
      {
        sid: use === "readWrite" ? "ReadWriteTopics" : use === "produce" ? "WriteTopics" : "ReadTopics",
        actions: ["kafka-cluster:DescribeTopic", ...(consume ? ["kafka-cluster:ReadData"] : []), ...(produce ? ["kafka-cluster:WriteData"] : [])],
        resources: [`${under("topic")}${topics}`],
      },
      ...(consume
        ? [{ sid: "UseConsumerGroups", actions: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], resources: [`${under("group")}${groups}`] }]
        : []),
    ];
  }

  /** "*" stays "*"; "orders." becomes "orders.*". */
  private pattern(setting: string, prefix: string): string {
    matches(this, setting, prefix, /^[a-zA-Z0-9._-]*\*?$/, "a topic or group name prefix (letters, digits, \".\", \"_\", \"-\"), optionally ending in \"*\", or \"*\" for all");
    return prefix.endsWith("*") ? prefix : `${prefix}*`;
  }

  private checkVersion(version: string): string {
    if (typeof version === "string" && /^(0|1|2)\./.test(version)) {
      fail(this, "kafkaVersion", version, `Kafka 1.x and 2.x have reached end of support on MSK; expected one of ${SUPPORTED_TEXT}`);
    }
    return matches(this, "kafkaVersion", version, SUPPORTED_VERSION, `a Kafka version MSK supports: ${SUPPORTED_TEXT}`);
  }
}
