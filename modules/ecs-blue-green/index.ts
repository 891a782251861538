/**
 * Blue/green deployments for one ECS service through CodeDeploy (CA9): the service runs behind two target groups,
 * CodeDeploy shifts the production listener from blue to green and rolls back on failure or on any named alarm.
 * The ECS service must be created with `deploymentController: "CODE_DEPLOY"`.
 */
import { Construct } from "constructs";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { CodedeployDeploymentGroup } from "@cdktf/provider-aws/lib/codedeploy-deployment-group";
import { arn, createRole, fail, fitName, inRange, matches, nonEmpty, oneOf, serviceTrustPolicy } from "../core";

export const ECS_DEPLOYMENT_CONFIGS = [
  "CodeDeployDefault.ECSAllAtOnce",
  "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
  "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
  "CodeDeployDefault.ECSCanary10Percent5Minutes",
  "CodeDeployDefault.ECSCanary10Percent15Minutes",
] as const;

export type EcsDeploymentConfig = (typeof ECS_DEPLOYMENT_CONFIGS)[number];

export interface EcsBlueGreenProps {
  /** Base name of the CodeDeploy application, deployment group and role, e.g. "chat-platform-prod-chat-service". */
  readonly name: string;
  readonly clusterName: string;
  /** An ECS service created with deploymentController "CODE_DEPLOY". */
  readonly serviceName: string;
  /** Production listener whose traffic CodeDeploy moves from blue to green. */
  readonly listenerArn: string;
  /** Test listener that reaches the green tasks before production traffic does. @default none */
  readonly testListenerArn?: string;
  /** Target group the service starts on. */
  readonly blueTargetGroupName: string;
  /** Target group the replacement tasks register in. */
  readonly greenTargetGroupName: string;
  /** CloudWatch alarm names that roll a deployment back (1-10). */
  readonly rollbackAlarmNames: readonly string[];
  /** How traffic shifts. @default "CodeDeployDefault.ECSAllAtOnce" */
  readonly deploymentConfig?: EcsDeploymentConfig;
  /** Minutes the old (blue) tasks stay after a successful switch, 0-2880. @default 5 */
  readonly terminationWaitMinutes?: number;
}

/** CodeDeploy accepts at most 10 alarms per deployment group. */
const MAX_ALARMS = 10;

export class EcsBlueGreen extends Construct {
  readonly applicationName: string;
  readonly applicationArn: string;
  readonly deploymentGroupName: string;
  readonly deploymentGroupArn: string;
  /** Service role CodeDeploy assumes to update the service and the listeners. */
  readonly roleArn: string;
  readonly resource: CodedeployDeploymentGroup;

  constructor(scope: Construct, id: string, props: EcsBlueGreenProps) {
    super(scope, id);
    matches(this, "name", props.name, /^[A-Za-z0-9][A-Za-z0-9._+=,@-]*$/, "letters, digits and . _ + = , @ -, starting with a letter or digit");
    matches(this, "clusterName", props.clusterName, /^(\$\{.+\}|[A-Za-z0-9_-]{1,255})$/, "an ECS cluster name (1-255 letters, digits, hyphens and underscores)");
    matches(this, "serviceName", props.serviceName, /^(\$\{.+\}|[A-Za-z0-9_-]{1,255})$/, "an ECS service name (1-255 letters, digits, hyphens and underscores)");
    arn(this, "listenerArn", props.listenerArn, "elasticloadbalancing");
    if (props.testListenerArn !== undefined) {
      arn(this, "testListenerArn", props.testListenerArn, "elasticloadbalancing");
      if (props.testListenerArn === props.listenerArn) fail(this, "testListenerArn", props.testListenerArn, "expected a listener other than the production listenerArn (the test route must not carry production traffic)");
    }
    this.checkTargetGroup("blueTargetGroupName", props.blueTargetGroupName);
    this.checkTargetGroup("greenTargetGroupName", props.greenTargetGroupName);
    if (props.blueTargetGroupName === props.greenTargetGroupName) {
      fail(this, "greenTargetGroupName", props.greenTargetGroupName, "expected a target group other than blueTargetGroupName; blue/green needs two target groups");
    }
    // CA9: a blue/green switch without alarm rollback would leave a bad release serving until someone notices.
    nonEmpty(this, "rollbackAlarmNames", props.rollbackAlarmNames);
    if (props.rollbackAlarmNames.length > MAX_ALARMS) fail(this, "rollbackAlarmNames", props.rollbackAlarmNames, `expected at most ${MAX_ALARMS} alarms (CodeDeploy limit)`);
    const seen = new Set<string>();
    props.rollbackAlarmNames.forEach((alarm, i) => {
      matches(this, `rollbackAlarmNames[${i}]`, alarm, /^(\$\{.+\}|[^\s].{0,254})$/, "a CloudWatch alarm name (1-255 characters)");
      if (seen.has(alarm)) fail(this, `rollbackAlarmNames[${i}]`, alarm, "expected each alarm once");
      seen.add(alarm);
    });
    const deploymentConfig = oneOf<string>(this, "deploymentConfig", props.deploymentConfig ?? "CodeDeployDefault.ECSAllAtOnce", ECS_DEPLOYMENT_CONFIGS);
    const waitMinutes = inRange(this, "terminationWaitMinutes", props.terminationWaitMinutes ?? 5, 0, 2880);

    const name = fitName(this, "name", props.name, "", "codedeployName");
    const app = new CodedeployApp(this, "Application", { name, computePlatform: "ECS" });

    const role = createRole(this, "ServiceRole", {
      name: fitName(this, "name", props.name, "codedeploy", "iamRoleName"),
      description: `CodeDeploy blue/green for ECS service ${props.serviceName}`,
      assumeRolePolicy: serviceTrustPolicy("codedeploy.amazonaws.com"),
      // AWS's policy for ECS blue/green: update the service, the listeners and read the alarms.
      managedPolicyArns: ["arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"],
    });

    this.resource = new CodedeployDeploymentGroup(this, "DeploymentGroup", {
      appName: app.name,
      deploymentGroupName: name,
      serviceRoleArn: role.arn,
      deploymentConfigName: deploymentConfig,
      deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
      blueGreenDeploymentConfig: {
        deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
        terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: waitMinutes },
      },
      ecsService: { clusterName: props.clusterName, serviceName: props.serviceName },
      loadBalancerInfo: {
        targetGroupPairInfo: {
          prodTrafficRoute: { listenerArns: [props.listenerArn] },
          ...(props.testListenerArn ? { testTrafficRoute: { listenerArns: [props.testListenerArn] } } : {}),
          targetGroup: [{ name: props.blueTargetGroupName }, { name: props.greenTargetGroupName }],
        },
      },
      autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      alarmConfiguration: { enabled: true, alarms: [...props.rollbackAlarmNames], ignorePollAlarmFailure: false },
    });

    this.applicationName = app.name;
    this.applicationArn = app.arn;
    this.deploymentGroupName = this.resource.deploymentGroupName;
    this.deploymentGroupArn = this.resource.arn;
    this.roleArn = role.arn;
  }

  private checkTargetGroup(setting: string, value: string): void {
    matches(this, setting, value, /^(\$\{.+\}|[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?)$/, "a target group name (1-32 letters, digits and hyphens, not starting or ending with a hyphen)");
  }
}
