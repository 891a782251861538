import { App } from "cdktf";
import { AlertingPlatformStack } from "../../stacks/alerting-platform";
import { ALERTING_SERVICES, EnvironmentName, environments } from "../../environments";
import { resources } from "../support/synth";
import { decodeJsonencode, differences, synthCustom, synthSystem, withSettings, synthesizedInBeforeAll, githubTrust } from "../support/stacks";
import type { Synthesized } from "../support/synth";

const ENVS: EnvironmentName[] = ["dev", "staging", "prod"];
const all = (s: Synthesized, type: string): any[] => Object.values(resources(s, type));
const containers = (s: Synthesized, family: string): any[] => {
  const td = all(s, "aws_ecs_task_definition").find((t) => t.family.endsWith(family));
  if (!td) throw new Error(`no task definition for ${family}`);
  return decodeJsonencode(td.container_definitions);
};
const serviceNamed = (s: Synthesized, name: string) => all(s, "aws_ecs_service").find((x) => x.name.endsWith(`-${name}`));

describe.each(ENVS)("alerting-platform-%s", (env) => {
  const s = synthesizedInBeforeAll("alerting-platform", env);
  const cfg = environments[env].systems.alertingPlatform;




  it("AP1: VPC 10.0.0.0/16 with two public and two private subnets in two AZs", () => {
    expect(all(s, "aws_vpc")[0].cidr_block).toBe("10.0.0.0/16");
    const subnets = all(s, "aws_subnet");
    expect(subnets.filter((x) => x.tags?.Tier === "public")).toHaveLength(2);
    expect(subnets.filter((x) => x.tags?.Tier === "private")).toHaveLength(2);
    expect(new Set(subnets.map((x) => JSON.stringify(x.availability_zone))).size).toBe(2);
  });

  it("AP1: NAT gateways follow the environment's setting", () => {
    const expected = { none: 0, single: 1, perAz: cfg.azCount }[cfg.natGateways];
    expect(all(s, "aws_nat_gateway")).toHaveLength(expected);
  });

  it("AP2: EC2 capacity of t3.micro, 1-4 instances, ECS-optimized AMI from SSM, IMDSv2, managed scaling", () => {
    const lt = all(s, "aws_launch_template")[0];
    expect(lt.instance_type).toBe("t3.micro");
    expect(lt.metadata_options.http_tokens).toBe("required");
    expect(lt.image_id).toMatch(/data\.aws_ssm_parameter/);
    const ssm = Object.values(s.parsed.data?.aws_ssm_parameter ?? {}) as any[];
    expect(ssm.some((p) => String(p.name).startsWith("/aws/service/ecs/optimized-ami/"))).toBe(true);
    const asg = all(s, "aws_autoscaling_group")[0];
    expect([asg.min_size, asg.max_size]).toEqual([1, 4]);
    const cp = all(s, "aws_ecs_capacity_provider")[0];
    expect(cp.auto_scaling_group_provider.managed_scaling.status).toBe("ENABLED");
  });

  it("AP2: Container Insights as the environment says", () => {
    const setting = all(s, "aws_ecs_cluster")[0].setting;
    expect(setting).toContainEqual({ name: "containerInsights", value: cfg.containerInsights ? "enabled" : "disabled" });
  });

  it("AP3: six services; rule-service on 8080 and alert-producer on 8081 behind the ALB, the rest internal", () => {
    expect(all(s, "aws_ecs_service")).toHaveLength(6 + 1); // + Kafka
    for (const name of ALERTING_SERVICES) expect(serviceNamed(s, name), name).toBeDefined();
    const ports = (name: string) => (serviceNamed(s, name).load_balancer ?? []).map((lb: any) => lb.container_port);
    expect(ports("rule-service")).toEqual([8080]);
    expect(ports("alert-producer")).toEqual([8081]);
    for (const name of ["evaluator", "aggregator", "sender", "rule-updater"]) expect(ports(name), name).toEqual([]);
  });

  it("AP4: every service but rule-updater scales 1-3 on CPU 70 % and memory 80 % with 60 s / 300 s cooldowns", () => {
    const targets = all(s, "aws_appautoscaling_target");
    expect(targets).toHaveLength(5);
    for (const t of targets) expect([t.min_capacity, t.max_capacity]).toEqual([1, 3]);
    const policies = all(s, "aws_appautoscaling_policy").map((p) => p.target_tracking_scaling_policy_configuration);
    expect(policies).toHaveLength(10);
    const byMetric = (m: string) => policies.filter((p) => p.predefined_metric_specification.predefined_metric_type === m);
    expect(byMetric("ECSServiceAverageCPUUtilization").every((p) => p.target_value === 70)).toBe(true);
    expect(byMetric("ECSServiceAverageMemoryUtilization").every((p) => p.target_value === 80)).toBe(true);
    expect(policies.every((p) => p.scale_out_cooldown === 60 && p.scale_in_cooldown === 300)).toBe(true);
    expect(JSON.stringify(targets)).not.toContain("rule-updater");
  });

  it("AP5: rule-updater runs exactly one task and has no scaling", () => {
    const svc = serviceNamed(s, "rule-updater");
    expect(svc.desired_count).toBe(1);
    expect(svc.deployment_maximum_percent).toBe(100);
  });

  it("AP6: two target groups (8080, 8081) health-checked on /health", () => {
    const tgs = all(s, "aws_lb_target_group");
    expect(tgs.map((t) => t.port).sort()).toEqual([8080, 8081]);
    for (const t of tgs) expect(t.health_check.path).toBe("/health");
  });

  it("AP6: HTTPS when the environment sets a certificate (port 80 redirecting, or closed as prod sets it), HTTP only otherwise", () => {
    const listeners = all(s, "aws_lb_listener");
    if (cfg.certificateArn && cfg.http === "closed") {
      expect(listeners.map((l) => l.protocol)).toEqual(["HTTPS"]);
      expect(all(s, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 80)).toEqual([]);
    } else if (cfg.certificateArn) {
      expect(listeners.map((l) => l.protocol).sort()).toEqual(["HTTP", "HTTPS"]);
      expect(listeners.find((l) => l.protocol === "HTTPS").certificate_arn).toBe(cfg.certificateArn);
      expect(listeners.find((l) => l.protocol === "HTTP").default_action[0].type).toBe("redirect");
    } else {
      expect(listeners.map((l) => l.protocol)).toEqual(["HTTP"]);
    }
  });

  it("AP7: Kafka runs in KRaft mode on ECS, on durable encrypted EFS storage, found through Cloud Map", () => {
    expect(all(s, "aws_service_discovery_private_dns_namespace")).toHaveLength(1);
    const kafka = containers(s, "kafka");
    const env = JSON.stringify(kafka);
    expect(env).toContain("KAFKA_PROCESS_ROLES");
    expect(env.toLowerCase()).not.toContain("zookeeper");
    const fs = all(s, "aws_efs_file_system");
    expect(fs).toHaveLength(1);
    expect(fs[0].encrypted).toBe(true);
  });

  it("AP8: four topics with 9 partitions each, created by the init container", () => {
    const text = JSON.stringify(containers(s, "kafka"));
    for (const topic of ["alerts.new", "rule.changed", "alerts.matched", "notifications.ready"]) expect(text).toContain(topic);
    expect(cfg.kafka.partitions).toBe(9);
    expect(text).toContain("--partitions 9");
  });

  it("AP9: PostgreSQL 15 on db.t3.micro, 20 GB, encrypted, 7-day backups, Multi-AZ as the environment says", () => {
    const db = all(s, "aws_db_instance")[0];
    expect(db.engine).toBe("postgres");
    expect(String(db.engine_version)).toMatch(/^15/);
    expect(db.instance_class).toBe("db.t3.micro");
    expect(db.allocated_storage).toBe(20);
    expect(db.storage_encrypted).toBe(true);
    expect(db.backup_retention_period).toBe(7);
    expect(db.multi_az).toBe(cfg.database.multiAz);
  });

  it("AP10: Redis 7 on one cache.t3.micro node with daily snapshots kept 5 days", () => {
    const rg = all(s, "aws_elasticache_replication_group")[0];
    expect(String(rg.engine_version)).toMatch(/^7/);
    expect(rg.node_type).toBe("cache.t3.micro");
    expect(rg.num_cache_clusters).toBe(1);
    expect(rg.snapshot_retention_limit).toBe(5);
  });

  it("AP11: one ECR repository per service", () => {
    const names = all(s, "aws_ecr_repository").map((r) => r.name).sort();
    expect(names).toEqual(ALERTING_SERVICES.map((n) => `alerting-platform-${env}/${n}`).sort());
  });

  it("AP12: log groups /ecs/alerting-platform/<env>/<service> with the environment's retention", () => {
    const groups = all(s, "aws_cloudwatch_log_group");
    for (const name of ALERTING_SERVICES) {
      const g = groups.find((x) => x.name === `/ecs/alerting-platform/${env}/${name}`);
      expect(g, name).toBeDefined();
      expect(g.retention_in_days).toBe(cfg.logRetentionDays);
    }
  });

  it("G4: only the load balancer faces the internet", () => {
    for (const svc of all(s, "aws_ecs_service")) expect(svc.network_configuration.assign_public_ip).toBe(false);
    expect(all(s, "aws_db_instance")[0].publicly_accessible).toBe(false);
    expect(all(s, "aws_lb")[0].internal).toBe(false);
    expect(String(all(s, "aws_launch_template")[0].network_interfaces[0].associate_public_ip_address)).toBe("false");
    const open = all(s, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((r) => [80, 443].includes(r.from_port))).toBe(true);
  });

  it("G5: data stores accept only their port, only from security groups", () => {
    const rules = all(s, "aws_vpc_security_group_ingress_rule");
    for (const port of [5432, 6379, 9092]) {
      const onPort = rules.filter((r) => r.from_port === port);
      expect(onPort.length, `port ${port}`).toBeGreaterThan(0);
      for (const r of onPort) {
        expect(r.to_port).toBe(port);
        expect(r.cidr_ipv4).toBeUndefined();
        expect(r.referenced_security_group_id).toMatch(/aws_security_group\./);
      }
    }
  });

  it("G6: data at rest is encrypted", () => {
    expect(all(s, "aws_db_instance")[0].storage_encrypted).toBe(true);
    const rg = all(s, "aws_elasticache_replication_group")[0];
    expect(String(rg.at_rest_encryption_enabled)).toBe("true");
    expect(rg.transit_encryption_enabled).toBe(true);
    for (const r of all(s, "aws_ecr_repository")) expect(r.encryption_configuration[0].encryption_type).toBe("KMS");
    for (const g of all(s, "aws_cloudwatch_log_group")) expect(g.kms_key_id, g.name).toBeTruthy();
  });

  it("G6: the ALB is protected by WAF (rate limit per IP; common, known bad inputs, SQL injection and anonymous IP rules), logged under the stack's key", () => {
    const id = (type: string, prefix: string) => Object.keys(resources(s, type)).find((k) => k.startsWith(prefix));
    const acls = all(s, "aws_wafv2_web_acl");
    expect(acls).toHaveLength(1);
    expect(acls[0]).toMatchObject({ name: `alerting-platform-${env}`, scope: "REGIONAL", default_action: { allow: {} } });
    expect(all(s, "aws_wafv2_web_acl_association")).toEqual([
      { resource_arn: `\${aws_lb.${id("aws_lb", "LoadBalancer")}.arn}`, web_acl_arn: `\${aws_wafv2_web_acl.${id("aws_wafv2_web_acl", "Firewall_WebAcl")}.arn}` },
    ]);
    const rate = acls[0].rule.find((r: any) => r.statement.rate_based_statement);
    expect([rate.action, rate.statement.rate_based_statement.limit]).toEqual([{ block: {} }, 2000]);
    const groups = acls[0].rule.map((r: any) => r.statement.managed_rule_group_statement?.name).filter(Boolean);
    expect(groups).toEqual(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAnonymousIpList"]);
    const logGroup = all(s, "aws_cloudwatch_log_group").find((g) => g.name === `aws-waf-logs-alerting-platform-${env}`);
    expect([logGroup.retention_in_days, logGroup.kms_key_id]).toEqual([cfg.logRetentionDays, `\${aws_kms_key.${id("aws_kms_key", "Key")}.arn}`]);
    expect(all(s, "aws_wafv2_web_acl_logging_configuration")[0].log_destination_configs).toEqual([`\${aws_cloudwatch_log_group.${id("aws_cloudwatch_log_group", "Firewall_LogGroup")}.arn}`]);
  });

  it("G7: no secret value in the synthesized JSON; the database password is managed by RDS", () => {
    expect(all(s, "aws_db_instance")[0].manage_master_user_password).toBe(true);
    expect(s.json).not.toMatch(/"(password|master_password|auth_token)"\s*:/);
    const secrets = containers(s, "rule-service")[0].secrets.map((x: any) => x.name);
    expect(secrets).toEqual(expect.arrayContaining(["DB_USERNAME", "DB_PASSWORD"]));
  });

  it("G7: Redis authenticates every service with IAM through a user group (no password), the default user switched off", () => {
    const rg = all(s, "aws_elasticache_replication_group")[0];
    expect(rg.user_group_ids).toHaveLength(1);
    const users = all(s, "aws_elasticache_user");
    expect(users.find((u) => u.user_name === "default").access_string).toMatch(/^off /);
    expect(users.find((u) => u.authentication_mode?.type === "iam")).toBeDefined();
    for (const name of ALERTING_SERVICES) {
      const env = Object.fromEntries(containers(s, name)[0].environment.map((e: any) => [e.name, e.value]));
      expect(env.REDIS_USER, name).toBeTruthy();
    }
    const connect = Object.values(resources(s, "aws_iam_role_policy")).filter((p: any) => String(p.policy).includes("elasticache:Connect"));
    expect(connect).toHaveLength(ALERTING_SERVICES.length);
  });

  it("G9: every service has its own log group, execution and task roles, a health check and an ECR image", () => {
    for (const name of ALERTING_SERVICES) {
      const c = containers(s, name)[0];
      expect(c.logConfiguration.logDriver, name).toBe("awslogs");
      expect(c.healthCheck?.command?.length ?? 0, name).toBeGreaterThan(0);
      expect(c.image, name).toMatch(/:initial$/);
      const td = all(s, "aws_ecs_task_definition").find((t) => t.family.endsWith(name));
      expect(td.execution_role_arn).not.toEqual(td.task_role_arn);
    }
  });

  it("G10: a GitHub Actions role trusted through OIDC for the alerting-platform repository", () => {
    const role = all(s, "aws_iam_role").find((r) => String(r.assume_role_policy).includes("AssumeRoleWithWebIdentity"));
    expect(role).toBeDefined();
    expect(githubTrust(role.assume_role_policy)).toEqual({ webIdentity: true, subjects: ["repo:example-org/alerting-platform:ref:refs/heads/main"] });
  });
});

describe("alerting-platform across environments", () => {
  it("G8: prod has Multi-AZ, deletion protection, final snapshots and 7-day backups; dev trades them", () => {
    const prod = Object.values(resources(synthSystem("alerting-platform", "prod"), "aws_db_instance"))[0] as any;
    expect(prod.multi_az).toBe(true);
    expect(prod.deletion_protection).toBe(true);
    expect(prod.skip_final_snapshot).toBe(false);
    expect(prod.backup_retention_period).toBeGreaterThanOrEqual(7);
    expect(prod.lifecycle.prevent_destroy).toBe(true);
    const dev = Object.values(resources(synthSystem("alerting-platform", "dev"), "aws_db_instance"))[0] as any;
    expect([dev.multi_az, dev.deletion_protection, dev.skip_final_snapshot]).toEqual([false, false, true]);
  });

  it("prod differs from dev exactly where environments/ says (same code path, prod's settings under dev's name)", () => {
    const dev = synthSystem("alerting-platform", "dev");
    const prodSettingsNamedDev = synthCustom((app: App) => new AlertingPlatformStack(app, { environment: { ...environments.prod, name: "dev" } }));
    // Every difference traces to a line of prod.ts vs dev.ts; anything else means code branches on the environment.
    const bySetting: Record<string, string[]> = {
      "safety.deletionProtection": ["aws_db_instance.deletion_protection", "aws_lb.enable_deletion_protection"],
      "safety.skipFinalSnapshot": ["aws_db_instance.final_snapshot_identifier", "aws_db_instance.skip_final_snapshot"],
      "safety.preventDestroy": [
        "aws_backup_vault.lifecycle.prevent_destroy",
        "aws_db_instance.lifecycle.prevent_destroy",
        "aws_efs_file_system.lifecycle.prevent_destroy",
        "aws_elasticache_replication_group.lifecycle.prevent_destroy",
        "aws_kms_key.lifecycle.prevent_destroy",
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
        "aws_security_group (+)", "aws_vpc_endpoint (+)", "aws_vpc_security_group_egress_rule (+)", "aws_vpc_security_group_egress_rule (-)", "aws_vpc_security_group_egress_rule.description",
      ],
      containerInsights: ["aws_ecs_cluster.setting.value"],
      "database.maxAllocatedStorageGiB": ["aws_db_instance.max_allocated_storage"],
      "database.multiAz": ["aws_db_instance.multi_az"],
      logRetentionDays: ["aws_cloudwatch_log_group.retention_in_days"],
      // HTTPS listener added; with http "closed" (issue 10 item 4) the HTTP listener and its port-80 rule go; services
      // and the listener rule follow the listener that now routes them.
      "certificateArn / http": [
        "aws_ecs_service.depends_on",
        "aws_lb_listener (+)",
        "aws_lb_listener (-)",
        "aws_lb_listener_rule.listener_arn",
        "aws_vpc_security_group_ingress_rule (+)",
        "aws_vpc_security_group_ingress_rule (-)",
      ],
    };
    expect(differences(dev, prodSettingsNamedDev)).toEqual(Object.values(bySetting).flat().sort());
  });
});

describe("alerting-platform settings", () => {
  it("AP6: an HTTPS listener and an HTTP->HTTPS redirect when a certificate is set", () => {
    const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd";
    const s = synthCustom((app) => new AlertingPlatformStack(app, { environment: withSettings("dev", { systems: { alertingPlatform: { certificateArn: cert } } }) }));
    const listeners = Object.values(resources(s, "aws_lb_listener")) as any[];
    expect(listeners.map((l) => l.protocol).sort()).toEqual(["HTTP", "HTTPS"]);
    expect(listeners.find((l) => l.protocol === "HTTPS").certificate_arn).toBe(cert);
    expect(listeners.find((l) => l.protocol === "HTTP").default_action[0].type).toBe("redirect");
  });

  it("AP1: natGateways \"none\" removes the NAT gateways", () => {
    const s = synthCustom((app) => new AlertingPlatformStack(app, { environment: withSettings("dev", { systems: { alertingPlatform: { natGateways: "none" } } }) }));
    expect(Object.keys(resources(s, "aws_nat_gateway"))).toHaveLength(0);
  });

  it("AP5: refuses an environment that would scale rule-updater", () => {
    const env = withSettings("dev", { systems: { alertingPlatform: { services: { "rule-updater": { cpu: 256, memoryMiB: 256, desiredCount: 1, minCount: 1, maxCount: 3 } } } } });
    expect(() => synthCustom((app) => new AlertingPlatformStack(app, { environment: env }))).toThrow(/RuleUpdater.*(scaling|maxCount).*singleton|singleton.*(scaling|maxCount)/i);
  });

  it("AP5: refuses rule-updater with two desired tasks", () => {
    const env = withSettings("dev", { systems: { alertingPlatform: { services: { "rule-updater": { cpu: 256, memoryMiB: 256, desiredCount: 2, minCount: 2, maxCount: 2 } } } } });
    expect(() => synthCustom((app) => new AlertingPlatformStack(app, { environment: env }))).toThrow(/alerting-platform-dev\/RuleUpdater: scaling = \{"minCount":2,"maxCount":2.*singleton runs exactly one task/);
  });
});
