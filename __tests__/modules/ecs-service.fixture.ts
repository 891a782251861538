/** Shared preamble of the EcsService tests (ecs-service*.test.ts): a network, clusters, base props and synth helpers. */
import { EcsService, EcsServiceProps } from "../../modules/ecs-service";
import type { IEcsCluster } from "../../modules/ecs-cluster";
import { Construct } from "constructs";
import { only, resources, synthWith, Synthesized } from "../support/synth";

export const network = {
  vpcId: "vpc-0123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};
export const fargate: IEcsCluster = { clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/sys-dev", clusterName: "sys-dev", launchType: "FARGATE" };
export const withNamespace: IEcsCluster = { ...fargate, namespace: { id: "ns-123", name: "sys-dev.internal", arn: "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-123" } };
export const image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/alerting-platform/rule-service:latest";
export const targetGroupArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/rule-service/0123456789abcdef";
export const base: EcsServiceProps = { name: "alerting-platform-dev-rule-service", cluster: fargate, network, image, cpu: 256, memoryMiB: 512, logRetentionDays: 7 };

export function build(props: Partial<EcsServiceProps> = {}, extra?: (scope: Construct, service: EcsService) => void) {
  let service!: EcsService;
  const s = synthWith((scope) => {
    service = new EcsService(scope, "RuleService", { ...base, ...props });
    extra?.(scope, service);
  });
  return { s, service };
}

export const container = (s: Synthesized) => only(s, "aws_ecs_task_definition").container_definitions as string;
export const policyOf = (s: Synthesized, role: "Execution" | "Task") =>
  Object.entries(resources(s, "aws_iam_role_policy")).find(([k]) => k.startsWith(`RuleService_${role}RolePolicy`))?.[1]?.policy as string | undefined;
