import { DocumentDb, DocumentDbProps } from "../../modules/documentdb";
import { DocdbCluster } from "@cdktf/provider-aws/lib/docdb-cluster";
import { DocdbClusterParameterGroup } from "@cdktf/provider-aws/lib/docdb-cluster-parameter-group";
import { DocdbSubnetGroup } from "@cdktf/provider-aws/lib/docdb-subnet-group";
import { TerraformOutput } from "cdktf";
import { INetwork } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { threeAzNetwork } from "../support/networks";

const network: INetwork = threeAzNetwork;

const base: DocumentDbProps = { name: "chat-platform-dev-docdb", network };

describe("DocumentDb", () => {
  describe("with defaults", () => {
    let db!: DocumentDb;
    const s = synthWith((scope) => {
      db = new DocumentDb(scope, "Documents", base);
      new TerraformOutput(scope, "secret", { value: db.secretArn });
    });

    it("CA3: is one db.t3.medium, encrypted, in the private subnets", () => {
      const cluster = only(s, "aws_docdb_cluster");
      expect(cluster.storage_encrypted).toBe(true);
      expect(cluster.engine).toBe("docdb");
      expect(cluster.engine_version).toBe("5.0.0");
      expect(only(s, "aws_docdb_cluster_instance").instance_class).toBe("db.t3.medium");
      expect(s.json).toHaveResourceWithProperties(DocdbSubnetGroup, { subnet_ids: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"] });
      expect(cluster.db_subnet_group_name).toContain("aws_docdb_subnet_group.");
    });

    it("G7: lets DocumentDB manage the master password in Secrets Manager", () => {
      const cluster = only(s, "aws_docdb_cluster");
      expect(cluster.manage_master_user_password).toBe(true);
      expect(cluster.master_password).toBeUndefined();
      expect(cluster.master_username).toBe("appadmin");
      expect(s.json).not.toMatch(/master_password"/);
      expect(s.parsed.output?.secret.value).toMatch(/aws_docdb_cluster\.\w+\.master_user_secret\[0\]\.secret_arn/);
    });

    it("G6: enforces TLS and turns on the audit log and the profiler through the parameter group", () => {
      expect(s.json).toHaveResourceWithProperties(DocdbClusterParameterGroup, {
        family: "docdb5.0",
        parameter: expect.arrayContaining([
          { name: "tls", value: "enabled", apply_method: "pending-reboot" },
          { name: "audit_logs", value: "enabled", apply_method: "immediate" },
          { name: "profiler", value: "enabled", apply_method: "immediate" },
        ]),
      });
      expect(only(s, "aws_docdb_cluster").db_cluster_parameter_group_name).toContain("aws_docdb_cluster_parameter_group.");
    });

    it("exports audit and profiler logs to log groups kept 30 days", () => {
      expect(only(s, "aws_docdb_cluster").enabled_cloudwatch_logs_exports).toEqual(["audit", "profiler"]);
      const groups = Object.values(resources(s, "aws_cloudwatch_log_group"));
      expect(groups.map((g) => g.name).sort()).toEqual(["/aws/docdb/chat-platform-dev-docdb/audit", "/aws/docdb/chat-platform-dev-docdb/profiler"]);
      expect(groups.every((g) => g.retention_in_days === 30)).toBe(true);
    });

    it("G8: keeps 7 days of backups, deletion protection and a final snapshot", () => {
      expect(s.json).toHaveResourceWithProperties(DocdbCluster, {
        backup_retention_period: 7,
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: "chat-platform-dev-docdb-final",
      });
    });

    it("G5: has a security group with no rules and no egress until a stack allows a workload", () => {
      expect(Object.keys(resources(s, "aws_security_group"))).toHaveLength(1);
      expect(resources(s, "aws_vpc_security_group_ingress_rule")).toEqual({});
      expect(resources(s, "aws_vpc_security_group_egress_rule")).toEqual({});
      expect(only(s, "aws_docdb_cluster").vpc_security_group_ids[0]).toContain("aws_security_group.");
    });

    it("exposes the MongoDB port and the cluster identifier", () => {
      expect(db.port).toBe(27017);
      expect(only(s, "aws_docdb_cluster").cluster_identifier).toBe("chat-platform-dev-docdb");
      expect(only(s, "aws_docdb_cluster").port).toBe(27017);
    });
  });

  describe("with replicas, a customer key and prevent_destroy", () => {
    const s = synthWith((scope) =>
      new DocumentDb(scope, "Documents", {
        ...base,
        instances: 3,
        instanceClass: "db.r6g.large",
        backupRetentionDays: 14,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        preventDestroy: true,
        logRetentionDays: 90,
      }),
    );

    it("places the primary and each replica in a different AZ", () => {
      const instances = Object.values(resources(s, "aws_docdb_cluster_instance"));
      expect(instances.map((i) => i.availability_zone)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
      expect(instances.map((i) => i.identifier)).toEqual(["chat-platform-dev-docdb-1", "chat-platform-dev-docdb-2", "chat-platform-dev-docdb-3"]);
      expect(instances.map((i) => i.promotion_tier)).toEqual([0, 1, 1]);
      expect(instances.every((i) => i.instance_class === "db.r6g.large")).toBe(true);
    });

    it("encrypts storage and logs with the customer key", () => {
      expect(only(s, "aws_docdb_cluster").kms_key_id).toBe("arn:aws:kms:eu-west-1:123456789012:key/abc");
      const groups = Object.values(resources(s, "aws_cloudwatch_log_group"));
      expect(groups.every((g) => g.kms_key_id === "arn:aws:kms:eu-west-1:123456789012:key/abc" && g.retention_in_days === 90)).toBe(true);
    });

    it("carries prevent_destroy on the cluster and its instances", () => {
      expect(only(s, "aws_docdb_cluster").lifecycle.prevent_destroy).toBe(true);
      expect(Object.values(resources(s, "aws_docdb_cluster_instance")).every((i) => i.lifecycle.prevent_destroy === true)).toBe(true);
      expect(only(s, "aws_docdb_cluster").backup_retention_period).toBe(14);
    });
  });

  describe("without a final snapshot or deletion protection (dev)", () => {
    const s = synthWith((scope) => new DocumentDb(scope, "Documents", { ...base, skipFinalSnapshot: true, deletionProtection: false, engineVersion: "4.0.0" }));

    it("skips the final snapshot and names no snapshot", () => {
      const cluster = only(s, "aws_docdb_cluster");
      expect(cluster.skip_final_snapshot).toBe(true);
      expect(cluster.final_snapshot_identifier).toBeUndefined();
      expect(cluster.deletion_protection).toBe(false);
    });

    it("uses the parameter group family of the engine version", () => {
      expect(only(s, "aws_docdb_cluster_parameter_group").family).toBe("docdb4.0");
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<DocumentDbProps>) => () => synthWith((scope) => new DocumentDb(scope, "D", { ...base, ...props }));

    it("an identifier with upper case", () => {
      expect(build({ name: "Chat-DocDB" })).toThrow(/test\/D: name = "Chat-DocDB" is not allowed; expected lowercase letters/);
    });
    it("an identifier starting with a digit", () => {
      expect(build({ name: "1docdb" })).toThrow(/name = "1docdb" .* starting with a letter/);
    });
    it("an identifier with two consecutive hyphens", () => {
      expect(build({ name: "chat--docdb" })).toThrow(/name = "chat--docdb" .* consecutive hyphens/);
    });
    it("an identifier too long for its instance identifiers", () => {
      expect(build({ name: "d".repeat(61) })).toThrow(/name = "d{61}" .* at most 60 characters/);
    });
    it("zero instances", () => {
      expect(build({ instances: 0 })).toThrow(/instances = 0 .* from 1 to 16/);
    });
    it("17 instances", () => {
      expect(build({ instances: 17 })).toThrow(/instances = 17 .* from 1 to 16/);
    });
    it("backups kept 36 days", () => {
      expect(build({ backupRetentionDays: 36 })).toThrow(/backupRetentionDays = 36 .* from 1 to 35/);
    });
    it("backups kept 0 days", () => {
      expect(build({ backupRetentionDays: 0 })).toThrow(/backupRetentionDays = 0 .* from 1 to 35/);
    });
    it("a reserved master user name", () => {
      expect(build({ masterUsername: "admin" })).toThrow(/masterUsername = "admin" .* does not reserve/);
    });
    it("a master user name with an underscore", () => {
      expect(build({ masterUsername: "app_admin" })).toThrow(/masterUsername = "app_admin" .* refuses underscores/);
    });
    it("an instance class DocumentDB does not offer", () => {
      expect(build({ instanceClass: "db.t3.micro" })).toThrow(/instanceClass = "db.t3.micro" .* a DocumentDB instance class/);
    });
    it("an engine version DocumentDB does not offer", () => {
      expect(build({ engineVersion: "6.0.0" as never })).toThrow(/engineVersion = "6.0.0" .* expected one of "4.0.0", "5.0.0", "8.0.0"/);
    });
    it("a log retention CloudWatch does not accept", () => {
      expect(build({ logRetentionDays: 10 })).toThrow(/logRetentionDays = 10 .* CloudWatch Logs retention/);
    });
    it("a backup window that touches the maintenance window", () => {
      expect(build({ backupWindow: "02:00-03:00" })).toThrow(/backupWindow = "02:00-03:00" .* does not overlap maintenanceWindow/);
    });
    it("a backup window that overlaps the maintenance window", () => {
      expect(build({ backupWindow: "03:30-04:30" })).toThrow(/backupWindow = "03:30-04:30" .* does not overlap maintenanceWindow/);
    });
    it("a backup window shorter than 30 minutes", () => {
      expect(build({ backupWindow: "02:00-02:15" })).toThrow(/backupWindow = "02:00-02:15" .* at least 30 minutes/);
    });
    it("a KMS key that is not a KMS ARN", () => {
      expect(build({ kmsKeyArn: "alias/docdb" })).toThrow(/kmsKeyArn = "alias\/docdb" .* an ARN of the kms service/);
    });
  });
});
