import { DocumentDb } from "../../modules/documentdb";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};

describe("DocumentDb under terraform validate", () => {
  it("is valid with replicas, a customer key, prevent_destroy and the dev relaxations side by side", async () => {
    const r = await validateConstructs((stack) => {
      new DocumentDb(stack, "Prod", {
        name: "chat-platform-prod-docdb",
        network,
        instances: 3,
        instanceClass: "db.r6g.large",
        backupRetentionDays: 14,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        preventDestroy: true,
        logRetentionDays: 90,
      });
      new DocumentDb(stack, "Dev", { name: "chat-platform-dev-docdb", network, skipFinalSnapshot: true, deletionProtection: false });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
