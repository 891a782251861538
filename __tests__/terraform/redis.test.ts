import { Redis } from "../../modules/redis";
import { createRole, serviceTrustPolicy } from "../../modules/core";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};

describe("Redis (terraform validate)", () => {
  it("validates with replicas, Multi-AZ, a customer key, logs and IAM auth, and without IAM auth on Redis 6", async () => {
    const r = await validateConstructs((stack) => {
      const cache = new Redis(stack, "Cache", {
        name: "dotnet-api-prod-cache",
        network,
        nodeType: "cache.t3.small",
        replicas: 1,
        multiAz: true,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        preventDestroy: true,
        logs: { retentionDays: 90 },
      });
      createRole(stack, "TaskRole", { name: "dotnet-api-prod-api-task", description: "API task", assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"), statements: cache.connectStatements() });
      new Redis(stack, "SingleNode", { name: "alerting-platform-dev-cache", network, nodeType: "cache.t3.micro", logs: false, engineVersion: "6.2", iamAuth: false });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
