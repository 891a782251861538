import { TerraformOutput } from "cdktf";
import { RedisClusterOnEc2 } from "../../modules/redis-cluster";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const network = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};

describe("RedisClusterOnEc2 under terraform validate", () => {
  it("is valid with AUTH, a customer key, prevent_destroy and EBS backups, and without AUTH or EBS backups on Graviton", async () => {
    const r = await validateConstructs((stack) => {
      const prod = new RedisClusterOnEc2(stack, "Prod", {
        name: "chat-platform-prod-redis",
        network,
        instanceType: "t3.medium",
        backupBucketName: "chat-platform-prod-redis-backups",
        logRetentionDays: 30,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        preventDestroy: true,
        ebsBackup: { retentionDays: 14 },
      });
      new TerraformOutput(stack, "create", { value: prod.clusterCreateScript });
      new RedisClusterOnEc2(stack, "Dev", {
        name: "chat-platform-dev-redis",
        network,
        instanceType: "t4g.micro",
        backupBucketName: "chat-platform-dev-redis-backups",
        logRetentionDays: 7,
        forceDestroyBackups: true,
        passwordAuth: false,
        ebsBackup: false,
      });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
