/** Issue 8 item 2: scaling on requests, custom metrics and schedules; sidecars; command/entryPoint/ulimits; ECS Exec; ARM64; ephemeral storage; Fargate Spot mix. */
import { Construct } from "constructs";
import { EcsService, EcsServiceProps } from "../../modules/ecs-service";
import { EcsCluster, IEcsCluster } from "../../modules/ecs-cluster";
import { only, resources, synthWith, Synthesized } from "../support/synth";
import { decodeJsonencode } from "../support/stacks";

const network = {
  vpcId: "vpc-0123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};
const execLogs = { execLogGroupName: "/ecs/sys-dev/exec" };
const fargate: IEcsCluster = { clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/sys-dev", clusterName: "sys-dev", launchType: "FARGATE", ...execLogs };
const withSpot: IEcsCluster = { ...fargate, fargateSpotAvailable: true };
const ec2: IEcsCluster = { ...fargate, launchType: "EC2", capacityProviderName: "sys-dev-ec2" };
const image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/alerting-platform/rule-service:latest";
const targetGroupArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/rule-service/0123456789abcdef";
const loadBalancerArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/sys-dev/fedcba9876543210";
const base: EcsServiceProps = { name: "sys-dev-api", cluster: fargate, network, image, cpu: 512, memoryMiB: 1024, logRetentionDays: 7, containerPort: 8080 };
const scaling = { minCount: 2, maxCount: 10 };

function build(props: Partial<EcsServiceProps> = {}, extra?: (scope: Construct) => IEcsCluster) {
  let service!: EcsService;
  const s = synthWith((scope) => {
    const cluster = extra ? extra(scope) : props.cluster ?? fargate;
    service = new EcsService(scope, "Api", { ...base, ...props, cluster });
  });
  return { s, service };
}
const definitions = (s: Synthesized): any[] => decodeJsonencode(only(s, "aws_ecs_task_definition").container_definitions);
const policies = (s: Synthesized): any[] => Object.values(resources(s, "aws_appautoscaling_policy"));
const refused = (props: Partial<EcsServiceProps>) => () => build(props);

describe("EcsService options (issue 8)", () => {
  describe("scaling", () => {
    it("on ALBRequestCountPerTarget, labelled with the load balancer's and target group's ARN suffixes", () => {
      const { s } = build({ loadBalancer: { targetGroupArn }, scaling: { ...scaling, requestCount: { perTarget: 500, loadBalancerArn } } });
      const request = policies(s).find((p) => p.name === "requests-per-target-tracking");
      const config = request.target_tracking_scaling_policy_configuration;
      expect(config.target_value).toBe(500);
      expect(config.predefined_metric_specification.predefined_metric_type).toBe("ALBRequestCountPerTarget");
      expect(config.predefined_metric_specification.resource_label).toBe(
        `\${format("%s/%s", element(split(":loadbalancer/", "${loadBalancerArn}"), 1), element(split(":", "${targetGroupArn}"), 5))}`,
      );
    });

    it("on a custom CloudWatch metric with its dimensions", () => {
      const { s } = build({ scaling: { ...scaling, customMetrics: [{ name: "queue-backlog", namespace: "SysDev/Api", metricName: "BacklogPerTask", dimensions: { Queue: "jobs" }, targetValue: 100 }] } });
      const custom = policies(s).find((p) => p.name === "queue-backlog-target-tracking").target_tracking_scaling_policy_configuration;
      expect(custom.customized_metric_specification).toEqual({ namespace: "SysDev/Api", metric_name: "BacklogPerTask", statistic: "Average", dimensions: [{ name: "Queue", value: "jobs" }] });
      expect(custom.target_value).toBe(100);
    });

    it("on schedules (aws_appautoscaling_scheduled_action), in UTC unless a zone is given", () => {
      const { s } = build({ scaling: { ...scaling, schedules: [
        { name: "night", schedule: "cron(0 20 * * ? *)", minCount: 0, maxCount: 1, timezone: "Europe/Berlin" },
        { name: "morning", schedule: "cron(0 6 * * ? *)", minCount: 2 },
      ] } });
      const actions = Object.values(resources(s, "aws_appautoscaling_scheduled_action"));
      expect(actions.map((a) => [a.schedule, a.timezone, a.scalable_target_action]).sort()).toEqual([
        ["cron(0 20 * * ? *)", "Europe/Berlin", { min_capacity: "0", max_capacity: "1" }],
        ["cron(0 6 * * ? *)", "UTC", { min_capacity: "2" }],
      ]);
      expect(actions.map((a) => a.resource_id)).toEqual([0, 1].map(() => expect.stringMatching(/^\$\{aws_appautoscaling_target\.Api_ScalingTarget_\w+\.resource_id\}$/)));
    });
  });

  describe("containers", () => {
    it("adds a FireLens log router the app logs through, and an agent, taking their CPU from the app", () => {
      const { s } = build({ sidecars: [
        { name: "log-router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4", kind: "logRouter", cpu: 64, appLogOptions: { Name: "cloudwatch_logs", region: "eu-west-1" } },
        { name: "agent", image: "public.ecr.aws/datadog/agent:7", cpu: 64, memoryReservationMiB: 128, environment: { DD_SITE: "datadoghq.eu" } },
      ] });
      const [app, router, agent] = definitions(s);
      expect(app.cpu).toBe(512 - 128);
      expect(app.logConfiguration).toEqual({ logDriver: "awsfirelens", options: { Name: "cloudwatch_logs", region: "eu-west-1" } });
      expect(app.dependsOn).toEqual([{ containerName: "log-router", condition: "START" }]);
      expect([router.name, router.firelensConfiguration, router.essential]).toEqual(["log-router", { type: "fluentbit" }, false]);
      expect([agent.name, agent.memoryReservation, agent.environment, agent.firelensConfiguration]).toEqual(["agent", 128, [{ name: "DD_SITE", value: "datadoghq.eu" }], undefined]);
      expect(agent.logConfiguration.options["awslogs-stream-prefix"]).toBe("agent");
    });

    it("sets command, entryPoint and ulimits on the app container (none by default)", () => {
      const { s } = build({ command: ["serve", "--port", "8080"], entryPoint: ["/bin/app"], ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }] });
      const [app] = definitions(s);
      expect([app.command, app.entryPoint, app.ulimits]).toEqual([["serve", "--port", "8080"], ["/bin/app"], [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }]]);
      const [plain] = definitions(build().s);
      expect([plain.command, plain.entryPoint, plain.ulimits, plain.readonlyRootFilesystem]).toEqual([undefined, undefined, undefined, true]);
    });
  });

  describe("ECS Exec", () => {
    it("is off by default", () => {
      expect(only(build().s, "aws_ecs_service").enable_execute_command).toBe(false);
    });

    it("enable_execute_command: the task role gets the SSM channels and the cluster's session log group", () => {
      const { s, service } = build({ enableExecuteCommand: true });
      expect(only(s, "aws_ecs_service").enable_execute_command).toBe(true);
      const sids = service.taskRole.statements.map((st) => st.sid);
      expect(sids).toEqual(["EcsExecChannels", "EcsExecLogGroups", "EcsExecSessionLogs"]);
      expect(service.taskRole.statements[2].resources).toEqual([expect.stringMatching(/:log-group:\/ecs\/sys-dev\/exec:\*$/)]);
      expect(definitions(s)[0].readonlyRootFilesystem).toBe(false);
    });

    it("uses the log group the ecs-cluster module configures for exec sessions", () => {
      const { s } = build({ enableExecuteCommand: true }, (scope) => new EcsCluster(scope, "Cluster", { name: "sys-dev", network }));
      const policy = Object.entries(resources(s, "aws_iam_role_policy")).find(([k]) => k.startsWith("Api_TaskRolePolicy"))![1].policy;
      const logs = decodeJsonencode(policy).Statement.find((st: any) => st.Sid === "EcsExecSessionLogs");
      expect(logs.Resource).toEqual([expect.stringMatching(/:log-group:\$\{aws_cloudwatch_log_group\.Cluster_ExecLogGroup_\w+\.name\}:\*$/)]);
    });
  });

  describe("Fargate", () => {
    it("runtime_platform ARM64 and ephemeral storage", () => {
      const task = only(build({ cpuArchitecture: "ARM64", ephemeralStorageGiB: 50 }).s, "aws_ecs_task_definition");
      expect(task.runtime_platform).toEqual({ operating_system_family: "LINUX", cpu_architecture: "ARM64" });
      expect(task.ephemeral_storage).toEqual({ size_in_gib: 50 });
      const plain = only(build().s, "aws_ecs_task_definition");
      expect([plain.runtime_platform, plain.ephemeral_storage]).toEqual([undefined, undefined]);
    });

    it("a capacity-provider strategy mixing FARGATE (with an on-demand base) and FARGATE_SPOT, after the providers are attached", () => {
      const { s } = build({ capacityProviderStrategy: { onDemandBase: 2, onDemandWeight: 1, spotWeight: 3 } }, (scope) =>
        new EcsCluster(scope, "Cluster", { name: "sys-dev", network, capacity: { kind: "fargate", spotAvailable: true } }));
      const service = only(s, "aws_ecs_service");
      expect(service.capacity_provider_strategy).toEqual([
        { capacity_provider: "FARGATE", base: 2, weight: 1 },
        { capacity_provider: "FARGATE_SPOT", base: 0, weight: 3 },
      ]);
      expect(service.launch_type).toBeUndefined();
      expect(service.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_ecs_cluster_capacity_providers\.Cluster_CapacityProviders_/)]));
      const providers = only(s, "aws_ecs_cluster_capacity_providers");
      expect(providers.capacity_providers).toEqual(["FARGATE", "FARGATE_SPOT"]);
      expect(providers.default_capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", base: 0, weight: 1 }]);
    });

    it("the strategy's on-demand base defaults to 1", () => {
      const service = only(build({ cluster: withSpot, capacityProviderStrategy: {} }).s, "aws_ecs_service");
      expect(service.capacity_provider_strategy[0]).toEqual({ capacity_provider: "FARGATE", base: 1, weight: 1 });
    });
  });

  describe("refuses", () => {
    const line = (setting: string, value: string, allowed: string) => new RegExp(`^test/Api: ${setting} = ${value} is not allowed; expected ${allowed}`);
    it("request-count scaling without a load balancer", () => {
      expect(refused({ scaling: { ...scaling, requestCount: { perTarget: 100, loadBalancerArn } } })).toThrow(/^test\/Api: scaling\.requestCount = .* is not allowed; expected loadBalancer on the service/);
    });
    it("a request-count target of 0", () => {
      expect(refused({ loadBalancer: { targetGroupArn }, scaling: { ...scaling, requestCount: { perTarget: 0, loadBalancerArn } } })).toThrow(/scaling\.requestCount\.perTarget = 0 is not allowed/);
    });
    it("a custom metric in an AWS/ namespace", () => {
      expect(refused({ scaling: { ...scaling, customMetrics: [{ name: "cpu", namespace: "AWS/ECS", metricName: "CPUUtilization", targetValue: 50 }] } })).toThrow(line("scaling\\.customMetrics\\[0\\]\\.namespace", "\"AWS/ECS\"", "the application's own namespace"));
    });
    it("a custom metric statistic CloudWatch does not know", () => {
      expect(refused({ scaling: { ...scaling, customMetrics: [{ name: "q", namespace: "X", metricName: "M", targetValue: 5, statistic: "p99" as never }] } })).toThrow(/scaling\.customMetrics\[0\]\.statistic = "p99" is not allowed/);
    });
    it("a schedule expression that is not cron, rate or at", () => {
      expect(refused({ scaling: { ...scaling, schedules: [{ name: "night", schedule: "0 20 * * *", minCount: 0 }] } })).toThrow(line("scaling\\.schedules\\[0\\]\\.schedule", "\"0 20 \\* \\* \\*\"", "cron\\(<6 fields>\\)"));
    });
    it("a schedule without counts, and one with min above max", () => {
      expect(refused({ scaling: { ...scaling, schedules: [{ name: "night", schedule: "rate(1 day)" }] } })).toThrow(/scaling\.schedules\[0\] = "night" is not allowed; expected minCount, maxCount or both/);
      expect(refused({ scaling: { ...scaling, schedules: [{ name: "night", schedule: "rate(1 day)", minCount: 5, maxCount: 2 }] } })).toThrow(/scaling\.schedules\[0\]\.minCount = 5 is not allowed; expected at most maxCount \(2\)/);
    });
    it("a sidecar named like the app container, and two log routers", () => {
      expect(refused({ sidecars: [{ name: "app", image: "x" }] })).toThrow(line("sidecars\\[0\\]\\.name", "\"app\"", "a name not used by another container"));
      const router = { image: "fluent-bit", kind: "logRouter" as const };
      expect(refused({ sidecars: [{ ...router, name: "a" }, { ...router, name: "b" }] })).toThrow(/sidecars = \["a","b"\] is not allowed; expected at most one sidecar of kind "logRouter"/);
    });
    it("sidecars that leave the app no CPU, and appLogOptions on an agent", () => {
      expect(refused({ sidecars: [{ name: "agent", image: "x", cpu: 512 }] })).toThrow(/sidecars\.cpu = 512 is not allowed; expected the sidecars' CPU to leave the app container some of the task's 512 units/);
      expect(refused({ sidecars: [{ name: "agent", image: "x", appLogOptions: {} }] })).toThrow(/sidecars\[0\]\.appLogOptions = \{\} is not allowed; expected appLogOptions only on a sidecar of kind "logRouter"/);
    });
    it("a ulimit Linux does not have, a soft limit above the hard one, an empty command", () => {
      expect(refused({ ulimits: [{ name: "files" as never, softLimit: 1, hardLimit: 1 }] })).toThrow(/ulimits\[0\]\.name = "files" is not allowed/);
      expect(refused({ ulimits: [{ name: "nofile", softLimit: 10, hardLimit: 5 }] })).toThrow(line("ulimits\\[0\\]\\.softLimit", "10", "0 to the hard limit \\(5\\)"));
      expect(refused({ command: [] })).toThrow(/^test\/Api: command = \[\] is not allowed/);
    });
    it("ECS Exec on a cluster that does not log sessions", () => {
      const { execLogGroupName: _, ...bare } = fargate;
      expect(refused({ cluster: bare, enableExecuteCommand: true })).toThrow(/^test\/Api: enableExecuteCommand = true is not allowed; the cluster does not log ECS Exec sessions/);
    });
    it("an architecture other than X86_64 or ARM64, ephemeral storage out of range or on EC2", () => {
      expect(refused({ cpuArchitecture: "arm64" as never })).toThrow(line("cpuArchitecture", "\"arm64\"", "one of \"X86_64\", \"ARM64\""));
      expect(refused({ ephemeralStorageGiB: 201 })).toThrow(/ephemeralStorageGiB = 201 is not allowed/);
      expect(refused({ cluster: ec2, ephemeralStorageGiB: 30, cpu: 256, memoryMiB: 512 })).toThrow(/ephemeralStorageGiB = 30 is not allowed; ephemeral storage is a Fargate setting/);
    });
    it("a Spot strategy on a cluster without FARGATE_SPOT, on EC2, or with every weight 0", () => {
      expect(refused({ capacityProviderStrategy: {} })).toThrow(/capacityProviderStrategy = \{\} is not allowed; the cluster has no FARGATE_SPOT capacity provider/);
      expect(refused({ cluster: ec2, capacityProviderStrategy: {} })).toThrow(/capacityProviderStrategy = \{\} is not allowed; a Fargate \/ Fargate Spot strategy needs a Fargate cluster/);
      expect(refused({ cluster: withSpot, capacityProviderStrategy: { onDemandWeight: 0, spotWeight: 0 } })).toThrow(/expected a weight above 0 on at least one provider/);
    });
    it("a cluster spotAvailable that is not a boolean", () => {
      expect(() => synthWith((scope) => void new EcsCluster(scope, "Cluster", { name: "sys-dev", network, capacity: { kind: "fargate", spotAvailable: "yes" as never } })))
        .toThrow(/^test\/Cluster: capacity\.spotAvailable = "yes" is not allowed; expected true or false/);
    });
  });
});
