import { Construct } from "constructs";
import { FileSystem } from "../../modules/efs";
import { allowFrom, createRole, INetwork, serviceTrustPolicy } from "../../modules/core";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network: INetwork = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};

describe("FileSystem (terraform validate)", () => {
  it("validates a file system with access points, an AWS Backup plan, a client role and an NFS flow", async () => {
    const r = await validateConstructs((stack) => {
      const fs = new FileSystem(stack, "Shared", {
        name: "tvmaze-ingestion-prod-shared",
        network,
        throughputMode: "elastic",
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666",
        transitionToIaDays: 90,
        awsBackup: { retentionDays: 90 },
        preventDestroy: true,
        accessPoints: [{ name: "media", path: "/media", uid: 1000, gid: 1000 }],
      });
      new FileSystem(stack, "Scratch", { name: "tvmaze-ingestion-dev-scratch", network, performanceMode: "maxIO", awsBackup: false, automaticBackups: false });
      createRole(stack, "TaskRole", {
        name: "tvmaze-ingestion-prod-api-task",
        description: "task role",
        assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"),
        statements: fs.clientStatements("media"),
      });
      const service = new (class extends Construct {
        readonly securityGroupId = "sg-0123456789abcdef0";
      })(stack, "Service");
      allowFrom(fs, service, FileSystem.PORT);
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
