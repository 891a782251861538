import { Alb } from "../../modules/alb";
import { INetwork } from "../../modules/core";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network: INetwork = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};

describe("Alb (terraform validate)", () => {
  it("validates with HTTPS, access logs, a default target, a routed target and a blue/green pair", async () => {
    const r = await validateConstructs((stack) => {
      const alb = new Alb(stack, "Alb", {
        name: "chat-app-staging",
        network,
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666",
        idleTimeoutSeconds: 120,
        deletionProtection: true,
        accessLogsBucket: "chat-app-staging-logs",
        allowedCidrs: ["0.0.0.0/0", "203.0.113.0/24"],
      });
      alb.addTarget("Api", { name: "api-gateway", port: 8080, healthCheckPath: "/up" });
      alb.addTarget("Auth", { name: "auth", port: 8081, pathPatterns: ["/auth/*"], hostHeaders: ["api.example.com"], priority: 10, healthCheckMatcher: "200,204" });
      alb.addTargetGroupPair("Chat", { name: "chat", port: 8082, pathPatterns: ["/chat/*"], priority: 20, deregistrationDelaySeconds: 10 });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });

  it("validates plain HTTP with a blue/green default pair", async () => {
    const r = await validateConstructs((stack) => {
      new Alb(stack, "Alb", { name: "alerting-platform-dev", network }).addTargetGroupPair("RuleService", { name: "rule-service", port: 8080 });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
