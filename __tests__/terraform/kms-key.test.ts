import { KmsKey } from "../../modules/kms-key";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

describe("KmsKey under terraform validate", () => {
  it("validates with CloudWatch Logs, service integrations and prevent_destroy", async () => {
    const r = await validateConstructs((stack) => {
      new KmsKey(stack, "Key", {
        name: "tvmaze-ingestion-prod",
        description: "Logs, secrets and topics of tvmaze-ingestion-prod",
        deletionWindowDays: 7,
        allowServices: ["sns.amazonaws.com", "events.amazonaws.com", "cloudwatch.amazonaws.com"],
        preventDestroy: true,
      });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
