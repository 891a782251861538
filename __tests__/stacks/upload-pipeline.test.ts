import { App, Testing } from "cdktf";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UploadPipelineStack, WORKLOADS } from "../../stacks/upload-pipeline";
import { buildApp } from "../../stacks";
import { Environment, EnvironmentName, environments } from "../../environments";
import { validateEnvironment } from "../../environments/validate";
import { resources } from "../support/synth";
import { decodeJsonencode, differences, synthCustom, synthSystem, withSettings, synthesizedInBeforeAll, githubTrust, trustedServices } from "../support/stacks";
import type { Synthesized } from "../support/synth";

const ENVS: EnvironmentName[] = ["dev", "staging", "prod"];
const all = (s: Synthesized, type: string): any[] => Object.values(resources(s, type));
const synthEnv = (environment: Environment): Synthesized => synthCustom((app: App) => new UploadPipelineStack(app, { environment }));
/** The logical id of the resource of `type` matching `where`. */
const idWhere = (s: Synthesized, type: string, where: (r: any) => boolean): string => {
  const found = Object.entries(resources(s, type)).filter(([, r]) => where(r));
  if (found.length !== 1) throw new Error(`expected one matching ${type}, found ${found.length}`);
  return found[0][0];
};
const ref = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;
/** The decoded inline policy statements of the role named `name`. */
const statementsOf = (s: Synthesized, name: string): any[] => {
  const roleId = idWhere(s, "aws_iam_role", (r) => r.name === name);
  return all(s, "aws_iam_role_policy")
    .filter((p) => String(p.role).includes(`aws_iam_role.${roleId}.`))
    .flatMap((p) => decodeJsonencode(p.policy).Statement);
};
const actionsOn = (statements: any[], resource: string): string[] =>
  statements.filter((st) => st.Resource.some((r: string) => r.includes(resource))).flatMap((st) => st.Action).sort();

describe.each(ENVS)("upload-pipeline-%s", (env) => {
  const s = synthesizedInBeforeAll("upload-pipeline", env);
  const settings = environments[env];
  const cfg = settings.systems.uploadPipeline;
  const prefix = `upload-pipeline-${env}`;
  let bucketId = "";
  let queueId = "";
  let dlqId = "";
  let keyRef = "";
  beforeAll(() => {
    bucketId = idWhere(s, "aws_s3_bucket", (b) => b.bucket === `${prefix}-uploads`);
    queueId = idWhere(s, "aws_sqs_queue", (q) => q.name === `${prefix}-jobs`);
    dlqId = idWhere(s, "aws_sqs_queue", (q) => q.name === `${prefix}-jobs-dlq`);
    // The stack's key (prod also has the DR replica's key in the replica region, UP9).
    keyRef = ref("aws_kms_key", idWhere(s, "aws_kms_key", (k) => k.provider === undefined), "arn");
  });
  const ofBucket = (type: string) => all(s, type).find((r) => r.bucket === ref("aws_s3_bucket", bucketId, "id"));



  it("G4: a VPC with public and private subnets in the environment's AZs, NAT as the environment says", () => {
    expect(all(s, "aws_vpc").map((v) => v.cidr_block)).toEqual([cfg.vpcCidr]);
    const subnets = all(s, "aws_subnet");
    expect(subnets.filter((x) => x.tags?.Tier === "public")).toHaveLength(cfg.azCount);
    expect(subnets.filter((x) => x.tags?.Tier === "private")).toHaveLength(cfg.azCount);
    expect(cfg.azCount).toBeGreaterThanOrEqual(2);
    expect(all(s, "aws_nat_gateway")).toHaveLength({ none: 0, single: 1, perAz: cfg.azCount }[cfg.natGateways]);
  });

  it("G4: nothing faces the internet: private EKS endpoint, nodes in private subnets, database in the isolated tier, no open ingress", () => {
    const cluster = all(s, "aws_eks_cluster")[0];
    expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    expect(cluster.vpc_config.subnet_ids.every((id: string) => id.includes("PrivateSubnet"))).toBe(true);
    expect(all(s, "aws_db_instance")[0].publicly_accessible).toBe(false);
    const dbSubnets = all(s, "aws_db_subnet_group")[0].subnet_ids;
    expect(dbSubnets.every((id: string) => id.includes("DatabaseSubnet"))).toBe(true);
    const open = all(s, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv4 === "0.0.0.0/0" || r.cidr_ipv6 === "::/0");
    expect(open).toEqual([]);
  });

  it("UP1: the upload bucket is versioned, encrypted with the stack's key and blocks public access", () => {
    expect(ofBucket("aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(ofBucket("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: keyRef });
    expect(ofBucket("aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const policy = decodeJsonencode(ofBucket("aws_s3_bucket_policy").policy);
    expect(policy.Statement.find((x: any) => x.Sid === "DenyInsecureTransport")).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("UP1: lifecycle moves uploads to Glacier after 30 and 90 days", () => {
    const archive = ofBucket("aws_s3_bucket_lifecycle_configuration").rule.find((r: any) => r.id === "archive");
    expect(archive.status).toBe("Enabled");
    expect(archive.filter).toEqual([{ prefix: "" }]);
    expect(archive.transition).toEqual([
      { days: 30, storage_class: "GLACIER_IR" },
      { days: 90, storage_class: "GLACIER" },
    ]);
  });

  it("UP1: CORS lets the environment's browser origins PUT with pre-signed URLs", () => {
    const [rule] = ofBucket("aws_s3_bucket_cors_configuration").cors_rule;
    expect(rule.allowed_origins).toEqual(cfg.uploadCorsOrigins);
    expect(rule.allowed_origins).not.toContain("*");
    expect(rule.allowed_methods).toContain("PUT");
    expect(rule.expose_headers).toContain("ETag");
  });

  it("UP2: a job queue with a dead-letter queue, encrypted, with the parser's visibility timeout", () => {
    const queues = resources(s, "aws_sqs_queue");
    expect(Object.keys(queues)).toHaveLength(2);
    expect(queues[queueId].visibility_timeout_seconds).toBe(cfg.queue.visibilityTimeoutSeconds);
    for (const q of Object.values(queues)) expect(q.kms_master_key_id, q.name).toBe(keyRef);
    const redrive = all(s, "aws_sqs_queue_redrive_policy");
    expect(redrive).toHaveLength(1);
    expect(redrive[0].queue_url).toBe(ref("aws_sqs_queue", queueId, "url"));
    expect(decodeJsonencode(redrive[0].redrive_policy)).toEqual({ deadLetterTargetArn: `<ref:aws_sqs_queue.${dlqId}.arn>`, maxReceiveCount: cfg.queue.maxReceiveCount });
    // The dead-letter queue keeps messages longer than the queue, and accepts redrives from it alone.
    expect(queues[dlqId].message_retention_seconds).toBeGreaterThan(queues[queueId].message_retention_seconds);
    const allow = decodeJsonencode(all(s, "aws_sqs_queue_redrive_allow_policy")[0].redrive_allow_policy);
    expect(allow).toEqual({ redrivePermission: "byQueue", sourceQueueArns: [`<ref:aws_sqs_queue.${queueId}.arn>`] });
  });

  it("UP2 / issue 8.3: alarms on the dead-letter queue's depth, notifying the stack's encrypted alarm topic", () => {
    const topics = Object.entries(resources(s, "aws_sns_topic"));
    expect(topics).toHaveLength(1);
    const [topicId, topic] = topics[0];
    expect(topic.kms_master_key_id).toBe(keyRef);
    const alarm = all(s, "aws_cloudwatch_metric_alarm").find((x) => x.namespace === "AWS/SQS");
    expect(alarm).toMatchObject({ metric_name: "ApproximateNumberOfMessagesVisible", comparison_operator: "GreaterThanThreshold", threshold: 0 });
    expect(alarm.dimensions).toEqual({ QueueName: ref("aws_sqs_queue", dlqId, "name") });
    expect(alarm.alarm_actions).toEqual([ref("aws_sns_topic", topicId, "arn")]);
  });

  it("UP3: EKS with a managed node group in private subnets, IMDSv2 and encrypted disks, sized as the environment says", () => {
    const cluster = all(s, "aws_eks_cluster")[0];
    expect(cluster.name).toBe(prefix);
    expect(cluster.version).toBe(cfg.eks.kubernetesVersion);
    const groups = all(s, "aws_eks_node_group");
    expect(groups).toHaveLength(1);
    expect(groups[0].scaling_config).toEqual({ min_size: cfg.eks.minSize, desired_size: cfg.eks.desiredSize, max_size: cfg.eks.maxSize });
    expect(groups[0].instance_types).toEqual(cfg.eks.instanceTypes);
    expect(groups[0].subnet_ids).toEqual(cluster.vpc_config.subnet_ids);
    const lt = all(s, "aws_launch_template")[0];
    expect(lt.metadata_options.http_tokens).toBe("required");
    expect(String(lt.block_device_mappings[0].ebs.encrypted)).toBe("true");
  });

  it("UP3: an OIDC provider for IRSA, all control-plane logs, and secrets encrypted with the stack's key", () => {
    const clusterId = idWhere(s, "aws_eks_cluster", () => true);
    const oidc = all(s, "aws_iam_openid_connect_provider");
    expect(oidc).toHaveLength(1);
    expect(oidc[0].url).toBe(`\${aws_eks_cluster.${clusterId}.identity[0].oidc[0].issuer}`);
    expect(oidc[0].client_id_list).toEqual(["sts.amazonaws.com"]);
    const cluster = resources(s, "aws_eks_cluster")[clusterId];
    expect([...cluster.enabled_cluster_log_types].sort()).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(cluster.encryption_config).toEqual({ provider: { key_arn: keyRef }, resources: ["secrets"] });
    const logGroup = all(s, "aws_cloudwatch_log_group").find((g) => g.name === `/aws/eks/${prefix}/cluster`);
    expect([logGroup.retention_in_days, logGroup.kms_key_id]).toEqual([cfg.logRetentionDays, keyRef]);
  });

  it("UP4: IRSA roles for uploader and parser, each trusted only for its own namespace and service account", () => {
    const oidcId = idWhere(s, "aws_iam_openid_connect_provider", () => true);
    for (const workload of WORKLOADS) {
      const role = all(s, "aws_iam_role").find((r) => r.name === `${prefix}-${workload}`);
      const trust = String(role.assume_role_policy);
      expect(trust, workload).toContain(`"Federated" = aws_iam_openid_connect_provider.${oidcId}.arn`);
      expect(trust, workload).toContain('"sts:AssumeRoleWithWebIdentity"');
      expect(trust, workload).toContain('"StringEquals"');
      expect(trust, workload).toContain(`"system:serviceaccount:${workload}:${workload}", "sts.amazonaws.com"`);
      expect(trust.match(/system:serviceaccount:/g), workload).toHaveLength(1);
      expect(trust, workload).not.toContain("StringLike");
    }
  });

  it("UP4: uploader may put to the upload bucket and send to the queue, nothing to read or consume", () => {
    const st = statementsOf(s, `${prefix}-uploader`);
    expect(actionsOn(st, `${bucketId}.arn}/*`)).toEqual(["s3:AbortMultipartUpload", "s3:PutObject"]);
    expect(actionsOn(st, `aws_sqs_queue.${queueId}.arn`)).toEqual(["sqs:GetQueueAttributes", "sqs:SendMessage"]);
    expect(JSON.stringify(st)).not.toMatch(/s3:GetObject|sqs:ReceiveMessage|sqs:DeleteMessage|aws_db_instance/);
  });

  it("UP4: parser may read the bucket, receive/delete from the queue and read its secrets, nothing to write", () => {
    const st = statementsOf(s, `${prefix}-parser`);
    expect(actionsOn(st, `${bucketId}.arn}/*`)).toEqual(["s3:GetObject", "s3:GetObjectVersion"]);
    expect(actionsOn(st, `aws_sqs_queue.${queueId}.arn`)).toEqual(expect.arrayContaining(["sqs:DeleteMessage", "sqs:ReceiveMessage"]));
    expect(actionsOn(st, "master_user_secret[0].secret_arn")).toContain("secretsmanager:GetSecretValue");
    expect(actionsOn(st, "aws_secretsmanager_secret.ConfluentKafka")).toContain("secretsmanager:GetSecretValue");
    expect(actionsOn(st, "aws_kms_key.")).toEqual(expect.arrayContaining(["kms:Decrypt"]));
    expect(JSON.stringify(st)).not.toMatch(/s3:PutObject|sqs:SendMessage|s3:DeleteObject/);
  });

  it("UP5: nothing Kafka is provisioned on AWS; the Confluent secret exists without a value", () => {
    const kafkaTypes = [...Object.keys(s.parsed.resource ?? {}), ...Object.keys(s.parsed.data ?? {})].filter((t) => /msk|kafka/.test(t));
    expect(kafkaTypes).toEqual([]);
    const secret = all(s, "aws_secretsmanager_secret");
    expect(secret.map((x) => x.name)).toEqual([`upload-pipeline/${env}/confluent-kafka`]);
    expect(secret[0].kms_key_id).toBe(keyRef);
    expect(all(s, "aws_secretsmanager_secret_version")).toHaveLength(0);
    expect(s.json).not.toMatch(/"secret_string"|"secret_binary"/);
  });

  it("UP6: PostgreSQL, encrypted, with automated backups and point-in-time recovery, Multi-AZ as the environment says", () => {
    const db = all(s, "aws_db_instance")[0];
    expect(db.engine).toBe("postgres");
    expect([db.storage_encrypted, db.kms_key_id]).toEqual([true, keyRef]);
    // Automated backups (retention > 0) are what enable point-in-time recovery on RDS.
    expect(db.backup_retention_period).toBe(settings.safety.backupRetentionDays);
    expect(db.backup_retention_period).toBeGreaterThan(0);
    expect(db.delete_automated_backups).toBe(false);
    expect(db.multi_az).toBe(cfg.database.multiAz);
    expect(db.multi_az).toBe(env === "prod");
    expect(db.instance_class).toBe(cfg.database.instanceClass);
  });

  it("UP7: the database password is managed by RDS in Secrets Manager, encrypted with the stack's key; the Kafka key has its own secret", () => {
    const db = all(s, "aws_db_instance")[0];
    expect(db.manage_master_user_password).toBe(true);
    expect(db.master_user_secret_kms_key_id).toBe(keyRef);
    expect(db.password).toBeUndefined();
    expect(s.parsed.output?.database_secret_arn.value).toMatch(/master_user_secret\[0\]\.secret_arn/);
    expect(s.parsed.output?.kafka_secret_arn.value).toMatch(/aws_secretsmanager_secret\.ConfluentKafka/);
  });

  it("UP8: outputs what the Helm charts need: role ARNs, queue URL, bucket name, cluster name and endpoint", () => {
    const out = s.parsed.output ?? {};
    const clusterId = idWhere(s, "aws_eks_cluster", () => true);
    expect(out.uploader_role_arn.value).toBe(ref("aws_iam_role", idWhere(s, "aws_iam_role", (r) => r.name === `${prefix}-uploader`), "arn"));
    expect(out.parser_role_arn.value).toBe(ref("aws_iam_role", idWhere(s, "aws_iam_role", (r) => r.name === `${prefix}-parser`), "arn"));
    expect(out.queue_url.value).toBe(ref("aws_sqs_queue", queueId, "url"));
    expect(out.upload_bucket_name.value).toBe(ref("aws_s3_bucket", bucketId, "bucket"));
    expect(out.cluster_name.value).toBe(ref("aws_eks_cluster", clusterId, "name"));
    expect(out.cluster_endpoint.value).toBe(ref("aws_eks_cluster", clusterId, "endpoint"));
  });

  it("UP9: replication is on exactly where the environment names a replica region (prod: issue 10 item 5)", () => {
    expect(cfg.replicaRegion).toBe(env === "prod" ? "eu-central-1" : undefined);
    expect(all(s, "aws_s3_bucket_replication_configuration")).toHaveLength(cfg.replicaRegion ? 1 : 0);
    expect(all(s, "aws_s3_bucket")).toHaveLength(cfg.replicaRegion ? 2 : 1);
  });

  it("G5: the database accepts only 5432, only from the cluster's security group", () => {
    const dbSg = ref("aws_security_group", idWhere(s, "aws_security_group", (g) => String(g.name).includes("-db")), "id");
    const rules = all(s, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === dbSg);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ from_port: 5432, to_port: 5432, ip_protocol: "tcp", referenced_security_group_id: ref("aws_security_group", idWhere(s, "aws_security_group", (g) => String(g.name).includes("eks")), "id") });
    expect(rules[0].cidr_ipv4).toBeUndefined();
  });

  it("G6: data at rest encrypted with the stack's key (bucket, queues, database, secret, repositories, logs, node disks)", () => {
    for (const r of all(s, "aws_ecr_repository")) expect(r.encryption_configuration[0]).toEqual({ encryption_type: "KMS", kms_key: keyRef });
    for (const g of all(s, "aws_cloudwatch_log_group")) expect(g.kms_key_id, g.name).toBe(keyRef);
    for (const q of all(s, "aws_sqs_queue")) expect(q.kms_master_key_id, q.name).toBe(keyRef);
    expect(all(s, "aws_db_instance")[0].kms_key_id).toBe(keyRef);
    expect(all(s, "aws_kms_key")[0].enable_key_rotation).toBe(true);
    // TLS in transit: the queues refuse plain HTTP.
    for (const p of all(s, "aws_sqs_queue_policy")) expect(decodeJsonencode(p.policy).Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("G7: no secret value in the synthesized JSON", () => {
    expect(s.json).not.toMatch(/"(password|master_password|auth_token|secret_string)"\s*:/);
  });

  it("G9: each workload has its own ECR repository and pod role; nodes pull images read-only", () => {
    expect(all(s, "aws_ecr_repository").map((r) => r.name).sort()).toEqual(WORKLOADS.map((w) => `${prefix}/${w}`).sort());
    const roles = WORKLOADS.map((w) => all(s, "aws_iam_role").find((r) => r.name === `${prefix}-${w}`));
    expect(roles.every(Boolean)).toBe(true);
    const out = s.parsed.output?.ecr_repository_urls.value;
    expect(Object.keys(out).sort()).toEqual([...WORKLOADS].sort());
    expect(all(s, "aws_iam_role_policy_attachment").some((a) => String(a.policy_arn).endsWith(":policy/AmazonEC2ContainerRegistryReadOnly"))).toBe(true);
  });

  it("G10: a GitHub Actions role trusted through OIDC for the upload-pipeline repository pushes images and deploys to the workloads' namespaces", () => {
    const role = all(s, "aws_iam_role").find((r) => r.name === `${prefix}-github-deploy`);
    expect(githubTrust(role.assume_role_policy)).toEqual({ webIdentity: true, subjects: ["repo:example-org/upload-pipeline:ref:refs/heads/main"] });
    const st = statementsOf(s, `${prefix}-github-deploy`);
    for (const id of Object.keys(resources(s, "aws_ecr_repository"))) expect(actionsOn(st, `aws_ecr_repository.${id}.arn`), id).toContain("ecr:PutImage");
    expect(actionsOn(st, "aws_eks_cluster.")).toEqual(["eks:DescribeCluster"]);
    const association = all(s, "aws_eks_access_policy_association")[0];
    expect(association.policy_arn).toMatch(/cluster-access-policy\/AmazonEKSEditPolicy$/);
    expect(association.access_scope).toEqual({ type: "namespace", namespaces: [...WORKLOADS] });
  });
});

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
