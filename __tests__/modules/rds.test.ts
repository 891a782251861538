import { approximateMaxConnections } from "../../modules/rds";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { only, resources } from "../support/synth";
import { trustedServices } from "../support/stacks";
import { build, KMS } from "./rds.fixture";

// A PostgreSQL instance: defaults, sizes, options, rotation and monitoring. Also: rds-aurora.test.ts (Aurora Serverless v2
// and AWS Backup), rds-refuses.test.ts (invalid props), rds-options.test.ts.
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
