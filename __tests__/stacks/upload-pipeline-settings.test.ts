/** The upload-pipeline stack across environments (G1, G8, UP6) and with other settings (UP1-UP3, UP9); per environment: upload-pipeline.test.ts. */
import { Testing } from "cdktf";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../stacks";
import { environments } from "../../environments";
import { validateEnvironment } from "../../environments/validate";
import { resources } from "../support/synth";
import { differences, synthSystem, withSettings, trustedServices } from "../support/stacks";
import { all, ENVS, ref, synthEnv } from "./upload-pipeline.fixture";

describe("upload-pipeline across environments", () => {
  it("G1: one stack per environment, synthesized to cdktf.out/stacks/upload-pipeline-<env>/cdk.tf.json", () => {
    const outdir = mkdtempSync(join(tmpdir(), "upload-pipeline-synth-"));
    try {
      const app = Testing.app({ outdir });
      const stacks = buildApp(app, { systems: ["upload-pipeline"] });
      expect(stacks.map((st) => st.node.id)).toEqual(ENVS.map((e) => `upload-pipeline-${e}`));
      app.synth();
      for (const e of ENVS) expect(existsSync(join(outdir, "stacks", `upload-pipeline-${e}`, "cdk.tf.json")), e).toBe(true);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("G8: prod has Multi-AZ, deletion protection, final snapshots and 7-day backups; dev trades them", () => {
    const prod = all(synthSystem("upload-pipeline", "prod"), "aws_db_instance")[0];
    expect([prod.multi_az, prod.deletion_protection, prod.skip_final_snapshot, prod.lifecycle.prevent_destroy]).toEqual([true, true, false, true]);
    expect(prod.final_snapshot_identifier).toBe("upload-pipeline-prod-db-final");
    expect(prod.backup_retention_period).toBeGreaterThanOrEqual(7);
    const dev = all(synthSystem("upload-pipeline", "dev"), "aws_db_instance")[0];
    expect([dev.multi_az, dev.deletion_protection, dev.skip_final_snapshot, dev.lifecycle.prevent_destroy]).toEqual([false, false, true, false]);
    const prodBucket = all(synthSystem("upload-pipeline", "prod"), "aws_s3_bucket")[0];
    expect([prodBucket.force_destroy, prodBucket.lifecycle.prevent_destroy]).toEqual([false, true]);
  });

  it("UP6: the manual-snapshot-before-migration hook is documented", () => {
    const readme = readFileSync(join(__dirname, "../../modules/rds/README.md"), "utf8");
    expect(readme).toMatch(/snapshot before a schema migration|Before a schema migration, take a manual snapshot/i);
    expect(readme).toContain("aws rds create-db-snapshot");
    expect(readme).toContain("UP6");
  });

  it("prod differs from dev exactly where environments/ says (same code path, prod's settings under dev's name)", () => {
    const dev = synthSystem("upload-pipeline", "dev");
    const prodSettingsNamedDev = synthEnv({ ...environments.prod, name: "dev" });
    // Every difference traces to a line of prod.ts vs dev.ts; anything else means code branches on the environment.
    const bySetting: Record<string, string[]> = {
      "safety.deletionProtection": ["aws_db_instance.deletion_protection"],
      "safety.skipFinalSnapshot": ["aws_db_instance.final_snapshot_identifier", "aws_db_instance.skip_final_snapshot"],
      "safety.preventDestroy": [
        "aws_db_instance.lifecycle.prevent_destroy", "aws_kms_key.lifecycle.prevent_destroy",
        "aws_s3_bucket.lifecycle.prevent_destroy", "aws_secretsmanager_secret.lifecycle.prevent_destroy",
      ],
      "safety.forceDestroy": ["aws_ecr_repository.force_delete", "aws_s3_bucket.force_destroy"],
      // A third AZ: its subnets only added (every AZ has a fixed subnet slot), and everything placed in them.
      "azCount (2 -> 3)": [
        "aws_subnet (+)", "aws_route_table_association (+)",
        "aws_db_subnet_group.subnet_ids", "aws_eks_cluster.vpc_config.subnet_ids", "aws_eks_node_group.subnet_ids",
        "output.database_subnet_ids.value",
      ],
      "natGateways (single -> perAz)": [
        "aws_eip (+)", "aws_nat_gateway (+)", "aws_route (+)", "aws_route (-)", "aws_route_table (+)", "aws_route_table (-)",
        "aws_route_table_association.route_table_id", "aws_vpc_endpoint.route_table_ids", "output.route_table_ids.value.private",
      ],
      // UP9 (issue 10 item 5): prod replicates uploads to a second region, through a second provider.
      replicaRegion: [
        "aws_caller_identity (+)", "aws_iam_role (+)", "aws_iam_role_policy (+)", "aws_kms_alias (+)", "aws_kms_key (+)", "aws_partition (+)",
        "aws_region (+)", "aws_s3_bucket (+)", "aws_s3_bucket_lifecycle_configuration (+)", "aws_s3_bucket_notification (+)",
        "aws_s3_bucket_ownership_controls (+)", "aws_s3_bucket_policy (+)", "aws_s3_bucket_public_access_block (+)",
        "aws_s3_bucket_replication_configuration (+)", "aws_s3_bucket_server_side_encryption_configuration (+)", "aws_s3_bucket_versioning (+)",
        "provider.aws.alias", "provider.aws.default_tags.tags.Environment", "provider.aws.default_tags.tags.ManagedBy",
        "provider.aws.default_tags.tags.Project", "provider.aws.default_tags.tags.System", "provider.aws.region",
      ],
      // Issue 10 item 3: S3 server access logs and ALB access logs to the account's log bucket.
      accessLogsBucket: ["aws_s3_bucket_logging (+)"],
      // Issue 10 item 2: prod's interface endpoints (their security group, HTTPS from the VPC) and workload egress to them.
      egress: [
        "aws_security_group (+)", "aws_vpc_endpoint (+)", "aws_vpc_security_group_ingress_rule (+)",
      ],
      "eks.minSize / desiredSize / maxSize": ["aws_eks_node_group.scaling_config.desired_size", "aws_eks_node_group.scaling_config.max_size", "aws_eks_node_group.scaling_config.min_size"],
      "database.instanceClass": ["aws_db_instance.instance_class"],
      "database.maxAllocatedStorageGiB": ["aws_db_instance.max_allocated_storage"],
      "database.multiAz": ["aws_db_instance.multi_az"],
      uploadCorsOrigins: ["aws_s3_bucket_cors_configuration.cors_rule.allowed_origins"],
      logRetentionDays: ["aws_cloudwatch_log_group.retention_in_days"],
    };
    expect(differences(dev, prodSettingsNamedDev)).toEqual([...new Set(Object.values(bySetting).flat())].sort());
  });
});

describe("upload-pipeline settings", () => {
  describe("UP9: with a replica region", () => {
    const s = synthEnv(withSettings("dev", { systems: { uploadPipeline: { replicaRegion: "eu-central-1" } } }));
    const buckets = resources(s, "aws_s3_bucket");
    const sourceId = Object.keys(buckets).find((id) => buckets[id].bucket === "upload-pipeline-dev-uploads")!;
    const replicaId = Object.keys(buckets).find((id) => buckets[id].bucket === "upload-pipeline-dev-uploads-replica")!;

    it("UP9: a second aws provider, aliased, in the replica region, with the same default tags (G3)", () => {
      const providers = s.parsed.provider.aws;
      expect(providers).toHaveLength(2);
      const replica = providers.find((p: any) => p.alias === "replica");
      expect(replica.region).toBe("eu-central-1");
      expect(replica.default_tags).toEqual(providers.find((p: any) => !p.alias).default_tags);
    });

    it("UP9: a versioned, encrypted replica bucket with its own key, both in the replica region", () => {
      expect(replicaId).toBeDefined();
      expect(buckets[replicaId].provider).toBe("aws.replica");
      const replicaKey = Object.entries(resources(s, "aws_kms_key")).find(([, k]) => k.provider === "aws.replica");
      expect(replicaKey).toBeDefined();
      const ofReplica = (type: string) => all(s, type).find((r) => r.bucket === ref("aws_s3_bucket", replicaId, "id"));
      expect(ofReplica("aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
      expect(ofReplica("aws_s3_bucket_versioning").provider).toBe("aws.replica");
      expect(ofReplica("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(ref("aws_kms_key", replicaKey![0], "arn"));
      expect(ofReplica("aws_s3_bucket_public_access_block").block_public_policy).toBe(true);
      expect(ofReplica("aws_s3_bucket_lifecycle_configuration").rule.find((r: any) => r.id === "archive").transition).toHaveLength(2);
    });

    it("UP9: a replication configuration on the upload bucket, re-encrypting with the replica's key", () => {
      const [replication] = all(s, "aws_s3_bucket_replication_configuration");
      expect(replication.bucket).toBe(ref("aws_s3_bucket", sourceId, "id"));
      expect(replication.provider).toBeUndefined();
      const [rule] = replication.rule;
      expect(rule.status).toBe("Enabled");
      expect(rule.destination.bucket).toBe(ref("aws_s3_bucket", replicaId, "arn"));
      expect(rule.destination.encryption_configuration.replica_kms_key_id).toMatch(/aws_kms_key\.ReplicaKey/);
      expect(rule.source_selection_criteria.sse_kms_encrypted_objects.status).toBe("Enabled");
      const roleId = /aws_iam_role\.([^.]+)\.arn/.exec(replication.role)![1];
      expect(trustedServices(resources(s, "aws_iam_role")[roleId].assume_role_policy)).toEqual(["s3.amazonaws.com"]);
    });
  });

  describe("refuses", () => {
    it("UP9: a replica region equal to the stack's own region", () => {
      const env = withSettings("dev", { systems: { uploadPipeline: { replicaRegion: "eu-west-1" } } });
      const message = /^environments\/dev\.ts: systems\.uploadPipeline\.replicaRegion = "eu-west-1" is not allowed; expected a region other than the stack's own \(eu-west-1\)/;
      expect(() => synthEnv(env)).toThrow(message);
      expect(() => validateEnvironment(env)).toThrow(message);
    });

    it("UP9: a replica region that is not a region name", () => {
      const env = withSettings("dev", { systems: { uploadPipeline: { replicaRegion: "europe" } } });
      expect(() => validateEnvironment(env)).toThrow(/^environments\/dev\.ts: systems\.uploadPipeline\.replicaRegion = "europe" is not allowed; expected an AWS region/);
    });

    it("UP1: an upload CORS origin \"*\"", () => {
      const env = withSettings("dev", { systems: { uploadPipeline: { uploadCorsOrigins: ["https://dev.uploads.example.com", "*"] } } });
      expect(() => synthEnv(env)).toThrow(/^upload-pipeline-dev\/UploadBucket: cors\[0\]\.allowedOrigins = \["https:\/\/dev\.uploads\.example\.com","\*"\] is not allowed; expected explicit origins/);
    });

    it("UP1: no upload CORS origin at all", () => {
      const env = withSettings("dev", { systems: { uploadPipeline: { uploadCorsOrigins: [] } } });
      expect(() => synthEnv(env)).toThrow(/^upload-pipeline-dev\/UploadBucket: cors\[0\]\.allowedOrigins = \[\] is not allowed; expected at least one entry/);
    });

    it("UP3: an EKS node group whose minimum exceeds its maximum", () => {
      const env = withSettings("dev", { systems: { uploadPipeline: { eks: { minSize: 3, desiredSize: 3, maxSize: 2 } } } });
      expect(() => synthEnv(env)).toThrow(/^upload-pipeline-dev\/Cluster: nodeGroups\[0\]\.minSize = 3 is not allowed; .*maxSize/);
      expect(() => validateEnvironment(env)).toThrow(/^environments\/dev\.ts: systems\.uploadPipeline\.eks\.minSize = 3 is not allowed/);
    });

    it("UP2: a queue visibility timeout above SQS's 12 hours", () => {
      const env = withSettings("dev", { systems: { uploadPipeline: { queue: { visibilityTimeoutSeconds: 50000 } } } });
      expect(() => synthEnv(env)).toThrow(/^upload-pipeline-dev\/JobQueue: visibilityTimeoutSeconds = 50000 is not allowed/);
    });

    it("UP2: a dead-letter max receive count of 0", () => {
      const env = withSettings("dev", { systems: { uploadPipeline: { queue: { maxReceiveCount: 0 } } } });
      expect(() => synthEnv(env)).toThrow(/^upload-pipeline-dev\/JobQueue: deadLetter\.maxReceiveCount = 0 is not allowed/);
    });
  });
});
