import { EcsBlueGreen, EcsBlueGreenProps } from "../../modules/ecs-blue-green";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { CodedeployDeploymentGroup } from "@cdktf/provider-aws/lib/codedeploy-deployment-group";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { only, resources, synthWith } from "../support/synth";
import { trustedServices } from "../support/stacks";

const LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/chat/abc/def";
const TEST_LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/chat/abc/test";

const base: EcsBlueGreenProps = {
  name: "chat-platform-dev-chat-service",
  clusterName: "chat-platform-dev",
  serviceName: "chat-service",
  listenerArn: LISTENER,
  blueTargetGroupName: "chat-dev-chat-blue",
  greenTargetGroupName: "chat-dev-chat-green",
  rollbackAlarmNames: ["chat-platform-dev-chat-service-5xx"],
};

describe("EcsBlueGreen", () => {
  describe("with defaults", () => {
    const s = synthWith((scope) => new EcsBlueGreen(scope, "BlueGreen", base));

    it("creates an ECS CodeDeploy application", () => {
      expect(s.json).toHaveResourceWithProperties(CodedeployApp, { name: "chat-platform-dev-chat-service", compute_platform: "ECS" });
    });

    it("CA9: switches between two target groups behind the production listener", () => {
      const group = only(s, "aws_codedeploy_deployment_group");
      const pair = group.load_balancer_info.target_group_pair_info;
      expect(pair.target_group).toEqual([{ name: "chat-dev-chat-blue" }, { name: "chat-dev-chat-green" }]);
      expect(pair.prod_traffic_route.listener_arns).toEqual([LISTENER]);
      expect(pair.test_traffic_route).toBeUndefined();
      expect(group.deployment_style).toEqual({ deployment_option: "WITH_TRAFFIC_CONTROL", deployment_type: "BLUE_GREEN" });
      expect(group.ecs_service).toEqual({ cluster_name: "chat-platform-dev", service_name: "chat-service" });
    });

    it("CA9: rolls back automatically on failure and on the rollback alarms", () => {
      expect(s.json).toHaveResourceWithProperties(CodedeployDeploymentGroup, {
        auto_rollback_configuration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
        alarm_configuration: { enabled: true, alarms: ["chat-platform-dev-chat-service-5xx"], ignore_poll_alarm_failure: false },
      });
    });

    it("shifts all traffic at once, continues when ready and removes blue tasks after 5 minutes", () => {
      const group = only(s, "aws_codedeploy_deployment_group");
      expect(group.deployment_config_name).toBe("CodeDeployDefault.ECSAllAtOnce");
      expect(group.blue_green_deployment_config.deployment_ready_option).toEqual({ action_on_timeout: "CONTINUE_DEPLOYMENT" });
      expect(group.blue_green_deployment_config.terminate_blue_instances_on_deployment_success).toEqual({ action: "TERMINATE", termination_wait_time_in_minutes: 5 });
    });

    it("gives CodeDeploy a role it alone can assume, with the AWS policy for ECS", () => {
      const role = only(s, "aws_iam_role");
      expect(trustedServices(role.assume_role_policy)).toContain("codedeploy.amazonaws.com");
      expect(role.name).toBe("chat-platform-dev-chat-service-codedeploy");
      expect(s.json).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS" });
      expect(only(s, "aws_codedeploy_deployment_group").service_role_arn).toContain("aws_iam_role.");
    });
  });

  describe("with a test listener, canary traffic and a longer wait", () => {
    const s = synthWith((scope) =>
      new EcsBlueGreen(scope, "BlueGreen", {
        ...base,
        testListenerArn: TEST_LISTENER,
        deploymentConfig: "CodeDeployDefault.ECSCanary10Percent5Minutes",
        terminationWaitMinutes: 60,
        rollbackAlarmNames: ["a-5xx", "a-latency"],
      }),
    );

    it("routes test traffic through the test listener", () => {
      const pair = only(s, "aws_codedeploy_deployment_group").load_balancer_info.target_group_pair_info;
      expect(pair.test_traffic_route.listener_arns).toEqual([TEST_LISTENER]);
    });

    it("uses the canary config, the 60-minute wait and every alarm", () => {
      const group = only(s, "aws_codedeploy_deployment_group");
      expect(group.deployment_config_name).toBe("CodeDeployDefault.ECSCanary10Percent5Minutes");
      expect(group.blue_green_deployment_config.terminate_blue_instances_on_deployment_success.termination_wait_time_in_minutes).toBe(60);
      expect(group.alarm_configuration.alarms).toEqual(["a-5xx", "a-latency"]);
    });
  });

  describe("with a long name", () => {
    it("shortens the role name to the 64-character IAM limit", () => {
      const s = synthWith((scope) => new EcsBlueGreen(scope, "BlueGreen", { ...base, name: `${"x".repeat(70)}-svc` }));
      const role = Object.values(resources(s, "aws_iam_role"))[0];
      expect(role.name.length).toBeLessThanOrEqual(64);
      expect(role.name.endsWith("-codedeploy")).toBe(true);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<EcsBlueGreenProps>) => () => synthWith((scope) => new EcsBlueGreen(scope, "B", { ...base, ...props }));

    it("CA9: a deployment group without rollback alarms", () => {
      expect(build({ rollbackAlarmNames: [] })).toThrow(/test\/B: rollbackAlarmNames = \[\] is not allowed; expected at least one entry/);
    });
    it("the same target group for blue and green", () => {
      expect(build({ greenTargetGroupName: "chat-dev-chat-blue" })).toThrow(/greenTargetGroupName = "chat-dev-chat-blue" .* two target groups/);
    });
    it("a termination wait beyond two days", () => {
      expect(build({ terminationWaitMinutes: 2881 })).toThrow(/terminationWaitMinutes = 2881 .* from 0 to 2880/);
    });
    it("a negative termination wait", () => {
      expect(build({ terminationWaitMinutes: -1 })).toThrow(/terminationWaitMinutes = -1 .* from 0 to 2880/);
    });
    it("a deployment config that is not for ECS", () => {
      expect(build({ deploymentConfig: "CodeDeployDefault.OneAtATime" as never })).toThrow(/deploymentConfig = "CodeDeployDefault.OneAtATime" .* expected one of/);
    });
    it("more than 10 rollback alarms", () => {
      expect(build({ rollbackAlarmNames: Array.from({ length: 11 }, (_, i) => `alarm-${i}`) })).toThrow(/rollbackAlarmNames = .* at most 10 alarms/);
    });
    it("a listener ARN that is not a load balancer listener", () => {
      expect(build({ listenerArn: "arn:aws:ecs:eu-west-1:1:service/x" })).toThrow(/listenerArn = "arn:aws:ecs:.*" .* elasticloadbalancing/);
    });
    it("the production listener as test listener", () => {
      expect(build({ testListenerArn: LISTENER })).toThrow(/testListenerArn = .* other than the production listenerArn/);
    });
    it("a target group name longer than 32 characters", () => {
      expect(build({ blueTargetGroupName: "x".repeat(33) })).toThrow(/blueTargetGroupName = "x{33}" .* \(1-32 letters/);
    });
  });
});
