/**
 * ElastiCache for Redis as a replication group with cluster mode disabled: one primary and 0-5 read replicas in
 * the private subnets. Secure by default: encryption at rest and TLS in transit, IAM authentication (no password
 * anywhere), its own security group with no ingress until a stack calls `allowFrom(redis, service, 6379)`, daily
 * snapshots, engine and slow logs in CloudWatch.
 */
import { Construct } from "constructs";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import {
  arn, createSecurityGroup, dataSubnetIds, endpoint, Endpoint, fail, fitName, grant, IConnectable, IGrantee, INetwork, inRange, logRetentionDays, matches, nonEmpty, PolicyStatement, Protection, refuse,
} from "../core";
import { IamAuthUsers } from "./users";
import { CacheEngine, checkEngine, checkParameters, checkShards, parameterFamily, parameterGroup } from "./options";

export type { CacheEngine } from "./options";
import { maintenanceWindow, snapshotWindow, windowsOverlap } from "./windows";

export interface RedisProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Base name, e.g. "alerting-platform-dev-cache"; the replication group id is derived from it (40 characters, lowercase). */
  readonly name: string;
  /** The nodes go into its private subnets. */
  readonly network: INetwork;
  /** Node type, e.g. "cache.t3.micro". */
  readonly nodeType: string;
  /** "redis" (Redis OSS) or "valkey" (the open-source fork, about 20 % cheaper per node hour on ElastiCache). @default "redis" */
  readonly engine?: CacheEngine;
  /** Engine version: Redis 6.x or 7.x; Valkey 7.2 or 8.x. @default "7.1" for Redis, "8.0" for Valkey */
  readonly engineVersion?: string;
  /** Read replicas beside the primary (per shard with cluster mode), 0-5; 0 is a single node. @default 0 */
  readonly replicas?: number;
  /**
   * Cluster mode: the key space split over `shards` node groups (1-500), each a primary and `replicas` replicas;
   * clients must be cluster-aware. Needs replicas >= 1 (automatic failover is required in cluster mode).
   * @default cluster mode off (one primary)
   */
  readonly shards?: number;
  /**
   * Custom parameters (e.g. { "maxmemory-policy": "allkeys-lru" }) in a parameter group of the engine's family
   * (redis7, valkey8, ...), which the module creates when parameters are given or cluster mode is on.
   * @default {} (the engine's default parameter group)
   */
  readonly parameters?: Readonly<Record<string, string | number>>;
  /** Automatic failover to a replica in another AZ; needs replicas >= 1. @default false */
  readonly multiAz?: boolean;
  /** Days daily snapshots are kept, 0-35; 0 turns snapshots off (loses point-in-time restores). @default 5 */
  readonly snapshotRetentionDays?: number;
  /** Daily UTC snapshot window "hh:mm-hh:mm". @default "03:00-04:00" */
  readonly snapshotWindow?: string;
  /** Weekly UTC maintenance window "ddd:hh:mm-ddd:hh:mm"; must not overlap the snapshot window. @default "sun:05:00-sun:06:00" */
  readonly maintenanceWindow?: string;
  /** Customer-managed KMS key for data at rest and the log groups. @default the AWS-managed key */
  readonly kmsKeyArn?: string;
  /** Terraform `prevent_destroy` on the replication group. @default false */
  readonly preventDestroy?: boolean;
  /** Engine and slow logs to CloudWatch; false turns them off (loses the slow-query trail). @default { retentionDays: 30 } */
  readonly logs?: false | { readonly retentionDays: number };
  /**
   * IAM authentication (RBAC): the built-in "default" user is replaced by one that is switched off, and clients log
   * in as `appUserName` with a short-lived IAM auth token (see `grantConnect()`); needs Redis 7.0 or later.
   * false drops authentication: anyone who reaches the port with TLS can read and write every key.
   * @default true
   */
  readonly iamAuth?: boolean;
}

const PORT = 6379;
const MAX_REPLICAS = 5;

export class Redis extends Construct implements IConnectable {
  /** Address of the primary (writes); clients connect with TLS (`rediss://`). */
  readonly primaryEndpoint: string;
  /** Address that spreads reads over the replicas (the primary when there are none). */
  readonly readerEndpoint: string;
  /** The primary as a typed endpoint (TLS): `endpoint.hostname`, `endpoint.port`. */
  readonly endpoint: Endpoint;
  /** The reader as a typed endpoint. */
  readonly reader: Endpoint;
  readonly port: number = PORT;
  readonly replicationGroupId: string;
  readonly securityGroupId: string;
  /** The user clients log in as with an IAM auth token (user id = user name); undefined when iamAuth is false. */
  readonly appUserName?: string;
  readonly resource: ElasticacheReplicationGroup;
  private readonly users?: IamAuthUsers;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const groupId = this.groupId(props.name);
    matches(this, "nodeType", props.nodeType, /^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$/, "an ElastiCache node type such as \"cache.t3.micro\"");
    const { engine, version: engineVersion } = checkEngine(this, props.engine, props.engineVersion);
    const replicas = inRange(this, "replicas", props.replicas ?? 0, 0, MAX_REPLICAS);
    const shards = checkShards(this, props.shards, replicas);
    refuse(this, "replicas", replicas, shards !== undefined && replicas === 0, "expected at least 1 replica per shard with cluster mode (shards): ElastiCache requires automatic failover there");
    const parameters = checkParameters(this, props.parameters);
    const multiAz = props.multiAz ?? false;
    refuse(this, "multiAz", multiAz, multiAz && replicas === 0, "Multi-AZ failover needs a replica to fail over to; set replicas >= 1 or multiAz: false");
    const retentionDays = inRange(this, "snapshotRetentionDays", props.snapshotRetentionDays ?? 5, 0, 35);
    const snapshotWindowText = props.snapshotWindow ?? "03:00-04:00";
    const maintenanceWindowText = props.maintenanceWindow ?? "sun:05:00-sun:06:00";
    const snapshot = snapshotWindow(this, "snapshotWindow", snapshotWindowText);
    const maintenance = maintenanceWindow(this, "maintenanceWindow", maintenanceWindowText);
    if (retentionDays > 0 && windowsOverlap(snapshot, maintenance)) {
      fail(this, "maintenanceWindow", maintenanceWindowText, `expected a window that does not overlap the daily snapshot window ${JSON.stringify(snapshotWindowText)}`);
    }
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    const logs = props.logs === false ? undefined : (props.logs ?? { retentionDays: 30 });
    if (logs) logRetentionDays(this, "logs.retentionDays", logs.retentionDays);
    nonEmpty(this, "network.privateSubnetIds", dataSubnetIds(props.network));
    const iamAuth = props.iamAuth ?? true;
    refuse(this, "iamAuth", iamAuth, iamAuth && engineVersion.startsWith("6."), `IAM authentication needs Redis 7.0 or later (engineVersion ${JSON.stringify(engineVersion)}); use a 7.x version or set iamAuth: false`);

    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", props.name, "redis", "securityGroupName"),
      description: `Redis ${groupId}: only the workloads allowed with allowFrom, port ${PORT}`,
      vpcId: props.network.vpcId,
      egress: "none",
    });
    this.securityGroupId = sg.id;

    const subnetGroup = new ElasticacheSubnetGroup(this, "SubnetGroup", {
      name: groupId,
      description: `Private subnets of ${groupId}`,
      subnetIds: dataSubnetIds(props.network),
    });

    this.users = iamAuth ? new IamAuthUsers(this, "Users", { replicationGroupId: groupId, engine }) : undefined;
    const group = parameters.length > 0 || shards !== undefined ? parameterGroup(this, groupId, parameterFamily(engine, engineVersion), parameters, shards !== undefined) : undefined;
    this.appUserName = this.users?.appUserName;

    const logDeliveryConfiguration = logs
      ? (["slow-log", "engine-log"] as const).map((logType) => {
          const group = new CloudwatchLogGroup(this, logType === "slow-log" ? "SlowLogGroup" : "EngineLogGroup", {
            name: `/elasticache/${groupId}/${logType}`,
            retentionInDays: logs.retentionDays,
            ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
          });
          return { destination: group.name, destinationType: "cloudwatch-logs", logFormat: "json", logType };
        })
      : undefined;

    this.resource = new ElasticacheReplicationGroup(this, "ReplicationGroup", {
      replicationGroupId: groupId,
      description: `${engine === "valkey" ? "Valkey" : "Redis"} for ${props.name}`,
      engine,
      engineVersion,
      nodeType: props.nodeType,
      port: PORT,
      ...(shards === undefined
        ? { clusterMode: "disabled", numCacheClusters: 1 + replicas }
        : { clusterMode: "enabled", numNodeGroups: shards, replicasPerNodeGroup: replicas }),
      ...(group ? { parameterGroupName: group.name } : {}),
      automaticFailoverEnabled: multiAz || shards !== undefined,
      multiAzEnabled: multiAz,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [sg.id],
      atRestEncryptionEnabled: "true",
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
      // TLS only, and no AUTH token, so no secret lands in the state or the synthesized JSON (G7): clients authenticate
      // with IAM through the user group (iamAuth), and the security group decides who reaches the port.
      transitEncryptionEnabled: true,
      ...(this.users ? { userGroupIds: [this.users.userGroupId] } : {}),
      transitEncryptionMode: "required",
      autoMinorVersionUpgrade: "true",
      applyImmediately: false,
      snapshotRetentionLimit: retentionDays,
      snapshotWindow: snapshotWindowText,
      maintenanceWindow: maintenanceWindowText,
      ...(logDeliveryConfiguration ? { logDeliveryConfiguration } : {}),
      lifecycle: { preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy) ?? false },
    });
    this.primaryEndpoint = this.resource.primaryEndpointAddress;
    this.readerEndpoint = this.resource.readerEndpointAddress;
    this.endpoint = endpoint(this.primaryEndpoint, PORT);
    this.reader = endpoint(this.readerEndpoint, PORT);
    this.replicationGroupId = this.resource.replicationGroupId;
  }

  /**
   * What a workload's role needs to log in as `appUserName`: elasticache:Connect on the replication group and on the
   * user. Empty when iamAuth is false (there is nothing to authenticate against).
   * @deprecated use grantConnect
   */
  connectStatements(): PolicyStatement[] {
    if (!this.users) return [];
    return [{ actions: ["elasticache:Connect"], resources: [this.resource.arn, this.users.appUserArn] }];
  }

  /** Lets the grantee log in as `appUserName` with IAM (elasticache:Connect); nothing when iamAuth is false. */
  grantConnect(grantee: IGrantee): PolicyStatement[] {
    return grant(grantee, this.connectStatements());
  }

  /** The replication group id: lowercase, starting with a letter, no "--", no trailing hyphen, at most 40 characters. */
  private groupId(name: string): string {
    const lower = matches(this, "name", typeof name === "string" ? name.toLowerCase() : name, /^[a-z][a-z0-9-]*$/, "letters, digits and hyphens, starting with a letter");
    refuse(this, "name", name, lower.includes("--") || lower.endsWith("-"), "expected no two consecutive hyphens and no trailing hyphen (ElastiCache replication group ids)");
    return fitName(this, "name", lower, "", "elasticacheReplicationGroupId");
  }
}
