import { App, Testing } from "cdktf";
import { buildApp } from "../../stacks";
import { REPLICATED_BUCKETS, TVMAZE_BUCKETS, TvmazeIngestionStack } from "../../stacks/tvmaze-ingestion";
import { pascal } from "../../stacks/naming";
import { approximateMaxConnections } from "../../modules/rds";
import { environments } from "../../environments";
import { decodeJsonencode, differences, synthCustom, synthSystem, synthesizedInBeforeAll, deniesInsecureTransport } from "../support/stacks";
import { ENVS, all, one, address, ref, container, policy, privateSubnets, databaseSubnets, ingressInto } from "./tvmaze-ingestion.fixture";

describe.each(ENVS)("tvmaze-ingestion-%s", (env) => {
  const s = synthesizedInBeforeAll("tvmaze-ingestion", env);
  const cfg = environments[env].systems.tvmazeIngestion;




  it("G4: public and private subnets in at least two AZs; only the load balancer faces the internet", () => {
    expect(one(s, "aws_vpc").cidr_block).toBe(cfg.vpcCidr);
    const subnets = all(s, "aws_subnet");
    expect(subnets.filter((x) => x.tags?.Tier === "public")).toHaveLength(cfg.azCount);
    expect(subnets.filter((x) => x.tags?.Tier === "private")).toHaveLength(cfg.azCount);
    expect(new Set(subnets.map((x) => x.availability_zone)).size).toBeGreaterThanOrEqual(2);
    expect(all(s, "aws_nat_gateway")).toHaveLength({ none: 0, single: 1, perAz: cfg.azCount }[cfg.natGateways]);
    expect(one(s, "aws_lb").internal).toBe(false);
    const svc = one(s, "aws_ecs_service");
    expect(svc.network_configuration.assign_public_ip).toBe(false);
    expect([...svc.network_configuration.subnets].sort()).toEqual(privateSubnets(s));
    expect(one(s, "aws_db_instance").publicly_accessible).toBe(false);
    expect([...one(s, "aws_db_subnet_group").subnet_ids].sort()).toEqual(databaseSubnets(s));
    expect([...one(s, "aws_elasticache_subnet_group").subnet_ids].sort()).toEqual(databaseSubnets(s));
  });

  it("G5: PostgreSQL and Redis accept only their port, only from the service's security group", () => {
    const service = ref(s, "aws_security_group", "Service_SecurityGroup", "id");
    for (const [sg, port] of [["Database_SecurityGroup", 5432], ["Cache_SecurityGroup", 6379]] as const) {
      const rules = ingressInto(s, sg);
      expect(rules, sg).toHaveLength(1);
      expect(rules[0]).toMatchObject({ from_port: port, to_port: port, ip_protocol: "tcp", referenced_security_group_id: service });
      expect(rules[0].cidr_ipv4).toBeUndefined();
    }
  });

  it("G6: data at rest is encrypted with the stack's key; TLS is required in transit", () => {
    const key = ref(s, "aws_kms_key", "Key", "arn");
    const db = one(s, "aws_db_instance");
    expect([db.storage_encrypted, db.kms_key_id]).toEqual([true, key]);
    expect(one(s, "aws_db_parameter_group").parameter).toContainEqual({ name: "rds.force_ssl", value: "1", apply_method: "immediate" });
    const rg = one(s, "aws_elasticache_replication_group");
    expect([String(rg.at_rest_encryption_enabled), rg.transit_encryption_enabled, rg.kms_key_id]).toEqual(["true", true, key]);
    // Replica buckets (in replicaRegion) are encrypted with the stack's key of that region.
    const replicaKey = cfg.replicaRegion ? ref(s, "aws_kms_key", "ReplicaKey", "arn") : undefined;
    for (const e of all(s, "aws_s3_bucket_server_side_encryption_configuration")) {
      expect(e.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: e.provider === "aws.replica" ? replicaKey : key });
    }
    for (const p of all(s, "aws_s3_bucket_policy")) expect(deniesInsecureTransport(p.policy)).toBe(true);
    for (const fs of all(s, "aws_efs_file_system")) expect([fs.encrypted, fs.kms_key_id]).toEqual([true, key]);
    expect(one(s, "aws_ecr_repository").encryption_configuration[0]).toEqual({ encryption_type: "KMS", kms_key: key });
    for (const g of all(s, "aws_cloudwatch_log_group")) expect(g.kms_key_id, g.name).toBe(key);
    expect(one(s, "aws_sns_topic").kms_master_key_id).toBe(key);
    // The Redis URL the service gets is rediss:// (TLS).
    expect(container(s).environment.find((e: any) => e.name === "REDIS_URL").value).toMatch(/^rediss:\/\//);
  });

  it("G7: no secret value in the synthesized JSON; the database credentials come from the RDS-managed secret", () => {
    expect(one(s, "aws_db_instance").manage_master_user_password).toBe(true);
    expect(s.json).not.toMatch(/"(password|master_password|auth_token)"\s*:/);
    const c = container(s);
    const secrets = Object.fromEntries(c.secrets.map((x: any) => [x.name, x.valueFrom]));
    const secretArn = ref(s, "aws_db_instance", "Database_Instance", "master_user_secret[0].secret_arn");
    expect(secrets).toEqual({ DB_PASSWORD: `${secretArn}:password::`, DB_USERNAME: `${secretArn}:username::` });
    expect(c.environment.map((e: any) => e.name)).not.toContain("DB_PASSWORD");
  });

  it("G9: the service has its own log group, separate execution and task roles, a health check and its ECR image", () => {
    const c = container(s);
    expect(c.logConfiguration.logDriver).toBe("awslogs");
    expect(c.logConfiguration.options["awslogs-group"]).toBe(`<ref:${address(s, "aws_cloudwatch_log_group", "Service_LogGroup")}.name>`);
    expect(c.healthCheck.command).toEqual(["CMD-SHELL", "curl -fs http://localhost:3000/up || exit 1"]);
    expect(c.image).toBe(`${ref(s, "aws_ecr_repository", "ServiceRepository", "repository_url")}:initial`);
    const td = one(s, "aws_ecs_task_definition");
    expect(td.execution_role_arn).not.toEqual(td.task_role_arn);
    // The task role reaches exactly its three buckets.
    const s3 = policy(s, "Service_TaskRolePolicy").Statement.filter((x: any) => x.Action.some((a: string) => a.startsWith("s3:")));
    const bucketArns = TVMAZE_BUCKETS.map((b) => `${address(s, "aws_s3_bucket", `${pascal(b)}Bucket`)}.arn`);
    expect(s3.flatMap((x: any) => x.Resource).sort()).toEqual([...bucketArns.map((a) => `<ref:${a}>`), ...bucketArns.map((a) => `\${${a}}/*`)].sort());
  });

  it("G10: a GitHub Actions role trusted through OIDC for example-org/tvmaze-ingestion only, pushing to its repository and rolling its service", () => {
    const role = all(s, "aws_iam_role").find((r) => String(r.assume_role_policy).includes("AssumeRoleWithWebIdentity"));
    const trust = decodeJsonencode(role.assume_role_policy).Statement[0];
    expect(trust.Condition.StringLike["token.actions.githubusercontent.com:sub"]).toEqual(["repo:example-org/tvmaze-ingestion:ref:refs/heads/main"]);
    const statements = policy(s, "DeployRole_").Statement;
    expect(statements.find((x: any) => x.Action.includes("ecr:PutImage")).Resource).toEqual([`<ref:${address(s, "aws_ecr_repository", "ServiceRepository")}.arn>`]);
    expect(statements.find((x: any) => x.Action.includes("ecs:UpdateService")).Resource).toEqual([`<ref:${address(s, "aws_ecs_service", "Service")}.id>`]);
  });

  it("TV1: a Fargate service of 512 CPU units / 1 GB, 2 tasks, scaling 1-4 on CPU only", () => {
    const td = one(s, "aws_ecs_task_definition");
    expect([td.cpu, td.memory, td.requires_compatibilities]).toEqual(["512", "1024", ["FARGATE"]]);
    const svc = one(s, "aws_ecs_service");
    expect([svc.launch_type, svc.desired_count]).toEqual(["FARGATE", 2]);
    const target = one(s, "aws_appautoscaling_target");
    expect([target.min_capacity, target.max_capacity]).toEqual([1, 4]);
    const policy = one(s, "aws_appautoscaling_policy").target_tracking_scaling_policy_configuration;
    expect(policy.predefined_metric_specification.predefined_metric_type).toBe("ECSServiceAverageCPUUtilization");
    expect(policy.target_value).toBe(70);
  });

  it(`TV2: the ALB health-checks /up, idles out after 60 s, and serves ${cfg.certificateArn ? "HTTPS with its certificate, redirecting HTTP" : "HTTP only (no certificate set)"}`, () => {
    expect(one(s, "aws_lb").idle_timeout).toBe(60);
    const tg = one(s, "aws_lb_target_group");
    expect([tg.port, tg.health_check.path]).toEqual([3000, "/up"]);
    const listeners = all(s, "aws_lb_listener");
    if (cfg.certificateArn) {
      expect(listeners.map((l) => [l.port, l.protocol, l.default_action[0].type]).sort()).toEqual([[443, "HTTPS", "forward"], [80, "HTTP", "redirect"]]);
      expect(listeners.find((l) => l.protocol === "HTTPS").certificate_arn).toBe(cfg.certificateArn);
      expect(listeners.find((l) => l.protocol === "HTTP").default_action[0].redirect).toMatchObject({ protocol: "HTTPS", port: "443", status_code: "HTTP_301" });
    } else {
      expect(listeners.map((l) => [l.port, l.protocol, l.default_action[0].type])).toEqual([[80, "HTTP", "forward"]]);
    }
    if (env === "prod") expect(cfg.certificateArn).toBeDefined();
  });

  it("runs Container Insights as the environment says", () => {
    expect(one(s, "aws_ecs_cluster").setting).toContainEqual({ name: "containerInsights", value: cfg.containerInsights ? "enabled" : "disabled" });
    if (env === "prod") expect(cfg.containerInsights).toBe(true);
  });

  it(`TV3: PostgreSQL on ${cfg.database.instanceClass}, 20 GB autoscaling to 100 GB, Multi-AZ ${cfg.database.multiAz ? "on" : "off"}, 7-day backups, Sunday 03:00-04:00 maintenance`, () => {
    const db = one(s, "aws_db_instance");
    expect(db.engine).toBe("postgres");
    expect(db.instance_class).toBe(env === "prod" ? "db.t3.small" : "db.t3.micro");
    expect([db.allocated_storage, db.max_allocated_storage]).toEqual([20, 100]);
    expect(db.multi_az).toBe(env === "prod" ? true : cfg.database.multiAz);
    expect(db.backup_retention_period).toBe(7);
    expect(db.maintenance_window).toBe("sun:03:00-sun:04:00");
  });

  it(`TV4: one Redis node (cluster mode disabled) of ${cfg.redis.nodeType}`, () => {
    const rg = one(s, "aws_elasticache_replication_group");
    expect(rg.node_type).toBe(env === "prod" ? "cache.t3.small" : "cache.t3.micro");
    expect([rg.num_cache_clusters, rg.cluster_mode, rg.automatic_failover_enabled]).toEqual([1, "disabled", false]);
  });

  it("TV5: buckets assets, backups and temp per system and environment: versioned, encrypted, private, IA at 30 days and Glacier at 90", () => {
    const replicas = cfg.replicaRegion ? REPLICATED_BUCKETS.map((b) => `tvmaze-ingestion-${env}-${b}-replica`) : [];
    expect(all(s, "aws_s3_bucket").map((b) => b.bucket).sort()).toEqual([...TVMAZE_BUCKETS.map((b) => `tvmaze-ingestion-${env}-${b}`), ...replicas].sort());
    const versioning = all(s, "aws_s3_bucket_versioning");
    expect(versioning.map((v) => v.versioning_configuration.status)).toEqual(Array(3 + replicas.length).fill("Enabled"));
    for (const block of all(s, "aws_s3_bucket_public_access_block")) {
      expect([block.block_public_acls, block.block_public_policy, block.ignore_public_acls, block.restrict_public_buckets]).toEqual([true, true, true, true]);
    }
    const lifecycles = all(s, "aws_s3_bucket_lifecycle_configuration");
    expect(lifecycles).toHaveLength(3 + replicas.length);
    for (const l of lifecycles) {
      expect(l.rule.find((r: any) => r.id === "tiering").transition).toEqual([
        { days: 30, storage_class: "STANDARD_IA" },
        { days: 90, storage_class: "GLACIER" },
      ]);
    }
  });

  it(`TV6: the shared EFS file system is ${cfg.efs ? "on" : "off"} as environments/${env}.ts says`, () => {
    const fileSystems = all(s, "aws_efs_file_system");
    expect(fileSystems).toHaveLength(cfg.efs ? 1 : 0);
    expect(all(s, "aws_efs_mount_target")).toHaveLength(cfg.efs ? cfg.azCount : 0);
    if (!cfg.efs) return;
    expect(fileSystems[0]).toMatchObject({ performance_mode: "generalPurpose", throughput_mode: "bursting", encrypted: true });
    expect(all(s, "aws_efs_mount_target").map((m) => m.subnet_id).sort()).toEqual(privateSubnets(s));
    expect(ingressInto(s, "SharedFiles_SecurityGroup")).toEqual([
      expect.objectContaining({ from_port: 2049, to_port: 2049, referenced_security_group_id: ref(s, "aws_security_group", "Service_SecurityGroup", "id") }),
    ]);
  });

  it(`TV7: logs kept at least 30 days (here ${cfg.logRetentionDays}, as the environment says; prod keeps a year); alarms on CPU > 80 %, memory > 85 %, DB connections > 80 % of max, 5xx > 5 %, response time > 2 s, to SNS`, () => {
    expect(cfg.logRetentionDays).toBeGreaterThanOrEqual(30);
    if (env === "prod") expect(cfg.logRetentionDays).toBe(365);
    expect(all(s, "aws_cloudwatch_log_group").find((g) => g.name === `/ecs/tvmaze-ingestion/${env}/service`).retention_in_days).toBe(cfg.logRetentionDays);
    for (const g of all(s, "aws_cloudwatch_log_group")) expect(g.retention_in_days, g.name).toBe(cfg.logRetentionDays);
    const alarms = all(s, "aws_cloudwatch_metric_alarm");
    const topic = ref(s, "aws_sns_topic", "Alarms_Topic", "arn");
    for (const a of alarms) expect(a.alarm_actions, a.alarm_name).toEqual([topic]);
    const named = (suffix: string) => alarms.find((a) => a.alarm_name === `tvmaze-ingestion-${env}-${suffix}`);
    expect(named("service-cpu-high")).toMatchObject({ namespace: "AWS/ECS", metric_name: "CPUUtilization", comparison_operator: "GreaterThanThreshold", threshold: 80 });
    expect(named("service-memory-high")).toMatchObject({ namespace: "AWS/ECS", metric_name: "MemoryUtilization", threshold: 85 });
    const max = approximateMaxConnections(cfg.database.instanceClass)!;
    expect(max).toBeGreaterThan(0);
    expect(named("db-connections-high")).toMatchObject({ namespace: "AWS/RDS", metric_name: "DatabaseConnections", threshold: Math.floor(max * 0.8) });
    expect(named("alb-5xx-rate")).toMatchObject({ threshold: 5 });
    expect(named("alb-5xx-rate").metric_query[0].expression).toBe("100 * FILL(errors, 0) / requests");
    expect(named("alb-response-time")).toMatchObject({ namespace: "AWS/ApplicationELB", metric_name: "TargetResponseTime", threshold: 2 });
  });

  it("TV8: X-Ray samples 10 % of the service's requests, and the task may send traces", () => {
    expect(one(s, "aws_xray_sampling_rule")).toMatchObject({ fixed_rate: 0.1, service_name: `tvmaze-ingestion-${env}-service` });
    const xray = policy(s, "Service_TaskRolePolicy").Statement.find((x: any) => x.Sid === "XRayTraces");
    expect(xray.Action).toContain("xray:PutTraceSegments");
  });

  it("TV9: the RDS-managed database secret rotates every 30 days", () => {
    const rotation = one(s, "aws_secretsmanager_secret_rotation");
    expect(rotation.rotation_rules.automatically_after_days).toBe(30);
    expect(rotation.secret_id).toBe(ref(s, "aws_db_instance", "Database_Instance", "master_user_secret[0].secret_arn"));
  });

  it("TV10: WAF on the ALB: 2000 requests per 5 minutes per IP, SQL injection and XSS managed rules, no geo block unless set", () => {
    const acl = one(s, "aws_wafv2_web_acl");
    expect(acl.scope).toBe("REGIONAL");
    const rate = acl.rule.find((r: any) => r.statement.rate_based_statement);
    expect(rate.statement.rate_based_statement).toEqual({ limit: 2000, aggregate_key_type: "IP", evaluation_window_sec: 300 });
    expect(rate.action).toEqual({ block: {} });
    const groups = acl.rule.filter((r: any) => r.statement.managed_rule_group_statement).map((r: any) => r.statement.managed_rule_group_statement.name);
    expect(groups).toEqual(expect.arrayContaining(["AWSManagedRulesSQLiRuleSet", "AWSManagedRulesCommonRuleSet"])); // the common set holds the XSS rules
    expect(acl.rule.some((r: any) => r.statement.geo_match_statement)).toBe(false);
    expect(one(s, "aws_wafv2_web_acl_association")).toEqual({ resource_arn: ref(s, "aws_lb", "LoadBalancer", "arn"), web_acl_arn: ref(s, "aws_wafv2_web_acl", "Firewall_WebAcl", "arn") });
  });

  it("TV11: security groups exactly as the plan: ALB from the internet, service from the ALB, RDS and Redis from the service", () => {
    const sg = (prefix: string) => ref(s, "aws_security_group", prefix, "id");
    // 443 too when the environment sets a certificate (TV2); 80 stays open for the redirect.
    const albPorts = cfg.certificateArn ? [[443, "0.0.0.0/0"], [80, "0.0.0.0/0"]] : [[80, "0.0.0.0/0"]];
    expect(ingressInto(s, "LoadBalancer_SecurityGroup").map((r) => [r.from_port, r.cidr_ipv4]).sort()).toEqual(albPorts);
    expect(ingressInto(s, "Service_SecurityGroup").map((r) => [r.from_port, r.referenced_security_group_id])).toEqual([[3000, sg("LoadBalancer_SecurityGroup")]]);
    expect(ingressInto(s, "Database_SecurityGroup").map((r) => [r.from_port, r.referenced_security_group_id])).toEqual([[5432, sg("Service_SecurityGroup")]]);
    expect(ingressInto(s, "Cache_SecurityGroup").map((r) => [r.from_port, r.referenced_security_group_id])).toEqual([[6379, sg("Service_SecurityGroup")]]);
    // + NFS from the service when EFS is on, + 443 with HTTPS, + HTTPS from the VPC into the interface endpoints (issue 10 item 2)
    const expected = (cfg.efs ? 5 : 4) + (cfg.certificateArn ? 1 : 0) + (cfg.egress?.interfaceEndpoints.length ? 1 : 0);
    expect(all(s, "aws_vpc_security_group_ingress_rule")).toHaveLength(expected);
  });

  it("TV12: no API Gateway and no Cognito unless the environment turns them on (off by default)", () => {
    expect(cfg.apiGateway).toBe(false);
    expect(all(s, "aws_api_gateway_rest_api")).toHaveLength(0);
    expect(all(s, "aws_cognito_user_pool")).toHaveLength(0);
    expect(s.parsed.output?.api_invoke_url).toBeUndefined();
  });
});

describe("tvmaze-ingestion across environments", () => {
  it("G1: one stack per environment, named tvmaze-ingestion-<env>", () => {
    const stacks = buildApp(Testing.app(), { systems: ["tvmaze-ingestion"] });
    expect(stacks.map((x) => x.node.id)).toEqual(["tvmaze-ingestion-dev", "tvmaze-ingestion-staging", "tvmaze-ingestion-prod"]);
  });

  it("G8: prod has Multi-AZ, deletion protection, final snapshots and 7-day backups; dev trades them", () => {
    const prod = synthSystem("tvmaze-ingestion", "prod");
    const db = one(prod, "aws_db_instance");
    expect([db.multi_az, db.deletion_protection, db.skip_final_snapshot, db.final_snapshot_identifier]).toEqual([true, true, false, "tvmaze-ingestion-prod-db-final"]);
    expect(db.backup_retention_period).toBeGreaterThanOrEqual(7);
    expect(db.lifecycle.prevent_destroy).toBe(true);
    for (const b of all(prod, "aws_s3_bucket")) expect([b.force_destroy, b.lifecycle.prevent_destroy]).toEqual([false, true]);
    expect(one(prod, "aws_efs_file_system").lifecycle.prevent_destroy).toBe(true);
    const dev = one(synthSystem("tvmaze-ingestion", "dev"), "aws_db_instance");
    expect([dev.multi_az, dev.deletion_protection, dev.skip_final_snapshot, dev.lifecycle.prevent_destroy]).toEqual([false, false, true, false]);
  });

  it("prod differs from dev exactly where environments/ says (same code path, prod's settings under dev's name)", () => {
    const dev = synthSystem("tvmaze-ingestion", "dev");
    const prodSettingsNamedDev = synthCustom((app: App) => new TvmazeIngestionStack(app, { environment: { ...environments.prod, name: "dev" } }));
    // Every difference traces to a line of prod.ts vs dev.ts; anything else means code branches on the environment.
    const bySetting: Record<string, string[]> = {
      "safety.deletionProtection": ["aws_db_instance.deletion_protection", "aws_lb.enable_deletion_protection"],
      "safety.skipFinalSnapshot": ["aws_db_instance.final_snapshot_identifier", "aws_db_instance.skip_final_snapshot"],
      "safety.preventDestroy": [
        "aws_db_instance.lifecycle.prevent_destroy",
        "aws_elasticache_replication_group.lifecycle.prevent_destroy",
        "aws_kms_key.lifecycle.prevent_destroy",
        "aws_s3_bucket.lifecycle.prevent_destroy",
      ],
      "safety.forceDestroy": ["aws_ecr_repository.force_delete", "aws_s3_bucket.force_destroy"],
      "natGateways (single -> perAz)": [
        "aws_eip (+)", "aws_nat_gateway (+)", "aws_route (+)", "aws_route (-)", "aws_route_table (+)", "aws_route_table (-)",
        "aws_route_table_association.route_table_id", "aws_vpc_endpoint.route_table_ids", "output.route_table_ids.value.private",
      ],
      // Issue 10 item 3: S3 server access logs and ALB access logs to the account's log bucket.
      accessLogsBucket: ["aws_lb.access_logs.bucket", "aws_lb.access_logs.enabled", "aws_lb.access_logs.prefix", "aws_s3_bucket_logging (+)"],
      // Issue 10 item 2: prod's interface endpoints (their security group, HTTPS from the VPC) and workload egress to them.
      egress: [
        "aws_security_group (+)", "aws_vpc_endpoint (+)", "aws_vpc_security_group_egress_rule (+)", "aws_vpc_security_group_egress_rule.description", "aws_vpc_security_group_ingress_rule (+)",
      ],
      // The connections alarm is 80 % of the instance class's max_connections.
      "database.instanceClass (db.t3.micro -> db.t3.small)": [
        "aws_db_instance.instance_class", "aws_cloudwatch_metric_alarm.threshold", "aws_cloudwatch_metric_alarm.alarm_description",
      ],
      "database.multiAz": ["aws_db_instance.multi_az"],
      "redis.nodeType": ["aws_elasticache_replication_group.node_type"],
      logRetentionDays: ["aws_cloudwatch_log_group.retention_in_days"],
      containerInsights: ["aws_ecs_cluster.setting.value"],
      // HTTPS listener added (443 open on the ALB); the HTTP one turns into a redirect; the service waits for the listener that now routes it.
      certificateArn: [
        "aws_ecs_service.depends_on",
        "aws_lb_listener (+)",
        "aws_lb_listener.default_action.redirect.port",
        "aws_lb_listener.default_action.redirect.protocol",
        "aws_lb_listener.default_action.redirect.status_code",
        "aws_lb_listener.default_action.target_group_arn",
        "aws_lb_listener.default_action.type",
        "aws_vpc_security_group_ingress_rule (+)",
      ],
      // Issue 10 item 3: assets and backups replicate to the DR region (provider, key, two replica buckets with their
      // settings, replication configurations and roles); the replicas log to that region's log bucket.
      "replicaRegion / replicaAccessLogs": [
        "provider.aws.alias", "provider.aws.region", "provider.aws.default_tags.tags.Environment", "provider.aws.default_tags.tags.ManagedBy",
        "provider.aws.default_tags.tags.Project", "provider.aws.default_tags.tags.System",
        "aws_caller_identity (+)", "aws_partition (+)", "aws_region (+)", "aws_kms_alias (+)", "aws_kms_key (+)", "aws_iam_role (+)", "aws_iam_role_policy (+)",
        ...["", "_lifecycle_configuration", "_logging", "_notification", "_ownership_controls", "_policy", "_public_access_block", "_replication_configuration",
          "_server_side_encryption_configuration", "_versioning"].map((t) => `aws_s3_bucket${t} (+)`),
      ],
      // The file system, its mount targets and NFS rule, the task's volume and mount point, the task role's mount
      // permission, and its AWS Backup plan (vault, selection, and the role AWS Backup assumes).
      efs: [
        "aws_backup_plan (+)", "aws_backup_selection (+)", "aws_backup_vault (+)", "aws_iam_role (+)", "aws_iam_role_policy_attachment (+)",
        "aws_efs_access_point (+)", "aws_efs_backup_policy (+)", "aws_efs_file_system (+)", "aws_efs_file_system_policy (+)",
        "aws_efs_mount_target (+)", "aws_security_group (+)", "aws_vpc_security_group_ingress_rule (+)", "aws_iam_role_policy.policy",
        "aws_ecs_task_definition.container_definitions", "aws_ecs_task_definition.volume.name",
        ...["access_point_id", "iam"].map((k) => `aws_ecs_task_definition.volume.efs_volume_configuration.authorization_config.${k}`),
        ...["file_system_id", "root_directory", "transit_encryption"].map((k) => `aws_ecs_task_definition.volume.efs_volume_configuration.${k}`),
      ],
    };
    expect(differences(dev, prodSettingsNamedDev)).toEqual([...new Set(Object.values(bySetting).flat())].sort());
  });
});
