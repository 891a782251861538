import { EcsCluster, EcsClusterProps } from "../../modules/ecs-cluster";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { only, resources, synthWith } from "../support/synth";
import { trustedServices } from "../support/stacks";

const network = {
  vpcId: "vpc-0123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};

const ec2 = { kind: "ec2", instanceType: "t3.micro", minInstances: 1, maxInstances: 4 } as const;

function build(props: Partial<EcsClusterProps> = {}) {
  let cluster!: EcsCluster;
  const s = synthWith((scope) => {
    cluster = new EcsCluster(scope, "Cluster", { name: "alerting-platform-dev", network, ...props });
  });
  return { s, cluster };
}

describe("EcsCluster", () => {
  describe("with defaults (Fargate)", () => {
    const { s, cluster } = build();

    it("runs on Fargate with Container Insights explicitly off", () => {
      const c = only(s, "aws_ecs_cluster");
      expect(c.name).toBe("alerting-platform-dev");
      expect(c.setting).toEqual([{ name: "containerInsights", value: "disabled" }]);
      expect(cluster.launchType).toBe("FARGATE");
      expect(cluster.capacityProviderName).toBeUndefined();
    });

    it("attaches the FARGATE capacity provider as the default strategy", () => {
      const a = only(s, "aws_ecs_cluster_capacity_providers");
      expect(a.capacity_providers).toEqual(["FARGATE"]);
      expect(a.default_capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", base: 0, weight: 1 }]);
    });

    it("creates no instances, no namespace and no instance security group", () => {
      expect(resources(s, "aws_autoscaling_group")).toEqual({});
      expect(resources(s, "aws_launch_template")).toEqual({});
      expect(resources(s, "aws_service_discovery_private_dns_namespace")).toEqual({});
      expect(cluster.instanceSecurityGroupId).toBeUndefined();
      expect(cluster.namespace).toBeUndefined();
    });

    it("logs ECS Exec sessions to its own log group kept 30 days", () => {
      const lg = only(s, "aws_cloudwatch_log_group");
      expect(lg.name).toBe("/ecs/alerting-platform-dev/exec");
      expect(lg.retention_in_days).toBe(30);
      const exec = only(s, "aws_ecs_cluster").configuration.execute_command_configuration;
      expect(exec.logging).toBe("OVERRIDE");
      expect(exec.log_configuration.cloud_watch_log_group_name).toContain("aws_cloudwatch_log_group.");
      expect(exec.log_configuration.cloud_watch_encryption_enabled).toBe(false);
    });
  });

  describe("with Fargate Spot", () => {
    const { s, cluster } = build({ capacity: { kind: "fargate", spot: true } });

    it("attaches FARGATE and FARGATE_SPOT and makes Spot the default", () => {
      const a = only(s, "aws_ecs_cluster_capacity_providers");
      expect(a.capacity_providers).toEqual(["FARGATE", "FARGATE_SPOT"]);
      expect(a.default_capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE_SPOT", base: 0, weight: 1 }]);
    });

    it("hands services the Spot provider through the association, so they are created after it", () => {
      expect(cluster.launchType).toBe("FARGATE");
      expect(s.json).toContain("default_capacity_provider_strategy");
      expect(cluster.capacityProviderName).toMatch(/\$\{/);
    });
  });

  describe("AP2: with EC2 capacity (t3.micro, 1-4 instances)", () => {
    const { s, cluster } = build({ capacity: ec2 });

    it("AP2: looks the ECS-optimized Amazon Linux 2023 AMI up from the public SSM parameter", () => {
      expect(Object.values(s.parsed.data!.aws_ssm_parameter)[0].name).toBe("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
      expect(only(s, "aws_launch_template").image_id).toMatch(/data\.aws_ssm_parameter\..*\.insecure_value/);
    });

    it("AP2: requires IMDSv2 and gives instances no public IP", () => {
      expect(s.json).toHaveResourceWithProperties(LaunchTemplate, {
        instance_type: "t3.micro",
        metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" },
      });
      const nic = only(s, "aws_launch_template").network_interfaces[0];
      expect(nic.associate_public_ip_address).toBe("false");
      expect(nic.security_groups[0]).toContain("aws_security_group.");
    });

    it("encrypts a 30 GiB gp3 root volume", () => {
      expect(only(s, "aws_launch_template").block_device_mappings).toEqual([
        { device_name: "/dev/xvda", ebs: { volume_size: 30, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
      ]);
    });

    it("joins instances to the cluster through user data", () => {
      const userData = Buffer.from(only(s, "aws_launch_template").user_data, "base64").toString("utf8");
      expect(userData).toContain("ECS_CLUSTER=alerting-platform-dev\n");
      expect(userData).toContain("ECS_ENABLE_CONTAINER_METADATA=true");
      expect(userData).toContain("/etc/ecs/ecs.config");
    });

    it("AP2: runs an Auto Scaling group of 1-4 in the private subnets, owned by managed scaling", () => {
      expect(s.json).toHaveResourceWithProperties(AutoscalingGroup, {
        min_size: 1,
        max_size: 4,
        desired_capacity: 1,
        protect_from_scale_in: true,
        vpc_zone_identifier: network.privateSubnetIds,
        lifecycle: { ignore_changes: ["desired_capacity"] },
      });
      expect(only(s, "aws_autoscaling_group").tag).toContainEqual({ key: "AmazonECSManaged", value: "true", propagate_at_launch: true });
    });

    it("AP2: puts a capacity provider with managed scaling and termination protection in front of it", () => {
      expect(s.json).toHaveResourceWithProperties(EcsCapacityProvider, {
        name: "alerting-platform-dev-ec2",
        auto_scaling_group_provider: {
          auto_scaling_group_arn: expect.stringContaining("aws_autoscaling_group."),
          managed_termination_protection: "ENABLED",
          managed_draining: "ENABLED",
          managed_scaling: { status: "ENABLED", target_capacity: 100, minimum_scaling_step_size: 1, maximum_scaling_step_size: 10000, instance_warmup_period: 300 },
        },
      });
      const a = only(s, "aws_ecs_cluster_capacity_providers");
      expect(a.capacity_providers).toEqual(["${aws_ecs_capacity_provider.Cluster_CapacityProvider_0727A2C3.name}"]);
      expect(a.default_capacity_provider_strategy[0].capacity_provider).toBe("${aws_ecs_capacity_provider.Cluster_CapacityProvider_0727A2C3.name}");
    });

    it("gives instances the ECS and Session Manager managed policies and no SSH", () => {
      const arns = Object.values(resources(s, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn);
      expect(arns.sort()).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"]);
      expect(trustedServices(only(s, "aws_iam_role").assume_role_policy)).toEqual(["ec2.amazonaws.com"]);
      expect(only(s, "aws_launch_template").key_name).toBeUndefined();
    });

    it("gives instances a security group with no ingress and egress to anywhere", () => {
      expect(resources(s, "aws_vpc_security_group_ingress_rule")).toEqual({});
      expect(only(s, "aws_vpc_security_group_egress_rule").cidr_ipv4).toBe("0.0.0.0/0");
    });

    it("exposes the EC2 launch type, the provider and the instance resources", () => {
      expect(cluster.launchType).toBe("EC2");
      expect(cluster.capacityProviderName).toMatch(/\$\{/);
      expect(cluster.instanceSecurityGroupId).toMatch(/\$\{/);
      expect(cluster.instanceRoleArn).toMatch(/\$\{/);
      expect(cluster.autoScalingGroupName).toMatch(/\$\{/);
    });
  });

  describe("with Graviton instances on Amazon Linux 2", () => {
    const { s } = build({ capacity: { ...ec2, instanceType: "t4g.small", ami: "amazon-linux-2", desiredInstances: 2, targetCapacityPercent: 80, rootVolumeGiB: 50 } });

    it("uses the arm64 Amazon Linux 2 AMI parameter", () => {
      expect(Object.values(s.parsed.data!.aws_ssm_parameter)[0].name).toBe("/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended/image_id");
    });

    it("applies desired instances, target capacity and volume size", () => {
      expect(only(s, "aws_autoscaling_group").desired_capacity).toBe(2);
      expect(only(s, "aws_ecs_capacity_provider").auto_scaling_group_provider.managed_scaling.target_capacity).toBe(80);
      expect(only(s, "aws_launch_template").block_device_mappings[0].ebs.volume_size).toBe(50);
    });
  });

  describe("with Container Insights, a namespace and a KMS key", () => {
    const kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { s, cluster } = build({ containerInsights: true, privateNamespace: "alerting-platform-dev.internal", kmsKeyArn, logRetentionDays: 90 });

    it("turns Container Insights on", () => {
      expect(only(s, "aws_ecs_cluster").setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
    });

    it("creates the private DNS namespace in the VPC and exposes it", () => {
      const ns = only(s, "aws_service_discovery_private_dns_namespace");
      expect(ns.name).toBe("alerting-platform-dev.internal");
      expect(ns.vpc).toBe("vpc-0123");
      expect(cluster.namespace?.id).toMatch(/\$\{/);
    });

    it("encrypts ECS Exec sessions, their logs and task storage with the key", () => {
      const conf = only(s, "aws_ecs_cluster").configuration;
      expect(conf.execute_command_configuration.kms_key_id).toBe(kmsKeyArn);
      expect(conf.execute_command_configuration.log_configuration.cloud_watch_encryption_enabled).toBe(true);
      expect(conf.managed_storage_configuration.fargate_ephemeral_storage_kms_key_id).toBe(kmsKeyArn);
      expect(only(s, "aws_cloudwatch_log_group")).toMatchObject({ kms_key_id: kmsKeyArn, retention_in_days: 90 });
    });
  });

  describe("with a cluster name capacity providers may not start with", () => {
    const { s } = build({ name: "ecs-demo", capacity: ec2 });
    it("prefixes the capacity provider name", () => {
      expect(only(s, "aws_ecs_capacity_provider").name).toBe("cp-ecs-demo-ec2");
    });
  });

  describe("refuses", () => {
    const attempt = (props: Partial<EcsClusterProps>) => () => build(props);

    it("more minimum than maximum instances", () => {
      expect(attempt({ capacity: { ...ec2, minInstances: 5, maxInstances: 4 } })).toThrow(/test\/Cluster: capacity\.minInstances = 5 is not allowed; expected capacity\.minInstances <= capacity\.maxInstances \(4\)/);
    });
    it("desired instances outside min..max", () => {
      expect(attempt({ capacity: { ...ec2, desiredInstances: 6 } })).toThrow(/capacity\.desiredInstances = 6 is not allowed; expected capacity\.minInstances \(1\) <= capacity\.desiredInstances <= capacity\.maxInstances \(4\)/);
    });
    it("an instance type that is not one", () => {
      expect(attempt({ capacity: { ...ec2, instanceType: "micro" } })).toThrow(/capacity\.instanceType = "micro" is not allowed; expected an EC2 instance type such as "t3\.micro"/);
    });
    it("a managed scaling target outside 1-100", () => {
      expect(attempt({ capacity: { ...ec2, targetCapacityPercent: 120 } })).toThrow(/capacity\.targetCapacityPercent = 120 is not allowed; expected a whole number from 1 to 100/);
    });
    it("a root volume smaller than the AMI's 30 GiB snapshot", () => {
      expect(attempt({ capacity: { ...ec2, rootVolumeGiB: 20 } })).toThrow(/capacity\.rootVolumeGiB = 20 is not allowed; expected a whole number from 30 to 16384/);
    });
    it("a namespace that is not a DNS name", () => {
      expect(attempt({ privateNamespace: "Alerting_Platform..internal" })).toThrow(/privateNamespace = "Alerting_Platform\.\.internal" is not allowed; expected a lowercase DNS name/);
    });
    it("a cluster name with spaces", () => {
      expect(attempt({ name: "alerting platform" })).toThrow(/name = "alerting platform" is not allowed; expected 1-255 letters, digits, hyphens and underscores/);
    });
    it("a log retention CloudWatch does not offer", () => {
      expect(attempt({ logRetentionDays: 10 })).toThrow(/logRetentionDays = 10 is not allowed; expected a CloudWatch Logs retention value/);
    });
    it("a KMS key that is not a KMS ARN", () => {
      expect(attempt({ kmsKeyArn: "alias/aws/logs" })).toThrow(/kmsKeyArn = "alias\/aws\/logs" is not allowed; expected an ARN of the kms service/);
    });
  });
});
