import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { WebAcl } from "../../modules/waf";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const ALB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/tvmaze-prod/50dc6c495c0c9188";
const KMS = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666";
const KMS_US_EAST_1 = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666";

describe("WebAcl (terraform validate)", () => {
  it("validates a regional ACL with geo block, logging, association and Shield, and a logged CloudFront ACL through a us-east-1 provider", async () => {
    const r = await validateConstructs((stack) => {
      new WebAcl(stack, "Regional", {
        name: "tvmaze-ingestion-prod",
        rateLimitPer5Minutes: 2000,
        managedRuleGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAmazonIpReputationList"],
        blockedCountries: ["KP", "IR"],
        associateWith: [ALB],
        logging: { retentionDays: 90, kmsKeyArn: KMS },
        shieldAdvanced: true,
      });
      const usEast1 = new AwsProvider(stack, "aws-us-east-1", { alias: "us_east_1", region: "us-east-1" });
      new WebAcl(stack, "Edge", { name: "chat-app-prod-cdn", scope: "CLOUDFRONT", logging: { retentionDays: 365, kmsKeyArn: KMS_US_EAST_1 }, provider: usEast1 });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
