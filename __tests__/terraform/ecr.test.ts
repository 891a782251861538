import { EcrRepository } from "../../modules/ecr";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

describe("EcrRepository under terraform validate", () => {
  it("validates with defaults and with every option set", async () => {
    const r = await validateConstructs((stack) => {
      new EcrRepository(stack, "RuleService", { name: "alerting-platform/rule-service" });
      new EcrRepository(stack, "Api", {
        name: "dotnet-api-prod-api",
        scanOnPush: false,
        immutableTags: false,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000",
        keepLastImages: 100,
        forceDelete: true,
        preventDestroy: true,
      });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
