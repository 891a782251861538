/** The upload-pipeline stack per environment (G4, G7, G9, G10, UP1-UP8); across environments and settings: upload-pipeline-settings.test.ts. */
import { WORKLOADS } from "../../stacks/upload-pipeline";
import { environments } from "../../environments";
import { resources } from "../support/synth";
import { decodeJsonencode, synthesizedInBeforeAll, githubTrust } from "../support/stacks";
import { actionsOn, all, ENVS, idWhere, ref, statementsOf } from "./upload-pipeline.fixture";

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
