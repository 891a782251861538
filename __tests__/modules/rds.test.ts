import { Database, DatabaseProps, approximateMaxConnections } from "../../modules/rds";
import { BackupPlan } from "../../modules/backup-plan";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { INetwork } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { trustedServices } from "../support/stacks";

const network: INetwork = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};
const KMS = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666";

function build(props: Partial<DatabaseProps> = {}) {
  let db!: Database;
  const s = synthWith((scope) => {
    db = new Database(scope, "Db", { name: "alerting-platform-dev-db", network, ...props });
  });
  return { s, db };
}

describe("Database", () => {
  describe("with defaults (instance)", () => {
    const { s, db } = build();
    const instance = only(s, "aws_db_instance");

    it("is PostgreSQL 16 on db.t3.micro with 20 GiB of encrypted gp3 storage, private and not public", () => {
      expect(instance).toMatchObject({
        identifier: "alerting-platform-dev-db",
        engine: "postgres",
        engine_version: "16",
        instance_class: "db.t3.micro",
        allocated_storage: 20,
        storage_type: "gp3",
        storage_encrypted: true,
        publicly_accessible: false,
        port: 5432,
        db_name: "app",
        username: "app_admin",
        multi_az: false,
      });
      expect(instance.max_allocated_storage).toBeUndefined();
      expect(only(s, "aws_db_subnet_group").subnet_ids).toEqual(["subnet-priv-a", "subnet-priv-b"]);
    });

    it("G7: lets RDS manage the master password, so no password is in the JSON", () => {
      expect(instance.manage_master_user_password).toBe(true);
      expect(instance.password).toBeUndefined();
      expect(s.json).not.toMatch(/"(password|master_password)"/);
      expect(only(s, "aws_secretsmanager_secret_rotation").secret_id).toMatch(/master_user_secret\[0\]\.secret_arn/);
    });

    it("G8/UP6: keeps 7 days of backups (point-in-time recovery), deletion protection and a final snapshot", () => {
      expect(instance).toMatchObject({
        backup_retention_period: 7,
        backup_window: "01:00-02:00",
        maintenance_window: "sun:03:00-sun:04:00",
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: "alerting-platform-dev-db-final",
        copy_tags_to_snapshot: true,
        delete_automated_backups: false,
        auto_minor_version_upgrade: true,
      });
      expect(instance.lifecycle).toEqual({ prevent_destroy: false });
    });

    it("G6: forces TLS and logs slow statements through a postgres16 parameter group", () => {
      const pg = only(s, "aws_db_parameter_group");
      expect(pg.family).toBe("postgres16");
      expect(pg.parameter).toEqual([
        { name: "rds.force_ssl", value: "1", apply_method: "immediate" },
        { name: "log_min_duration_statement", value: "1000", apply_method: "immediate" },
      ]);
      expect(instance.parameter_group_name).toMatch(/aws_db_parameter_group\.Db_ParameterGroup_.*\.name/);
    });

    it("G5: has its own security group with no rules at all", () => {
      expect(Object.keys(resources(s, "aws_security_group"))).toHaveLength(1);
      expect(resources(s, "aws_vpc_security_group_ingress_rule")).toEqual({});
      expect(resources(s, "aws_vpc_security_group_egress_rule")).toEqual({});
      expect(instance.vpc_security_group_ids).toHaveLength(1);
    });

    it("turns Performance Insights on for PostgreSQL on db.t3.micro (issue 10 item 5), exports logs and enables IAM auth", () => {
      expect(instance.performance_insights_enabled).toBe(true);
      expect(instance.performance_insights_retention_period).toBe(7);
      expect(instance.enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
      expect(instance.iam_database_authentication_enabled).toBe(true);
    });

    it("turns enhanced monitoring on every 60 s through a role RDS monitoring may assume", () => {
      expect(instance.monitoring_interval).toBe(60);
      expect(instance.monitoring_role_arn).toMatch(/^\$\{aws_iam_role\.Db_MonitoringRole_\w+\.arn\}$/);
      const role = only(s, "aws_iam_role");
      expect(role.name).toBe("alerting-platform-dev-db-rds-monitoring");
      expect(trustedServices(role.assume_role_policy)).toContain("monitoring.rds.amazonaws.com");
      const attachment = only(s, "aws_iam_role_policy_attachment");
      expect(attachment.policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
      expect(db.monitoringRoleArn).toMatch(/TOKEN/);
    });

    it("creates the instance only once the monitoring policy is attached", () => {
      expect(instance.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\.Db_MonitoringRoleAmazonRDSEnhancedMonitoringRole_\w+$/)]);
    });

    it("adds no AWS Backup plan to an instance (its automated backups and final snapshot cover it)", () => {
      expect(resources(s, "aws_backup_plan")).toEqual({});
      expect(resources(s, "aws_backup_vault")).toEqual({});
      expect(resources(s, "aws_backup_selection")).toEqual({});
      expect(db.backupVaultArn).toBeUndefined();
    });

    it("rotates the managed secret every 7 days and exposes its outputs", () => {
      expect(only(s, "aws_secretsmanager_secret_rotation").rotation_rules).toEqual({ automatically_after_days: 7 });
      expect(db.kind).toBe("instance");
      expect(db.port).toBe(5432);
      expect(db.databaseName).toBe("app");
      expect(db.identifier).toBe("alerting-platform-dev-db");
      expect(db.readerEndpoint).toBeUndefined();
      expect(db.endpoint).toEqual({ hostname: db.address, port: 5432, address: `${db.address}:5432` });
      expect(db.secret.field("username")).toBe(`${db.secretArn}:username::`);
      expect(db.resource).toBeInstanceOf(DbInstance);
      expect(db.connectionsAlarmMaximum).toBe(79);
    });
  });

  describe("AP9 (alerting-platform)", () => {
    it("AP9: PostgreSQL 15 on db.t3.micro with 20 GB, encrypted, 7-day backups", () => {
      const { s } = build({ engineVersion: "15", engine: { kind: "instance", instanceClass: "db.t3.micro", allocatedStorageGiB: 20 }, backupRetentionDays: 7 });
      expect(s.json).toHaveResourceWithProperties(DbInstance, { engine_version: "15", instance_class: "db.t3.micro", allocated_storage: 20, storage_encrypted: true, backup_retention_period: 7 });
      expect(only(s, "aws_db_parameter_group").family).toBe("postgres15");
    });

    it("AP9: Multi-AZ is a switch (on in prod)", () => {
      expect(only(build({ multiAz: true }).s, "aws_db_instance").multi_az).toBe(true);
      expect(only(build({ multiAz: false }).s, "aws_db_instance").multi_az).toBe(false);
    });
  });

  describe("TV3 (tvmaze-ingestion prod)", () => {
    const { s, db } = build({
      name: "tvmaze-ingestion-prod-db",
      engine: { kind: "instance", instanceClass: "db.t3.small", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 100 },
      multiAz: true,
      maintenanceWindow: "sun:03:00-sun:04:00",
      preventDestroy: true,
      kmsKeyArn: KMS,
    });
    const instance = only(s, "aws_db_instance");

    it("TV3: autoscales storage from 20 to 100 GB", () => {
      expect(instance.allocated_storage).toBe(20);
      expect(instance.max_allocated_storage).toBe(100);
    });

    it("TV3: is maintained on Sunday 03:00-04:00 UTC, Multi-AZ, db.t3.small", () => {
      expect(instance).toMatchObject({ maintenance_window: "sun:03:00-sun:04:00", multi_az: true, instance_class: "db.t3.small" });
    });

    it("uses the customer KMS key for storage and the managed secret, and carries prevent_destroy", () => {
      expect(instance).toMatchObject({ kms_key_id: KMS, master_user_secret_kms_key_id: KMS });
      expect(instance.lifecycle).toEqual({ prevent_destroy: true });
    });

    it("TV7: estimates max_connections of db.t3.small for the 80 % alarm", () => {
      expect(db.connectionsAlarmMaximum).toBe(192);
    });
  });

  describe("storage autoscaling off", () => {
    it("treats maxAllocatedStorageGiB equal to the allocation as off", () => {
      const { s } = build({ engine: { kind: "instance", instanceClass: "db.t3.micro", allocatedStorageGiB: 50, maxAllocatedStorageGiB: 50 } });
      expect(only(s, "aws_db_instance").max_allocated_storage).toBeUndefined();
    });
  });

  describe("with Performance Insights on a supporting class", () => {
    const { s, db } = build({ engine: { kind: "instance", instanceClass: "db.t3.medium", allocatedStorageGiB: 20 }, kmsKeyArn: KMS });
    const instance = only(s, "aws_db_instance");

    it("CA2: turns Performance Insights on by default with 7 days and the customer key", () => {
      expect(instance).toMatchObject({ performance_insights_enabled: true, performance_insights_retention_period: 7, performance_insights_kms_key_id: KMS });
      expect(db.connectionsAlarmMaximum).toBe(417);
    });

    it("turns it off when asked", () => {
      expect(only(build({ engine: { kind: "instance", instanceClass: "db.t3.medium", allocatedStorageGiB: 20 }, performanceInsights: false }).s, "aws_db_instance").performance_insights_enabled).toBe(false);
    });
  });

  describe("with options turned down (dev)", () => {
    const { s } = build({ skipFinalSnapshot: true, deletionProtection: false, cloudwatchLogs: false, iamAuthentication: false, backupRetentionDays: 1, databaseName: "rules", masterUsername: "rules_admin" });
    const instance = only(s, "aws_db_instance");

    it("skips the final snapshot only when asked", () => {
      expect(instance.skip_final_snapshot).toBe(true);
      expect(instance.final_snapshot_identifier).toBeUndefined();
      expect(instance.deletion_protection).toBe(false);
    });

    it("honours logs, IAM auth, backup days and names", () => {
      expect(instance).toMatchObject({ enabled_cloudwatch_logs_exports: [], iam_database_authentication_enabled: false, backup_retention_period: 1, db_name: "rules", username: "rules_admin" });
    });
  });

  describe("TV9: password rotation", () => {
    it("TV9: rotates the RDS-managed master secret every 30 days", () => {
      const { s } = build({ passwordRotationDays: 30 });
      expect(s.json).toHaveResourceWithProperties(SecretsmanagerSecretRotation, { rotation_rules: { automatically_after_days: 30 } });
      const rotation = only(s, "aws_secretsmanager_secret_rotation");
      expect(rotation.secret_id).toMatch(/aws_db_instance\.Db_Instance_.*\.master_user_secret\[0\]\.secret_arn/);
      expect(rotation.rotation_lambda_arn).toBeUndefined();
    });
  });

  describe("with io1 storage", () => {
    it("sets provisioned IOPS", () => {
      const { s } = build({ engine: { kind: "instance", instanceClass: "db.m5.large", allocatedStorageGiB: 100, storageType: "io1", iops: 3000 } });
      expect(only(s, "aws_db_instance")).toMatchObject({ storage_type: "io1", iops: 3000 });
    });
  });

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

  describe("enhanced monitoring options", () => {
    it("samples every 5 s when asked", () => {
      expect(only(build({ enhancedMonitoringSeconds: 5 }).s, "aws_db_instance").monitoring_interval).toBe(5);
    });

    it("turns enhanced monitoring off with 0: no interval, no role, no dependency", () => {
      const { s, db } = build({ enhancedMonitoringSeconds: 0, engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 2 }, awsBackup: false });
      const writer = only(s, "aws_rds_cluster_instance");
      expect(writer.monitoring_interval).toBe(0);
      expect(writer.monitoring_role_arn).toBeUndefined();
      expect(writer.depends_on).toBeUndefined();
      expect(resources(s, "aws_iam_role")).toEqual({});
      expect(db.monitoringRoleArn).toBeUndefined();
    });
  });

  describe("refuses", () => {
    const refuse = (props: Partial<DatabaseProps>) => () => build(props);
    const instance = (e: Partial<{ instanceClass: string; allocatedStorageGiB: number; maxAllocatedStorageGiB: number; storageType: "gp2" | "gp3" | "io1"; iops: number }>) =>
      ({ kind: "instance" as const, instanceClass: "db.t3.micro", allocatedStorageGiB: 20, ...e });

    it("an identifier longer than 63 characters", () => {
      expect(refuse({ name: `db-${"x".repeat(62)}` })).toThrow(/test\/Db: name = "db-x+" is not allowed; expected at most 63 characters .*got 65/);
    });
    it("an identifier with upper case or underscores", () => {
      expect(refuse({ name: "My_Db" })).toThrow(/name = "My_Db" is not allowed; expected lowercase letters, digits and hyphens/);
    });
    it("an identifier with two consecutive hyphens", () => {
      expect(refuse({ name: "app--db" })).toThrow(/name = "app--db" is not allowed; expected no two consecutive hyphens/);
    });
    it("an Aurora identifier that leaves no room for instance suffixes", () => {
      expect(refuse({ name: `a${"b".repeat(62)}`, engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 2 } })).toThrow(/name = "ab+" is not allowed; expected at most 61 characters so that instance identifiers/);
    });
    it("allocated storage below 20 GiB", () => {
      expect(refuse({ engine: instance({ allocatedStorageGiB: 10 }) })).toThrow(/engine\.allocatedStorageGiB = 10 is not allowed; expected a whole number from 20 to 65536/);
    });
    it("allocated storage above 65536 GiB", () => {
      expect(refuse({ engine: instance({ allocatedStorageGiB: 70000 }) })).toThrow(/engine\.allocatedStorageGiB = 70000 is not allowed/);
    });
    it("an autoscaling ceiling below the allocation", () => {
      expect(refuse({ engine: instance({ allocatedStorageGiB: 50, maxAllocatedStorageGiB: 40 }) })).toThrow(/engine\.maxAllocatedStorageGiB = 40 is not allowed; expected a whole number from 50 to 65536/);
    });
    it("0 backup days (backups off)", () => {
      expect(refuse({ backupRetentionDays: 0 })).toThrow(/backupRetentionDays = 0 is not allowed; expected a whole number from 1 to 35/);
    });
    it("36 backup days", () => {
      expect(refuse({ backupRetentionDays: 36 })).toThrow(/backupRetentionDays = 36 is not allowed/);
    });
    it("a malformed backup window", () => {
      expect(refuse({ backupWindow: "2:00-3:00" })).toThrow(/backupWindow = "2:00-3:00" is not allowed; expected "hh24:mi-hh24:mi"/);
    });
    it("a backup window shorter than 30 minutes", () => {
      expect(refuse({ backupWindow: "02:00-02:15" })).toThrow(/backupWindow = "02:00-02:15" is not allowed; expected a window of at least 30 minutes/);
    });
    it("a maintenance window with capitalised days", () => {
      expect(refuse({ maintenanceWindow: "Sun:03:00-Sun:04:00" })).toThrow(/maintenanceWindow = "Sun:03:00-Sun:04:00" is not allowed; expected "ddd:hh24:mi-ddd:hh24:mi"/);
    });
    it("a backup window that ends where the maintenance window starts (the API counts touching windows as overlapping)", () => {
      expect(refuse({ backupWindow: "02:00-03:00" })).toThrow(/backupWindow = "02:00-03:00" is not allowed; expected a window that does not overlap maintenanceWindow "sun:03:00-sun:04:00"/);
      expect(refuse({ backupWindow: "04:00-04:30" })).toThrow(/backupWindow = "04:00-04:30" is not allowed/);
    });
    it("a backup window overlapping the maintenance window", () => {
      expect(refuse({ backupWindow: "03:30-04:30" })).toThrow(/backupWindow = "03:30-04:30" is not allowed; expected a window that does not overlap maintenanceWindow "sun:03:00-sun:04:00"/);
    });
    it("Aurora minimum ACU not in steps of 0.5", () => {
      expect(refuse({ engine: { kind: "aurora-serverless-v2", minAcu: 0.3, maxAcu: 2 } })).toThrow(/engine\.minAcu = 0.3 is not allowed; expected a number from 0 to 256 in steps of 0.5/);
    });
    it("Aurora maximum ACU above 256", () => {
      expect(refuse({ engine: { kind: "aurora-serverless-v2", minAcu: 1, maxAcu: 300 } })).toThrow(/engine\.maxAcu = 300 is not allowed; expected a number from 1 to 256/);
    });
    it("Aurora minimum ACU above the maximum", () => {
      expect(refuse({ engine: { kind: "aurora-serverless-v2", minAcu: 4, maxAcu: 2 } })).toThrow(/engine\.minAcu = 4 is not allowed; expected engine\.minAcu <= engine\.maxAcu \(2\)/);
    });
    it("Multi-AZ Aurora with one instance", () => {
      expect(refuse({ multiAz: true, engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 2 } })).toThrow(/multiAz = true is not allowed; Aurora needs a reader in a second AZ: set engine\.instances to 2 or more \(got 1\)/);
    });
    it("an instance class that is not an RDS class", () => {
      expect(refuse({ engine: instance({ instanceClass: "t3.micro" }) })).toThrow(/engine\.instanceClass = "t3.micro" is not allowed; expected an RDS instance class/);
    });
    it("a rotation period above 365 days", () => {
      expect(refuse({ passwordRotationDays: 400 })).toThrow(/passwordRotationDays = 400 is not allowed; expected a whole number from 1 to 365/);
    });
    it("a rotation period of 0 days", () => {
      expect(refuse({ passwordRotationDays: 0 })).toThrow(/passwordRotationDays = 0 is not allowed/);
    });
    it("a database name starting with a digit or containing hyphens", () => {
      expect(refuse({ databaseName: "1app" })).toThrow(/databaseName = "1app" is not allowed; expected a letter followed by up to 62 letters, digits or underscores/);
      expect(refuse({ databaseName: "my-app" })).toThrow(/databaseName = "my-app" is not allowed/);
    });
    it("reserved master user names", () => {
      for (const name of ["admin", "postgres", "rdsadmin", "Postgres"]) {
        expect(refuse({ masterUsername: name })).toThrow(new RegExp(`masterUsername = "${name}" is not allowed; expected a name that is not reserved`));
      }
    });
    it("io1 storage without IOPS, and IOPS without io1", () => {
      expect(refuse({ engine: instance({ allocatedStorageGiB: 100, storageType: "io1" }) })).toThrow(/engine\.iops = undefined is not allowed; required with storageType "io1"/);
      expect(refuse({ engine: instance({ iops: 3000 }) })).toThrow(/engine\.iops = 3000 is not allowed; only allowed with storageType "io1"/);
    });
    it("a KMS key that is not a KMS ARN", () => {
      expect(refuse({ kmsKeyArn: "alias/rds" })).toThrow(/kmsKeyArn = "alias\/rds" is not allowed; expected an ARN of the kms service/);
    });
    it("an enhanced monitoring interval RDS does not offer", () => {
      expect(refuse({ enhancedMonitoringSeconds: 2 as 1 })).toThrow(/test\/Db: enhancedMonitoringSeconds = 2 is not allowed; expected one of 0, 1, 5, 10, 15, 30, 60/);
    });
    it("AWS Backup kept 0 days", () => {
      expect(refuse({ awsBackup: { retentionDays: 0 } })).toThrow(/awsBackup\.retentionDays = 0 is not allowed; expected a whole number from 1 to 36500/);
    });
    it("AWS Backup kept longer than 100 years", () => {
      expect(refuse({ engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 2 }, awsBackup: { retentionDays: 36501 } })).toThrow(/awsBackup\.retentionDays = 36501 is not allowed/);
    });
    it("AWS Backup kept a fractional number of days", () => {
      expect(refuse({ awsBackup: { retentionDays: 7.5 } })).toThrow(/awsBackup\.retentionDays = 7.5 is not allowed; expected a whole number/);
    });
    it("an unsupported major version", () => {
      expect(refuse({ engineVersion: "12" as "13" })).toThrow(/engineVersion = "12" is not allowed; expected one of "13", "14", "15", "16", "17"/);
    });
  });

  describe("approximateMaxConnections", () => {
    it("errs low for small classes, caps at 5000 and knows nothing of unknown classes", () => {
      expect(approximateMaxConnections("db.t3.micro")).toBe(79);
      expect(approximateMaxConnections("db.t4g.micro")).toBe(79);
      expect(approximateMaxConnections("db.m5.large")).toBe(868);
      expect(approximateMaxConnections("db.r5.2xlarge")).toBe(5000);
      expect(approximateMaxConnections("db.x2g.large")).toBeUndefined();
    });
  });
});
