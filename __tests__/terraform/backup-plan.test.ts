import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { BackupPlan } from "../../modules/backup-plan";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

describe("BackupPlan (terraform validate)", () => {
  it("validates a plan of referenced volumes with a customer key, a schedule and prevent_destroy, and a minimal plan", async () => {
    const r = await validateConstructs((stack) => {
      const volumes = ["a", "b"].map((zone) => new EbsVolume(stack, `Volume${zone}`, { availabilityZone: `eu-west-1${zone}`, size: 8, type: "gp3", encrypted: true }));
      new BackupPlan(stack, "Volumes", {
        name: BackupPlan.nameFor("chat-app-prod-redis-data"),
        resourceArns: volumes.map((v) => v.arn),
        retentionDays: 35,
        schedule: "cron(30 1 ? * SUN *)",
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666",
        preventDestroy: true,
      });
      new BackupPlan(stack, "Minimal", {
        name: "minimal_backup",
        resourceArns: ["arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0"],
        retentionDays: 1,
      });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
