import { EcsCluster } from "../../modules/ecs-cluster";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network = {
  vpcId: "vpc-0123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};

describe("EcsCluster (terraform validate)", () => {
  it("validates an EC2 cluster with namespace, Container Insights and KMS beside a Fargate Spot cluster", async () => {
    const r = await validateConstructs((stack) => {
      new EcsCluster(stack, "Ec2Cluster", {
        name: "alerting-platform-dev",
        network,
        containerInsights: true,
        privateNamespace: "alerting-platform-dev.internal",
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        capacity: { kind: "ec2", instanceType: "t3.micro", minInstances: 1, maxInstances: 4, targetCapacityPercent: 90 },
      });
      new EcsCluster(stack, "FargateCluster", { name: "dotnet-api-dev", network, capacity: { kind: "fargate", spot: true } });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
