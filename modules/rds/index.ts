/**
 * PostgreSQL on RDS, as a single instance or as Aurora PostgreSQL Serverless v2 (AP9, TV3, TV9, CA2, DA4, UP6).
 * Secure by default: private subnets, a security group with no rules until a stack calls `allowFrom`, storage
 * encryption, TLS enforced by the parameter group (rds.force_ssl), an RDS-managed master password that never
 * appears in Terraform (G7), automated backups with point-in-time recovery, and a final snapshot on destroy (G8),
 * enhanced monitoring every 60 s, and (Aurora) a daily AWS Backup plan into an encrypted vault.
 */
import { Construct } from "constructs";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import {
  arn, createSecurityGroup, dailyWindow, dataSubnetIds, endpoint, Endpoint, fail, fitName, grant, IConnectable, IGrantee, INetwork, inRange, matches, NAME_LIMITS, oneOf, overlaps, PolicyStatement, Protection, SecretReference, weeklyWindow,
} from "../core";
import { IamConnect } from "./access";
import { buildAurora } from "./aurora";
import { Common, customParameters, DatabaseEngine, DatabaseKind, EnhancedMonitoringSeconds, InstanceEngine, ParameterValue, PORT, PostgresMajorVersion } from "./common";
import { buildReadReplicas, checkReadReplicas, ReadReplicas } from "./replicas";
import { buildInstance } from "./instance";
import { BackupPlan } from "../backup-plan";
import { approximateMaxConnections } from "./instance-classes";
import { serviceRole } from "./service-role";


export { approximateMaxConnections } from "./instance-classes";
export type { AuroraServerlessEngine, DatabaseEngine, DatabaseKind, EnhancedMonitoringSeconds, InstanceEngine, ParameterValue, PostgresMajorVersion } from "./common";
export type { ReadReplicas } from "./replicas";
export type { AuroraReaderAutoScaling } from "./aurora-readers";
export { DatabaseProxy } from "./proxy";
export type { DatabaseProxyProps } from "./proxy";

const MONITORING_SECONDS: readonly EnhancedMonitoringSeconds[] = [0, 1, 5, 10, 15, 30, 60];

export interface DatabaseProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Identifier chosen by the stack, e.g. "alerting-platform-dev-db": lowercase letters, digits, hyphens; at most 63 characters. */
  readonly name: string;
  /** The database goes in the private subnets. */
  readonly network: INetwork;
  /** @default { kind: "instance", instanceClass: "db.t3.micro", allocatedStorageGiB: 20 } */
  readonly engine?: DatabaseEngine;
  /** PostgreSQL major version; minor versions are upgraded automatically. @default "16" */
  readonly engineVersion?: PostgresMajorVersion;
  /** @default "app" */
  readonly databaseName?: string;
  /** @default "app_admin" */
  readonly masterUsername?: string;
  /** Instance: a synchronous standby in a second AZ. Aurora: requires instances >= 2. @default false */
  readonly multiAz?: boolean;
  /** Days of automated backups (point-in-time recovery), 1-35. @default 7 */
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
  /** Customer KMS key for storage, Performance Insights and the managed secret. @default AWS-managed keys */
  readonly kmsKeyArn?: string;
  /** Rotate the RDS-managed master secret every N days, 1-365. @default 7 */
  readonly passwordRotationDays?: number;
  /** @default true where the instance class supports it (not db.t3/t4g micro and small) */
  readonly performanceInsights?: boolean;
  /** Export PostgreSQL logs (and upgrade logs for an instance) to CloudWatch Logs. @default true */
  readonly cloudwatchLogs?: boolean;
  /** @default true */
  readonly iamAuthentication?: boolean;
  /**
   * Enhanced monitoring: OS metrics (per-process CPU and memory, file system, disk I/O) every N seconds, to CloudWatch
   * Logs through a monitoring role. 0 turns it off and loses them: only the hypervisor's 1-minute CloudWatch metrics
   * remain. Applies to the instance or to every Aurora cluster instance.
   * @default 60
   */
  readonly enhancedMonitoringSeconds?: EnhancedMonitoringSeconds;
  /**
   * A daily AWS Backup plan (03:00 UTC) into a vault encrypted with kmsKeyArn, kept `retentionDays` (1-36500). Its
   * recovery points live apart from the automated backups: they outlive the database and the 35-day RDS limit.
   * On by default for Aurora (a cluster with no AWS Backup plan fails the policy tier, CKV2_AWS_8); off by default
   * for an instance, whose automated backups and final snapshot already give point-in-time recovery and a copy on
   * destroy, so a second daily snapshot would mostly double its snapshot storage. false turns it off.
   * @default Aurora: { retentionDays: backupRetentionDays }; instance: false
   */
  readonly awsBackup?: false | { readonly retentionDays: number };
  /**
   * Custom parameters of the parameter group (one group per instance or cluster, family `postgres<major>` or
   * `aurora-postgresql<major>`), merged over the module's (rds.force_ssl stays 1). A value, or
   * `{ value, applyMethod: "pending-reboot" }` for static parameters such as shared_preload_libraries.
   * @default {} (the module's: rds.force_ssl 1, log_min_duration_statement 1000, Aurora also log_statement ddl)
   */
  readonly parameters?: Readonly<Record<string, ParameterValue>>;
  /**
   * Let a change of engineVersion cross a major version (16 -> 17). Upgrade path: set this true and the new
   * engineVersion in one apply (the versioned parameter group is created before the old one is dropped, the
   * instance upgrades in its maintenance window unless applied immediately), then set it back to false.
   * @default false (an engineVersion bump fails at apply instead of upgrading unannounced)
   */
  readonly allowMajorVersionUpgrade?: boolean;
  /** Instance only: asynchronous read replicas in the same region, `<name>-replica-<i>`. @default none */
  readonly readReplicas?: ReadReplicas;
}

const IDENTIFIER = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const SQL_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
const RESERVED_USERNAMES = ["admin", "postgres", "rdsadmin"];
const DEFAULT_ENGINE: InstanceEngine = { kind: "instance", instanceClass: "db.t3.micro", allocatedStorageGiB: 20 };


export class Database extends Construct implements IConnectable {
  /** Where clients connect: the instance, or the Aurora cluster (writer) endpoint; `endpoint.hostname`, `.port`. */
  readonly endpoint: Endpoint;
  /** Host name of the instance or of the cluster writer endpoint. */
  readonly address: string;
  /** Aurora only: the reader endpoint. */
  readonly readerEndpoint?: Endpoint;
  readonly port: number = PORT;
  readonly databaseName: string;
  readonly identifier: string;
  /** ARN of the RDS-managed Secrets Manager secret holding the master user name and password. */
  readonly secretArn: string;
  /** The RDS-managed master secret: `secret.field("username")`, `secret.grantRead(role)`. */
  readonly secret: SecretReference;
  private readonly iamAuthentication: boolean;
  private readonly iamConnect: IamConnect;
  readonly securityGroupId: string;
  readonly kind: DatabaseKind;
  readonly resource: DbInstance | RdsCluster;
  /** Approximate max_connections of the instance class (for an alarm at 80 %); undefined when unknown or Aurora. */
  readonly connectionsAlarmMaximum?: number;
  /** Role RDS uses to publish enhanced monitoring metrics; undefined when enhancedMonitoringSeconds is 0. */
  readonly monitoringRoleArn?: string;
  /** AWS Backup vault of the daily plan; undefined when awsBackup is off. */
  readonly backupVaultArn?: string;
  /** The read replicas' endpoints (instance with readReplicas), in order. */
  readonly readReplicaEndpoints: Endpoint[] = [];

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const engine = props.engine ?? DEFAULT_ENGINE;
    oneOf(this, "engine.kind", engine.kind, ["instance", "aurora-serverless-v2"]);
    const replicaSuffix = props.readReplicas && typeof props.readReplicas.count === "number" ? `-replica-${props.readReplicas.count}` : "";
    const identifier = this.checkIdentifier(props.name, engine.kind === "aurora-serverless-v2" ? `-${engine.instances ?? 1}` : replicaSuffix);
    const major = oneOf(this, "engineVersion", props.engineVersion ?? "16", ["13", "14", "15", "16", "17"]);
    const databaseName = matches(this, "databaseName", props.databaseName ?? "app", SQL_NAME, "a letter followed by up to 62 letters, digits or underscores");
    const masterUsername = matches(this, "masterUsername", props.masterUsername ?? "app_admin", SQL_NAME, "a letter followed by up to 62 letters, digits or underscores");
    if (RESERVED_USERNAMES.includes(masterUsername.toLowerCase()) || masterUsername.toLowerCase().startsWith("rds")) {
      fail(this, "masterUsername", masterUsername, `expected a name that is not reserved by PostgreSQL or RDS (${RESERVED_USERNAMES.join(", ")}, rds*)`);
    }
    const backupDays = inRange(this, "backupRetentionDays", (props.backupRetentionDays ?? props.protection?.backupRetentionDays) ?? 7, 1, 35);
    const backupWindow = props.backupWindow ?? "01:00-02:00";
    const maintenanceWindow = props.maintenanceWindow ?? "sun:03:00-sun:04:00";
    const backup = dailyWindow(this, "backupWindow", backupWindow);
    const maintenance = weeklyWindow(this, "maintenanceWindow", maintenanceWindow);
    if (overlaps(backup, maintenance)) fail(this, "backupWindow", backupWindow, `expected a window that does not overlap maintenanceWindow ${JSON.stringify(maintenanceWindow)}`);
    const rotationDays = inRange(this, "passwordRotationDays", props.passwordRotationDays ?? 7, 1, 365);
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    const multiAz = props.multiAz ?? false;
    const monitoringSeconds = oneOf(this, "enhancedMonitoringSeconds", props.enhancedMonitoringSeconds ?? 60, MONITORING_SECONDS);
    const awsBackup = props.awsBackup ?? (engine.kind === "aurora-serverless-v2" ? { retentionDays: backupDays } : false);
    if (awsBackup) inRange(this, "awsBackup.retentionDays", awsBackup.retentionDays, 1, 36500);
    const parameters = customParameters(this, props.parameters);
    const allowMajorVersionUpgrade = props.allowMajorVersionUpgrade ?? false;
    if (typeof allowMajorVersionUpgrade !== "boolean") fail(this, "allowMajorVersionUpgrade", allowMajorVersionUpgrade, "expected true or false");
    checkReadReplicas(this, props.readReplicas, engine.kind);

    this.identifier = identifier;
    this.databaseName = databaseName;
    this.kind = engine.kind;

    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", identifier, "postgres", "securityGroupName"),
      description: `PostgreSQL ${identifier}: no rules until a workload is allowed in on ${PORT}`,
      vpcId: props.network.vpcId,
      egress: "none",
    });
    this.securityGroupId = sg.id;
    const subnetGroup = new DbSubnetGroup(this, "SubnetGroup", {
      name: identifier,
      description: `Private subnets of ${identifier}`,
      subnetIds: dataSubnetIds(props.network),
    });
    const monitoringRole = monitoringSeconds > 0
      ? serviceRole(this, "MonitoringRole", {
          name: fitName(this, "name", identifier, "rds-monitoring", "iamRoleName"),
          description: `RDS enhanced monitoring of ${identifier}`,
          service: "monitoring.rds.amazonaws.com",
          managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
        })
      : undefined;
    this.monitoringRoleArn = monitoringRole?.arn;

    const common: Common = {
      identifier, major, databaseName, masterUsername, backupDays, backupWindow, maintenanceWindow, multiAz,
      deletionProtection: (props.deletionProtection ?? props.protection?.deletionProtection) ?? true,
      skipFinalSnapshot: (props.skipFinalSnapshot ?? props.protection?.skipFinalSnapshot) ?? false,
      kmsKeyArn: props.kmsKeyArn,
      cloudwatchLogs: props.cloudwatchLogs ?? true,
      iamAuthentication: props.iamAuthentication ?? true,
      subnetGroupName: subnetGroup.name,
      securityGroupId: sg.id,
      lifecycle: { preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy) ?? false },
      monitoringSeconds,
      monitoringRole,
      parameters,
      allowMajorVersionUpgrade,
    };

    if (engine.kind === "instance") {
      const db = buildInstance(this, engine, common, props.performanceInsights);
      this.resource = db;
      this.address = db.address;
      this.secretArn = db.masterUserSecret.get(0).secretArn;
      this.connectionsAlarmMaximum = approximateMaxConnections(engine.instanceClass);
      if (props.readReplicas) {
        this.readReplicaEndpoints = buildReadReplicas(this, db, common, props.readReplicas, engine.instanceClass).map((r) => endpoint(r.address, PORT));
      }
    } else {
      const cluster = buildAurora(this, engine, common, props.performanceInsights ?? true);
      this.resource = cluster;
      this.address = cluster.endpoint;
      this.readerEndpoint = endpoint(cluster.readerEndpoint, PORT);
      this.secretArn = cluster.masterUserSecret.get(0).secretArn;
    }
    this.secret = new SecretReference(this.secretArn, props.kmsKeyArn);
    this.endpoint = endpoint(this.address, PORT);
    this.iamAuthentication = common.iamAuthentication;
    this.iamConnect = new IamConnect(this, this.resource instanceof DbInstance ? this.resource.resourceId : this.resource.clusterResourceId);

    if (awsBackup) {
      const backup = new BackupPlan(this, "Backup", {
        name: BackupPlan.nameFor(identifier),
        resourceArns: [this.resource.arn],
        retentionDays: awsBackup.retentionDays,
        kmsKeyArn: props.kmsKeyArn,
        preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy),
      });
      this.backupVaultArn = backup.vaultArn;
    }

    // The provider cannot set the managed secret's schedule on the database resource; Secrets Manager can (TV9).
    new SecretsmanagerSecretRotation(this, "MasterSecretRotation", {
      secretId: this.secretArn,
      rotationRules: { automaticallyAfterDays: rotationDays },
    });
  }

  /**
   * Lets the grantee connect: as `dbUser` with IAM database authentication when given (and iamAuthentication is on),
   * otherwise by reading the managed master secret.
   */
  grantConnect(grantee: IGrantee, dbUser?: string): PolicyStatement[] {
    if (dbUser !== undefined) {
      if (!this.iamAuthentication) fail(this, "grantConnect(dbUser)", dbUser, "IAM database authentication is off (iamAuthentication: false); grant without a user to read the master secret");
      matches(this, "grantConnect(dbUser)", dbUser, SQL_NAME, "a database user name: a letter followed by up to 62 letters, digits or underscores");
      return grant(grantee, this.iamConnect.statements(dbUser));
    }
    return this.secret.grantRead(grantee);
  }

  private checkIdentifier(name: string, longestSuffix: string): string {
    matches(this, "name", name, IDENTIFIER, "lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen");
    if (name.includes("--")) fail(this, "name", name, "expected no two consecutive hyphens (RDS identifiers refuse \"--\")");
    const limit = NAME_LIMITS.rdsIdentifier - longestSuffix.length;
    if (name.length > limit) {
      const why = longestSuffix ? ` so that instance identifiers such as "${name}${longestSuffix}" fit the ${NAME_LIMITS.rdsIdentifier}-character RDS limit` : " (the RDS identifier limit)";
      fail(this, "name", name, `expected at most ${limit} characters${why}; got ${name.length}`);
    }
    return name;
  }
}
