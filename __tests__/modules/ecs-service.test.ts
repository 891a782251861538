import { EcsService } from "../../modules/ecs-service";
import { EcsCluster } from "../../modules/ecs-cluster";
import { allowFrom, IConnectable } from "../../modules/core";
import { EcsService as EcsServiceResource } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { only, resources, synthWith } from "../support/synth";
import { allowedActions, statementsOfPolicy, trustedServices } from "../support/stacks";
import { base, build, container, fargate, image, network, policyOf, targetGroupArn, withNamespace } from "./ecs-service.fixture";

// Defaults, scaling, singletons, placement, load balancing and deployment controllers. Also: ecs-service-access.test.ts
// (secrets, images, task permissions, EFS, X-Ray), ecs-service-refuses.test.ts (invalid props), ecs-service-options.test.ts.
describe("EcsService", () => {
  describe("with defaults (Fargate, port 8080)", () => {
    const { s, service } = build({ containerPort: 8080 });

    it("G9: writes to its own log group with the given retention", () => {
      expect(only(s, "aws_cloudwatch_log_group")).toMatchObject({ name: "/ecs/alerting-platform-dev-rule-service", retention_in_days: 7 });
      expect(container(s)).toContain("\"logDriver\" = \"awslogs\"");
      expect(container(s)).toMatch(/"awslogs-group" = aws_cloudwatch_log_group\.RuleService_LogGroup_\w+\.name/);
      expect(container(s)).toMatch(/"awslogs-region" = data\.aws_region\./);
    });

    it("G9: has two roles, both trusting ECS tasks of this account only", () => {
      const roles = Object.values(resources(s, "aws_iam_role"));
      expect(roles.map((r) => r.name).sort()).toEqual(["alerting-platform-dev-rule-service-exec", "alerting-platform-dev-rule-service-task"]);
      for (const r of roles) {
        expect(trustedServices(r.assume_role_policy)).toContain("ecs-tasks.amazonaws.com");
        expect(Object.keys(statementsOfPolicy(r.assume_role_policy)[0].Condition?.StringEquals ?? {})).toContain("aws:SourceAccount");
      }
    });

    it("G9: lets the execution role pull from exactly its ECR repository and write its log streams", () => {
      const statements = statementsOfPolicy(policyOf(s, "Execution")!);
      expect(statements.find((st) => st.Sid === "EcrPull")?.Resource).toEqual(["arn:aws:ecr:eu-west-1:123456789012:repository/alerting-platform/rule-service"]);
      expect(statements.find((st) => st.Sid === "EcrLogin")).toMatchObject({ Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] });
      expect(statements.find((st) => st.Sid === "WriteLogs")?.Resource).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.RuleService_LogGroup_\w+\.arn\}:\*$/)]);
      expect(allowedActions(statements).filter((a) => a.startsWith("secretsmanager:"))).toEqual([]);
    });

    it("G9: gives the task role no permissions unless asked", () => {
      expect(policyOf(s, "Task")).toBeUndefined();
    });

    it("G9: health-checks the container on /health and runs the given image", () => {
      const c = container(s);
      expect(c).toContain("\"command\" = [\"CMD-SHELL\", \"curl -fs http://localhost:8080/health || exit 1\"]");
      expect(c).toContain("\"interval\" = 30");
      expect(c).toContain("\"startPeriod\" = 60");
      expect(c).toContain(`"image" = "${image}"`);
    });

    it("defines an awsvpc Fargate task with a read-only root filesystem and a writable /tmp", () => {
      expect(s.json).toHaveResourceWithProperties(EcsTaskDefinition, {
        family: "alerting-platform-dev-rule-service",
        network_mode: "awsvpc",
        requires_compatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        volume: [{ name: "tmp" }],
      });
      expect(container(s)).toContain("\"readonlyRootFilesystem\" = true");
      expect(container(s)).toContain("\"containerPath\" = \"/tmp\"");
      expect(container(s)).toContain("\"portMappings\" = [{\"containerPort\" = 8080, \"hostPort\" = 8080, \"protocol\" = \"tcp\"}]");
    });

    it("runs in private subnets without public IPs, with rolling deploys that roll back", () => {
      expect(s.json).toHaveResourceWithProperties(EcsServiceResource, {
        name: "alerting-platform-dev-rule-service",
        cluster: fargate.clusterArn,
        launch_type: "FARGATE",
        desired_count: 1,
        network_configuration: { subnets: network.privateSubnetIds, assign_public_ip: false, security_groups: [expect.stringContaining("aws_security_group.")] },
        deployment_controller: { type: "ECS" },
        deployment_circuit_breaker: { enable: true, rollback: true },
        deployment_maximum_percent: 200,
        deployment_minimum_healthy_percent: 100,
        propagate_tags: "SERVICE",
        enable_ecs_managed_tags: true,
        wait_for_steady_state: false,
      });
      const svc = only(s, "aws_ecs_service");
      expect(svc.lifecycle).toBeUndefined();
      expect(svc.capacity_provider_strategy).toBeUndefined();
      expect(svc.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\.RuleService_ExecutionRolePolicy/)]);
    });

    it("has its own security group: egress anywhere, no ingress until a stack allows it", () => {
      expect(s.json).toHaveResourceWithProperties(SecurityGroup, { name: "alerting-platform-dev-rule-service-tasks", vpc_id: "vpc-0123" });
      expect(resources(s, "aws_vpc_security_group_ingress_rule")).toEqual({});
      expect(only(s, "aws_vpc_security_group_egress_rule").cidr_ipv4).toBe("0.0.0.0/0");
    });

    it("creates no auto scaling", () => {
      expect(s.json).not.toHaveResource(AppautoscalingTarget);
      expect(service.scalingTarget).toBeUndefined();
    });

    it("exposes its names, roles and container", () => {
      expect(service.containerName).toBe("app");
      expect(service.containerPort).toBe(8080);
      expect(service.desiredCount).toBe(1);
      for (const v of [service.serviceName, service.serviceArn, service.securityGroupId, service.taskRoleArn, service.taskRoleName, service.executionRoleArn, service.logGroupName, service.logGroupArn, service.taskDefinitionArn]) {
        expect(v).toMatch(/\$\{/);
      }
    });
  });

  describe("AP4: with auto scaling 1-3", () => {
    const { s, service } = build({ containerPort: 8080, scaling: { minCount: 1, maxCount: 3 } });

    it("AP4: scales the service between 1 and 3 tasks", () => {
      expect(s.json).toHaveResourceWithProperties(AppautoscalingTarget, {
        service_namespace: "ecs",
        scalable_dimension: "ecs:service:DesiredCount",
        min_capacity: 1,
        max_capacity: 3,
      });
      expect(only(s, "aws_appautoscaling_target").resource_id).toMatch(/^service\/sys-dev\/\$\{aws_ecs_service\.RuleService_\w+\.name\}$/);
      expect(service.scalingTarget).toBeDefined();
    });

    it("AP4: tracks CPU at 70 % and memory at 80 % with cooldowns of 60 s out and 300 s in", () => {
      const configs = Object.values(resources(s, "aws_appautoscaling_policy")).map((p) => ({ type: p.policy_type, ...p.target_tracking_scaling_policy_configuration }));
      expect(configs).toHaveLength(2);
      expect(configs).toContainEqual({ type: "TargetTrackingScaling", predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" }, target_value: 70, scale_out_cooldown: 60, scale_in_cooldown: 300, disable_scale_in: false });
      expect(configs).toContainEqual({ type: "TargetTrackingScaling", predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageMemoryUtilization" }, target_value: 80, scale_out_cooldown: 60, scale_in_cooldown: 300, disable_scale_in: false });
    });

    it("AP4: leaves the task count to the scaling target after creation", () => {
      const svc = only(s, "aws_ecs_service");
      expect(svc.desired_count).toBe(1);
      expect(svc.lifecycle.ignore_changes).toEqual(["desired_count"]);
    });
  });

  describe("TV1: with auto scaling on CPU only (memoryTargetPercent: false)", () => {
    const { s, service } = build({ containerPort: 8080, desiredCount: 2, scaling: { minCount: 1, maxCount: 4, memoryTargetPercent: false } });

    it("TV1: has one CPU target-tracking policy and no memory policy", () => {
      const policies = Object.values(resources(s, "aws_appautoscaling_policy"));
      expect(policies).toHaveLength(1);
      expect(policies[0].target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type).toBe("ECSServiceAverageCPUUtilization");
      expect(policies[0].target_tracking_scaling_policy_configuration.target_value).toBe(70);
      expect(s.json).not.toContain("ECSServiceAverageMemoryUtilization");
    });

    it("TV1: still scales between minCount and maxCount from the desired count", () => {
      const target = only(s, "aws_appautoscaling_target");
      expect([target.min_capacity, target.max_capacity]).toEqual([1, 4]);
      expect(only(s, "aws_ecs_service").desired_count).toBe(2);
      expect(service.scalingTarget).toBeDefined();
    });
  });

  describe("AP5: as a singleton", () => {
    const { s, service } = build({ name: "alerting-platform-dev-rule-updater", singleton: true });

    it("AP5: runs exactly one task with no scaling target or policy", () => {
      expect(only(s, "aws_ecs_service").desired_count).toBe(1);
      expect(service.desiredCount).toBe(1);
      expect(resources(s, "aws_appautoscaling_target")).toEqual({});
      expect(resources(s, "aws_appautoscaling_policy")).toEqual({});
    });

    it("AP5: never runs two copies, not even during a deploy", () => {
      expect(s.json).toHaveResourceWithProperties(EcsServiceResource, {
        deployment_maximum_percent: 100,
        deployment_minimum_healthy_percent: 0,
        availability_zone_rebalancing: "DISABLED",
      });
    });

    it("AP5: refuses a singleton with scaling", () => {
      expect(() => build({ singleton: true, scaling: { minCount: 1, maxCount: 3 } })).toThrow(/test\/RuleService: scaling = \{"minCount":1,"maxCount":3\} is not allowed; a singleton runs exactly one task/);
    });
    it("AP5: refuses a singleton with more than one task", () => {
      expect(() => build({ singleton: true, desiredCount: 2 })).toThrow(/desiredCount = 2 is not allowed; a singleton runs exactly one task .* expected 1/);
    });
    it("AP5: refuses a singleton deployed blue/green", () => {
      expect(() => build({ singleton: true, containerPort: 8080, loadBalancer: { targetGroupArn }, deploymentController: "CODE_DEPLOY" })).toThrow(/deploymentController = "CODE_DEPLOY" is not allowed; .*blue\/green runs two task sets at once/);
    });
  });

  describe("as a worker (no port)", () => {
    const { s, service } = build({ containerPort: undefined });
    it("has no port mappings and no default health check", () => {
      expect(container(s)).toContain("\"portMappings\" = []");
      expect(container(s)).not.toContain("healthCheck");
      expect(service.containerPort).toBeUndefined();
    });
  });

  describe("on an EC2 cluster", () => {
    let cluster!: EcsCluster;
    const s = synthWith((scope) => {
      cluster = new EcsCluster(scope, "Cluster", { name: "alerting-platform-dev", network, capacity: { kind: "ec2", instanceType: "t3.micro", minInstances: 1, maxInstances: 4 } });
      new EcsService(scope, "RuleService", { ...base, cluster, cpu: 256, memoryMiB: 300 });
    });

    it("places tasks through the cluster's capacity provider, spread over AZs", () => {
      const svc = only(s, "aws_ecs_service");
      expect(svc.launch_type).toBeUndefined();
      expect(svc.capacity_provider_strategy).toEqual([{ capacity_provider: expect.stringContaining("aws_ecs_cluster_capacity_providers."), base: 0, weight: 1 }]);
      expect(svc.ordered_placement_strategy).toEqual([{ type: "spread", field: "attribute:ecs.availability-zone" }]);
      expect(svc.platform_version).toBeUndefined();
    });

    it("requires EC2 compatibility and accepts sizes Fargate would not", () => {
      expect(s.json).toHaveResourceWithProperties(EcsTaskDefinition, { requires_compatibilities: ["EC2"], memory: "300" });
      expect(cluster.launchType).toBe("EC2");
    });
  });

  describe("behind a load balancer and in service discovery", () => {
    const { s } = build({ cluster: withNamespace, containerPort: 8080, loadBalancer: { targetGroupArn }, serviceDiscoveryName: "rule-service", healthCheck: { command: ["CMD", "/app/healthcheck"], startPeriodSeconds: 90 } });

    it("registers the container port with the target group and waits out the start period", () => {
      const svc = only(s, "aws_ecs_service");
      expect(svc.load_balancer).toEqual([{ target_group_arn: targetGroupArn, container_name: "app", container_port: 8080 }]);
      expect(svc.health_check_grace_period_seconds).toBe(90);
    });

    it("registers A records in the cluster's namespace", () => {
      const d = only(s, "aws_service_discovery_service");
      expect(d.name).toBe("rule-service");
      expect(d.dns_config).toEqual({ namespace_id: "ns-123", routing_policy: "MULTIVALUE", dns_records: [{ type: "A", ttl: 10 }] });
      expect(only(s, "aws_ecs_service").service_registries.registry_arn).toContain("aws_service_discovery_service.");
    });

    it("uses the given health check instead of the default", () => {
      expect(container(s)).toContain("\"command\" = [\"CMD\", \"/app/healthcheck\"]");
      expect(container(s)).toContain("\"startPeriod\" = 90");
    });
  });

  describe("with blue/green deployments", () => {
    const { s } = build({ containerPort: 8080, loadBalancer: { targetGroupArn }, deploymentController: "CODE_DEPLOY", scaling: { minCount: 1, maxCount: 3 } });
    it("hands task definition and load balancer to CodeDeploy and drops the circuit breaker", () => {
      const svc = only(s, "aws_ecs_service");
      expect(svc.deployment_controller).toEqual({ type: "CODE_DEPLOY" });
      expect(svc.deployment_circuit_breaker).toBeUndefined();
      expect(svc.lifecycle.ignore_changes).toEqual(["desired_count", "task_definition", "load_balancer"]);
    });
  });

  describe("with blue/green on a capacity provider", () => {
    const { s } = build({ cluster: { ...fargate, capacityProviderName: "FARGATE_SPOT" }, containerPort: 8080, loadBalancer: { targetGroupArn }, deploymentController: "CODE_DEPLOY" });
    it("also leaves the capacity provider strategy to CodeDeploy's AppSpec", () => {
      const svc = only(s, "aws_ecs_service");
      expect(svc.capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE_SPOT", base: 0, weight: 1 }]);
      expect(svc.lifecycle.ignore_changes).toEqual(["task_definition", "load_balancer", "capacity_provider_strategy"]);
    });
  });

  describe("as a flow target", () => {
    const { s } = build({ containerPort: 8080 }, (scope, service) => {
      const alb: IConnectable = new (class extends Construct { readonly securityGroupId = "sg-alb"; })(scope, "Alb");
      allowFrom(service, alb, 8080);
    });
    it("accepts the port from the given source only", () => {
      const rule = only(s, "aws_vpc_security_group_ingress_rule");
      expect(rule).toMatchObject({ referenced_security_group_id: "sg-alb", from_port: 8080, to_port: 8080, ip_protocol: "tcp" });
      expect(rule.security_group_id).toContain("aws_security_group.RuleService_SecurityGroup");
    });
  });
});
