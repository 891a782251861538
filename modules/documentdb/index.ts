/**
 * An Amazon DocumentDB cluster (CA3), secure by default: private subnets, a security group with no rules until a
 * stack calls `allowFrom`, storage encryption, TLS enforced by the cluster parameter group, audit and profiler
 * logs exported to CloudWatch, a master password managed by DocumentDB in Secrets Manager (never in Terraform, G7),
 * automated backups and a final snapshot on destroy (G8).
 */
import { Construct } from "constructs";
import { TerraformResourceLifecycle } from "cdktf";
import { DocdbCluster } from "@cdktf/provider-aws/lib/docdb-cluster";
import { DocdbClusterInstance } from "@cdktf/provider-aws/lib/docdb-cluster-instance";
import { DocdbClusterParameterGroup } from "@cdktf/provider-aws/lib/docdb-cluster-parameter-group";
import { DocdbSubnetGroup } from "@cdktf/provider-aws/lib/docdb-subnet-group";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import {
  arn, createSecurityGroup, dailyWindow, dataSubnetIds, endpoint, Endpoint, fail, fitName, IConnectable, INetwork, inRange, logRetentionDays, matches, NAME_LIMITS, oneOf, overlaps, Protection, SecretReference, weeklyWindow,
} from "../core";


export type DocumentDbEngineVersion = "4.0.0" | "5.0.0" | "8.0.0";

export interface DocumentDbProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Cluster identifier chosen by the stack, e.g. "chat-platform-prod-docdb": lowercase letters, digits, hyphens; at most 60 characters. */
  readonly name: string;
  /** The cluster goes in the private subnets; instances are spread over the network's AZs. */
  readonly network: INetwork;
  /** e.g. "db.t3.medium", "db.t4g.medium", "db.r6g.large". @default "db.t3.medium" */
  readonly instanceClass?: string;
  /** Instances, 1-16: the first is the primary, the others are replicas in the next AZs (prod: 2 or more). @default 1 */
  readonly instances?: number;
  /** @default "5.0.0" */
  readonly engineVersion?: DocumentDbEngineVersion;
  /** Days of automated backups, 1-35. @default 7 */
  readonly backupRetentionDays?: number;
  /** Daily backup window, UTC. @default "01:00-02:00" */
  readonly backupWindow?: string;
  /** Weekly maintenance window, UTC. @default "sun:03:00-sun:04:00" */
  readonly maintenanceWindow?: string;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Destroy without a final snapshot (loses the last data). @default false */
  readonly skipFinalSnapshot?: boolean;
  /** Terraform `prevent_destroy`. @default false */
  readonly preventDestroy?: boolean;
  /** Customer KMS key for storage and the exported logs. @default the AWS-managed aws/rds key */
  readonly kmsKeyArn?: string;
  /** 1-63 letters or digits, starting with a letter (DocumentDB allows no underscore). @default "appadmin" */
  readonly masterUsername?: string;
  /** Retention of the audit and profiler log groups. @default 30 */
  readonly logRetentionDays?: number;
  /** Operations slower than this are written to the profiler log, 50-2147483646 ms. @default 100 */
  readonly profilerThresholdMs?: number;
}

const PORT = 27017;
const IDENTIFIER = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const USERNAME = /^[a-zA-Z][a-zA-Z0-9]{0,62}$/;
/** Names DocumentDB (or MongoDB tooling) reserves for itself. */
const RESERVED_USERNAMES = ["admin", "root", "serviceadmin", "rdsadmin", "system", "local", "config"];
/** The instance classes DocumentDB offers (memory-optimised r*, burstable t*). */
const INSTANCE_CLASS = /^db\.((t3|t4g)\.medium|(r5|r6g|r6gd|r8g)\.(large|\d{0,2}xlarge))$/;
const LOG_EXPORTS = ["audit", "profiler"] as const;
/** Suffix of the longest instance identifier ("-16"). */
const INSTANCE_SUFFIX_ROOM = 3;

export class DocumentDb extends Construct implements IConnectable {
  /** Cluster (writer) endpoint: `endpoint.hostname`, `endpoint.port`. */
  readonly endpoint: Endpoint;
  /** Reader endpoint: spreads reads over the replicas. */
  readonly readerEndpoint: Endpoint;
  readonly port: number = PORT;
  readonly clusterIdentifier: string;
  /** ARN of the DocumentDB-managed Secrets Manager secret holding the master user name and password. */
  readonly secretArn: string;
  /** The managed master secret: `secret.field("username")`, `secret.grantRead(role)`. */
  readonly secret: SecretReference;
  readonly securityGroupId: string;
  readonly resource: DocdbCluster;
  readonly instances: DocdbClusterInstance[];

  constructor(scope: Construct, id: string, props: DocumentDbProps) {
    super(scope, id);
    const identifier = this.checkIdentifier(props.name);
    const instanceClass = matches(this, "instanceClass", props.instanceClass ?? "db.t3.medium", INSTANCE_CLASS, "a DocumentDB instance class such as \"db.t3.medium\", \"db.t4g.medium\" or \"db.r6g.large\"");
    const instanceCount = inRange(this, "instances", props.instances ?? 1, 1, 16);
    const engineVersion = oneOf<DocumentDbEngineVersion>(this, "engineVersion", props.engineVersion ?? "5.0.0", ["4.0.0", "5.0.0", "8.0.0"]);
    const backupDays = inRange(this, "backupRetentionDays", (props.backupRetentionDays ?? props.protection?.backupRetentionDays) ?? 7, 1, 35);
    const backupWindow = props.backupWindow ?? "01:00-02:00";
    const maintenanceWindow = props.maintenanceWindow ?? "sun:03:00-sun:04:00";
    if (overlaps(dailyWindow(this, "backupWindow", backupWindow), weeklyWindow(this, "maintenanceWindow", maintenanceWindow))) {
      fail(this, "backupWindow", backupWindow, `expected a window that does not overlap maintenanceWindow ${JSON.stringify(maintenanceWindow)}`);
    }
    const masterUsername = this.checkUsername(props.masterUsername ?? "appadmin");
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    const retention = logRetentionDays(this, "logRetentionDays", props.logRetentionDays ?? 30);
    const profilerThreshold = inRange(this, "profilerThresholdMs", props.profilerThresholdMs ?? 100, 50, 2147483646);
    const skipFinalSnapshot = (props.skipFinalSnapshot ?? props.protection?.skipFinalSnapshot) ?? false;
    const lifecycle: TerraformResourceLifecycle = { preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy) ?? false };
    const family = `docdb${engineVersion.split(".").slice(0, 2).join(".")}`;

    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", identifier, "docdb", "securityGroupName"),
      description: `DocumentDB ${identifier}: no rules until a workload is allowed in on ${PORT}`,
      vpcId: props.network.vpcId,
      // A database answers; it never calls out.
      egress: "none",
    });
    this.securityGroupId = sg.id;

    const subnetGroup = new DocdbSubnetGroup(this, "SubnetGroup", {
      name: identifier,
      description: `Private subnets of ${identifier}`,
      subnetIds: dataSubnetIds(props.network),
    });

    const parameterGroup = new DocdbClusterParameterGroup(this, "ParameterGroup", {
      name: `${identifier}-${family.replace(".", "-")}`,
      family,
      description: `DocumentDB ${engineVersion} settings of ${identifier}: TLS only, audit log, profiler`,
      parameter: [
        { name: "tls", value: "enabled", applyMethod: "pending-reboot" }, // TLS in transit (G6); static parameter
        { name: "audit_logs", value: "enabled", applyMethod: "immediate" },
        { name: "profiler", value: "enabled", applyMethod: "immediate" },
        { name: "profiler_threshold_ms", value: `${profilerThreshold}`, applyMethod: "immediate" },
      ],
      // The name carries the engine family: an upgrade creates the new group before dropping the old one.
      lifecycle: { createBeforeDestroy: true },
    });

    // Created here rather than by DocumentDB so that they have a retention and the customer key.
    const logGroups = LOG_EXPORTS.map((kind) =>
      new CloudwatchLogGroup(this, kind === "audit" ? "AuditLogGroup" : "ProfilerLogGroup", {
        name: `/aws/docdb/${identifier}/${kind}`,
        retentionInDays: retention,
        ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
      }),
    );

    this.resource = new DocdbCluster(this, "Cluster", {
      clusterIdentifier: identifier,
      engine: "docdb",
      engineVersion,
      allowMajorVersionUpgrade: false,
      masterUsername,
      // The password is created and rotated by DocumentDB in Secrets Manager; it never enters Terraform (G7).
      manageMasterUserPassword: true,
      port: PORT,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [sg.id],
      dbClusterParameterGroupName: parameterGroup.name,
      storageEncrypted: true,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
      backupRetentionPeriod: backupDays,
      preferredBackupWindow: backupWindow,
      preferredMaintenanceWindow: maintenanceWindow,
      deletionProtection: (props.deletionProtection ?? props.protection?.deletionProtection) ?? true,
      skipFinalSnapshot,
      ...(skipFinalSnapshot ? {} : { finalSnapshotIdentifier: `${identifier}-final` }),
      enabledCloudwatchLogsExports: [...LOG_EXPORTS],
      dependsOn: logGroups,
      lifecycle,
    });
    this.clusterIdentifier = this.resource.clusterIdentifier;
    this.endpoint = endpoint(this.resource.endpoint, PORT);
    this.readerEndpoint = endpoint(this.resource.readerEndpoint, PORT);
    this.secretArn = this.resource.masterUserSecret.get(0).secretArn;
    this.secret = new SecretReference(this.secretArn, props.kmsKeyArn);

    const zones = props.network.availabilityZones;
    this.instances = Array.from({ length: instanceCount }, (_, i) =>
      new DocdbClusterInstance(this, i === 0 ? "Primary" : `Replica${i}`, {
        identifier: `${identifier}-${i + 1}`,
        clusterIdentifier: this.resource.id,
        instanceClass,
        engine: "docdb",
        // Instance i in the i-th AZ (round robin), so a replica never shares the primary's AZ when there are two or more.
        ...(zones.length > 0 ? { availabilityZone: zones[i % zones.length] } : {}),
        autoMinorVersionUpgrade: true,
        promotionTier: i === 0 ? 0 : 1,
        preferredMaintenanceWindow: maintenanceWindow,
        copyTagsToSnapshot: true,
        lifecycle,
      }),
    );
  }

  private checkIdentifier(name: string): string {
    matches(this, "name", name, IDENTIFIER, "lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen");
    if (name.includes("--")) fail(this, "name", name, "expected no two consecutive hyphens (DocumentDB identifiers refuse \"--\")");
    const limit = NAME_LIMITS.docdbIdentifier - INSTANCE_SUFFIX_ROOM;
    if (name.length > limit) {
      fail(this, "name", name, `expected at most ${limit} characters so that instance identifiers such as "${name}-16" fit the ${NAME_LIMITS.docdbIdentifier}-character DocumentDB limit; got ${name.length}`);
    }
    return name;
  }

  private checkUsername(username: string): string {
    matches(this, "masterUsername", username, USERNAME, "a letter followed by up to 62 letters or digits (DocumentDB refuses underscores and hyphens)");
    if (RESERVED_USERNAMES.includes(username.toLowerCase())) {
      fail(this, "masterUsername", username, `expected a name that DocumentDB does not reserve (${RESERVED_USERNAMES.join(", ")})`);
    }
    return username;
  }
}
