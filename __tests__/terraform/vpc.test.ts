import { Vpc } from "../../modules/vpc";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

describe("Vpc under terraform validate", () => {
  it("validates with 3 AZs, a NAT gateway per AZ, interface endpoints and encrypted flow logs", async () => {
    const r = await validateConstructs((stack) => {
      new Vpc(stack, "Network", {
        name: "chat-app-prod",
        cidr: "10.0.0.0/16",
        azCount: 3,
        natGateways: "perAz",
        interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "sts"],
        flowLogs: { retentionDays: 90, kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000" },
      });
      new Vpc(stack, "Small", { name: "tvmaze-ingestion-dev", cidr: "10.1.0.0/23", natGateways: "none", flowLogs: false, availabilityZones: ["eu-west-1a", "eu-west-1b"] });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
