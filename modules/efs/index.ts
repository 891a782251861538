/**
 * An EFS file system (TV6): encrypted at rest, TLS required by its file system policy, a mount target in every
 * private subnet behind a security group that accepts nothing until a stack calls allowFrom(fs, service, 2049),
 * a daily AWS Backup plan of its own (35 days, into a vault encrypted with the file system's key), files moved to
 * Infrequent Access after 30 days unread, and optional access points.
 * Clients authorize through IAM (grantClientMount / grantClientWrite) and mount with TLS and IAM (ECS: transitEncryption and
 * authorizationConfig.iam "ENABLED").
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { BackupPlan } from "../backup-plan";
import {
  arn, createSecurityGroup, dnsLabel, fail, fitName, grant, IConnectable, IGrantee, INetwork, inRange, matches, nonEmpty, oneOf, PolicyStatement, Protection, refuse,
} from "../core";

export type PerformanceMode = "generalPurpose" | "maxIO";
export type ThroughputMode = "bursting" | "elastic";
export type TransitionToIaDays = 1 | 7 | 14 | 30 | 60 | 90 | 180 | 270 | 365;

export interface AccessPointSpec {
  /** Access point name: lowercase letters, digits and hyphens; the key of accessPointIds / accessPointArns. */
  readonly name: string;
  /** Directory the access point exposes as "/", e.g. "/data"; created on first use, owned by uid:gid, mode 0750. */
  readonly path: string;
  /** POSIX user every request through this access point runs as, 0 to 4294967295. */
  readonly uid: number;
  /** POSIX group every request through this access point runs as, 0 to 4294967295. */
  readonly gid: number;
}

export interface FileSystemProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Base name, e.g. "tvmaze-ingestion-dev-shared": the creation token (64 characters at most, shortened) and the Name tag. */
  readonly name: string;
  /** A mount target goes in every private subnet (one per AZ). */
  readonly network: INetwork;
  /** "maxIO" only for thousands of parallel clients; it raises latency. @default "generalPurpose" */
  readonly performanceMode?: PerformanceMode;
  /** "bursting" earns throughput with stored size; "elastic" scales with demand and bills per GB transferred. @default "bursting" */
  readonly throughputMode?: ThroughputMode;
  /** Customer-managed KMS key for encryption at rest. @default the AWS-managed aws/elasticfilesystem key */
  readonly kmsKeyArn?: string;
  /** Move files not read for this many days to the Infrequent Access class (cheaper storage, per-access fee). @default 30 */
  readonly transitionToIaDays?: TransitionToIaDays;
  /**
   * A daily AWS Backup plan of the file system (03:00 UTC) declared in the stack, into a vault encrypted with
   * kmsKeyArn, kept `retentionDays` (1-36500). false leaves only automaticBackups.
   * @default { retentionDays: 35 }
   */
  readonly awsBackup?: false | { readonly retentionDays: number };
  /**
   * EFS automatic backups (the file system's backup policy): AWS Backup's default plan, daily, kept 35 days, in the
   * default vault. Off by default while awsBackup is on, which already backs the file system up daily (both would
   * take two backups a day); on by default when awsBackup is false, so that false there does not lose backups.
   * @default !awsBackup
   */
  readonly automaticBackups?: boolean;
  /** Terraform `prevent_destroy`. @default false */
  readonly preventDestroy?: boolean;
  /** Access points: an application directory with a fixed POSIX identity. @default [] */
  readonly accessPoints?: readonly AccessPointSpec[];
}

const TRANSITION_DAYS: readonly TransitionToIaDays[] = [1, 7, 14, 30, 60, 90, 180, 270, 365];
const AZ_LETTERS = ["A", "B", "C", "D", "E", "F"] as const;
const MAX_POSIX_ID = 4294967295;
const NFS_PORT = 2049;

function transitionValue(days: TransitionToIaDays): string {
  return days === 1 ? "AFTER_1_DAY" : `AFTER_${days}_DAYS`;
}

function pascal(label: string): string {
  return label.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

export class FileSystem extends Construct implements IConnectable {
  /** NFS port clients connect to: allowFrom(fileSystem, service, FileSystem.PORT). */
  static readonly PORT = NFS_PORT;
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly securityGroupId: string;
  readonly accessPointIds: Record<string, string> = {};
  readonly accessPointArns: Record<string, string> = {};
  /** AWS Backup vault of the file system's plan; undefined when awsBackup is false. */
  readonly backupVaultArn?: string;
  readonly resource: EfsFileSystem;
  /** One per private subnet: a client that mounts at start depends on them (dependsOn). */
  readonly mountTargets: EfsMountTarget[];

  constructor(scope: Construct, id: string, props: FileSystemProps) {
    super(scope, id);
    dnsLabel(this, "name", props.name, 255);
    const creationToken = fitName(this, "name", props.name, "", "efsCreationToken");
    const performanceMode = oneOf<PerformanceMode>(this, "performanceMode", props.performanceMode ?? "generalPurpose", ["generalPurpose", "maxIO"]);
    const throughputMode = oneOf<ThroughputMode>(this, "throughputMode", props.throughputMode ?? "bursting", ["bursting", "elastic"]);
    refuse(this, "throughputMode", throughputMode, performanceMode === "maxIO" && throughputMode === "elastic",
      "elastic throughput requires performanceMode \"generalPurpose\"");
    const transitionDays = oneOf<TransitionToIaDays>(this, "transitionToIaDays", props.transitionToIaDays ?? 30, TRANSITION_DAYS);
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    const subnets = nonEmpty(this, "network.privateSubnetIds", props.network.privateSubnetIds);
    if (subnets.length > AZ_LETTERS.length) fail(this, "network.privateSubnetIds", subnets, `expected at most ${AZ_LETTERS.length} subnets (one per AZ)`);
    const awsBackup = props.awsBackup ?? { retentionDays: 35 };
    if (awsBackup) inRange(this, "awsBackup.retentionDays", awsBackup.retentionDays, 1, 36500);
    const automaticBackups = props.automaticBackups ?? !awsBackup;
    const accessPoints = props.accessPoints ?? [];
    this.checkAccessPoints(accessPoints);

    this.resource = new EfsFileSystem(this, "FileSystem", {
      creationToken,
      encrypted: true,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
      performanceMode,
      throughputMode,
      lifecyclePolicy: [{ transitionToIa: transitionValue(transitionDays) }],
      tags: { Name: props.name },
      lifecycle: { preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy) ?? false },
    });
    this.fileSystemId = this.resource.id;
    this.fileSystemArn = this.resource.arn;

    // A file server answers; it never calls out.
    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", props.name, "efs", "securityGroupName"),
      description: `EFS ${props.name}: NFS (${NFS_PORT}) from the workloads allowed by the stack`,
      vpcId: props.network.vpcId,
      egress: "none",
    });
    this.securityGroupId = sg.id;

    this.mountTargets = subnets.map(
      (subnetId, i) => new EfsMountTarget(this, `MountTarget${AZ_LETTERS[i]}`, { fileSystemId: this.resource.id, subnetId, securityGroups: [sg.id] }),
    );

    // Explicit either way, so that the plan states it whatever EFS defaults to for a new file system.
    new EfsBackupPolicy(this, "BackupPolicy", {
      fileSystemId: this.resource.id,
      backupPolicy: { status: automaticBackups ? "ENABLED" : "DISABLED" },
    });
    if (awsBackup) {
      const backup = new BackupPlan(this, "Backup", {
        name: BackupPlan.nameFor(props.name),
        resourceArns: [this.resource.arn],
        retentionDays: awsBackup.retentionDays,
        kmsKeyArn: props.kmsKeyArn,
        preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy),
      });
      this.backupVaultArn = backup.vaultArn;
    }

    // TLS in transit (G6): refuse every request not made over TLS, whoever makes it.
    new EfsFileSystemPolicy(this, "Policy", {
      fileSystemId: this.resource.id,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "*",
            Resource: this.resource.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });

    for (const ap of accessPoints) {
      const point = new EfsAccessPoint(this, `AccessPoint${pascal(ap.name)}`, {
        fileSystemId: this.resource.id,
        posixUser: { uid: ap.uid, gid: ap.gid },
        rootDirectory: { path: ap.path, creationInfo: { ownerUid: ap.uid, ownerGid: ap.gid, permissions: "0750" } },
        tags: { Name: `${props.name}-${ap.name}` },
      });
      this.accessPointIds[ap.name] = point.id;
      this.accessPointArns[ap.name] = point.arn;
    }
  }

  /**
   * IAM statements for a client role: mount and write this file system, through one access point when named
   * (never root access).
   * @deprecated use grantClientWrite / grantClientMount
   */
  clientStatements(accessPointName?: string): PolicyStatement[] {
    return this.mountStatements(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], "MountFileSystem", accessPointName);
  }

  /** Mount read-only, through the named access point when given (never root access). */
  grantClientMount(grantee: IGrantee, accessPointName?: string): PolicyStatement[] {
    return grant(grantee, this.mountStatements(["elasticfilesystem:ClientMount"], "MountFileSystemReadOnly", accessPointName));
  }

  /** Mount and write, through the named access point when given (never root access). */
  grantClientWrite(grantee: IGrantee, accessPointName?: string): PolicyStatement[] {
    return grant(grantee, this.clientStatements(accessPointName));
  }

  private mountStatements(actions: string[], sid: string, accessPointName: string | undefined): PolicyStatement[] {
    if (accessPointName !== undefined && !(accessPointName in this.accessPointArns)) {
      fail(this, "accessPointName", accessPointName, `expected one of the access points: ${Object.keys(this.accessPointArns).map((n) => JSON.stringify(n)).join(", ") || "(none defined)"}`);
    }
    return [
      {
        sid,
        actions,
        resources: [this.fileSystemArn],
        ...(accessPointName !== undefined
          ? { conditions: { StringEquals: { "elasticfilesystem:AccessPointArn": this.accessPointArns[accessPointName] } } }
          : {}),
      },
    ];
  }

  private checkAccessPoints(points: readonly AccessPointSpec[]): void {
    const names = new Set<string>();
    points.forEach((ap, i) => {
      const at = `accessPoints[${i}]`;
      dnsLabel(this, `${at}.name`, ap.name, 64);
      if (names.has(ap.name)) fail(this, `${at}.name`, ap.name, "expected access point names unique within the file system");
      names.add(ap.name);
      matches(this, `${at}.path`, ap.path, /^\/([A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*)?$/, "an absolute path such as \"/data\" (letters, digits, \".\", \"_\", \"-\"; no trailing \"/\")");
      if (ap.path.length > 100) fail(this, `${at}.path`, ap.path, "expected at most 100 characters");
      inRange(this, `${at}.uid`, ap.uid, 0, MAX_POSIX_ID);
      inRange(this, `${at}.gid`, ap.gid, 0, MAX_POSIX_ID);
    });
  }
}
