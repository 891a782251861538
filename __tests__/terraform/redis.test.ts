import { Redis } from "../../modules/redis";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};

describe("Redis (terraform validate)", () => {
  it("validates with replicas, Multi-AZ, a customer key and logs", () => {
    const r = validateConstructs((stack) => {
      new Redis(stack, "Cache", {
        name: "dotnet-api-prod-cache",
        network,
        nodeType: "cache.t3.small",
        replicas: 1,
        multiAz: true,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        preventDestroy: true,
        logs: { retentionDays: 90 },
      });
      new Redis(stack, "SingleNode", { name: "alerting-platform-dev-cache", network, nodeType: "cache.t3.micro", logs: false });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
