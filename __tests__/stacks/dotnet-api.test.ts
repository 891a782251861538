import { App, Testing } from "cdktf";
import { buildApp } from "../../stacks";
import { DotnetApiStack } from "../../stacks/dotnet-api";
import { environments } from "../../environments";
import { resources } from "../support/synth";
import { decodeJsonencode, differences, synthCustom, synthSystem, synthesizedInBeforeAll } from "../support/stacks";
import { ENVS, all, one, address, container, policy } from "./dotnet-api.fixture";

describe.each(ENVS)("dotnet-api-%s", (env) => {
  const s = synthesizedInBeforeAll("dotnet-api", env);
  const cfg = environments[env].systems.dotnetApi;
  const apiSg = () => `\${${address(s, "aws_security_group", "Api_SecurityGroup")}.id}`;
  const privateSubnets = () => Object.entries(resources(s, "aws_subnet")).filter(([, x]) => x.tags?.Tier === "private").map(([id]) => `\${aws_subnet.${id}.id}`).sort();
  const databaseSubnets = () => Object.entries(resources(s, "aws_subnet")).filter(([, x]) => x.tags?.Tier === "database").map(([id]) => `\${aws_subnet.${id}.id}`).sort();
  const publicSubnets = () => Object.entries(resources(s, "aws_subnet")).filter(([, x]) => x.tags?.Tier === "public").map(([id]) => `\${aws_subnet.${id}.id}`).sort();




  it("G4: a VPC with public and private subnets in as many AZs as the environment says (at least two)", () => {
    expect(one(s, "aws_vpc").cidr_block).toBe(cfg.vpcCidr);
    expect(cfg.azCount).toBeGreaterThanOrEqual(2);
    expect(publicSubnets()).toHaveLength(cfg.azCount);
    expect(privateSubnets()).toHaveLength(cfg.azCount);
    expect(new Set(all(s, "aws_subnet").map((x) => x.availability_zone)).size).toBe(cfg.azCount);
    const expectedNat = { none: 0, single: 1, perAz: cfg.azCount }[cfg.natGateways];
    expect(all(s, "aws_nat_gateway")).toHaveLength(expectedNat);
  });

  it("G4: only the load balancer faces the internet", () => {
    const lb = one(s, "aws_lb");
    expect(lb.internal).toBe(false);
    expect([...lb.subnets].sort()).toEqual(publicSubnets());
    expect(one(s, "aws_ecs_service").network_configuration.assign_public_ip).toBe(false);
    for (const db of [...all(s, "aws_db_instance"), ...all(s, "aws_rds_cluster_instance")]) expect(db.publicly_accessible).toBe(false);
    expect(one(s, "aws_msk_cluster").broker_node_group_info.connectivity_info.public_access.type).toBe("DISABLED");
    // The interface endpoints (issue 10 item 2) admit HTTPS from the VPC only, not from the internet.
    const open = all(s, "aws_vpc_security_group_ingress_rule").filter((r) => (r.cidr_ipv4 !== undefined && r.cidr_ipv4 !== cfg.vpcCidr) || r.cidr_ipv6 !== undefined);
    expect(open.length).toBeGreaterThan(0);
    for (const r of open) {
      expect([80, 443]).toContain(r.from_port);
      expect(r.security_group_id).toBe(`\${${address(s, "aws_security_group", "LoadBalancer_SecurityGroup")}.id}`);
    }
  });

  it("G5: PostgreSQL, Redis and MSK each accept only their port, only from the API's security group", () => {
    const rules = all(s, "aws_vpc_security_group_ingress_rule");
    const stores: [string, number][] = [["Database_SecurityGroup", 5432], ["Cache_SecurityGroup", 6379], ["Kafka_SecurityGroup", 9098]];
    for (const [sg, port] of stores) {
      const into = rules.filter((r) => r.security_group_id === `\${${address(s, "aws_security_group", sg)}.id}`);
      expect(into, sg).toHaveLength(1);
      expect(into[0]).toMatchObject({ from_port: port, to_port: port, ip_protocol: "tcp", referenced_security_group_id: apiSg() });
      expect(into[0].cidr_ipv4).toBeUndefined();
    }
    expect(all(s, "aws_security_group").every((g) => g.ingress === undefined && g.egress === undefined)).toBe(true);
  });

  it("G6: data at rest is encrypted with the stack's key, and TLS is required in transit", () => {
    const key = `\${${address(s, "aws_kms_key", "Key")}.arn}`;
    for (const db of [...all(s, "aws_db_instance"), ...all(s, "aws_rds_cluster")]) {
      expect(db.storage_encrypted).toBe(true);
      expect(db.kms_key_id).toBe(key);
    }
    const params = [...all(s, "aws_db_parameter_group"), ...all(s, "aws_rds_cluster_parameter_group")];
    expect(params).toHaveLength(1);
    expect(params[0].parameter).toContainEqual({ name: "rds.force_ssl", value: "1", apply_method: "immediate" });
    const rg = one(s, "aws_elasticache_replication_group");
    expect([String(rg.at_rest_encryption_enabled), rg.transit_encryption_enabled, rg.kms_key_id]).toEqual(["true", true, key]);
    const msk = one(s, "aws_msk_cluster").encryption_info;
    expect(msk).toEqual({ encryption_at_rest_kms_key_arn: key, encryption_in_transit: { client_broker: "TLS", in_cluster: true } });
    expect(one(s, "aws_ecr_repository").encryption_configuration[0]).toEqual({ encryption_type: "KMS", kms_key: key });
    for (const g of all(s, "aws_cloudwatch_log_group")) expect(g.kms_key_id, g.name).toBe(key);
    expect(one(s, "aws_sns_topic").kms_master_key_id).toBe(key);
  });

  it("G6: the ALB is protected by WAF (rate limit per IP; common, known bad inputs, SQL injection and anonymous IP rules), logged under the stack's key", () => {
    const acl = one(s, "aws_wafv2_web_acl");
    expect(acl).toMatchObject({ name: `dotnet-api-${env}`, scope: "REGIONAL", default_action: { allow: {} } });
    expect(one(s, "aws_wafv2_web_acl_association")).toEqual({ resource_arn: `\${${address(s, "aws_lb", "LoadBalancer")}.arn}`, web_acl_arn: `\${${address(s, "aws_wafv2_web_acl", "Firewall_WebAcl")}.arn}` });
    const rate = acl.rule.find((r: any) => r.statement.rate_based_statement);
    expect([rate.action, rate.statement.rate_based_statement.limit]).toEqual([{ block: {} }, 2000]);
    const groups = acl.rule.map((r: any) => r.statement.managed_rule_group_statement?.name).filter(Boolean);
    expect(groups).toEqual(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAnonymousIpList"]);
    const logGroup = all(s, "aws_cloudwatch_log_group").find((g) => g.name === `aws-waf-logs-dotnet-api-${env}`);
    expect([logGroup.retention_in_days, logGroup.kms_key_id]).toEqual([cfg.logRetentionDays, `\${${address(s, "aws_kms_key", "Key")}.arn}`]);
    expect(one(s, "aws_wafv2_web_acl_logging_configuration").log_destination_configs).toEqual([`\${${address(s, "aws_cloudwatch_log_group", "Firewall_LogGroup")}.arn}`]);
  });

  it("G7: no secret value in the synthesized JSON; the database password is managed by RDS and read by reference", () => {
    const db = [...all(s, "aws_db_instance"), ...all(s, "aws_rds_cluster")][0];
    expect(db.manage_master_user_password).toBe(true);
    expect(s.json).not.toMatch(/"(password|master_password|auth_token)"\s*:/);
    const secrets = Object.fromEntries(container(s).secrets.map((x: any) => [x.name, x.valueFrom]));
    expect(secrets.DATABASE_PASSWORD).toMatch(/^\$\{aws_(db_instance|rds_cluster)\.Database_\w+\.master_user_secret\[0\]\.secret_arn\}:password::$/);
    expect(secrets.DATABASE_USERNAME).toMatch(/:username::$/);
  });

  it("G9: the API has its own log group, separate execution and task roles, a health check and its ECR image", () => {
    const c = container(s);
    const logGroup = all(s, "aws_cloudwatch_log_group").find((g) => g.name === `/ecs/dotnet-api/${env}/api`);
    expect(logGroup.retention_in_days).toBe(cfg.logRetentionDays);
    expect(c.logConfiguration.logDriver).toBe("awslogs");
    expect(c.logConfiguration.options["awslogs-group"]).toBe(`<ref:${address(s, "aws_cloudwatch_log_group", "Api_LogGroup")}.name>`);
    expect(c.healthCheck.command).toEqual(["CMD-SHELL", "curl -fs http://localhost:8080/health || exit 1"]);
    expect(c.image).toBe(`\${${address(s, "aws_ecr_repository", "ApiRepository")}.repository_url}:initial`);
    const td = one(s, "aws_ecs_task_definition");
    expect(td.execution_role_arn).not.toEqual(td.task_role_arn);
  });

  it("G10: a GitHub Actions role trusted through OIDC for example-org/dotnet-api only, pushing to its repository and rolling its service", () => {
    const role = all(s, "aws_iam_role").find((r) => String(r.assume_role_policy).includes("AssumeRoleWithWebIdentity"));
    const trust = decodeJsonencode(role.assume_role_policy).Statement[0];
    expect(trust.Condition.StringLike["token.actions.githubusercontent.com:sub"]).toEqual(["repo:example-org/dotnet-api:ref:refs/heads/main"]);
    expect(trust.Condition.StringEquals["token.actions.githubusercontent.com:aud"]).toBe("sts.amazonaws.com");
    const statements = policy(s, "DeployRole_").Statement;
    const push = statements.find((x: any) => x.Action.includes("ecr:PutImage"));
    expect(push.Resource).toEqual([`<ref:${address(s, "aws_ecr_repository", "ApiRepository")}.arn>`]);
    const update = statements.find((x: any) => x.Action.includes("ecs:UpdateService"));
    expect(update.Resource).toEqual([`<ref:${address(s, "aws_ecs_service", "Api_Service")}.id>`]);
  });

  it("DA1: the API runs on Fargate in private subnets, registered with an ALB in public subnets on port 8080 (HTTPS when a certificate is set, port 80 redirecting or closed)", () => {
    const svc = one(s, "aws_ecs_service");
    expect(svc.launch_type).toBe("FARGATE");
    expect([...svc.network_configuration.subnets].sort()).toEqual(privateSubnets());
    expect(one(s, "aws_ecs_task_definition").requires_compatibilities).toEqual(["FARGATE"]);
    const tg = one(s, "aws_lb_target_group");
    expect([tg.port, tg.target_type, tg.health_check.path]).toEqual([8080, "ip", "/health"]);
    expect(svc.load_balancer).toEqual([{ container_name: "app", container_port: 8080, target_group_arn: `\${${address(s, "aws_lb_target_group", "LoadBalancer_ApiTarget")}.arn}` }]);
    const scaling = one(s, "aws_appautoscaling_target");
    expect([svc.desired_count, scaling.min_capacity, scaling.max_capacity]).toEqual([cfg.api.desiredCount, cfg.api.minCount, cfg.api.maxCount]);
    const listeners = all(s, "aws_lb_listener");
    if (cfg.certificateArn) {
      const http = cfg.http === "closed" ? [] : [[80, "HTTP", "redirect"]];
      expect(listeners.map((l) => [l.port, l.protocol, l.default_action[0].type]).sort()).toEqual([[443, "HTTPS", "forward"], ...http]);
      expect(listeners.find((l) => l.protocol === "HTTPS").certificate_arn).toBe(cfg.certificateArn);
    } else {
      expect(listeners.map((l) => [l.port, l.protocol, l.default_action[0].type])).toEqual([[80, "HTTP", "forward"]]);
    }
  });

  it("runs Container Insights as the environment says", () => {
    expect(one(s, "aws_ecs_cluster").setting).toContainEqual({ name: "containerInsights", value: cfg.containerInsights ? "enabled" : "disabled" });
    if (env === "prod") expect(cfg.containerInsights).toBe(true);
  });

  it("DA2: a Redis replication group in isolated database subnets, with Multi-AZ automatic failover where the environment asks", () => {
    const rg = one(s, "aws_elasticache_replication_group");
    expect(rg.cluster_mode).toBe("disabled");
    expect(rg.num_cache_clusters).toBe(1 + cfg.redis.replicas);
    expect([rg.multi_az_enabled, rg.automatic_failover_enabled]).toEqual([cfg.redis.multiAz, cfg.redis.multiAz]);
    expect([...one(s, "aws_elasticache_subnet_group").subnet_ids].sort()).toEqual(databaseSubnets());
    if (env === "prod") expect(rg.multi_az_enabled).toBe(true);
  });

  it("DA3: MSK brokers in isolated database subnets, TLS and IAM client auth only, encrypted at rest, a supported Kafka version", () => {
    const msk = one(s, "aws_msk_cluster");
    expect([...msk.broker_node_group_info.client_subnets].sort()).toEqual(databaseSubnets());
    expect(msk.number_of_broker_nodes).toBe(cfg.msk.brokerCount);
    expect(msk.broker_node_group_info.instance_type).toBe(cfg.msk.instanceType);
    expect(msk.client_authentication).toEqual({ sasl: { iam: true, scram: false }, unauthenticated: false });
    expect(msk.encryption_info.encryption_in_transit.client_broker).toBe("TLS");
    expect(msk.encryption_info.encryption_at_rest_kms_key_arn).toMatch(/aws_kms_key\./);
    const [major, minor] = String(msk.kafka_version).split(".").map(Number);
    expect(major * 100 + minor, msk.kafka_version).toBeGreaterThanOrEqual(306); // 2.8.1 and 3.5 and older are out of support
  });

  it(`DA4: the database is ${cfg.database.kind === "instance" ? "an RDS PostgreSQL instance" : "Aurora PostgreSQL Serverless v2"} as environments/${env}.ts says`, () => {
    const db = cfg.database;
    if (db.kind === "instance") {
      const instance = one(s, "aws_db_instance");
      expect([instance.engine, instance.instance_class, instance.allocated_storage, instance.multi_az]).toEqual(["postgres", db.instanceClass, db.allocatedStorageGiB, db.multiAz]);
      expect(all(s, "aws_rds_cluster")).toHaveLength(0);
    } else {
      const cluster = one(s, "aws_rds_cluster");
      expect([cluster.engine, cluster.engine_mode]).toEqual(["aurora-postgresql", "provisioned"]);
      expect(cluster.serverlessv2_scaling_configuration).toEqual({ min_capacity: db.minAcu, max_capacity: db.maxAcu });
      const instances = all(s, "aws_rds_cluster_instance");
      expect(instances).toHaveLength(db.instances);
      for (const i of instances) expect(i.instance_class).toBe("db.serverless");
      expect(all(s, "aws_db_instance")).toHaveLength(0);
    }
  });

  it("DA5: connection settings for MSK, Redis and the database reach the task from Parameter Store and Secrets Manager, none as literals", () => {
    const c = container(s);
    expect(c.environment.map((e: any) => e.name)).toEqual(["ASPNETCORE_ENVIRONMENT", "ASPNETCORE_URLS"]);
    const secrets = Object.fromEntries(c.secrets.map((x: any) => [x.name, x.valueFrom]));
    expect(Object.keys(secrets).sort()).toEqual(["DATABASE_ENDPOINT", "DATABASE_NAME", "DATABASE_PASSWORD", "DATABASE_USERNAME", "KAFKA_BOOTSTRAP_SERVERS", "REDIS_ENDPOINT", "REDIS_USER"]);
    const parameters = resources(s, "aws_ssm_parameter");
    const parameterOf = (variable: string) => parameters[/^<ref:aws_ssm_parameter\.(\w+)\.arn>$/.exec(secrets[variable])![1]];
    expect(parameterOf("KAFKA_BOOTSTRAP_SERVERS")).toMatchObject({ name: `/dotnet-api/${env}/kafka/bootstrap-servers`, value: `\${${address(s, "aws_msk_cluster", "Kafka_Cluster")}.bootstrap_brokers_sasl_iam}` });
    expect(parameterOf("REDIS_ENDPOINT").value).toBe(`\${${address(s, "aws_elasticache_replication_group", "Cache")}.primary_endpoint_address}:6379`);
    expect(parameterOf("DATABASE_ENDPOINT").value).toMatch(/^\$\{aws_(db_instance|rds_cluster)\.Database_\w+\.(address|endpoint)\}:5432$/);
    expect(parameterOf("DATABASE_NAME").value).toBe("app");
    // SecureStrings under the stack's key (G6); the execution role that resolves them may decrypt with it.
    const key = `\${${address(s, "aws_kms_key", "Key")}.arn}`;
    for (const p of Object.values(parameters)) expect([p.type, p.key_id], p.name).toEqual(["SecureString", key]);
    const execution = policy(s, "Api_ExecutionRolePolicy").Statement;
    expect(execution.find((x: any) => x.Action.includes("kms:Decrypt")).Resource).toEqual([`<ref:${address(s, "aws_kms_key", "Key")}.arn>`]);
    // The task role may read exactly these parameters (one grant each; IAM refuses repeated statement ids).
    const task = policy(s, "Api_TaskRolePolicy").Statement;
    const sids = task.filter((x: any) => x.Sid).map((x: any) => x.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    const read = task.filter((x: any) => x.Action.some((a: string) => a.startsWith("ssm:")));
    for (const st of read) expect(st.Action).toEqual(["ssm:GetParameters", "ssm:GetParameter"]);
    expect(read.flatMap((x: any) => x.Resource).sort()).toEqual(Object.keys(parameters).map((id) => `<ref:aws_ssm_parameter.${id}.arn>`).sort());
    expect(task.filter((x: any) => x.Sid === "DecryptParameter")).toEqual([{ Sid: "DecryptParameter", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [`<ref:${address(s, "aws_kms_key", "Key")}.arn>`] }]);
    expect(task.some((x: any) => x.Action.includes("kafka-cluster:Connect"))).toBe(true);
  });

  it("DA6: an ECR repository for the API image (immutable tags, scanned on push), deployed by the OIDC role (G10)", () => {
    const repo = one(s, "aws_ecr_repository");
    expect(repo).toMatchObject({ name: `dotnet-api-${env}/api`, image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true } });
    expect(all(s, "aws_iam_role").filter((r) => String(r.assume_role_policy).includes("token.actions.githubusercontent.com"))).toHaveLength(1);
  });

  it("DA7: task logs, and alarms on Kafka consumer lag, 5xx rate and unhealthy hosts that notify the SNS topic", () => {
    const alarms = all(s, "aws_cloudwatch_metric_alarm");
    const topic = `\${${address(s, "aws_sns_topic", "Alarms_Topic")}.arn}`;
    for (const a of alarms) expect(a.alarm_actions, a.alarm_name).toEqual([topic]);
    const lag = alarms.find((a) => a.namespace === "AWS/Kafka");
    expect(lag).toMatchObject({ alarm_name: `dotnet-api-${env}-kafka-lag-dotnet-api-events`, metric_name: "MaxOffsetLag", threshold: cfg.consumerLag.maxOffsetLag });
    expect(lag.dimensions).toEqual({ "Cluster Name": `\${${address(s, "aws_msk_cluster", "Kafka_Cluster")}.cluster_name}`, "Consumer Group": cfg.consumerLag.consumerGroup, Topic: cfg.consumerLag.topic });
    const rate = alarms.find((a) => a.alarm_name === `dotnet-api-${env}-api-5xx-rate`);
    expect(rate.metric_query.map((q: any) => q.metric?.metric_name ?? q.expression)).toEqual(["100 * FILL(errors, 0) / requests", "HTTPCode_Target_5XX_Count", "RequestCount"]);
    expect(alarms.find((a) => a.metric_name === "UnHealthyHostCount")).toMatchObject({ namespace: "AWS/ApplicationELB", threshold: 0 });
    expect(one(s, "aws_msk_cluster").logging_info.broker_logs.cloudwatch_logs.enabled).toBe(true);
  });
});

describe("dotnet-api across environments", () => {
  it("G1: one stack per environment, named dotnet-api-<env>", () => {
    const stacks = buildApp(Testing.app(), { systems: ["dotnet-api"] });
    expect(stacks.map((x) => x.node.id)).toEqual(["dotnet-api-dev", "dotnet-api-staging", "dotnet-api-prod"]);
  });

  it("G8: prod's Aurora cluster has a reader in another AZ, deletion protection, a final snapshot and 7-day backups; dev trades them", () => {
    const prod = synthSystem("dotnet-api", "prod");
    const cluster = one(prod, "aws_rds_cluster");
    expect(cluster.deletion_protection).toBe(true);
    expect(cluster.skip_final_snapshot).toBe(false);
    expect(cluster.final_snapshot_identifier).toBe("dotnet-api-prod-db-final");
    expect(cluster.backup_retention_period).toBeGreaterThanOrEqual(7);
    expect(cluster.lifecycle.prevent_destroy).toBe(true);
    expect(all(prod, "aws_rds_cluster_instance").map((i) => i.promotion_tier).sort()).toEqual([0, 1]);
    expect(one(prod, "aws_elasticache_replication_group").lifecycle.prevent_destroy).toBe(true);
    expect(one(prod, "aws_msk_cluster").lifecycle.prevent_destroy).toBe(true);
    expect(one(prod, "aws_lb").enable_deletion_protection).toBe(true);
    const dev = one(synthSystem("dotnet-api", "dev"), "aws_db_instance");
    expect([dev.multi_az, dev.deletion_protection, dev.skip_final_snapshot, dev.lifecycle.prevent_destroy]).toEqual([false, false, true, false]);
    expect(dev.backup_retention_period).toBe(7);
  });

  it("prod differs from dev exactly where environments/ says (same code path, prod's settings under dev's name)", () => {
    const dev = synthSystem("dotnet-api", "dev");
    const prodSettingsNamedDev = synthCustom((app: App) => new DotnetApiStack(app, { environment: { ...environments.prod, name: "dev" } }));
    // Every difference traces to a line of prod.ts vs dev.ts; anything else means code branches on the environment.
    const bySetting: Record<string, string[]> = {
      "safety.deletionProtection": ["aws_lb.enable_deletion_protection"], // the database's moves with database.kind
      "safety.preventDestroy": [
        "aws_elasticache_replication_group.lifecycle.prevent_destroy",
        "aws_kms_key.lifecycle.prevent_destroy",
        "aws_msk_cluster.lifecycle.prevent_destroy",
      ],
      "safety.forceDestroy": ["aws_ecr_repository.force_delete"],
      "natGateways (single -> perAz)": [
        "aws_eip (+)", "aws_nat_gateway (+)", "aws_route (+)", "aws_route (-)", "aws_route_table (+)", "aws_route_table (-)",
        "aws_route_table_association.route_table_id", "aws_vpc_endpoint.route_table_ids", "output.route_table_ids.value.private",
      ],
      // Issue 10 item 3: S3 server access logs and ALB access logs to the account's log bucket.
      accessLogsBucket: ["aws_lb.access_logs.bucket", "aws_lb.access_logs.enabled", "aws_lb.access_logs.prefix"],
      // Issue 10 item 2: prod's interface endpoints (their security group, HTTPS from the VPC) and workload egress to them.
      egress: [
        "aws_security_group (+)", "aws_vpc_endpoint (+)", "aws_vpc_security_group_egress_rule (+)", "aws_vpc_security_group_egress_rule (-)", "aws_vpc_security_group_ingress_rule (+)",
      ],
      // A third AZ: its subnets only added (every AZ has a fixed subnet slot), and everything placed in them.
      "azCount (2 -> 3)": [
        "aws_subnet (+)", "aws_route_table_association (+)", "aws_db_subnet_group.subnet_ids",
        "aws_elasticache_subnet_group.subnet_ids", "aws_lb.subnets", "aws_ecs_service.network_configuration.subnets",
        "aws_msk_cluster.broker_node_group_info.client_subnets", "output.database_subnet_ids.value",
      ],
      "api.desiredCount": ["aws_ecs_service.desired_count"],
      "api.minCount, api.maxCount": ["aws_appautoscaling_target.min_capacity", "aws_appautoscaling_target.max_capacity"],
      // instance -> Aurora Serverless v2: new resources, and every reference to the database and its secret follows.
      // safety.skipFinalSnapshot / deletionProtection / preventDestroy of the database ride on the new cluster.
      // Aurora also gets its AWS Backup plan (vault, plan, selection and the role that runs it).
      "database (instance -> aurora-serverless-v2)": [
        "aws_db_instance (-)", "aws_db_parameter_group (-)", "aws_rds_cluster (+)", "aws_rds_cluster_instance (+)",
        "aws_rds_cluster_parameter_group (+)", "aws_ssm_parameter.value", "aws_secretsmanager_secret_rotation.secret_id",
        "aws_ecs_task_definition.container_definitions", "aws_iam_role_policy.policy", "output.database_endpoint.value",
        "aws_backup_plan (+)", "aws_backup_selection (+)", "aws_backup_vault (+)", "aws_iam_role (+)", "aws_iam_role_policy_attachment (+)",
      ],
      "redis.replicas, redis.multiAz": [
        "aws_elasticache_replication_group.num_cache_clusters", "aws_elasticache_replication_group.multi_az_enabled",
        "aws_elasticache_replication_group.automatic_failover_enabled",
      ],
      // Replication factor and default partitions follow the broker count; the configuration name hashes its content.
      "msk.brokerCount": ["aws_msk_cluster.number_of_broker_nodes", "aws_msk_configuration.server_properties", "aws_msk_configuration.name"],
      "msk.instanceType": ["aws_msk_cluster.broker_node_group_info.instance_type"],
      "msk.volumeGiB": ["aws_msk_cluster.broker_node_group_info.storage_info.ebs_storage_info.volume_size"],
      logRetentionDays: ["aws_cloudwatch_log_group.retention_in_days"],
      containerInsights: ["aws_ecs_cluster.setting.value"],
      // HTTPS listener added (443 open on the ALB) and, with http "closed" (issue 10 item 4), the HTTP listener and
      // its port-80 rule gone; the service waits for the listener that now routes it.
      "certificateArn / http": [
        "aws_ecs_service.depends_on",
        "aws_lb_listener (+)",
        "aws_lb_listener (-)",
        "aws_vpc_security_group_ingress_rule (+)",
        "aws_vpc_security_group_ingress_rule (-)",
      ],
    };
    expect(differences(dev, prodSettingsNamedDev)).toEqual([...new Set(Object.values(bySetting).flat())].sort());
  });
});
