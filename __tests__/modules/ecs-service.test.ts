import { EcsService, EcsServiceProps } from "../../modules/ecs-service";
import { EcsCluster, IEcsCluster } from "../../modules/ecs-cluster";
import { allowFrom, IConnectable } from "../../modules/core";
import { EcsService as EcsServiceResource } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { only, resources, synthWith, Synthesized } from "../support/synth";
import { allowedActions, decodeJsonencode, statementsOfPolicy, trustedServices } from "../support/stacks";

const network = {
  vpcId: "vpc-0123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};
const fargate: IEcsCluster = { clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/sys-dev", clusterName: "sys-dev", launchType: "FARGATE" };
const withNamespace: IEcsCluster = { ...fargate, namespace: { id: "ns-123", name: "sys-dev.internal", arn: "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-123" } };
const image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/alerting-platform/rule-service:latest";
const targetGroupArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/rule-service/0123456789abcdef";
const base: EcsServiceProps = { name: "alerting-platform-dev-rule-service", cluster: fargate, network, image, cpu: 256, memoryMiB: 512, logRetentionDays: 7 };

function build(props: Partial<EcsServiceProps> = {}, extra?: (scope: Construct, service: EcsService) => void) {
  let service!: EcsService;
  const s = synthWith((scope) => {
    service = new EcsService(scope, "RuleService", { ...base, ...props });
    extra?.(scope, service);
  });
  return { s, service };
}

const container = (s: Synthesized) => only(s, "aws_ecs_task_definition").container_definitions as string;
const policyOf = (s: Synthesized, role: "Execution" | "Task") =>
  Object.entries(resources(s, "aws_iam_role_policy")).find(([k]) => k.startsWith(`RuleService_${role}RolePolicy`))?.[1]?.policy as string | undefined;

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

  describe("with environment, secrets and a secrets key", () => {
    const secretsKmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { s } = build({
      environment: { SPRING_PROFILES_ACTIVE: "dev", DB_PASSWORD_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" },
      secrets: {
        DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:alerting-db-AbC123:password::",
        KAFKA_BOOTSTRAP: "arn:aws:ssm:eu-west-1:123456789012:parameter/alerting/dev/kafka-bootstrap",
        API_TOKEN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-token",
      },
      secretsKmsKeyArn,
    });

    it("G7: passes secrets by reference, sorted, and plain variables as values", () => {
      const c = container(s);
      expect(c).toContain("\"secrets\" = [{\"name\" = \"API_TOKEN\"");
      expect(c).toContain("{\"name\" = \"DB_PASSWORD\", \"valueFrom\" = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:alerting-db-AbC123:password::\"}");
      expect(c).toContain("{\"name\" = \"SPRING_PROFILES_ACTIVE\", \"value\" = \"dev\"}");
    });

    it("lets the execution role read exactly those secrets and decrypt with the key", () => {
      const statements = statementsOfPolicy(policyOf(s, "Execution")!);
      const bySid = (sid: string) => statements.find((st) => st.Sid === sid);
      expect(bySid("ReadParameters")).toMatchObject({ Action: ["ssm:GetParameters"], Resource: ["arn:aws:ssm:eu-west-1:123456789012:parameter/alerting/dev/kafka-bootstrap"] });
      expect(bySid("ReadSecrets")).toMatchObject({
        Action: ["secretsmanager:GetSecretValue"],
        Resource: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:alerting-db-AbC123", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-token", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-token-??????"],
      });
      expect(bySid("DecryptSecrets")).toMatchObject({ Action: ["kms:Decrypt"], Resource: [secretsKmsKeyArn] });
    });
  });

  describe("with an image and secrets from references", () => {
    const s = synthWith((scope) => {
      const repo = new EcrRepository(scope, "Repo", { name: "rule-service" });
      new EcsService(scope, "RuleService", { ...base, image: `${repo.repositoryUrl}:latest`, secrets: { DB_PASSWORD: `${repo.arn}:password::` } });
    });

    it("derives the repository ARN from the repository URL at plan time, falling back to *", () => {
      const pull = statementsOfPolicy(policyOf(s, "Execution")!).find((st) => st.Sid === "EcrPull");
      expect(pull?.Resource).toEqual([expect.stringMatching(/^<ref:try\(format\("arn:%s:ecr:%s:%s:repository\/%s", data\.aws_partition\.\w+\.partition, element\(regex\("\^\(\[0-9\]\{12\}\)\[\.\]dkr.*aws_ecr_repository\.Repo\.repository_url\), 1\).*"\*"\)>$/)]);
    });

    it("grants on the secret itself, without the JSON key", () => {
      expect(statementsOfPolicy(policyOf(s, "Execution")!).find((st) => st.Sid === "ReadSecrets")).toMatchObject({ Action: ["secretsmanager:GetSecretValue"], Resource: ["<ref:aws_ecr_repository.Repo.arn>"] });
    });

    it("reads a referenced secret's JSON key through Secrets Manager only (SSM parameters have no JSON keys)", () => {
      expect(statementsOfPolicy(policyOf(s, "Execution")!).map((st) => st.Sid)).not.toContain("ReadParameters");
    });
  });

  describe("with an image from another registry", () => {
    const { s } = build({ image: "apache/kafka:3.9.0" });
    it("grants no ECR access at all", () => {
      expect(allowedActions(statementsOfPolicy(policyOf(s, "Execution")!)).filter((a) => a.startsWith("ecr:"))).toEqual([]);
    });
  });

  describe("with task permissions and X-Ray", () => {
    const { s } = build({ xrayTracing: true, taskPolicyStatements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-west-1:123456789012:jobs"] }] });
    it("gives the task role exactly the given statements plus trace writing", () => {
      const task = statementsOfPolicy(policyOf(s, "Task")!);
      expect(task.map((st) => [st.Action, st.Resource])).toEqual([
        [["sqs:SendMessage"], ["arn:aws:sqs:eu-west-1:123456789012:jobs"]],
        [expect.arrayContaining(["xray:PutTraceSegments"]), ["*"]],
      ]);
      expect(allowedActions(statementsOfPolicy(policyOf(s, "Execution")!)).filter((a) => a.startsWith("xray:"))).toEqual([]);
    });
  });

  describe("TV6: with EFS volumes", () => {
    const fsId = "fs-0123456789abcdef0";
    const apId = "fsap-0123456789abcdef0";
    const { s } = build({
      efsVolumes: [
        { name: "shared", fileSystemId: fsId, accessPointId: apId, containerPath: "/mnt/shared" },
        { name: "reference-data", fileSystemId: "fs-00000000000000001", containerPath: "/mnt/reference", readOnly: true },
      ],
    });
    const definitions = () => decodeJsonencode(container(s));
    const taskStatements = () => decodeJsonencode(policyOf(s, "Task")!).Statement as any[];

    it("TV6: adds each file system as a task volume with TLS in transit and IAM authorization, next to /tmp", () => {
      const td = only(s, "aws_ecs_task_definition");
      expect(td.volume).toEqual([
        { name: "tmp" },
        {
          name: "shared",
          efs_volume_configuration: { file_system_id: fsId, root_directory: "/", transit_encryption: "ENABLED", authorization_config: { iam: "ENABLED", access_point_id: apId } },
        },
        {
          name: "reference-data",
          efs_volume_configuration: { file_system_id: "fs-00000000000000001", root_directory: "/", transit_encryption: "ENABLED", authorization_config: { iam: "ENABLED" } },
        },
      ]);
    });

    it("TV6: mounts them in the app container, read-only where asked", () => {
      expect(definitions()[0].mountPoints).toEqual([
        { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
        { sourceVolume: "shared", containerPath: "/mnt/shared", readOnly: false },
        { sourceVolume: "reference-data", containerPath: "/mnt/reference", readOnly: true },
      ]);
    });

    it("TV6: lets the task role mount exactly those file systems, through the access point when given, writing only where allowed", () => {
      const [shared, reference] = taskStatements();
      expect(shared).toEqual({
        Sid: "EfsMountShared",
        Effect: "Allow",
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        Resource: [expect.stringMatching(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:elasticfilesystem:\$\{data\.aws_region\.\w+\.name\}:\$\{data\.aws_caller_identity\.\w+\.account_id\}:file-system\/fs-0123456789abcdef0$/)],
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": expect.stringMatching(/:elasticfilesystem:.*:access-point\/fsap-0123456789abcdef0$/) } },
      });
      expect(reference.Sid).toBe("EfsMountReferenceData");
      expect(reference.Action).toEqual(["elasticfilesystem:ClientMount"]);
      expect(reference.Resource[0]).toMatch(/:file-system\/fs-00000000000000001$/);
      expect(reference.Condition).toBeUndefined();
    });

    it("TV6: runs Fargate on LATEST (EFS needs platform version 1.4 or later)", () => {
      expect(only(s, "aws_ecs_service").platform_version).toBe("LATEST");
    });
  });

  describe("without EFS volumes", () => {
    const { s } = build();
    it("has only the /tmp volume and grants no file system access", () => {
      expect(only(s, "aws_ecs_task_definition").volume).toEqual([{ name: "tmp" }]);
      expect(policyOf(s, "Task")).toBeUndefined();
    });
  });

  describe("TV8: with X-Ray tracing", () => {
    const { s } = build({ containerPort: 8080, cpu: 512, memoryMiB: 1024, xrayTracing: true, environment: { LOG_LEVEL: "info" } });
    const definitions = () => decodeJsonencode(container(s)) as any[];

    it("TV8: runs an xray-daemon sidecar that the task does not depend on", () => {
      const daemon = definitions().find((c) => c.name === "xray-daemon");
      expect(daemon).toMatchObject({
        image: "public.ecr.aws/xray/aws-xray-daemon:3.3.14",
        essential: false,
        cpu: 32,
        memoryReservation: 64,
        readonlyRootFilesystem: true,
        portMappings: [{ containerPort: 2000, hostPort: 2000, protocol: "udp" }],
      });
      expect(definitions().map((c) => c.name)).toEqual(["app", "xray-daemon"]);
    });

    it("TV8: logs the daemon to the service's log group under the \"xray\" stream prefix", () => {
      const [app, daemon] = definitions();
      expect(daemon.logConfiguration.logDriver).toBe("awslogs");
      expect(daemon.logConfiguration.options["awslogs-group"]).toBe(app.logConfiguration.options["awslogs-group"]);
      expect(daemon.logConfiguration.options["awslogs-group"]).toMatch(/^<ref:aws_cloudwatch_log_group\.RuleService_LogGroup_\w+\.name>$/);
      expect(daemon.logConfiguration.options["awslogs-stream-prefix"]).toBe("xray");
      expect(app.logConfiguration.options["awslogs-stream-prefix"]).toBe("ecs");
    });

    it("TV8: points the app's X-Ray SDK at the daemon, among its sorted variables", () => {
      expect(definitions()[0].environment).toEqual([
        { name: "AWS_XRAY_DAEMON_ADDRESS", value: "127.0.0.1:2000" },
        { name: "LOG_LEVEL", value: "info" },
      ]);
    });

    it("TV8: keeps the containers' CPU within the task's (the daemon's share comes from the app)", () => {
      const cpus = definitions().map((c) => c.cpu);
      expect(cpus).toEqual([480, 32]);
      expect(cpus[0] + cpus[1]).toBe(Number(only(s, "aws_ecs_task_definition").cpu));
    });

    it("TV8: lets the task role write traces", () => {
      const xray = decodeJsonencode(policyOf(s, "Task")!).Statement.find((x: any) => x.Sid === "XRayTraces");
      expect(xray.Action).toEqual(expect.arrayContaining(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]));
    });
  });

  describe("without X-Ray tracing", () => {
    const { s } = build();
    it("runs the app container alone, with the whole task's CPU and no daemon address", () => {
      const definitions = decodeJsonencode(container(s)) as any[];
      expect(definitions.map((c) => c.name)).toEqual(["app"]);
      expect(definitions[0].cpu).toBe(256);
      expect(container(s)).not.toContain("AWS_XRAY_DAEMON_ADDRESS");
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

  describe("refuses", () => {
    const attempt = (props: Partial<EcsServiceProps>) => () => build(props);

    it("a container port out of range", () => {
      expect(attempt({ containerPort: 70000 })).toThrow(/test\/RuleService: containerPort = 70000 is not allowed; expected a whole number from 1 to 65535/);
    });
    it("a CPU size Fargate does not offer", () => {
      expect(attempt({ cpu: 300 })).toThrow(/cpu = 300 is not allowed; expected a Fargate CPU size: 256, 512, 1024/);
    });
    it("a memory size not paired with the CPU on Fargate", () => {
      expect(attempt({ cpu: 256, memoryMiB: 4096 })).toThrow(/memoryMiB = 4096 is not allowed; expected a Fargate memory size for cpu 256: one of 512, 1024, 2048/);
    });
    it("less memory than the CPU size's minimum on Fargate", () => {
      expect(attempt({ cpu: 1024, memoryMiB: 1024 })).toThrow(/memoryMiB = 1024 is not allowed; Fargate needs at least 2048 MiB with cpu 1024/);
    });
    it("a scaling minimum above the maximum", () => {
      expect(attempt({ scaling: { minCount: 4, maxCount: 2 } })).toThrow(/scaling\.minCount = 4 is not allowed; expected scaling\.minCount <= scaling\.maxCount \(2\)/);
    });
    it("a desired count outside the scaling range", () => {
      expect(attempt({ desiredCount: 5, scaling: { minCount: 1, maxCount: 3 } })).toThrow(/desiredCount = 5 is not allowed; expected scaling\.minCount \(1\) <= desiredCount <= scaling\.maxCount \(3\)/);
    });
    it("a CPU target outside 10-95 %", () => {
      expect(attempt({ scaling: { minCount: 1, maxCount: 3, cpuTargetPercent: 99 } })).toThrow(/scaling\.cpuTargetPercent = 99 is not allowed; expected a whole number from 10 to 95/);
    });
    it("a memory target outside 10-95 %", () => {
      expect(attempt({ scaling: { minCount: 1, maxCount: 3, memoryTargetPercent: 5 } })).toThrow(/scaling\.memoryTargetPercent = 5 is not allowed; expected a whole number from 10 to 95/);
    });
    it("a log retention CloudWatch does not offer", () => {
      expect(attempt({ logRetentionDays: 10 })).toThrow(/logRetentionDays = 10 is not allowed; expected a CloudWatch Logs retention value/);
    });
    it("G7: a password as a plain environment variable", () => {
      expect(attempt({ environment: { DB_PASSWORD: "hunter2" } })).toThrow(/environment\.DB_PASSWORD = "hunter2" is not allowed; a value that looks like a secret must not be a literal/);
    });
    it("a secret that is not an SSM parameter or Secrets Manager ARN", () => {
      expect(attempt({ secrets: { DB_PASSWORD: "/alerting/dev/db-password" } })).toThrow(/secrets\.DB_PASSWORD = "\/alerting\/dev\/db-password" is not allowed; expected the ARN of an SSM parameter/);
    });
    it("a service discovery name on a cluster without a namespace", () => {
      expect(attempt({ serviceDiscoveryName: "rule-service" })).toThrow(/serviceDiscoveryName = "rule-service" is not allowed; the cluster has no Cloud Map namespace/);
    });
    it("a load balancer without a container port", () => {
      expect(attempt({ loadBalancer: { targetGroupArn } })).toThrow(/loadBalancer = \{"targetGroupArn":".*"\} is not allowed; a load balancer needs containerPort/);
    });
    it("blue/green without a load balancer", () => {
      expect(attempt({ deploymentController: "CODE_DEPLOY" })).toThrow(/deploymentController = "CODE_DEPLOY" is not allowed; blue\/green deployments shift traffic/);
    });
    it("a task policy granting every action", () => {
      expect(attempt({ taskPolicyStatements: [{ actions: ["s3:*"], resources: ["*"] }] })).toThrow(/taskPolicyStatements\[0\]\.actions = \["s3:\*"\] is not allowed; expected the actions the application calls/);
    });
    it("a health check that is not CMD or CMD-SHELL", () => {
      expect(attempt({ healthCheck: { command: ["curl localhost"] } })).toThrow(/healthCheck\.command = \["curl localhost"\] is not allowed; expected \["CMD"/);
    });
    it("TV6: an EFS container path that is not absolute", () => {
      expect(attempt({ efsVolumes: [{ name: "shared", fileSystemId: "fs-0123456789abcdef0", containerPath: "mnt/shared" }] })).toThrow(
        /test\/RuleService: efsVolumes\[0\]\.containerPath = "mnt\/shared" is not allowed; expected an absolute path/,
      );
    });
    it("TV6: an EFS volume mounted on /tmp (already the scratch volume)", () => {
      expect(attempt({ efsVolumes: [{ name: "shared", fileSystemId: "fs-0123456789abcdef0", containerPath: "/tmp" }] })).toThrow(
        /efsVolumes\[0\]\.containerPath = "\/tmp" is not allowed; \/tmp is already the task's writable scratch volume/,
      );
    });
    it("TV6: two EFS volumes with the same name", () => {
      const v = { name: "shared", fileSystemId: "fs-0123456789abcdef0" };
      expect(attempt({ efsVolumes: [{ ...v, containerPath: "/mnt/a" }, { ...v, containerPath: "/mnt/b" }] })).toThrow(
        /efsVolumes\[1\]\.name = "shared" is not allowed; expected each volume name once/,
      );
    });
    it("TV6: an EFS volume named like the scratch volume", () => {
      expect(attempt({ efsVolumes: [{ name: "tmp", fileSystemId: "fs-0123456789abcdef0", containerPath: "/mnt/tmp" }] })).toThrow(
        /efsVolumes\[0\]\.name = "tmp" is not allowed; "tmp" is the module's scratch volume/,
      );
    });
    it("TV6: an EFS volume name with characters ECS does not accept", () => {
      expect(attempt({ efsVolumes: [{ name: "shared files", fileSystemId: "fs-0123456789abcdef0", containerPath: "/mnt/shared" }] })).toThrow(
        /efsVolumes\[0\]\.name = "shared files" is not allowed; expected 1-255 letters, digits, "_" and "-"/,
      );
    });
    it("TV6: EFS volume names that collide once \"-\" and \"_\" are dropped (they name IAM statements)", () => {
      const v = { fileSystemId: "fs-0123456789abcdef0" };
      expect(attempt({ efsVolumes: [{ ...v, name: "shared-files", containerPath: "/mnt/a" }, { ...v, name: "shared_files", containerPath: "/mnt/b" }] })).toThrow(
        /efsVolumes\[1\]\.name = "shared_files" is not allowed; expected names that stay distinct/,
      );
    });
    it("TV6: two EFS volumes on the same container path", () => {
      const v = { fileSystemId: "fs-0123456789abcdef0", containerPath: "/mnt/shared" };
      expect(attempt({ efsVolumes: [{ ...v, name: "a" }, { ...v, name: "b" }] })).toThrow(/efsVolumes\[1\]\.containerPath = "\/mnt\/shared" is not allowed; expected each container path once/);
    });
    it("TV6: an EFS file system id that is not one", () => {
      expect(attempt({ efsVolumes: [{ name: "shared", fileSystemId: "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1", containerPath: "/mnt/shared" }] })).toThrow(
        /efsVolumes\[0\]\.fileSystemId = "arn:aws:elasticfilesystem:.*" is not allowed; expected an EFS file system id/,
      );
    });
    it("TV6: an EFS access point id that is not one", () => {
      expect(attempt({ efsVolumes: [{ name: "shared", fileSystemId: "fs-0123456789abcdef0", accessPointId: "app", containerPath: "/mnt/shared" }] })).toThrow(
        /efsVolumes\[0\]\.accessPointId = "app" is not allowed; expected an EFS access point id/,
      );
    });
    it("TV8: a daemon address set by hand while the module runs the daemon", () => {
      expect(attempt({ xrayTracing: true, environment: { AWS_XRAY_DAEMON_ADDRESS: "xray:2000" } })).toThrow(
        /environment\.AWS_XRAY_DAEMON_ADDRESS = "xray:2000" is not allowed; xrayTracing sets AWS_XRAY_DAEMON_ADDRESS=127\.0\.0\.1:2000/,
      );
    });
    it("TV8: X-Ray in a task too small for the daemon's memory", () => {
      const ec2: IEcsCluster = { ...fargate, launchType: "EC2" };
      expect(attempt({ cluster: ec2, cpu: 128, memoryMiB: 100, xrayTracing: true })).toThrow(/memoryMiB = 100 is not allowed; with xrayTracing the daemon reserves 64 MiB; expected at least 128 MiB/);
    });
    it("a service name with spaces", () => {
      expect(attempt({ name: "rule service" })).toThrow(/name = "rule service" is not allowed; expected letters, digits, hyphens and underscores/);
    });
  });
});
