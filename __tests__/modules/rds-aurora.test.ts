import { BackupPlan } from "../../modules/backup-plan";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { only, resources } from "../support/synth";
import { trustedServices } from "../support/stacks";
import { build, KMS } from "./rds.fixture";

// Aurora PostgreSQL Serverless v2 (DA4): the cluster, its parameters, monitoring and AWS Backup, and the AWS Backup options.
describe("Database", () => {
  describe("DA4: as Aurora PostgreSQL Serverless v2", () => {
    const { s, db } = build({ name: "dotnet-api-prod-db", engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 8, instances: 2 }, multiAz: true, kmsKeyArn: KMS, passwordRotationDays: 30 });
    const cluster = only(s, "aws_rds_cluster");

    it("DA4: is an encrypted aurora-postgresql cluster scaling from 0.5 to 8 ACU", () => {
      expect(s.json).toHaveResourceWithProperties(RdsCluster, {
        cluster_identifier: "dotnet-api-prod-db",
        engine: "aurora-postgresql",
        engine_mode: "provisioned",
        engine_version: "16",
        serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 8 },
        storage_encrypted: true,
        kms_key_id: KMS,
        port: 5432,
      });
      expect(resources(s, "aws_db_instance")).toEqual({});
    });

    it("DA4: runs a writer and a reader on db.serverless, private, with Performance Insights", () => {
      const instances = Object.values(resources(s, "aws_rds_cluster_instance"));
      expect(instances.map((i: any) => i.identifier).sort()).toEqual(["dotnet-api-prod-db-1", "dotnet-api-prod-db-2"]);
      for (const i of instances) {
        expect(i).toMatchObject({ instance_class: "db.serverless", publicly_accessible: false, performance_insights_enabled: true, performance_insights_kms_key_id: KMS });
      }
    });

    it("G7: lets RDS manage the master password", () => {
      expect(cluster.manage_master_user_password).toBe(true);
      expect(cluster.master_password).toBeUndefined();
      expect(s.json).not.toMatch(/"master_password"/);
      expect(only(s, "aws_secretsmanager_secret_rotation").secret_id).toMatch(/aws_rds_cluster\.Db_Cluster_.*\.master_user_secret\[0\]\.secret_arn/);
    });

    it("G6/G8: forces TLS, keeps backups and a final snapshot", () => {
      const pg = only(s, "aws_rds_cluster_parameter_group");
      expect(pg.family).toBe("aurora-postgresql16");
      expect(pg.parameter).toContainEqual({ name: "rds.force_ssl", value: "1", apply_method: "immediate" });
      expect(cluster).toMatchObject({ backup_retention_period: 7, deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: "dotnet-api-prod-db-final", enabled_cloudwatch_logs_exports: ["postgresql"] });
    });

    it("exposes the cluster and reader endpoints", () => {
      expect(db.kind).toBe("aurora-serverless-v2");
      expect(db.resource).toBeInstanceOf(RdsCluster);
      // Typed endpoints: a host and a port, the same shape for the writer and the reader.
      expect(db.endpoint).toEqual({ hostname: db.address, port: 5432, address: `${db.address}:5432` });
      expect(db.readerEndpoint?.port).toBe(5432);
      expect(db.readerEndpoint?.hostname).toMatch(/TOKEN/);
      expect(db.connectionsAlarmMaximum).toBeUndefined();
    });
  });

  describe("DA4: Aurora parameters (CKV2_AWS_27)", () => {
    const { s } = build({ engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 2 } });

    it("logs DDL statements and statements slower than 1 s", () => {
      const parameters = only(s, "aws_rds_cluster_parameter_group").parameter;
      expect(parameters).toContainEqual({ name: "log_statement", value: "ddl", apply_method: "immediate" });
      expect(parameters).toContainEqual({ name: "log_min_duration_statement", value: "1000", apply_method: "immediate" });
      expect(parameters).toHaveLength(3);
    });

    it("keeps the instance parameter group as it was (no log_statement there)", () => {
      const { s: instance } = build();
      expect(only(instance, "aws_db_parameter_group").parameter.map((p: { name: string }) => p.name)).not.toContain("log_statement");
    });
  });

  describe("DA4: Aurora enhanced monitoring and AWS Backup (defaults)", () => {
    const { s, db } = build({ name: "dotnet-api-prod-db", engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 8, instances: 2 }, multiAz: true, kmsKeyArn: KMS, backupRetentionDays: 14 });
    const cluster = only(s, "aws_rds_cluster");
    const roles = resources(s, "aws_iam_role");
    const roleId = (suffix: string) => Object.keys(roles).find((k) => k.startsWith(`Db_${suffix}_`))!;

    it("monitors every cluster instance every 60 s with one monitoring role", () => {
      const instances = Object.values(resources(s, "aws_rds_cluster_instance"));
      expect(instances).toHaveLength(2);
      for (const i of instances) {
        expect(i.monitoring_interval).toBe(60);
        expect(i.monitoring_role_arn).toBe(`\${aws_iam_role.${roleId("MonitoringRole")}.arn}`);
      }
    });

    it("backs the cluster up daily at 03:00 UTC, kept as long as the automated backups", () => {
      const rule = only(s, "aws_backup_plan").rule[0];
      expect(rule).toMatchObject({ rule_name: "daily", schedule: "cron(0 3 * * ? *)", lifecycle: { delete_after: 14 }, start_window: 60, completion_window: 180 });
      expect(rule.target_vault_name).toMatch(/aws_backup_vault\.Db_Backup_Vault_\w+\.name/);
      expect(only(s, "aws_backup_plan").name).toBe("dotnet-api-prod-db-backup");
    });

    it("selects the cluster by ARN, once the backup role's policies are attached", () => {
      const selection = only(s, "aws_backup_selection");
      expect(selection.resources).toEqual([expect.stringMatching(/^\$\{aws_rds_cluster\.Db_Cluster_\w+\.arn\}$/)]);
      expect(selection.iam_role_arn).toBe(`\${aws_iam_role.${roleId("Backup_Role")}.arn}`);
      expect(selection.depends_on).toHaveLength(2);
      expect(cluster.cluster_identifier).toBe("dotnet-api-prod-db");
    });

    it("runs the backups as a role trusting AWS Backup with its backup and restore policies", () => {
      const role = roles[roleId("Backup_Role")];
      expect(role.name).toBe("dotnet-api-prod-db-backup");
      expect(trustedServices(role.assume_role_policy)).toContain("backup.amazonaws.com");
      const policies = Object.values(resources(s, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn).sort();
      expect(policies).toEqual([
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
      ]);
    });

    it("builds the plan with the backup-plan module under the same construct id as before (no replacement)", () => {
      expect(db.node.findChild("Backup")).toBeInstanceOf(BackupPlan);
      expect(Object.keys(resources(s, "aws_backup_vault"))).toEqual([expect.stringMatching(/^Db_Backup_Vault_[0-9A-F]{8}$/)]);
      expect(Object.keys(resources(s, "aws_backup_selection"))).toEqual([expect.stringMatching(/^Db_Backup_Selection_[0-9A-F]{8}$/)]);
    });

    it("G6: keeps the recovery points in a vault encrypted with the customer key that destroy never empties", () => {
      expect(only(s, "aws_backup_vault")).toMatchObject({ name: "dotnet-api-prod-db-backup", kms_key_arn: KMS, force_destroy: false, lifecycle: { prevent_destroy: false } });
      expect(db.backupVaultArn).toMatch(/TOKEN/);
    });
  });

  describe("AWS Backup options", () => {
    const aurora = { kind: "aurora-serverless-v2" as const, minAcu: 0.5, maxAcu: 2 };

    it("keeps Aurora recovery points as long as asked and protects the vault with prevent_destroy", () => {
      const { s } = build({ engine: aurora, awsBackup: { retentionDays: 90 }, preventDestroy: true });
      expect(only(s, "aws_backup_plan").rule[0].lifecycle).toEqual({ delete_after: 90 });
      expect(only(s, "aws_backup_vault").lifecycle).toEqual({ prevent_destroy: true });
      expect(only(s, "aws_backup_vault").kms_key_arn).toBeUndefined();
    });

    it("turns AWS Backup off for Aurora when asked", () => {
      const { s, db } = build({ engine: aurora, awsBackup: false });
      expect(resources(s, "aws_backup_plan")).toEqual({});
      expect(resources(s, "aws_backup_selection")).toEqual({});
      expect(db.backupVaultArn).toBeUndefined();
    });

    it("backs an instance up when asked, selecting the instance", () => {
      const { s } = build({ awsBackup: { retentionDays: 30 } });
      expect(only(s, "aws_backup_selection").resources).toEqual([expect.stringMatching(/^\$\{aws_db_instance\.Db_Instance_\w+\.arn\}$/)]);
      expect(only(s, "aws_backup_plan").rule[0].lifecycle).toEqual({ delete_after: 30 });
    });

    it("shortens vault, plan and selection names of a long identifier to 50 characters, deterministically", () => {
      const name = `aurora-${"x".repeat(50)}`;
      const names = () => {
        const { s } = build({ name, engine: aurora });
        return [only(s, "aws_backup_vault").name, only(s, "aws_backup_plan").name, only(s, "aws_backup_selection").name] as string[];
      };
      const first = names();
      expect(first[0]).toMatch(/^aurora-x+-[0-9a-f]{6}-backup$/);
      expect(first[0]).toHaveLength(50);
      expect(new Set(first).size).toBe(1);
      expect(names()).toEqual(first);
    });
  });
});
