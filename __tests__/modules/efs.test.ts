import { Construct } from "constructs";
import { FileSystem } from "../../modules/efs";
import { allowFrom, INetwork } from "../../modules/core";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { only, resources, synthWith } from "../support/synth";
import { deniesInsecureTransport } from "../support/stacks";
import { twoAzNetwork } from "../support/networks";

const network: INetwork = twoAzNetwork;

class Service extends Construct {
  readonly securityGroupId = "sg-0service";
}

describe("FileSystem", () => {
  describe("TV6: with defaults", () => {
    let fs: FileSystem | undefined;
    const s = synthWith((scope) => {
      fs = new FileSystem(scope, "Shared", { name: "tvmaze-ingestion-dev-shared", network });
      allowFrom(fs, new Service(scope, "Api"), FileSystem.PORT);
    });

    it("TV6: is general purpose, bursting and encrypted", () => {
      expect(s.json).toHaveResourceWithProperties(EfsFileSystem, {
        creation_token: "tvmaze-ingestion-dev-shared", performance_mode: "generalPurpose", throughput_mode: "bursting", encrypted: true,
      });
      expect(only(s, "aws_efs_file_system").kms_key_id).toBeUndefined();
    });

    it("TV6: has a mount target in each private subnet, and none in public ones", () => {
      const targets = Object.values(resources(s, "aws_efs_mount_target"));
      expect(targets.map((t) => t.subnet_id).sort()).toEqual(["subnet-priv-a", "subnet-priv-b"]);
      expect(s.json).toHaveResourceWithProperties(EfsMountTarget, { security_groups: ["${aws_security_group.Shared_SecurityGroup_0D33A72B.id}"] });
    });

    it("accepts NFS only from the workloads the stack allows, and has no egress", () => {
      expect(s.json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { from_port: 2049, to_port: 2049, referenced_security_group_id: "sg-0service" });
      expect(Object.keys(resources(s, "aws_vpc_security_group_egress_rule"))).toHaveLength(0);
      expect(only(s, "aws_security_group").ingress).toBeUndefined();
    });

    it("denies every request not made over TLS", () => {
      const policy = only(s, "aws_efs_file_system_policy").policy as string;
      expect(deniesInsecureTransport(policy)).toBe(true);
    });

    it("moves files unread for 30 days to Infrequent Access", () => {
      expect(only(s, "aws_efs_file_system").lifecycle_policy).toEqual([{ transition_to_ia: "AFTER_30_DAYS" }]);
    });

    it("TV6: is backed up daily by an AWS Backup plan of its own, kept 35 days", () => {
      const rule = only(s, "aws_backup_plan").rule[0];
      expect(rule).toMatchObject({ schedule: "cron(0 3 * * ? *)", lifecycle: { delete_after: 35 } });
      expect(only(s, "aws_backup_selection").resources).toEqual([expect.stringMatching(/^\$\{aws_efs_file_system\.Shared_FileSystem_\w+\.arn\}$/)]);
      expect(only(s, "aws_backup_vault")).toMatchObject({ name: "tvmaze-ingestion-dev-shared-backup", force_destroy: false, lifecycle: { prevent_destroy: false } });
      expect(only(s, "aws_backup_vault").kms_key_arn).toBeUndefined();
      expect(fs!.backupVaultArn).toMatch(/TOKEN/);
    });

    it("turns EFS automatic backups (the default plan) off, so the file system is not backed up twice a day", () => {
      expect(s.json).toHaveResourceWithProperties(EfsBackupPolicy, { backup_policy: { status: "DISABLED" } });
    });

    it("does not carry prevent_destroy unless asked", () => {
      expect(only(s, "aws_efs_file_system").lifecycle.prevent_destroy).toBe(false);
    });

    it("gives clients mount and write on the file system, never root access", () => {
      const [statement] = fs!.clientStatements();
      expect(statement.actions).toEqual(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]);
      expect(statement.resources).toEqual([fs!.fileSystemArn]);
      expect(statement.conditions).toBeUndefined();
    });
  });

  describe("with access points and options", () => {
    let fs: FileSystem | undefined;
    const s = synthWith((scope) => {
      fs = new FileSystem(scope, "Media", {
        name: "tvmaze-ingestion-prod-media",
        network,
        throughputMode: "elastic",
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        transitionToIaDays: 1,
        automaticBackups: false,
        preventDestroy: true,
        accessPoints: [{ name: "images", path: "/images", uid: 1000, gid: 1001 }, { name: "thumbs", path: "/thumbs/small", uid: 2000, gid: 2000 }],
      });
    });

    it("creates one access point per entry, with its POSIX identity and an owned root directory", () => {
      const points = Object.values(resources(s, "aws_efs_access_point"));
      expect(points).toHaveLength(2);
      expect(points[0]).toMatchObject({
        posix_user: { uid: 1000, gid: 1001 },
        root_directory: { path: "/images", creation_info: { owner_uid: 1000, owner_gid: 1001, permissions: "0750" } },
      });
      expect(Object.keys(fs!.accessPointIds)).toEqual(["images", "thumbs"]);
      expect(Object.keys(fs!.accessPointArns)).toEqual(["images", "thumbs"]);
    });

    it("scopes client statements to the named access point", () => {
      const [statement] = fs!.clientStatements("thumbs");
      expect(statement.conditions).toEqual({ StringEquals: { "elasticfilesystem:AccessPointArn": fs!.accessPointArns.thumbs } });
    });

    it("applies throughput, key, transition, backups and prevent_destroy", () => {
      const f = only(s, "aws_efs_file_system");
      expect(f).toMatchObject({ throughput_mode: "elastic", kms_key_id: "arn:aws:kms:eu-west-1:123456789012:key/abc", lifecycle_policy: [{ transition_to_ia: "AFTER_1_DAY" }] });
      expect(f.lifecycle.prevent_destroy).toBe(true);
      expect(only(s, "aws_efs_backup_policy").backup_policy.status).toBe("DISABLED");
    });

    it("backs up into a vault encrypted with the file system's key and protected by prevent_destroy", () => {
      expect(only(s, "aws_backup_vault")).toMatchObject({ kms_key_arn: "arn:aws:kms:eu-west-1:123456789012:key/abc", lifecycle: { prevent_destroy: true } });
    });

    it("refuses client statements for an unknown access point", () => {
      expect(() => fs!.clientStatements("videos")).toThrow(/test\/Media: accessPointName = "videos" is not allowed; expected one of the access points: "images", "thumbs"/);
    });
  });

  describe("AWS Backup options", () => {
    const build = (props: Partial<ConstructorParameters<typeof FileSystem>[2]>) => {
      let fs!: FileSystem;
      const s = synthWith((scope) => {
        fs = new FileSystem(scope, "Fs", { name: "tvmaze-ingestion-prod-shared", network, ...props });
      });
      return { s, fs };
    };

    it("keeps recovery points as long as asked", () => {
      expect(only(build({ awsBackup: { retentionDays: 365 } }).s, "aws_backup_plan").rule[0].lifecycle).toEqual({ delete_after: 365 });
    });

    it("without awsBackup, falls back to EFS automatic backups so that backups stay on", () => {
      const { s, fs } = build({ awsBackup: false });
      expect(resources(s, "aws_backup_plan")).toEqual({});
      expect(resources(s, "aws_backup_vault")).toEqual({});
      expect(only(s, "aws_efs_backup_policy").backup_policy.status).toBe("ENABLED");
      expect(fs.backupVaultArn).toBeUndefined();
    });

    it("takes no backup at all only when both are turned off", () => {
      const { s } = build({ awsBackup: false, automaticBackups: false });
      expect(resources(s, "aws_backup_selection")).toEqual({});
      expect(only(s, "aws_efs_backup_policy").backup_policy.status).toBe("DISABLED");
    });

    it("takes both when automaticBackups is asked for beside awsBackup", () => {
      const { s } = build({ automaticBackups: true });
      expect(only(s, "aws_efs_backup_policy").backup_policy.status).toBe("ENABLED");
      expect(Object.keys(resources(s, "aws_backup_selection"))).toHaveLength(1);
    });

    it("shortens the vault name of a long file system name to 50 characters", () => {
      const name = `tvmaze-ingestion-prod-${"x".repeat(40)}`;
      const vault = only(build({ name }).s, "aws_backup_vault").name as string;
      expect(vault).toHaveLength(50);
      expect(vault).toMatch(/^tvmaze-ingestion-prod-x+-[0-9a-f]{6}-backup$/);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<ConstructorParameters<typeof FileSystem>[2]>) => () =>
      synthWith((scope) => new FileSystem(scope, "Fs", { name: "sys-dev-fs", network, ...props }));

    it("maxIO with elastic throughput", () => {
      expect(build({ performanceMode: "maxIO", throughputMode: "elastic" })).toThrow(/test\/Fs: throughputMode = "elastic" is not allowed; elastic throughput requires performanceMode "generalPurpose"/);
    });
    it("a transition period EFS does not offer", () => {
      expect(build({ transitionToIaDays: 45 as never })).toThrow(/transitionToIaDays = 45 is not allowed; expected one of 1, 7, 14, 30, 60, 90, 180, 270, 365/);
    });
    it("an access point path that is not absolute", () => {
      expect(build({ accessPoints: [{ name: "data", path: "data", uid: 1000, gid: 1000 }] })).toThrow(/accessPoints\[0\]\.path = "data" is not allowed; expected an absolute path/);
    });
    it("a negative uid", () => {
      expect(build({ accessPoints: [{ name: "data", path: "/data", uid: -1, gid: 1000 }] })).toThrow(/accessPoints\[0\]\.uid = -1 is not allowed; expected a whole number from 0 to 4294967295/);
    });
    it("a gid beyond 32 bits", () => {
      expect(build({ accessPoints: [{ name: "data", path: "/data", uid: 1000, gid: 4294967296 }] })).toThrow(/accessPoints\[0\]\.gid = 4294967296 is not allowed/);
    });
    it("two access points with the same name", () => {
      const ap = { name: "data", path: "/data", uid: 1000, gid: 1000 };
      expect(build({ accessPoints: [ap, { ...ap, path: "/other" }] })).toThrow(/accessPoints\[1\]\.name = "data" is not allowed; expected access point names unique/);
    });
    it("a network without private subnets", () => {
      expect(build({ network: { ...network, privateSubnetIds: [] } })).toThrow(/network\.privateSubnetIds = \[\] is not allowed; expected at least one entry/);
    });
    it("AWS Backup kept 0 days", () => {
      expect(build({ awsBackup: { retentionDays: 0 } })).toThrow(/test\/Fs: awsBackup\.retentionDays = 0 is not allowed; expected a whole number from 1 to 36500/);
    });
    it("AWS Backup kept longer than 100 years", () => {
      expect(build({ awsBackup: { retentionDays: 36501 } })).toThrow(/awsBackup\.retentionDays = 36501 is not allowed; expected a whole number from 1 to 36500/);
    });
    it("a KMS key that is not a KMS ARN", () => {
      expect(build({ kmsKeyArn: "alias/aws/elasticfilesystem" })).toThrow(/kmsKeyArn = "alias\/aws\/elasticfilesystem" is not allowed; expected an ARN of the kms service/);
    });
  });
});
