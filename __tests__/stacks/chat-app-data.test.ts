/** chat-app stacks: data stores, CDN, Redis Cluster, WAF, tracing, blue/green, G4-G9 and outputs (the rest in chat-app.test.ts). */
import { CHAT_SERVICES } from "../../environments";
import { resources } from "../support/synth";
import { decodeJsonencode, roleStatements, namedResources } from "../support/stacks";
import { ENVS, all, ingress, idOf, EDGE, atEdge, inRegion, chatAppCase } from "./chat-app.fixture";

describe.each(ENVS)("chat-app-%s", (env) => {
  const { s, cfg, prefix, ecs, replicaProvider, atReplica } = chatAppCase(env);

  it("CA2: PostgreSQL on db.t3.medium, 20 GB, a supported major version, Multi-AZ as the environment says", () => {
    const db = all(s, "aws_db_instance");
    expect(db).toHaveLength(1);
    expect(db[0].engine).toBe("postgres");
    expect(Number(String(db[0].engine_version).split(".")[0])).toBeGreaterThanOrEqual(15);
    expect(db[0].instance_class).toBe("db.t3.medium");
    expect(db[0].allocated_storage).toBe(20);
    expect(db[0].multi_az).toBe(cfg.database.multiAz);
    expect(db[0].multi_az).toBe(env === "prod");
  });

  it("CA3: DocumentDB on db.t3.medium, encrypted with the stack's key, in the isolated database subnets", () => {
    const cluster = all(s, "aws_docdb_cluster")[0];
    expect(cluster.storage_encrypted).toBe(true);
    expect(cluster.kms_key_id).toMatch(/aws_kms_key\./);
    const instances = all(s, "aws_docdb_cluster_instance");
    expect(instances).toHaveLength(cfg.documentDb.instances);
    for (const i of instances) expect(i.instance_class).toBe("db.t3.medium");
    const subnets = all(s, "aws_docdb_subnet_group")[0].subnet_ids;
    expect(subnets).toHaveLength(3);
    expect(subnets.every((id: string) => id.includes("DatabaseSubnet"))).toBe(true);
  });

  it("CA4: MSK with 3 brokers across the 3 isolated database subnets, a supported Kafka version, TLS and IAM auth", () => {
    const msk = all(s, "aws_msk_cluster")[0];
    expect(msk.number_of_broker_nodes).toBe(3);
    expect(msk.broker_node_group_info.client_subnets).toHaveLength(3);
    expect(msk.broker_node_group_info.client_subnets.every((id: string) => id.includes("DatabaseSubnet"))).toBe(true);
    expect(msk.broker_node_group_info.connectivity_info.public_access.type).toBe("DISABLED");
    const [major, minor] = String(msk.kafka_version).split(".").map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(306);
    expect(msk.encryption_info.encryption_in_transit).toEqual({ client_broker: "TLS", in_cluster: true });
    expect(msk.client_authentication.sasl.iam).toBe(true);
    expect(msk.client_authentication.unauthenticated).toBe(false);
  });

  it("CA5: a private, versioned attachments bucket served by CloudFront through origin access control", () => {
    const bucketId = Object.entries(resources(s, "aws_s3_bucket")).find(([, b]) => b.bucket === `${prefix}-attachments`)?.[0];
    expect(bucketId).toBeDefined();
    const ofBucket = (type: string) => all(s, type).find((r) => r.bucket === `\${aws_s3_bucket.${bucketId}.id}`);
    expect(ofBucket("aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(ofBucket("aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const oac = all(s, "aws_cloudfront_origin_access_control")[0];
    expect(oac).toMatchObject({ origin_access_control_origin_type: "s3", signing_behavior: "always", signing_protocol: "sigv4" });
    const dist = all(s, "aws_cloudfront_distribution")[0];
    expect(dist.origin).toHaveLength(2); // the attachments bucket and its us-east-1 replica (failover)
    expect(dist.origin[0].domain_name).toBe(`\${aws_s3_bucket.${bucketId}.bucket_regional_domain_name}`);
    expect(dist.origin[0].origin_access_control_id).toBe(`\${aws_cloudfront_origin_access_control.${idOf(s, "aws_cloudfront_origin_access_control")}.id}`);
    expect(dist.origin[0].s3_origin_config).toBeUndefined(); // no legacy origin access identity
    expect(dist.default_cache_behavior.viewer_protocol_policy).toBe("redirect-to-https");
  });

  it("CA5: the bucket policy lets only this distribution read, and the key lets CloudFront decrypt", () => {
    const bucketId = Object.entries(resources(s, "aws_s3_bucket")).find(([, b]) => b.bucket === `${prefix}-attachments`)?.[0];
    const policy = decodeJsonencode(all(s, "aws_s3_bucket_policy").find((p) => p.bucket === `\${aws_s3_bucket.${bucketId}.id}`).policy);
    const allows = policy.Statement.filter((x: any) => x.Effect === "Allow");
    expect(allows).toEqual([
      {
        Sid: "AllowCloudFrontRead",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: ["s3:GetObject"],
        Resource: [`\${aws_s3_bucket.${bucketId}.arn}/*`],
        Condition: { StringEquals: { "AWS:SourceArn": `<ref:aws_cloudfront_distribution.${idOf(s, "aws_cloudfront_distribution")}.arn>` } },
      },
    ]);
    expect(policy.Statement.find((x: any) => x.Sid === "DenyInsecureTransport").Effect).toBe("Deny");
    const keyPolicy = decodeJsonencode(resources(s, "aws_kms_key")[idOf(s, "aws_kms_key", inRegion)].policy);
    const integrations = keyPolicy.Statement.find((x: any) => x.Sid === "ServiceIntegrations");
    expect(integrations.Principal.Service).toContain("cloudfront.amazonaws.com");
    expect(integrations.Action).toContain("kms:Decrypt");
  });

  it(`CA5: the distribution fails over to the ${cfg.attachmentsReplicaRegion ?? "us-east-1"} replica, which receives every attachment`, () => {
    const bucketId = (name: string) => idOf(s, "aws_s3_bucket", (b) => b.bucket === name);
    const [primaryId, replicaId] = [bucketId(`${prefix}-attachments`), bucketId(`${prefix}-attachments-replica`)];
    const edgeKeyRef = `\${aws_kms_key.${idOf(s, "aws_kms_key", atReplica)}.arn}`;
    expect(resources(s, "aws_s3_bucket")[replicaId].provider).toBe(replicaProvider);
    // Replication: every object, delete markers too, re-encrypted with the replica region's key.
    const replication = all(s, "aws_s3_bucket_replication_configuration").find((r) => r.bucket === `\${aws_s3_bucket.${primaryId}.id}`);
    expect(replication.rule[0]).toMatchObject({
      status: "Enabled",
      filter: { prefix: "" },
      delete_marker_replication: { status: "Enabled" },
      destination: { bucket: `\${aws_s3_bucket.${replicaId}.arn}`, encryption_configuration: { replica_kms_key_id: edgeKeyRef } },
    });
    // The default behaviour targets an origin group: the primary first, the replica on 403/404/5xx.
    const dist = all(s, "aws_cloudfront_distribution")[0];
    const oac = `\${aws_cloudfront_origin_access_control.${idOf(s, "aws_cloudfront_origin_access_control")}.id}`;
    expect(dist.origin[1]).toEqual({ origin_id: "s3-failover", domain_name: `\${aws_s3_bucket.${replicaId}.bucket_regional_domain_name}`, origin_access_control_id: oac });
    expect(dist.origin_group).toEqual([{ origin_id: "s3-with-failover", failover_criteria: { status_codes: [403, 404, 500, 502, 503, 504] }, member: [{ origin_id: "s3" }, { origin_id: "s3-failover" }] }]);
    expect(dist.default_cache_behavior.target_origin_id).toBe("s3-with-failover");
    // The replica, private like the primary, lets only this distribution read; its key lets CloudFront decrypt.
    const policy = decodeJsonencode(all(s, "aws_s3_bucket_policy").find((p) => p.bucket === `\${aws_s3_bucket.${replicaId}.id}`).policy);
    expect(policy.Statement.filter((x: any) => x.Effect === "Allow")).toEqual([expect.objectContaining({
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: ["s3:GetObject"],
      Resource: [`\${aws_s3_bucket.${replicaId}.arn}/*`],
      Condition: { StringEquals: { "AWS:SourceArn": `<ref:aws_cloudfront_distribution.${idOf(s, "aws_cloudfront_distribution")}.arn>` } },
    })]);
    expect(all(s, "aws_s3_bucket_public_access_block").find((b) => b.bucket === `\${aws_s3_bucket.${replicaId}.id}`)).toMatchObject({ block_public_policy: true, restrict_public_buckets: true });
    const edgeKeyPolicy = decodeJsonencode(resources(s, "aws_kms_key")[idOf(s, "aws_kms_key", atReplica)].policy);
    const integrations = edgeKeyPolicy.Statement.find((x: any) => x.Sid === "ServiceIntegrations");
    expect([integrations.Principal.Service, integrations.Action]).toEqual([["cloudfront.amazonaws.com"], expect.arrayContaining(["kms:Decrypt"])]);
  });

  it("CA5: the CDN serves the environment's domains with its us-east-1 certificate (TLS 1.2+), blocks its countries and sends security headers", () => {
    const dist = all(s, "aws_cloudfront_distribution")[0];
    if (cfg.cdn.certificateArn) {
      expect(dist.aliases).toEqual(cfg.cdn.aliases);
      expect(dist.viewer_certificate).toEqual({ acm_certificate_arn: cfg.cdn.certificateArn, ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" });
    } else {
      expect(dist.aliases).toBeUndefined();
      expect(dist.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    }
    expect(dist.restrictions.geo_restriction).toEqual(cfg.cdn.blockedCountries.length
      ? { restriction_type: "blacklist", locations: cfg.cdn.blockedCountries }
      : { restriction_type: "none", locations: [] });
    expect(dist.default_cache_behavior.response_headers_policy_id).toBe(`\${aws_cloudfront_response_headers_policy.${idOf(s, "aws_cloudfront_response_headers_policy")}.id}`);
    expect(dist.default_root_object).toBe("index.html");
    if (env === "prod") expect([dist.aliases, dist.restrictions.geo_restriction.restriction_type]).toEqual([["files.chat.example.com"], "blacklist"]);
  });

  it("CA6: six Redis nodes on EC2 across three isolated database subnets, sized for the environment, without public IPs, IMDSv2 only", () => {
    const nodes = all(s, "aws_instance");
    expect(nodes).toHaveLength(6);
    expect(nodes.filter((n) => n.tags.RedisRole === "primary")).toHaveLength(3);
    expect(nodes.filter((n) => n.tags.RedisRole === "replica")).toHaveLength(3);
    expect(new Set(nodes.map((n) => n.subnet_id)).size).toBe(3);
    for (const n of nodes) {
      expect(n.subnet_id).toMatch(/DatabaseSubnet/);
      expect(n.associate_public_ip_address).toBe(false);
      expect(n.instance_type).toBe(env === "prod" ? "t3.medium" : "t3.micro");
      expect(n.metadata_options.http_tokens).toBe("required");
      expect(n.root_block_device.encrypted).toBe(true);
    }
    // Each shard's replica sits in another AZ than its primary.
    for (const shard of ["1", "2", "3"]) {
      const [primary, replica] = ["primary", "replica"].map((role) => nodes.find((n) => n.tags.RedisShard === shard && n.tags.RedisRole === role));
      expect(primary.subnet_id, shard).not.toBe(replica.subnet_id);
    }
  });

  it("CA6: the Redis security group is open only to the VPC CIDR, on 6379 and the cluster bus 16379", () => {
    const sgId = Object.entries(resources(s, "aws_security_group")).find(([, g]) => String(g.name).includes("redis-cluster"))?.[0];
    expect(sgId).toBeDefined();
    const rules = ingress(s).filter((r) => r.security_group_id === `\${aws_security_group.${sgId}.id}`);
    expect(rules.map((r) => [r.from_port, r.to_port, r.ip_protocol, r.cidr_ipv4]).sort()).toEqual([
      [16379, 16379, "tcp", "10.0.0.0/16"],
      [6379, 6379, "tcp", "10.0.0.0/16"],
    ]);
    for (const n of all(s, "aws_instance")) expect(n.vpc_security_group_ids).toEqual([`\${aws_security_group.${sgId}.id}`]);
  });

  it("CA6: RDB + AOF persistence on an encrypted data volume, cluster mode enabled", () => {
    const userData = String(all(s, "aws_instance")[0].user_data);
    expect(userData).toContain("cluster-enabled yes");
    expect(userData).toContain("appendonly yes");
    expect(userData).toMatch(/\nsave \d+ \d+/);
    const volumes = all(s, "aws_ebs_volume");
    expect(volumes).toHaveLength(6);
    for (const v of volumes) {
      expect(v.encrypted).toBe(true);
      expect(v.size).toBe(cfg.redisCluster.dataVolumeGiB);
    }
  });

  it("CA6: daily backups to S3 kept 7 daily / 4 weekly / 3 monthly by lifecycle rules", () => {
    const bucketId = Object.entries(resources(s, "aws_s3_bucket")).find(([, b]) => b.bucket === `${prefix}-redis-backups`)?.[0];
    expect(bucketId).toBeDefined();
    const lifecycle = all(s, "aws_s3_bucket_lifecycle_configuration").find((l) => l.bucket === `\${aws_s3_bucket.${bucketId}.id}`);
    const expiry = Object.fromEntries(lifecycle.rule.filter((r: any) => r.expiration).map((r: any) => [r.filter[0].prefix, r.expiration[0].days]));
    expect(expiry).toEqual({ "daily/": 7, "weekly/": 4 * 7, "monthly/": 90 });
    expect(String(all(s, "aws_instance")[0].user_data)).toMatch(/cron|systemd/i);
  });

  it("CA6: the nodes' role carries the CloudWatch agent policy and may write only their backup bucket", () => {
    const attachments = all(s, "aws_iam_role_policy_attachment").filter((a) => String(a.role).includes("RedisCluster_InstanceRole"));
    expect(attachments.map((a) => a.policy_arn)).toContain("arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy");
    const role = all(s, "aws_iam_role").find((r) => String(r.name).includes("redis-node"));
    const buckets = namedResources(roleStatements(s, role.name)).filter((r) => r.includes("aws_s3_bucket."));
    expect(buckets.length).toBeGreaterThan(0);
    expect(buckets.every((r) => r.includes("aws_s3_bucket.RedisCluster_Backups_Bucket"))).toBe(true);
  });

  it("CA7: Shield Advanced stays off unless the environment opts in", () => {
    expect(cfg.shieldAdvanced).toBe(false);
    expect(all(s, "aws_shield_protection")).toHaveLength(0);
  });

  it("CA7: both web ACLs (load balancer, CloudFront) carry AWS managed rule groups and log to CloudWatch", () => {
    const acls = resources(s, "aws_wafv2_web_acl");
    expect(Object.keys(acls)).toHaveLength(2);
    for (const acl of Object.values(acls)) {
      const groups = (acl.rule ?? []).map((r: any) => r.statement?.managed_rule_group_statement?.name).filter(Boolean);
      expect(groups, acl.name).toEqual(expect.arrayContaining(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAnonymousIpList"]));
    }
    const logged = all(s, "aws_wafv2_web_acl_logging_configuration").map((l) => /aws_wafv2_web_acl\.([^.]+)\./.exec(l.resource_arn)![1]);
    expect(logged.sort()).toEqual(Object.keys(acls).sort());
  });

  it("CA7: CloudFront is protected by a CLOUDFRONT-scope WAF in us-east-1", () => {
    const aclId = idOf(s, "aws_wafv2_web_acl", atEdge);
    const acl = resources(s, "aws_wafv2_web_acl")[aclId];
    expect([acl.name, acl.scope]).toEqual([`${prefix}-cdn`, "CLOUDFRONT"]);
    expect(all(s, "aws_cloudfront_distribution")[0].web_acl_id).toBe(`\${aws_wafv2_web_acl.${aclId}.arn}`);
    // Attached by the distribution, never by an association; its logs stay in us-east-1 under the us-east-1 key.
    expect(all(s, "aws_wafv2_web_acl_association").every((a) => !String(a.web_acl_arn).includes(aclId))).toBe(true);
    const logging = all(s, "aws_wafv2_web_acl_logging_configuration").find((l) => String(l.resource_arn).includes(aclId));
    expect(logging.provider).toBe(EDGE);
    const group = all(s, "aws_cloudwatch_log_group").find((g) => g.name === `aws-waf-logs-${prefix}-cdn`);
    expect([group.provider, group.kms_key_id]).toEqual([EDGE, `\${aws_kms_key.${idOf(s, "aws_kms_key", atEdge)}.arn}`]);
    expect(s.parsed.output?.cdn_waf_acl_arn.value).toBe(`\${aws_wafv2_web_acl.${aclId}.arn}`);
  });

  it("CA8: an X-Ray sampling rule at the environment's rate, and every workload role may write traces", () => {
    const rule = all(s, "aws_xray_sampling_rule");
    expect(rule).toHaveLength(1);
    expect(rule[0].fixed_rate).toBe(cfg.tracingSampleRate);
    const roleNames = CHAT_SERVICES.map((n) => (ecs ? all(s, "aws_iam_role").find((r) => r.name.startsWith(`${prefix}-${n}`) && r.name.endsWith("task")).name : `${prefix}-${n}`));
    for (const name of roleNames) {
      const traces = roleStatements(s, name).filter((st) => st.Action.includes("xray:PutTraceSegments"));
      expect(traces.map((st) => st.Resource), name).toEqual([["*"]]);
    }
  });

  it(`CA9: blue/green ${cfg.blueGreen ? "on" : "off"} as the environment says`, () => {
    const groups = all(s, "aws_codedeploy_deployment_group");
    if (!cfg.blueGreen) {
      expect(groups).toHaveLength(0);
      expect(all(s, "aws_codedeploy_app")).toHaveLength(0);
      for (const svc of all(s, "aws_ecs_service")) expect(svc.deployment_controller.type).toBe("ECS");
      return;
    }
    expect(groups).toHaveLength(1);
    const dg = groups[0];
    expect(dg.deployment_style).toEqual({ deployment_option: "WITH_TRAFFIC_CONTROL", deployment_type: "BLUE_GREEN" });
    const tgIds = Object.keys(resources(s, "aws_lb_target_group"));
    expect(tgIds).toHaveLength(2);
    expect(dg.load_balancer_info.target_group_pair_info.target_group.map((t: any) => t.name).sort()).toEqual(tgIds.map((id) => `\${aws_lb_target_group.${id}.name}`).sort());
    expect(dg.auto_rollback_configuration.enabled).toBe(true);
    expect(dg.auto_rollback_configuration.events).toContain("DEPLOYMENT_STOP_ON_ALARM");
    expect(dg.alarm_configuration.enabled).toBe(true);
    // The rollback alarms watch both target groups: traffic alternates between them from one deployment to the next.
    const alarmIds = dg.alarm_configuration.alarms.map((a: string) => /aws_cloudwatch_metric_alarm\.([^.]+)\./.exec(a)![1]);
    const watched = new Set(alarmIds.flatMap((id: string) => JSON.stringify(resources(s, "aws_cloudwatch_metric_alarm")[id]).match(/aws_lb_target_group\.[A-Za-z0-9_]+/g) ?? []));
    expect([...watched].sort()).toEqual(tgIds.map((id) => `aws_lb_target_group.${id}`).sort());
    const gateway = all(s, "aws_ecs_service").find((x) => x.name === `${prefix}-api-gateway`);
    expect(gateway.deployment_controller.type).toBe("CODE_DEPLOY");
  });

  it("G4: nothing but the load balancer and CloudFront faces the internet", () => {
    for (const svc of all(s, "aws_ecs_service")) expect(svc.network_configuration.assign_public_ip).toBe(false);
    expect(all(s, "aws_db_instance")[0].publicly_accessible).toBe(false);
    expect(all(s, "aws_eks_cluster").every((c) => c.vpc_config.endpoint_public_access === false)).toBe(true);
    const open = ingress(s).filter((r) => r.cidr_ipv4 === "0.0.0.0/0" || r.cidr_ipv6 === "::/0");
    expect(open.every((r) => [80, 443].includes(r.from_port))).toBe(true);
    expect(open.length).toBe(ecs ? (cfg.http === "closed" ? 0 : 1) + (cfg.certificateArn ? 1 : 0) : 0);
    if (ecs) expect(all(s, "aws_lb")[0].internal).toBe(false);
  });

  it("G5: PostgreSQL, DocumentDB and MSK accept only their port, only from the security groups of the services that use them", () => {
    const rules = ingress(s);
    const sources = (port: number) => rules.filter((r) => r.from_port === port).map((r) => /aws_security_group\.([A-Za-z]+)_/.exec(r.referenced_security_group_id ?? "")?.[1]).sort();
    for (const port of [5432, 27017, 9098]) {
      for (const r of rules.filter((x) => x.from_port === port)) {
        expect(r.to_port).toBe(port);
        expect(r.cidr_ipv4).toBeUndefined();
        expect(r.referenced_security_group_id).toMatch(/aws_security_group\./);
      }
    }
    if (ecs) {
      expect(sources(5432)).toEqual(["AuthService", "UserService"]);
      expect(sources(27017)).toEqual(["ChatService"]);
      expect(sources(9098)).toEqual(["ChatService", "NotificationService"]);
    } else {
      expect([sources(5432), sources(27017), sources(9098)]).toEqual([["Cluster"], ["Cluster"], ["Cluster"]]);
    }
    const storePorts = rules.filter((r) => /Database|DocumentDb|Kafka/.test(r.security_group_id)).map((r) => r.from_port);
    expect(new Set(storePorts)).toEqual(new Set([5432, 27017, 9098]));
  });

  it("G6: data at rest is encrypted with the stack's key (in us-east-1 and the replica's region, their own keys); MSK and Redis nodes use TLS or private links", () => {
    const keyRef = `\${aws_kms_key.${idOf(s, "aws_kms_key", inRegion)}.arn}`;
    const edgeKeyRef = `\${aws_kms_key.${idOf(s, "aws_kms_key", atEdge)}.arn}`;
    const replicaKeyRef = `\${aws_kms_key.${idOf(s, "aws_kms_key", atReplica)}.arn}`;
    const expectedKey = (r: any) => (atReplica(r) ? replicaKeyRef : atEdge(r) ? edgeKeyRef : keyRef);
    const db = all(s, "aws_db_instance")[0];
    expect([db.storage_encrypted, db.kms_key_id]).toEqual([true, keyRef]);
    expect(all(s, "aws_docdb_cluster")[0].kms_key_id).toBe(keyRef);
    expect(all(s, "aws_msk_cluster")[0].encryption_info.encryption_at_rest_kms_key_arn).toBe(keyRef);
    for (const b of all(s, "aws_s3_bucket_server_side_encryption_configuration")) {
      expect(b.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: expectedKey(b) });
    }
    // The attachments replica, and the Redis backups' copy when the environment replicates them.
    expect(all(s, "aws_s3_bucket_server_side_encryption_configuration").filter(atReplica)).toHaveLength(cfg.redisCluster.replicateBackups ? 2 : 1);
    for (const v of all(s, "aws_ebs_volume")) expect([v.encrypted, v.kms_key_id]).toEqual([true, keyRef]);
    for (const r of all(s, "aws_ecr_repository")) expect(r.encryption_configuration[0]).toEqual({ encryption_type: "KMS", kms_key: keyRef });
    for (const g of all(s, "aws_cloudwatch_log_group")) expect(g.kms_key_id, g.name).toBe(expectedKey(g));
    for (const secret of all(s, "aws_secretsmanager_secret")) expect(secret.kms_key_id, secret.name).toBe(keyRef);
    if (!ecs) expect(all(s, "aws_eks_cluster")[0].encryption_config).toEqual({ provider: { key_arn: keyRef }, resources: ["secrets"] });
  });

  it("G7: no secret value in the synthesized JSON; database passwords are managed by RDS and DocumentDB", () => {
    expect(all(s, "aws_db_instance")[0].manage_master_user_password).toBe(true);
    expect(all(s, "aws_docdb_cluster")[0].manage_master_user_password).toBe(true);
    expect(s.json).not.toMatch(/"(password|master_password|auth_token|secret_string)"\s*:/);
    expect(all(s, "aws_secretsmanager_secret_version")).toHaveLength(0);
  });

  it("G9: log groups keep events as long as the environment says", () => {
    for (const g of all(s, "aws_cloudwatch_log_group")) expect(g.retention_in_days, g.name).toBe(cfg.logRetentionDays);
  });

  it("outputs the endpoints the applications and their deployment need", () => {
    const outputs = Object.keys(s.parsed.output ?? {});
    expect(outputs).toEqual(expect.arrayContaining(["cdn_domain_name", "cdn_waf_acl_arn", "attachments_bucket", "attachments_replica_bucket", "redis_cluster_nodes", "database_endpoint", "documentdb_endpoint", "kafka_bootstrap_brokers", "deploy_role_arn", "waf_acl_arn", "cluster_name"]));
    if (!ecs) expect(outputs).toContain("cluster_endpoint");
  });
});
