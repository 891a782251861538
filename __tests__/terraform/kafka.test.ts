import { TerraformOutput } from "cdktf";
import { ManagedKafka, SelfHostedKafka } from "../../modules/kafka";
import { createRole, serviceTrustPolicy } from "../../modules/core";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};
const namespace = { id: "ns-123", name: "alerting-platform.dev.internal", arn: "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-123" };

describe("Kafka (terraform validate)", () => {
  it("validates a self-hosted broker on EC2 and on Fargate, and an MSK cluster with a client role", async () => {
    const r = await validateConstructs((stack) => {
      new SelfHostedKafka(stack, "Kafka", {
        name: "alerting-platform-dev-kafka",
        network,
        cluster: { clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/ap-dev", clusterName: "ap-dev", launchType: "EC2", capacityProviderName: "ap-dev-ec2", namespace },
        topics: ["alerts.new", "rule.changed", "alerts.matched", "notifications.ready"].map((name) => ({ name, partitions: 9 })),
        logRetentionDays: 7,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        preventDestroy: true,
      });
      new SelfHostedKafka(stack, "EphemeralKafka", {
        name: "tv-dev-kafka",
        network,
        cluster: { clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/tv-dev", clusterName: "tv-dev", launchType: "FARGATE", namespace },
        topics: [{ name: "shows", partitions: 3 }],
        durableStorage: false,
        logRetentionDays: 30,
        imageRepositoryArn: "arn:aws:ecr:eu-west-1:123456789012:repository/kafka",
      });
      const msk = new ManagedKafka(stack, "Msk", {
        name: "chat-app-prod-kafka",
        network,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        brokerLogs: { retentionDays: 90 },
        preventDestroy: true,
      });
      createRole(stack, "ClientRole", {
        name: "chat-app-prod-chat-service",
        description: "MSK client",
        assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"),
        statements: msk.clientPolicyStatements("chat."),
      });
      new TerraformOutput(stack, "Bootstrap", { value: msk.bootstrapBrokersSaslIam });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
