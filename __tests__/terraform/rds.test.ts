import { Database } from "../../modules/rds";
import { INetwork } from "../../modules/core";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network: INetwork = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};
const KMS = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666";

describe("Database (terraform validate)", () => {
  it("validates an instance and an Aurora Serverless v2 cluster with most options on (monitoring, AWS Backup)", async () => {
    const r = await validateConstructs((stack) => {
      new Database(stack, "Instance", {
        name: "tvmaze-ingestion-prod-db",
        network,
        engine: { kind: "instance", instanceClass: "db.m5.large", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 100 },
        engineVersion: "15",
        multiAz: true,
        kmsKeyArn: KMS,
        passwordRotationDays: 30,
        preventDestroy: true,
        performanceInsights: true,
        enhancedMonitoringSeconds: 15,
        awsBackup: { retentionDays: 30 },
      });
      new Database(stack, "Aurora", {
        name: "dotnet-api-prod-db",
        network,
        engine: { kind: "aurora-serverless-v2", minAcu: 0.5, maxAcu: 16, instances: 2 },
        multiAz: true,
        kmsKeyArn: KMS,
        databaseName: "api",
        backupRetentionDays: 14,
        backupWindow: "23:30-00:30",
        maintenanceWindow: "sat:04:00-sat:05:00",
        preventDestroy: true,
      });
      new Database(stack, "Io1", {
        name: "chat-app-dev-db",
        network,
        engine: { kind: "instance", instanceClass: "db.t3.micro", allocatedStorageGiB: 100, storageType: "io1", iops: 1000 },
        skipFinalSnapshot: true,
        deletionProtection: false,
        cloudwatchLogs: false,
        iamAuthentication: false,
        enhancedMonitoringSeconds: 0,
      });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
