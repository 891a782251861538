/**
 * EC2 capacity for an ECS cluster (AP2): ECS-optimized AMI from the public SSM parameter, a launch template with
 * IMDSv2 and an encrypted gp3 root volume, an Auto Scaling group in private subnets, and a capacity provider with
 * managed scaling and managed termination protection.
 */
import { Construct } from "constructs";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { capacity, createRole, createSecurityGroup, fitName, IGrantee, inRange, INetwork, matches, nonEmpty, oneOf, serviceTrustPolicy } from "../core";

export interface Ec2CapacityProps {
  /** Instance type, e.g. "t3.micro". Graviton types (t4g, m7g, ...) get the arm64 AMI. */
  readonly instanceType: string;
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Instances at creation; managed scaling owns the number afterwards. @default minInstances */
  readonly desiredInstances?: number;
  /** Managed scaling target: how full (percent of reserved capacity) the instances should be. @default 100 */
  readonly targetCapacityPercent?: number;
  /** Root volume size; the ECS-optimized AMIs' snapshot is 30 GiB. @default 30 */
  readonly rootVolumeGiB?: number;
  /** @default "amazon-linux-2023" */
  readonly ami?: "amazon-linux-2023" | "amazon-linux-2";
}

export interface Ec2Capacity {
  readonly capacityProviderName: string;
  readonly securityGroupId: string;
  readonly roleArn: string;
  readonly role: IGrantee;
  readonly autoScalingGroupName: string;
}

const INSTANCE_POLICIES = [
  "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
  // Session Manager instead of SSH: no key pair, no inbound port.
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
];

/** Graviton families carry a "g" after the generation digit (t4g, m6gd, c7gn) or are a1. */
function isArm(instanceType: string): boolean {
  return /^(a1|[a-z]+\d+[a-z]*g[a-z]*)(-[a-z]+)?\./.test(instanceType);
}

export function createEc2Capacity(
  scope: Construct,
  props: Ec2CapacityProps & { readonly clusterName: string; readonly network: INetwork; readonly cluster: EcsClusterResource },
): Ec2Capacity {
  const at = "capacity";
  matches(scope, `${at}.instanceType`, props.instanceType, /^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.[a-z0-9]+$/, "an EC2 instance type such as \"t3.micro\"");
  const sizes = capacity(
    scope,
    { min: `${at}.minInstances`, desired: `${at}.desiredInstances`, max: `${at}.maxInstances` },
    { min: props.minInstances, desired: props.desiredInstances ?? props.minInstances, max: props.maxInstances },
  );
  inRange(scope, `${at}.maxInstances`, sizes.max, 1, 1000);
  const target = inRange(scope, `${at}.targetCapacityPercent`, props.targetCapacityPercent ?? 100, 1, 100);
  const ami = oneOf(scope, `${at}.ami`, props.ami ?? "amazon-linux-2023", ["amazon-linux-2023", "amazon-linux-2"]);
  // The AMI's root snapshot is 30 GiB; a smaller volume fails at launch.
  const rootGiB = inRange(scope, `${at}.rootVolumeGiB`, props.rootVolumeGiB ?? 30, 30, 16384);
  nonEmpty(scope, "network.privateSubnetIds", props.network.privateSubnetIds);
  const name = props.clusterName;

  const image = new DataAwsSsmParameter(scope, "EcsOptimizedAmi", {
    name: `/aws/service/ecs/optimized-ami/${ami}/${isArm(props.instanceType) ? "arm64/" : ""}recommended/image_id`,
  });

  const sg = createSecurityGroup(scope, "InstanceSecurityGroup", {
    name: fitName(scope, "name", name, "ecs-instances", "securityGroupName"),
    description: `ECS container instances of ${name}; tasks use their own groups (awsvpc)`,
    vpcId: props.network.vpcId,
    egress: "all",
  });

  const roleName = fitName(scope, "name", name, "ecs-instance", "iamRoleName");
  const role = createRole(scope, "InstanceRole", {
    name: roleName,
    description: `ECS container instances of ${name}`,
    assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    managedPolicyArns: INSTANCE_POLICIES,
  });
  const profile = new IamInstanceProfile(scope, "InstanceProfile", { name: roleName, role: role.name });

  // ECS_AWSVPC_BLOCK_IMDS keeps awsvpc tasks away from the instance role's credentials.
  const userData = [
    "#!/bin/bash",
    "cat <<'EOF' >> /etc/ecs/ecs.config",
    `ECS_CLUSTER=${name}`,
    "ECS_ENABLE_CONTAINER_METADATA=true",
    "ECS_AWSVPC_BLOCK_IMDS=true",
    "EOF",
    "",
  ].join("\n");

  const template = new LaunchTemplate(scope, "LaunchTemplate", {
    name: fitName(scope, "name", name, "ecs", "launchTemplateName"),
    description: `ECS container instances of ${name}`,
    imageId: image.insecureValue,
    instanceType: props.instanceType,
    iamInstanceProfile: { arn: profile.arn },
    userData: Buffer.from(userData, "utf8").toString("base64"),
    updateDefaultVersion: true,
    // IMDSv2 only; hop limit 1 is enough because tasks use awsvpc, not the host's network namespace.
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
    networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [sg.id] }],
    blockDeviceMappings: [
      { deviceName: "/dev/xvda", ebs: { volumeSize: rootGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
    ],
    tagSpecifications: [
      { resourceType: "instance", tags: { Name: `${name}-ecs` } },
      { resourceType: "volume", tags: { Name: `${name}-ecs` } },
    ],
  });

  const group = new AutoscalingGroup(scope, "AutoScalingGroup", {
    name: fitName(scope, "name", name, "ecs", "autoscalingGroupName"),
    vpcZoneIdentifier: props.network.privateSubnetIds,
    minSize: sizes.min,
    maxSize: sizes.max,
    desiredCapacity: sizes.desired,
    launchTemplate: { id: template.id, version: "$Latest" },
    healthCheckType: "EC2",
    // Managed termination protection requires it: ECS decides which instances are empty enough to go.
    protectFromScaleIn: true,
    // Scale-in protected instances would otherwise block `terraform destroy` of the group.
    forceDelete: true,
    tag: [
      { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
      { key: "Name", value: `${name}-ecs`, propagateAtLaunch: true },
    ],
    dependsOn: [props.cluster],
    // Managed scaling owns the instance count after creation.
    lifecycle: { ignoreChanges: ["desired_capacity"] },
  });

  // Capacity provider names may not start with "aws", "ecs" or "fargate".
  const providerBase = /^(aws|ecs|fargate)/i.test(name) ? `cp-${name}` : name;
  const provider = new EcsCapacityProvider(scope, "CapacityProvider", {
    name: fitName(scope, "name", providerBase, "ec2", "ecsClusterName"),
    autoScalingGroupProvider: {
      autoScalingGroupArn: group.arn,
      managedTerminationProtection: "ENABLED",
      managedDraining: "ENABLED",
      managedScaling: {
        status: "ENABLED",
        targetCapacity: target,
        minimumScalingStepSize: 1,
        maximumScalingStepSize: 10000,
        instanceWarmupPeriod: 300,
      },
    },
  });

  return { capacityProviderName: provider.name, securityGroupId: sg.id, roleArn: role.arn, role, autoScalingGroupName: group.name };
}
