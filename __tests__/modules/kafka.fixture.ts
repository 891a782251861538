/** Shared preamble of the Kafka tests (kafka.test.ts, kafka-managed.test.ts): networks, ECS clusters, props and container helpers. */
import { Construct } from "constructs";
import type { SelfHostedKafkaProps } from "../../modules/kafka";
import type { IEcsCluster } from "../../modules/ecs-cluster";
import { INetwork } from "../../modules/core";
import { only, Synthesized } from "../support/synth";
import { twoAzNetwork } from "../support/networks";

export const network: INetwork = twoAzNetwork;
export const threeAzs: INetwork = {
  ...network,
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};
export const namespace = { id: "ns-123", name: "alerting-platform.dev.internal", arn: "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-123" };
export const ec2Cluster: IEcsCluster = {
  clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/alerting-platform-dev",
  clusterName: "alerting-platform-dev",
  launchType: "EC2",
  capacityProviderName: "alerting-platform-dev-ec2",
  namespace,
};
export const fargateCluster: IEcsCluster = { ...ec2Cluster, launchType: "FARGATE", capacityProviderName: "FARGATE_SPOT" };

export const AP8_TOPICS = ["alerts.new", "rule.changed", "alerts.matched", "notifications.ready"].map((name) => ({ name, partitions: 9 }));
export const selfHosted: SelfHostedKafkaProps = { name: "alerting-platform-dev-kafka", network, cluster: ec2Cluster, topics: AP8_TOPICS, logRetentionDays: 7 };

export class Workload extends Construct {
  readonly securityGroupId = "sg-service";
}

export interface Container {
  name: string;
  essential: boolean;
  environment?: { name: string; value: string }[];
  command?: string[];
  entryPoint?: string[];
  dependsOn?: { containerName: string; condition: string }[];
  mountPoints?: { sourceVolume: string; containerPath: string }[];
  healthCheck?: { command: string[] };
  logConfiguration: { options: Record<string, string> };
}

export function containers(s: Synthesized): Container[] {
  return JSON.parse(only(s, "aws_ecs_task_definition").container_definitions as string);
}
export function env(c: Container): Record<string, string> {
  return Object.fromEntries((c.environment ?? []).map((e) => [e.name, e.value]));
}
export function named(s: Synthesized, name: string): Container {
  const c = containers(s).find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}
