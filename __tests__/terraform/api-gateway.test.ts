import { ApiWithUsagePlans } from "../../modules/api-gateway";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

describe("ApiWithUsagePlans under terraform validate", () => {
  it("is valid with Cognito, tiers, quotas and caching, and without Cognito", async () => {
    const r = await validateConstructs((stack) => {
      new ApiWithUsagePlans(stack, "Full", {
        name: "trading-platform-prod-public-api",
        backendUrl: "https://internal-alb.example.com",
        requestsPerDayQuota: 500000,
        tiers: ["free", "basic", { name: "premium", requestsPerMinute: 3000 }],
        cache: true,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
      });
      new ApiWithUsagePlans(stack, "KeysOnly", {
        name: "trading-platform-prod-partner-api",
        backendUrl: "http://internal-alb.example.com/partner",
        cognito: false,
        setAccountLoggingRole: false,
      });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
