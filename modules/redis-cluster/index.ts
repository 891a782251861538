/**
 * A self-managed Redis Cluster on EC2 (CA6): `primaries` shards with `replicasPerPrimary` replicas each, spread over
 * the private subnets so that every replica sits in another AZ than its primary. Secure by default: no public IPs,
 * IMDSv2, encrypted root and data volumes, a security group open only inside the VPC on 6379 and the cluster bus
 * 16379, an AUTH password kept in Secrets Manager, TLS with a bundle in an SSM SecureString parameter, AOF + RDB persistence, daily RDB backups to a versioned,
 * encrypted bucket whose lifecycle rules keep 7 daily, 4 weekly and 3 monthly copies, daily AWS Backup snapshots of
 * the data volumes, and the CloudWatch agent.
 * Creating the cluster (`redis-cli --cluster create`) is a one-time step once every node is up: see the README.
 */
import { Construct } from "constructs";
import { TerraformResourceLifecycle } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { VolumeAttachment } from "@cdktf/provider-aws/lib/volume-attachment";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import {
  allowCidr, arn, createRole, createSecurityGroup, dataSubnetIds, fail, fitName, IConnectable, IGrantee, INetwork, inRange, isToken, logRetentionDays, matches, PolicyStatement, Protection, SecretReference, serviceTrustPolicy,
} from "../core";
import { BackupPlan } from "../backup-plan";
import { LifecycleRule, S3Bucket, S3BucketProps } from "../s3-bucket";
import { Parameter } from "../secrets/parameter";
import { clusterCreateScript, nodeScript, NodeScriptProps, REDIS_BUS_PORT, REDIS_PORT } from "./user-data";

export { REDIS_BUS_PORT, REDIS_PORT } from "./user-data";

export interface RedisClusterOnEc2Props {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Base name of every resource, e.g. "chat-platform-prod-redis": lowercase letters, digits and hyphens. */
  readonly name: string;
  /** Nodes go in the private subnets; at least 3 AZs so that losing one keeps a majority of primaries. */
  readonly network: INetwork;
  /** Shards (masters), 3-100: Redis Cluster needs at least 3. @default 3 */
  readonly primaries?: number;
  /** Replicas of each primary, 0-5; total nodes = primaries × (1 + replicasPerPrimary). @default 1 */
  readonly replicasPerPrimary?: number;
  /** EC2 instance type, e.g. "t3.medium" (prod) or "t3.micro" (staging, dev); Graviton types get the arm64 AMI. */
  readonly instanceType: string;
  /** AMI id. @default the latest Amazon Linux 2023 AMI from the public SSM parameter (read at first create; later AMIs do not replace nodes) */
  readonly amiId?: string;
  /** Size of each node's data volume (gp3, encrypted) holding the AOF and RDB files, 8-16384 GiB. @default 20 */
  readonly dataVolumeGiB?: number;
  /** Customer KMS key for the volumes, the backup bucket, the log group and the AUTH secret. @default AWS-managed keys */
  readonly kmsKeyArn?: string;
  /** Bucket for the daily RDB backups (created here): daily/ kept 7 days, weekly/ 28 days (4), monthly/ 90 days (3). */
  readonly backupBucketName: string;
  /** Terraform `prevent_destroy` on the nodes, their data volumes, the AUTH secret and the backup bucket. @default false */
  readonly preventDestroy?: boolean;
  /** Let `terraform destroy` delete the backup bucket while it still holds backups (loses them). @default false */
  readonly forceDestroyBackups?: boolean;
  /** Retention of the log group the CloudWatch agent ships the Redis, backup and boot logs to. */
  readonly logRetentionDays: number;
  /** Clients must AUTH with the password in `authSecretArn`; false lets anything in the VPC read and write the data. @default true */
  readonly passwordAuth?: boolean;
  /**
   * TLS on clients, replication and the cluster bus (issue 10 item 4): `port 0`, `tls-port` 6379, `tls-cluster`,
   * `tls-replication`. The first node generates a private CA and one node certificate and stores them (CA
   * certificate, certificate, key; not the CA key) in the SSM SecureString parameter `tlsBundle` (Advanced
   * tier: the bundle exceeds 4 KB; the version labelled "current" is in use); clients connect with `rediss://` and
   * that bundle's `ca`. false serves plain TCP inside the VPC. @default true
   */
  readonly tls?: boolean;
  /** S3 server access logs of the backup bucket go to this bucket (name). @default none */
  readonly accessLogsBucket?: string;
  /** Replicate the backup bucket to a bucket of another region (disaster recovery; age it with BACKUP_LIFECYCLE_RULES). @default none */
  readonly backupReplicateTo?: S3BucketProps["replicateTo"];
  /**
   * Daily AWS Backup snapshots (03:00 UTC) of every node's data volume into a vault encrypted with kmsKeyArn, kept
   * `retentionDays` (1-36500). They restore a whole volume (AOF and RDB) next to the RDB copies in the bucket; false
   * loses them, leaving only the bucket's RDB files (and fails the policy tier, CKV2_AWS_9).
   * @default { retentionDays: 7 }
   */
  readonly ebsBackup?: false | { readonly retentionDays: number };
}

export type RedisNodeRole = "primary" | "replica";

/** One node as placed: its initial role, its shard (1-based) and its instance. */
export interface RedisNode {
  readonly name: string;
  readonly role: RedisNodeRole;
  readonly shard: number;
  readonly instance: Instance;
}

const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
/** EC2 instance types: family + generation + attributes, then a size. */
const INSTANCE_TYPE = /^[a-z]+\d+[a-z-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;
/** Graviton families carry a "g" right after the generation (t4g, m6gd, c7gn, r8g). */
const GRAVITON = /^[a-z]+\d+g[a-z]*\./;
/** Families that cannot be EBS-optimized (the nodes always are). */
const NOT_EBS_OPTIMIZABLE = /^t[12]\./;
const AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-";
const ROOT_VOLUME_GIB = 16;
const MANAGED_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
];

/** The backup bucket's retention (CA6: 7 daily, 4 weekly, 3 monthly copies), for a disaster-recovery copy to age alike. */
export const BACKUP_LIFECYCLE_RULES: readonly LifecycleRule[] = [
  { id: "daily-7", prefix: "daily/", expirationDays: 7, noncurrentExpirationDays: 1 },
  { id: "weekly-4", prefix: "weekly/", expirationDays: 28, noncurrentExpirationDays: 1 },
  { id: "monthly-3", prefix: "monthly/", expirationDays: 90, noncurrentExpirationDays: 1 },
];

export class RedisClusterOnEc2 extends Construct implements IConnectable {
  readonly port: number = REDIS_PORT;
  readonly busPort: number = REDIS_BUS_PORT;
  readonly securityGroupId: string;
  /** Every node, primaries of shards 1..n first, then their replicas. */
  readonly nodes: RedisNode[];
  readonly instances: Instance[];
  readonly instanceIds: string[];
  readonly privateIps: string[];
  readonly backupBucketName: string;
  readonly backupBucketArn: string;
  readonly instanceRoleArn: string;
  /** The nodes' instance role (a grantee: what the nodes' own scripts may call). */
  readonly instanceRole: IGrantee;
  readonly logGroupName: string;
  /** Secrets Manager secret holding the AUTH password (plain string); undefined when passwordAuth is false. */
  readonly authSecretArn?: string;
  /** The AUTH password's secret (when passwordAuth is on): `authSecret.grantRead(role)`. */
  readonly authSecret?: SecretReference;
  /**
   * SSM SecureString parameter holding the TLS bundle (JSON ca, cert, key; read the version labelled "current");
   * `tlsBundle.grantRead(role)` for clients that need `ca`. Undefined when tls is false.
   */
  readonly tlsBundle?: Parameter;
  /** The one-time `redis-cli --cluster create` (and replica placement) to run on a node once all are up. */
  readonly clusterCreateScript: string;
  /** AWS Backup vault of the data volume snapshots; undefined when ebsBackup is false. */
  readonly ebsBackupVaultArn?: string;
  /** The first primary. */
  readonly resource: Instance;
  /** Every node's data volume, in the order of `nodes`. */
  private readonly dataVolumes: EbsVolume[] = [];

  constructor(scope: Construct, id: string, props: RedisClusterOnEc2Props) {
    super(scope, id);
    const name = matches(this, "name", props.name, NAME, "lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen");
    const primaries = inRange(this, "primaries", props.primaries ?? 3, 3, 100);
    const replicas = inRange(this, "replicasPerPrimary", props.replicasPerPrimary ?? 1, 0, 5);
    const instanceType = matches(this, "instanceType", props.instanceType, INSTANCE_TYPE, "an EC2 instance type such as \"t3.medium\" or \"r6i.large\"");
    if (NOT_EBS_OPTIMIZABLE.test(instanceType)) fail(this, "instanceType", instanceType, "expected a type that can be EBS-optimized (t3, t4g, m5, r6i, ...); t1 and t2 cannot");
    const dataGiB = inRange(this, "dataVolumeGiB", props.dataVolumeGiB ?? 20, 8, 16384);
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    if (props.amiId !== undefined && !isToken(props.amiId)) matches(this, "amiId", props.amiId, /^ami-[0-9a-f]{8,17}$/, "an AMI id such as \"ami-0123456789abcdef0\"");
    const retention = logRetentionDays(this, "logRetentionDays", props.logRetentionDays);
    const subnets = dataSubnetIds(props.network);
    const zones = props.network.availabilityZones;
    this.checkSpread(primaries, subnets.length, zones.length);
    const passwordAuth = props.passwordAuth ?? true;
    const tls = props.tls ?? true;
    const ebsBackup = props.ebsBackup ?? { retentionDays: 7 };
    if (ebsBackup) inRange(this, "ebsBackup.retentionDays", ebsBackup.retentionDays, 1, 36500);
    const lifecycle: TerraformResourceLifecycle = { preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy) ?? false };

    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", name, "redis-cluster", "securityGroupName"),
      description: `Redis Cluster ${name}: clients and the cluster bus from inside the VPC only`,
      vpcId: props.network.vpcId,
      // Package installs, S3 backups, Secrets Manager and CloudWatch, through NAT or VPC endpoints.
      egress: "all",
    });
    this.securityGroupId = sg.id;
    // CA6: open inside the VPC only, on the client port and the cluster bus.
    allowCidr(this, props.network.vpcCidr, REDIS_PORT, "Redis clients from inside the VPC");
    allowCidr(this, props.network.vpcCidr, REDIS_BUS_PORT, "Redis Cluster bus from inside the VPC");

    const backups = new S3Bucket(this, "Backups", {
      bucketName: props.backupBucketName,
      versioned: true,
      kmsKeyArn: props.kmsKeyArn,
      ...(props.accessLogsBucket ? { accessLogsBucket: props.accessLogsBucket } : {}),
      ...(props.backupReplicateTo ? { replicateTo: props.backupReplicateTo } : {}),
      forceDestroy: (props.forceDestroyBackups ?? props.protection?.forceDestroy) ?? false,
      preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy) ?? false,
      lifecycleRules: BACKUP_LIFECYCLE_RULES,
    });
    this.backupBucketName = backups.bucketName;
    this.backupBucketArn = backups.bucketArn;

    const logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/redis-cluster/${name}`,
      retentionInDays: retention,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
    });
    this.logGroupName = logGroup.name;

    const secret = passwordAuth
      ? new SecretsmanagerSecret(this, "AuthSecret", {
          name: `${name}/redis-auth`,
          description: `AUTH password of Redis Cluster ${name}; generated by the first node to boot`,
          ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
          recoveryWindowInDays: 7,
          lifecycle,
        })
      : undefined;
    this.authSecretArn = secret?.arn;
    this.authSecret = secret ? new SecretReference(secret.arn, props.kmsKeyArn) : undefined;
    // The bundle holds a private key, yet comes from the nodes, not Terraform: a SecureString written at boot, kept out
    // of the state (write-only placeholder), Advanced tier because CA + certificate + key pass 4 KB.
    const tlsBundle = tls
      ? new Parameter(this, "TlsBundle", {
          name: `/${name}/redis-tls`,
          value: "pending: generated by the first node to boot",
          description: `TLS bundle of Redis Cluster ${name} (JSON: ca, cert, key in PEM); generated by the first node to boot, in use: label "current"`,
          tier: "Advanced",
          writtenOutside: true,
          ...(props.kmsKeyArn ? { kmsKeyArn: props.kmsKeyArn } : {}),
        })
      : undefined;
    this.tlsBundle = tlsBundle;

    const statements: PolicyStatement[] = [
      { sid: "ListBackups", actions: ["s3:ListBucket"], resources: [backups.bucketArn] },
      { sid: "ReadWriteBackups", actions: ["s3:PutObject", "s3:GetObject"], resources: [`${backups.bucketArn}/*`] },
    ];
    if (secret) {
      // PutSecretValue lets the first node store the password it generated (idempotency token: first writer wins).
      statements.push({ sid: "AuthPassword", actions: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"], resources: [secret.arn] });
    }
    if (props.kmsKeyArn) {
      statements.push({ sid: "CustomerKey", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [props.kmsKeyArn] });
    }
    const role = createRole(this, "InstanceRole", {
      name: fitName(this, "name", name, "redis-node", "iamRoleName"),
      description: `Redis Cluster ${name} nodes: SSM, CloudWatch agent, backups to their bucket`,
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
      statements,
      managedPolicyArns: MANAGED_POLICIES,
    });
    // The first node stores the bundle and labels it; every node reads it.
    tlsBundle?.grantRead(role);
    tlsBundle?.grantWrite(role);
    this.instanceRoleArn = role.arn;
    this.instanceRole = role;
    const profile = new IamInstanceProfile(this, "InstanceProfile", { name: role.name, role: role.name });

    const ami = props.amiId ?? new DataAwsSsmParameter(this, "Ami", {
      name: `${AMI_PARAMETER}${GRAVITON.test(instanceType) ? "arm64" : "x86_64"}`,
    }).insecureValue;

    this.nodes = [];
    for (let r = 0; r <= replicas; r++) {
      for (let s = 0; s < primaries; s++) {
        // Primary of shard s in subnet s; its r-th replica shifted r subnets on, so never in the primary's AZ
        // (while r is not a multiple of the AZ count).
        const slot = (s + r) % subnets.length;
        const role: RedisNodeRole = r === 0 ? "primary" : "replica";
        const label = r === 0 ? `Shard${s + 1}Primary` : `Shard${s + 1}Replica${r}`;
        const nodeName = r === 0 ? `${name}-${s + 1}-primary` : `${name}-${s + 1}-replica-${r}`;
        const instance = this.buildNode(label, {
          clusterName: name, nodeName, role, shard: s + 1, instanceType, ami, dataGiB,
          subnetId: subnets[slot],
          zone: zones[slot],
          securityGroupId: sg.id,
          profileName: profile.name,
          kmsKeyArn: props.kmsKeyArn,
          bucket: backups.bucketName,
          logGroupName: logGroup.name,
          authSecretArn: secret?.arn,
          tls: tlsBundle ? { parameterName: tlsBundle.parameterName, keyId: props.kmsKeyArn ?? "alias/aws/ssm" } : undefined,
          lifecycle,
        });
        this.nodes.push({ name: nodeName, role, shard: s + 1, instance });
      }
    }
    this.instances = this.nodes.map((n) => n.instance);
    this.instanceIds = this.instances.map((i) => i.id);
    this.privateIps = this.instances.map((i) => i.privateIp);
    this.resource = this.instances[0];

    if (ebsBackup) {
      const backup = new BackupPlan(this, "DataVolumeBackup", {
        name: BackupPlan.nameFor(`${name}-data`),
        resourceArns: this.dataVolumes.map((v) => v.arn),
        retentionDays: ebsBackup.retentionDays,
        kmsKeyArn: props.kmsKeyArn,
        preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy),
      });
      this.ebsBackupVaultArn = backup.vaultArn;
    }

    const primaryIps = this.nodes.filter((n) => n.role === "primary").map((n) => n.instance.privateIp);
    this.clusterCreateScript = clusterCreateScript({
      primaryIps,
      tls,
      replicas: this.nodes.filter((n) => n.role === "replica").map((n) => ({ ip: n.instance.privateIp, primaryIp: primaryIps[n.shard - 1] })),
    });
  }

  /** Losing any one AZ must leave a majority of primaries, or the cluster cannot fail over. */
  private checkSpread(primaries: number, subnetCount: number, zoneCount: number): void {
    if (zoneCount !== subnetCount) {
      fail(this, "network.availabilityZones", zoneCount, `expected one availability zone per private subnet (${subnetCount}), in subnet order`);
    }
    const perZone = Math.ceil(primaries / subnetCount);
    if (subnetCount < 3 || perZone * 2 >= primaries) {
      fail(this, "network.privateSubnetIds", subnetCount, `expected private subnets in at least 3 AZs, and enough that no AZ holds half of the ${primaries} primaries (losing it would stop failover); ${primaries} primaries over ${subnetCount} AZs puts ${perZone} in one`);
    }
  }

  private buildNode(label: string, n: {
    clusterName: string; nodeName: string; role: RedisNodeRole; shard: number; instanceType: string; ami: string; dataGiB: number;
    subnetId: string; zone: string; securityGroupId: string; profileName: string; kmsKeyArn?: string;
    bucket: string; logGroupName: string; authSecretArn?: string; tls?: NodeScriptProps["tls"]; lifecycle: TerraformResourceLifecycle;
  }): Instance {
    const tags = { Name: n.nodeName, RedisCluster: n.clusterName, RedisRole: n.role, RedisShard: `${n.shard}` };
    const kms = n.kmsKeyArn ? { kmsKeyId: n.kmsKeyArn } : {};
    // A separate volume outlives the instance: replacing a node keeps its AOF and RDB files.
    const volume = new EbsVolume(this, `${label}Data`, {
      availabilityZone: n.zone,
      size: n.dataGiB,
      type: "gp3",
      encrypted: true,
      ...kms,
      tags: { ...tags, Name: `${n.nodeName}-data` },
      lifecycle: n.lifecycle,
    });
    this.dataVolumes.push(volume);
    const instance = new Instance(this, label, {
      ami: n.ami,
      instanceType: n.instanceType,
      subnetId: n.subnetId,
      vpcSecurityGroupIds: [n.securityGroupId],
      associatePublicIpAddress: false,
      iamInstanceProfile: n.profileName,
      // 1-minute CloudWatch metrics (detailed monitoring) and dedicated EBS bandwidth, so AOF fsyncs do not
      // compete with client traffic.
      monitoring: true,
      ebsOptimized: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      rootBlockDevice: { volumeType: "gp3", volumeSize: ROOT_VOLUME_GIB, encrypted: true, deleteOnTermination: true, ...kms, tags: { ...tags, Name: `${n.nodeName}-root` } },
      userData: nodeScript({
        nodeName: n.nodeName,
        dataVolumeId: volume.id,
        backupBucket: n.bucket,
        logGroupName: n.logGroupName,
        authSecretArn: n.authSecretArn,
        tls: n.tls,
      }),
      userDataReplaceOnChange: false,
      tags,
      lifecycle: {
        ...n.lifecycle,
        // A new AMI or boot script must not restart or replace a cluster node behind the operator's back:
        // nodes are rolled one at a time with `terraform apply -replace` (see README).
        ignoreChanges: ["ami", "user_data"],
      },
    });
    new VolumeAttachment(this, `${label}DataAttachment`, {
      deviceName: "/dev/sdf",
      volumeId: volume.id,
      instanceId: instance.id,
      // Stop Redis's host cleanly rather than yank the disk under a running AOF.
      stopInstanceBeforeDetaching: true,
    });
    return instance;
  }
}
