import { Testing } from "cdktf";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../stacks";
import { CHAT_SERVICES, environments } from "../../environments";
import { resources } from "../support/synth";
import { differences, synthSystem, withSettings, githubTrust, roleStatements, allowedActions, namedResources } from "../support/stacks";
import { ENVS, all, synthEnv, containers, idOf, inRegion, chatAppCase } from "./chat-app.fixture";

describe.each(ENVS)("chat-app-%s", (env) => {
  const { s, cfg, prefix, ecs } = chatAppCase(env);


  it(`CA5: a second aws provider in us-east-1 (alias us_east_1) for the CDN's WAF and key, the replica bucket ${cfg.attachmentsReplicaRegion ? `under alias replica in ${cfg.attachmentsReplicaRegion}` : "there too"} (tags: G3 in common.test.ts)`, () => {
    const dr = cfg.attachmentsReplicaRegion ? [["replica", cfg.attachmentsReplicaRegion]] : [];
    expect(s.parsed.provider.aws.map((p: any) => [p.alias, p.region])).toEqual([[undefined, environments[env].region], ["us_east_1", "us-east-1"], ...dr]);
  });

  it("CA10: VPC 10.0.0.0/16 with a public and a private subnet in each of three AZs", () => {
    expect(all(s, "aws_vpc").map((v) => v.cidr_block)).toEqual(["10.0.0.0/16"]);
    const subnets = all(s, "aws_subnet");
    expect(subnets.filter((x) => x.tags?.Tier === "public")).toHaveLength(3);
    expect(subnets.filter((x) => x.tags?.Tier === "private")).toHaveLength(3);
    expect(new Set(subnets.map((x) => JSON.stringify(x.availability_zone))).size).toBe(3);
  });

  it("G4: NAT gateways follow the environment's setting", () => {
    const expected = { none: 0, single: 1, perAz: cfg.azCount }[cfg.natGateways];
    expect(all(s, "aws_nat_gateway")).toHaveLength(expected);
  });

  it("CA1: one ECR repository per service", () => {
    const names = all(s, "aws_ecr_repository").map((r) => r.name).sort();
    expect(names).toEqual(CHAT_SERVICES.map((n) => `${prefix}/${n}`).sort());
  });

  if (ecs) {
    it("CA1: the five services run on ECS Fargate in private subnets; api-gateway behind the ALB, the rest through Cloud Map", () => {
      expect(all(s, "aws_eks_cluster")).toHaveLength(0);
      const services = all(s, "aws_ecs_service");
      expect(services.map((x) => x.name).sort()).toEqual(CHAT_SERVICES.map((n) => `${prefix}-${n}`).sort());
      for (const svc of services) {
        expect(svc.launch_type ?? svc.capacity_provider_strategy?.[0]?.capacity_provider, svc.name).toMatch(/FARGATE/);
        expect(svc.network_configuration.subnets.every((id: string) => id.includes("PrivateSubnet")), svc.name).toBe(true);
        expect(svc.service_registries, svc.name).toBeDefined();
      }
      const withLb = services.filter((x) => x.load_balancer?.length);
      expect(withLb.map((x) => x.name)).toEqual([`${prefix}-api-gateway`]);
      expect(withLb[0].load_balancer[0].container_port).toBe(8080);
      expect(all(s, "aws_service_discovery_service").map((x) => x.name).sort()).toEqual([...CHAT_SERVICES].sort());
      for (const t of all(s, "aws_ecs_task_definition")) expect(t.requires_compatibilities).toEqual(["FARGATE"]);
    });

      it("CA1: services are sized and scaled as the environment says", () => {
      const services = resources(s, "aws_ecs_service");
      const targets = all(s, "aws_appautoscaling_target");
      expect(targets).toHaveLength(5);
      for (const name of CHAT_SERVICES) {
        const sizing = cfg.services[name];
        const td = all(s, "aws_ecs_task_definition").find((t) => t.family === `${prefix}-${name}`);
        expect([Number(td.cpu), Number(td.memory)], name).toEqual([sizing.cpu, sizing.memoryMiB]);
        const [serviceId, service] = Object.entries(services).find(([, x]) => x.name === `${prefix}-${name}`)!;
        expect(service.desired_count, name).toBe(sizing.desiredCount);
        const target = targets.find((t) => String(t.resource_id).endsWith(`/\${aws_ecs_service.${serviceId}.name}`));
        expect([target?.min_capacity, target?.max_capacity], name).toEqual([sizing.minCount, sizing.maxCount]);
      }
    });

    it("the ECS cluster's Container Insights follow the environment", () => {
      expect(all(s, "aws_ecs_cluster")[0].setting).toEqual([{ name: "containerInsights", value: cfg.containerInsights ? "enabled" : "disabled" }]);
      if (env === "prod") expect(cfg.containerInsights).toBe(true);
    });

    it("CA7: the WAF web ACL is associated with the ALB", () => {
      const association = all(s, "aws_wafv2_web_acl_association");
      expect(association).toHaveLength(1);
      expect(association[0].resource_arn).toBe(`\${aws_lb.${idOf(s, "aws_lb")}.arn}`);
      expect(association[0].web_acl_arn).toBe(`\${aws_wafv2_web_acl.${idOf(s, "aws_wafv2_web_acl", inRegion)}.arn}`);
      expect(resources(s, "aws_wafv2_web_acl")[idOf(s, "aws_wafv2_web_acl", inRegion)].scope).toBe("REGIONAL");
    });

    it("G9: every service has its own log group, execution and task roles, a health check and an ECR image", () => {
      const groups = all(s, "aws_cloudwatch_log_group");
      for (const name of CHAT_SERVICES) {
        const g = groups.find((x) => x.name === `/ecs/chat-app/${env}/${name}`);
        expect(g, name).toBeDefined();
        expect(g.retention_in_days).toBe(cfg.logRetentionDays);
        const [c] = containers(s, name);
        expect(c.logConfiguration.logDriver, name).toBe("awslogs");
        expect(c.logConfiguration.options["awslogs-group"], name).toMatch(/^<ref:aws_cloudwatch_log_group\./);
        expect(c.healthCheck.command.join(" "), name).toContain("/health");
        const repoId = Object.entries(resources(s, "aws_ecr_repository")).find(([, r]) => r.name === `${prefix}/${name}`)?.[0];
        expect(c.image, name).toBe(`\${aws_ecr_repository.${repoId}.repository_url}:initial`);
        const td = all(s, "aws_ecs_task_definition").find((t) => t.family === `${prefix}-${name}`);
        expect(td.execution_role_arn).not.toEqual(td.task_role_arn);
      }
      expect(new Set(all(s, "aws_ecs_task_definition").map((t) => t.task_role_arn)).size).toBe(5);
      // Task roles carry only what each application calls.
      const taskActions = (name: string) => allowedActions(roleStatements(s, `${prefix}-${name}-task`));
      const taskResources = (name: string) => namedResources(roleStatements(s, `${prefix}-${name}-task`));
      expect(taskActions("api-gateway").filter((a) => /^(kafka-cluster|s3|secretsmanager):/.test(a))).toEqual([]);
      expect(taskResources("api-gateway").filter((r) => /aws_db_instance|aws_docdb_cluster/.test(r))).toEqual([]);
      expect(taskActions("auth-service").filter((a) => /^(kafka-cluster|s3):/.test(a))).toEqual([]);
      expect(taskActions("chat-service")).toEqual(expect.arrayContaining(["kafka-cluster:WriteData", "s3:PutObject"]));
      expect(taskActions("notification-service").filter((a) => a.startsWith("s3:"))).toEqual([]);
    });

    it("G7: tasks read database, DocumentDB and Redis AUTH secrets through ECS secrets, never as plain values", () => {
      const secretNames = (name: string) => (containers(s, name)[0].secrets ?? []).map((x: any) => x.name).sort();
      expect(secretNames("auth-service")).toEqual(["POSTGRES_PASSWORD", "POSTGRES_USERNAME", "REDIS_PASSWORD"]);
      expect(secretNames("chat-service")).toEqual(["MONGO_PASSWORD", "MONGO_USERNAME", "REDIS_PASSWORD"]);
      expect(secretNames("api-gateway")).toEqual(["REDIS_PASSWORD"]);
      for (const name of CHAT_SERVICES) {
        const envNames = (containers(s, name)[0].environment ?? []).map((x: any) => x.name);
        expect(envNames.filter((n: string) => /PASSWORD|SECRET|TOKEN/.test(n)), name).toEqual([]);
      }
    });

    it("G10: a GitHub Actions role trusted through OIDC for the chat-app repository may update exactly these ECS services", () => {
      const role = all(s, "aws_iam_role").find((r) => r.name === `${prefix}-github-deploy`);
      expect(githubTrust(role.assume_role_policy)).toEqual({ webIdentity: true, subjects: ["repo:example-org/chat-app:ref:refs/heads/main"] });
      const statements = roleStatements(s, `${prefix}-github-deploy`);
      expect(allowedActions(statements)).toEqual(expect.arrayContaining(["ecs:UpdateService", "ecr:PutImage"]));
      const pushed = statements.filter((st) => st.Action.includes("ecr:PutImage")).flatMap((st) => st.Resource).sort();
      expect(pushed).toEqual(Object.keys(resources(s, "aws_ecr_repository")).map((id) => `<ref:aws_ecr_repository.${id}.arn>`).sort());
      expect(allowedActions(statements).filter((a) => a.startsWith("eks:"))).toEqual([]);
    });
  } else {
    it("CA1: the five services run on EKS: a managed node group in private subnets and one IRSA role per service", () => {
      expect(all(s, "aws_ecs_service")).toHaveLength(0);
      expect(all(s, "aws_ecs_cluster")).toHaveLength(0);
      expect(all(s, "aws_lb")).toHaveLength(0); // the ingress controller creates the ALB
      const cluster = all(s, "aws_eks_cluster")[0];
      expect(cluster.name).toBe(prefix);
      expect(cluster.version).toBe(cfg.eks.kubernetesVersion);
      expect(cluster.vpc_config.subnet_ids.every((id: string) => id.includes("PrivateSubnet"))).toBe(true);
      const ng = all(s, "aws_eks_node_group")[0];
      expect(ng.scaling_config).toEqual({ min_size: cfg.eks.minSize, desired_size: cfg.eks.desiredSize, max_size: cfg.eks.maxSize });
      expect(ng.instance_types).toEqual(cfg.eks.instanceTypes);
      expect(ng.subnet_ids.every((id: string) => id.includes("PrivateSubnet"))).toBe(true);
      for (const name of CHAT_SERVICES) {
        const role = all(s, "aws_iam_role").find((r) => r.name === `${prefix}-${name}`);
        expect(role, name).toBeDefined();
        expect(String(role.assume_role_policy), name).toContain(`system:serviceaccount:chat-app:${name}`);
        expect(s.parsed.output?.[`${name.replace(/-/g, "_")}_role_arn`], name).toBeDefined();
      }
    });

    it("CA7: the web ACL exists for the ingress controller's ALB (annotation), with no association in Terraform", () => {
      expect(all(s, "aws_wafv2_web_acl").filter(inRegion).map((a) => a.scope)).toEqual(["REGIONAL"]);
      expect(all(s, "aws_wafv2_web_acl_association")).toHaveLength(0);
      expect(s.parsed.output?.waf_acl_arn.value).toBe(`\${aws_wafv2_web_acl.${idOf(s, "aws_wafv2_web_acl", inRegion)}.arn}`);
    });

    it("G9: every service has its own least-privilege pod role and ECR repository; nodes pull images read-only", () => {
      const actions = (n: string) => allowedActions(roleStatements(s, `${prefix}-${n}`));
      const named = (n: string) => namedResources(roleStatements(s, `${prefix}-${n}`));
      expect(named("auth-service").some((r) => r.includes("master_user_secret"))).toBe(true);
      expect(actions("auth-service").filter((a) => a.startsWith("kafka-cluster:"))).toEqual([]);
      expect(actions("chat-service")).toContain("kafka-cluster:Connect");
      expect(named("chat-service").some((r) => r.includes("aws_docdb_cluster"))).toBe(true);
      expect(actions("notification-service")).not.toContain("s3:PutObject");
      expect(actions("api-gateway").filter((a) => /^(kafka-cluster|s3):/.test(a))).toEqual([]);
      expect(named("api-gateway").filter((r) => /aws_db_instance|aws_docdb_cluster/.test(r))).toEqual([]);
      const attachments = all(s, "aws_iam_role_policy_attachment").map((a) => String(a.policy_arn));
      expect(attachments.some((a) => a.endsWith(":policy/AmazonEC2ContainerRegistryReadOnly"))).toBe(true);
    });

    it("G7: pods read the database, DocumentDB and Redis AUTH secrets through IRSA and can decrypt them", () => {
      for (const name of CHAT_SERVICES) {
        const statements = roleStatements(s, `${prefix}-${name}`);
        expect(allowedActions(statements), name).toEqual(expect.arrayContaining(["secretsmanager:GetSecretValue", "kms:Decrypt"]));
        const read = statements.filter((st) => st.Action.includes("secretsmanager:GetSecretValue")).flatMap((st) => st.Resource);
        expect(read.some((r) => r.startsWith("<ref:aws_secretsmanager_secret.RedisCluster_AuthSecret")), name).toBe(true);
      }
    });

    it("G10: a GitHub Actions role trusted through OIDC for the chat-app repository may describe the cluster and edit its namespace", () => {
      const role = all(s, "aws_iam_role").find((r) => r.name === `${prefix}-github-deploy`);
      expect(githubTrust(role.assume_role_policy).subjects).toEqual(["repo:example-org/chat-app:ref:refs/heads/main"]);
      const actions = allowedActions(roleStatements(s, `${prefix}-github-deploy`));
      expect(actions).toEqual(expect.arrayContaining(["eks:DescribeCluster", "ecr:PutImage"]));
      expect(actions).not.toContain("ecs:UpdateService");
      const association = all(s, "aws_eks_access_policy_association")[0];
      expect(association.policy_arn).toMatch(/cluster-access-policy\/AmazonEKSEditPolicy$/);
      expect(association.access_scope).toEqual({ type: "namespace", namespaces: ["chat-app"] });
    });
  }
});

describe("chat-app across environments", () => {
  it("G1: one stack per environment, synthesized to cdktf.out/stacks/chat-app-<env>/cdk.tf.json", () => {
    const outdir = mkdtempSync(join(tmpdir(), "chat-app-synth-"));
    try {
      const app = Testing.app({ outdir });
      const stacks = buildApp(app, { systems: ["chat-app"] });
      expect(stacks.map((st) => st.node.id)).toEqual(ENVS.map((e) => `chat-app-${e}`));
      app.synth();
      for (const e of ENVS) expect(existsSync(join(outdir, "stacks", `chat-app-${e}`, "cdk.tf.json")), e).toBe(true);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("CA1: compute is ECS in dev and prod and EKS in staging", () => {
    expect(ENVS.map((e) => environments[e].systems.chatApp.compute)).toEqual(["ecs", "eks", "ecs"]);
    expect(ENVS.map((e) => all(synthSystem("chat-app", e), "aws_eks_cluster").length)).toEqual([0, 1, 0]);
    expect(ENVS.map((e) => all(synthSystem("chat-app", e), "aws_ecs_cluster").length)).toEqual([1, 0, 1]);
  });

  it("G8: prod has Multi-AZ, deletion protection, final snapshots and 7-day backups on both databases; dev trades them", () => {
    const prod = synthSystem("chat-app", "prod");
    const db = all(prod, "aws_db_instance")[0];
    expect([db.multi_az, db.deletion_protection, db.skip_final_snapshot, db.lifecycle.prevent_destroy]).toEqual([true, true, false, true]);
    expect(db.backup_retention_period).toBeGreaterThanOrEqual(7);
    const docdb = all(prod, "aws_docdb_cluster")[0];
    expect([docdb.deletion_protection, docdb.skip_final_snapshot, docdb.lifecycle.prevent_destroy]).toEqual([true, false, true]);
    expect(docdb.backup_retention_period).toBeGreaterThanOrEqual(7);
    expect(all(prod, "aws_docdb_cluster_instance").length).toBeGreaterThanOrEqual(2);
    expect(new Set(all(prod, "aws_docdb_cluster_instance").map((i) => i.availability_zone)).size).toBeGreaterThanOrEqual(2);
    const dev = synthSystem("chat-app", "dev");
    const devDb = all(dev, "aws_db_instance")[0];
    expect([devDb.multi_az, devDb.deletion_protection, devDb.skip_final_snapshot]).toEqual([false, false, true]);
    expect(all(dev, "aws_docdb_cluster")[0].deletion_protection).toBe(false);
  });

  it("prod differs from dev exactly where environments/ says (same code path, prod's settings under dev's name)", () => {
    const dev = synthSystem("chat-app", "dev");
    const prodSettingsNamedDev = synthEnv({ ...environments.prod, name: "dev" });
    // Every difference traces to a line of prod.ts vs dev.ts; anything else means code branches on the environment.
    const bySetting: Record<string, string[]> = {
      "safety.deletionProtection": ["aws_db_instance.deletion_protection", "aws_docdb_cluster.deletion_protection", "aws_lb.enable_deletion_protection"],
      "safety.skipFinalSnapshot": [
        "aws_db_instance.final_snapshot_identifier", "aws_db_instance.skip_final_snapshot",
        "aws_docdb_cluster.final_snapshot_identifier", "aws_docdb_cluster.skip_final_snapshot",
      ],
      "safety.preventDestroy": [
        "aws_backup_vault.lifecycle.prevent_destroy", "aws_db_instance.lifecycle.prevent_destroy", "aws_docdb_cluster.lifecycle.prevent_destroy", "aws_docdb_cluster_instance.lifecycle.prevent_destroy",
        "aws_ebs_volume.lifecycle.prevent_destroy", "aws_instance.lifecycle.prevent_destroy", "aws_kms_key.lifecycle.prevent_destroy",
        "aws_msk_cluster.lifecycle.prevent_destroy", "aws_s3_bucket.lifecycle.prevent_destroy", "aws_secretsmanager_secret.lifecycle.prevent_destroy",
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
        "aws_security_group (+)", "aws_vpc_endpoint (+)", "aws_vpc_security_group_egress_rule (+)", "aws_vpc_security_group_egress_rule (-)",
      ],
      "services.*.desiredCount/minCount/maxCount": ["aws_appautoscaling_target.max_capacity", "aws_appautoscaling_target.min_capacity", "aws_ecs_service.desired_count"],
      "database.maxAllocatedStorageGiB": ["aws_db_instance.max_allocated_storage"],
      "database.multiAz": ["aws_db_instance.multi_az"],
      "documentDb.instances": ["aws_docdb_cluster_instance (+)"],
      "msk.instanceType / volumeGiB": ["aws_msk_cluster.broker_node_group_info.instance_type", "aws_msk_cluster.broker_node_group_info.storage_info.ebs_storage_info.volume_size"],
      "redisCluster.instanceType / dataVolumeGiB": ["aws_instance.instance_type", "aws_ebs_volume.size"],
      "blueGreen (false -> true)": [
        "aws_codedeploy_app (+)", "aws_codedeploy_deployment_group (+)",
        // CodeDeploy service role, its managed policy, and the deploy role's CodeDeploy statements
        "aws_iam_role (+)", "aws_iam_role_policy_attachment (+)", "aws_iam_role_policy.policy",
        // the blue/green target group pair replaces the single group; alarms watch both
        // (the forwarding listener's lifecycle.ignore_changes rides on the HTTPS listener, which certificateArn adds, and
        // dev's forwarding HTTP listener is gone with http "closed")
        "aws_lb_target_group (+)", "aws_lb_target_group (-)",
        "aws_cloudwatch_metric_alarm (+)", "aws_cloudwatch_metric_alarm.dimensions.TargetGroup", "aws_cloudwatch_metric_alarm.metric_query.metric.dimensions.TargetGroup",
        // api-gateway's deployments move from ECS (rolling, circuit breaker) to CodeDeploy
        "aws_ecs_service.deployment_controller.type", "aws_ecs_service.deployment_circuit_breaker.enable", "aws_ecs_service.deployment_circuit_breaker.rollback",
        "aws_ecs_service.availability_zone_rebalancing", "aws_ecs_service.lifecycle.ignore_changes", "aws_ecs_service.load_balancer.target_group_arn",
      ],
      tracingSampleRate: ["aws_xray_sampling_rule.fixed_rate"],
      logRetentionDays: ["aws_cloudwatch_log_group.retention_in_days"],
      containerInsights: ["aws_ecs_cluster.setting.value"],
      // The ALB gets an HTTPS listener (and 443 open); with http "closed" (issue 10 item 4) the HTTP listener and
      // its port-80 rule go; api-gateway waits for the HTTPS listener.
      "certificateArn / http": [
        "aws_lb_listener (+)", "aws_lb_listener (-)",
        "aws_vpc_security_group_ingress_rule (+)", "aws_vpc_security_group_ingress_rule (-)", "aws_ecs_service.depends_on",
      ],
      "cdn.aliases / cdn.certificateArn": [
        "aws_cloudfront_distribution.aliases", "aws_cloudfront_distribution.viewer_certificate.acm_certificate_arn",
        "aws_cloudfront_distribution.viewer_certificate.cloudfront_default_certificate",
        "aws_cloudfront_distribution.viewer_certificate.minimum_protocol_version", "aws_cloudfront_distribution.viewer_certificate.ssl_support_method",
      ],
      // Issue 10 item 3: the attachments replica moves to the DR region (its own provider and key, CloudFront may
      // decrypt; the edge key no longer needs to) and logs to that region's log bucket (replicaAccessLogs).
      "attachmentsReplicaRegion / replicaAccessLogs": [
        "provider.aws.alias", "provider.aws.region", "provider.aws.default_tags.tags.Environment", "provider.aws.default_tags.tags.ManagedBy",
        "provider.aws.default_tags.tags.Project", "provider.aws.default_tags.tags.System",
        "aws_caller_identity (+)", "aws_partition (+)", "aws_region (+)", "aws_kms_alias (+)", "aws_kms_key (+)", "aws_kms_key.description", "aws_kms_key.policy",
        "aws_s3_bucket.provider", "aws_s3_bucket_lifecycle_configuration.provider", "aws_s3_bucket_notification.provider", "aws_s3_bucket_ownership_controls.provider",
        "aws_s3_bucket_policy.provider", "aws_s3_bucket_public_access_block.provider", "aws_s3_bucket_server_side_encryption_configuration.provider",
        "aws_s3_bucket_versioning.provider", "aws_s3_bucket_server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.kms_master_key_id",
        "aws_s3_bucket_replication_configuration.rule.destination.encryption_configuration.replica_kms_key_id",
      ],
      // Issue 10 item 3: the Redis backup bucket replicates to the DR region (a replica bucket, its replication and role).
      "redisCluster.replicateBackups": [
        "aws_iam_role (+)", "aws_iam_role_policy (+)",
        ...["", "_lifecycle_configuration", "_logging", "_notification", "_ownership_controls", "_policy", "_public_access_block", "_replication_configuration",
          "_server_side_encryption_configuration", "_versioning"].map((t) => `aws_s3_bucket${t} (+)`),
      ],
      "cdn.blockedCountries": ["aws_cloudfront_distribution.restrictions.geo_restriction.locations", "aws_cloudfront_distribution.restrictions.geo_restriction.restriction_type"],
    };
    expect(differences(dev, prodSettingsNamedDev)).toEqual([...new Set(Object.values(bySetting).flat())].sort());
  });
});

describe("chat-app settings", () => {
  it("CA7: shieldAdvanced protects the ALB with AWS Shield Advanced", () => {
    const s = synthEnv(withSettings("dev", { systems: { chatApp: { shieldAdvanced: true } } }));
    const protections = all(s, "aws_shield_protection");
    expect(protections).toHaveLength(1);
    expect(protections[0].resource_arn).toBe(`\${aws_lb.${idOf(s, "aws_lb")}.arn}`);
  });

  it("CA9: blueGreen in dev adds the CodeDeploy deployment group for api-gateway", () => {
    const s = synthEnv(withSettings("dev", { systems: { chatApp: { blueGreen: true } } }));
    expect(all(s, "aws_codedeploy_deployment_group")).toHaveLength(1);
    expect(all(s, "aws_lb_target_group")).toHaveLength(2);
    expect(allowedActions(roleStatements(s, "chat-app-dev-github-deploy"))).toContain("codedeploy:CreateDeployment");
  });

  it("CA1: compute \"eks\" in dev swaps ECS for EKS and keeps every data store", () => {
    const s = synthEnv(withSettings("dev", { systems: { chatApp: { compute: "eks" } } }));
    expect(all(s, "aws_ecs_service")).toHaveLength(0);
    expect(all(s, "aws_eks_cluster")).toHaveLength(1);
    for (const type of ["aws_db_instance", "aws_docdb_cluster", "aws_msk_cluster", "aws_cloudfront_distribution"]) expect(all(s, type), type).toHaveLength(1);
    expect(all(s, "aws_wafv2_web_acl").map((a) => a.scope).sort()).toEqual(["CLOUDFRONT", "REGIONAL"]);
    expect(all(s, "aws_instance")).toHaveLength(6);
  });

  describe("refuses", () => {
    it("CA9: blue/green with compute \"eks\"", () => {
      const env = withSettings("staging", { systems: { chatApp: { blueGreen: true } } });
      expect(() => synthEnv(env)).toThrow(/^environments\/staging\.ts: systems\.chatApp\.blueGreen = true is not allowed; .*compute "ecs" only/);
    });

    it("CA7: Shield Advanced with compute \"eks\" (the ingress controller owns the ALB)", () => {
      const env = withSettings("staging", { systems: { chatApp: { shieldAdvanced: true } } });
      expect(() => synthEnv(env)).toThrow(/^environments\/staging\.ts: systems\.chatApp\.shieldAdvanced = true is not allowed; .*shield-advanced-protection/);
    });

    it("CA1: an EKS node group whose minimum exceeds its maximum", () => {
      const env = withSettings("staging", { systems: { chatApp: { eks: { minSize: 5, desiredSize: 5, maxSize: 4 } } } });
      expect(() => synthEnv(env)).toThrow(/chat-app-staging\/Cluster: nodeGroups\[0\]\.minSize = 5 is not allowed; .*maxSize/);
    });

    it("CA5: CDN domain names without a certificate", () => {
      const env = withSettings("dev", { systems: { chatApp: { cdn: { aliases: ["files.example.com"] } } } });
      expect(() => synthEnv(env)).toThrow(/^environments\/dev\.ts: systems\.chatApp\.cdn\.aliases = \["files\.example\.com"\] is not allowed; custom domain names need systems\.chatApp\.cdn\.certificateArn/);
    });

    it("CA5: a CDN certificate outside us-east-1", () => {
      const env = withSettings("dev", { systems: { chatApp: { cdn: { aliases: ["files.example.com"], certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0c1f5e1a-7d6b-4f7e-9a57-3c2b1d0e9f11" } } } });
      expect(() => synthEnv(env)).toThrow(/chat-app-dev\/Cdn: certificateArn = "arn:aws:acm:eu-west-1:.*" is not allowed; expected an ACM certificate in us-east-1/);
    });

    it("CA10: a network of two AZs (MSK's three brokers and the Redis Cluster need three)", () => {
      const env = withSettings("dev", { systems: { chatApp: { azCount: 2 } } });
      expect(() => synthEnv(env)).toThrow(/^environments\/dev\.ts: systems\.chatApp\.azCount = 2 is not allowed; .*at least 3/);
    });

    it("CA8: a tracing sample rate above 1", () => {
      const env = withSettings("dev", { systems: { chatApp: { tracingSampleRate: 1.5 } } });
      expect(() => synthEnv(env)).toThrow(/chat-app-dev\/Sampling: fixedRate = 1\.5 is not allowed/);
    });

    it("G9: a log retention CloudWatch does not offer", () => {
      const env = withSettings("dev", { systems: { chatApp: { logRetentionDays: 10 } } });
      expect(() => synthEnv(env)).toThrow(/chat-app-dev\/[A-Za-z]+: (flowLogs\.)?(logRetentionDays|retentionDays) = 10 is not allowed; expected a CloudWatch Logs retention value/);
    });
  });
});
