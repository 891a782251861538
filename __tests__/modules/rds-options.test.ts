import { Database, DatabaseProps } from "../../modules/rds";
import { INetwork } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { twoAzNetwork, withDatabaseTier } from "../support/networks";

const network: INetwork = withDatabaseTier(twoAzNetwork);
const KMS = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666";
const AURORA = { kind: "aurora-serverless-v2" as const, minAcu: 0.5, maxAcu: 4 };

function build(props: Partial<DatabaseProps> = {}) {
  let db!: Database;
  const s = synthWith((scope) => { db = new Database(scope, "Db", { name: "sys-dev-db", network, ...props }); });
  return { s, db };
}
const params = (group: any) => Object.fromEntries(group.parameter.map((p: any) => [p.name, [p.value, p.apply_method]]));

describe("Database options (issue 8.5)", () => {
  it("issue 8.4: the subnet group uses the network's isolated database subnets", () => {
    expect(only(build().s, "aws_db_subnet_group").subnet_ids).toEqual(["subnet-db-a", "subnet-db-b"]);
  });

  it("issue 8.5: a parameter group with a custom parameter, static ones pending a reboot, the module's kept", () => {
    const { s } = build({ parameters: { work_mem: "65536", shared_preload_libraries: { value: "pg_stat_statements", applyMethod: "pending-reboot" }, log_min_duration_statement: 500 } });
    const group = only(s, "aws_db_parameter_group");
    expect(group.family).toBe("postgres16");
    expect(params(group)).toEqual({
      "rds.force_ssl": ["1", "immediate"],
      log_min_duration_statement: ["500", "immediate"],
      work_mem: ["65536", "immediate"],
      shared_preload_libraries: ["pg_stat_statements", "pending-reboot"],
    });
  });

  it("issue 8.5: custom parameters reach the Aurora cluster parameter group too", () => {
    const { s } = build({ engine: AURORA, parameters: { log_statement: "all", "pgaudit.log": "ddl" } });
    const group = only(s, "aws_rds_cluster_parameter_group");
    expect(group.family).toBe("aurora-postgresql16");
    expect(params(group)).toMatchObject({ log_statement: ["all", "immediate"], "pgaudit.log": ["ddl", "immediate"], "rds.force_ssl": ["1", "immediate"] });
    expect(group.parameter.filter((p: any) => p.name === "log_statement")).toHaveLength(1);
  });

  it("issue 8.5: read replicas replicate from the primary in its security group and parameter group", () => {
    const { s, db } = build({ kmsKeyArn: KMS, readReplicas: { count: 2, instanceClass: "db.t3.small" } });
    const instances = Object.entries(resources(s, "aws_db_instance"));
    expect(instances).toHaveLength(3);
    const [primaryId] = instances.find(([, i]) => i.identifier === "sys-dev-db")!;
    const replicas = instances.filter(([, i]) => i.replicate_source_db !== undefined).map(([, i]) => i);
    expect(replicas.map((r) => r.identifier)).toEqual(["sys-dev-db-replica-1", "sys-dev-db-replica-2"]);
    for (const r of replicas) {
      expect(r).toMatchObject({ replicate_source_db: `\${aws_db_instance.${primaryId}.identifier}`, instance_class: "db.t3.small", storage_encrypted: true, kms_key_id: KMS, publicly_accessible: false, backup_retention_period: 0, skip_final_snapshot: true });
      expect(r.parameter_group_name).toBe(`\${aws_db_instance.${primaryId}.parameter_group_name}`);
      expect(r.username).toBeUndefined();
    }
    expect(db.readReplicaEndpoints).toHaveLength(2);
  });

  it("issue 8.5: major-version upgrades are blocked by default and allowed when asked (the documented path)", () => {
    expect(only(build().s, "aws_db_instance").allow_major_version_upgrade).toBe(false);
    const upgraded = build({ engineVersion: "17", allowMajorVersionUpgrade: true }).s;
    expect(only(upgraded, "aws_db_instance")).toMatchObject({ engine_version: "17", allow_major_version_upgrade: true });
    const group = only(upgraded, "aws_db_parameter_group");
    expect(group).toMatchObject({ name: "sys-dev-db-postgres17", family: "postgres17", lifecycle: { create_before_destroy: true } });
    expect(only(build({ engine: AURORA, allowMajorVersionUpgrade: true }).s, "aws_rds_cluster").allow_major_version_upgrade).toBe(true);
  });

  describe("refuses", () => {
    const refuse = (props: Partial<DatabaseProps>) => () => build(props);
    it("a custom parameter that turns TLS off, a bad name, value or apply method", () => {
      expect(refuse({ parameters: { "rds.force_ssl": "0" } })).toThrow(/^test\/Db: parameters\.rds\.force_ssl = "0" is not allowed; expected 1: the module sets it for TLS in transit \(G6\)$/);
      expect(refuse({ parameters: { "Work-Mem": "1" } })).toThrow(/^test\/Db: parameters = "Work-Mem" is not allowed; expected PostgreSQL parameter names/);
      expect(refuse({ parameters: { work_mem: "" } })).toThrow(/parameters\.work_mem = "" is not allowed; expected a non-empty string or number/);
      expect(refuse({ parameters: { work_mem: { value: "1", applyMethod: "later" as never } } })).toThrow(/parameters\.work_mem\.applyMethod = "later" is not allowed; expected one of "immediate", "pending-reboot"/);
    });
    it("read replicas on Aurora, or a count outside 1-15", () => {
      expect(refuse({ engine: AURORA, readReplicas: { count: 1 } })).toThrow(/^test\/Db: readReplicas = \{"count":1\} is not allowed; only for engine kind "instance"/);
      expect(refuse({ readReplicas: { count: 16 } })).toThrow(/readReplicas\.count = 16 is not allowed; expected a whole number from 1 to 15/);
      expect(refuse({ readReplicas: { count: 1, instanceClass: "t3.micro" } })).toThrow(/readReplicas\.instanceClass = "t3\.micro" is not allowed/);
      const long = `sys-${"x".repeat(50)}`;
      expect(() => synthWith((scope) => new Database(scope, "Db", { name: long, network, readReplicas: { count: 2 } }))).toThrow(/^test\/Db: name = ".*" is not allowed; expected at most 53 characters so that instance identifiers such as ".*-replica-2" fit/);
    });
    it("an allowMajorVersionUpgrade that is not a boolean", () => {
      expect(refuse({ allowMajorVersionUpgrade: "yes" as never })).toThrow(/^test\/Db: allowMajorVersionUpgrade = "yes" is not allowed; expected true or false$/);
    });
  });
});

describe("Aurora readers (issue 8.5)", () => {
  const AURORA3 = { kind: "aurora-serverless-v2" as const, minAcu: 0.5, maxAcu: 8, instances: 3 };

  it("issue 8.5: provisioned readers beside the Serverless v2 writer", () => {
    const { s } = build({ engine: { ...AURORA3, readerInstanceClass: "db.r6g.large" } });
    const classes = Object.values(resources(s, "aws_rds_cluster_instance")).map((i: any) => [i.identifier, i.instance_class]).sort();
    expect(classes).toEqual([["sys-dev-db-1", "db.serverless"], ["sys-dev-db-2", "db.r6g.large"], ["sys-dev-db-3", "db.r6g.large"]]);
    expect(only(s, "aws_rds_cluster").serverlessv2_scaling_configuration).toEqual({ min_capacity: 0.5, max_capacity: 8 });
  });

  it("issue 8.5: reader auto scaling tracks the readers' average CPU on rds:cluster:ReadReplicaCount", () => {
    const { s } = build({ engine: { ...AURORA3, readerAutoScaling: { minReaders: 1, maxReaders: 4 } } });
    const target = only(s, "aws_appautoscaling_target");
    expect(target).toMatchObject({ service_namespace: "rds", scalable_dimension: "rds:cluster:ReadReplicaCount", min_capacity: 1, max_capacity: 4 });
    expect(target.resource_id).toMatch(/^cluster:\$\{aws_rds_cluster\.Db_Cluster_[A-Z0-9]+\.cluster_identifier\}$/);
    expect(only(s, "aws_appautoscaling_policy").target_tracking_scaling_policy_configuration).toMatchObject({ predefined_metric_specification: { predefined_metric_type: "RDSReaderAverageCPUUtilization" }, target_value: 70 });
  });

  it("refuses a reader class that is not an RDS class and min readers above max", () => {
    expect(() => build({ engine: { ...AURORA3, readerInstanceClass: "r6g.large" } })).toThrow(/^test\/Db: engine\.readerInstanceClass = "r6g\.large" is not allowed; expected "db\.serverless" or a provisioned class/);
    expect(() => build({ engine: { ...AURORA3, readerAutoScaling: { minReaders: 5, maxReaders: 2 } } })).toThrow(/^test\/Db: engine\.readerAutoScaling\.minReaders = 5 is not allowed; expected minReaders <= maxReaders \(2\)$/);
    expect(() => build({ engine: { ...AURORA3, readerAutoScaling: { minReaders: 1, maxReaders: 16 } } })).toThrow(/engine\.readerAutoScaling\.maxReaders = 16 is not allowed; expected a whole number from 1 to 15/);
  });
});
