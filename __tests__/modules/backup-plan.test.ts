import { BackupPlan, BackupPlanProps } from "../../modules/backup-plan";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupPlan as BackupPlanResource } from "@cdktf/provider-aws/lib/backup-plan";
import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { only, resources, synthWith } from "../support/synth";
import { trustedServices } from "../support/stacks";

const KMS = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666";
const VOLUME = "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0123456789abcdef0";

function build(props: Partial<BackupPlanProps> = {}) {
  let plan!: BackupPlan;
  const s = synthWith((scope) => {
    plan = new BackupPlan(scope, "Backup", { name: "chat-app-prod-redis-data-backup", resourceArns: [VOLUME], retentionDays: 7, ...props });
  });
  return { s, plan };
}

describe("BackupPlan", () => {
  describe("with defaults", () => {
    const { s, plan } = build();
    const roles = resources(s, "aws_iam_role");
    const roleId = Object.keys(roles)[0];

    it("keeps the recovery points in a vault that destroy never empties, with the AWS-managed key", () => {
      expect(s.json).toHaveResourceWithProperties(BackupVault, { name: "chat-app-prod-redis-data-backup", force_destroy: false });
      const vault = only(s, "aws_backup_vault");
      expect(vault.kms_key_arn).toBeUndefined();
      expect(vault.lifecycle).toEqual({ prevent_destroy: false });
    });

    it("has one daily rule at 03:00 UTC into the vault, kept retentionDays, with explicit windows", () => {
      const plan = only(s, "aws_backup_plan");
      expect(plan.name).toBe("chat-app-prod-redis-data-backup");
      expect(plan.rule).toHaveLength(1);
      expect(plan.rule[0]).toMatchObject({ rule_name: "daily", schedule: "cron(0 3 * * ? *)", start_window: 60, completion_window: 180, lifecycle: { delete_after: 7 } });
      expect(plan.rule[0].target_vault_name).toMatch(/^\$\{aws_backup_vault\.Backup_Vault_\w+\.name\}$/);
    });

    it("selects exactly the resources given, through the plan and the role", () => {
      const selection = only(s, "aws_backup_selection");
      expect(selection).toMatchObject({ name: "chat-app-prod-redis-data-backup", resources: [VOLUME] });
      expect(selection.plan_id).toMatch(/^\$\{aws_backup_plan\.Backup_Plan_\w+\.id\}$/);
      expect(selection.iam_role_arn).toBe(`\${aws_iam_role.${roleId}.arn}`);
    });

    it("runs as a role trusting only AWS Backup, with the AWS-managed backup and restore policies", () => {
      expect(Object.keys(roles)).toHaveLength(1);
      expect(roles[roleId].name).toBe("chat-app-prod-redis-data-backup");
      expect(trustedServices(roles[roleId].assume_role_policy)).toContain("backup.amazonaws.com");
      expect(resources(s, "aws_iam_role_policy")).toEqual({});
      const attachments = Object.values(resources(s, "aws_iam_role_policy_attachment"));
      expect(attachments.map((a) => a.policy_arn).sort()).toEqual([
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      ]);
      expect(attachments.every((a) => a.role === `\${aws_iam_role.${roleId}.name}`)).toBe(true);
    });

    it("creates the selection only once both policies are attached", () => {
      const dependsOn = only(s, "aws_backup_selection").depends_on as string[];
      expect(dependsOn).toHaveLength(2);
      expect(dependsOn.every((d) => d.startsWith("aws_iam_role_policy_attachment.Backup_Role"))).toBe(true);
    });

    it("keeps the construct ids the rds module's Backup had (Vault, Plan, Role, Selection)", () => {
      expect(plan.node.children.map((c) => c.node.id).sort()).toEqual([
        "Plan", "Role", "RoleAWSBackupServiceRolePolicyForBackup", "RoleAWSBackupServiceRolePolicyForRestores", "Selection", "Vault",
      ]);
    });

    it("exposes vault, plan and role as references, and the plan as resource", () => {
      for (const value of [plan.vaultArn, plan.vaultName, plan.planId, plan.planArn, plan.roleArn]) expect(value).toMatch(/TOKEN/);
      expect(plan.resource).toBeInstanceOf(BackupPlanResource);
    });
  });

  describe("with a customer key, prevent_destroy, a schedule and several resources", () => {
    const volumes: string[] = [];
    const s = synthWith((scope) => {
      for (const zone of ["a", "b"]) volumes.push(new EbsVolume(scope, `Volume${zone}`, { availabilityZone: `eu-west-1${zone}`, size: 8 }).arn);
      new BackupPlan(scope, "Backup", {
        name: "tvmaze_ingestion_prod",
        resourceArns: volumes,
        retentionDays: 36500,
        schedule: "cron(30 1 ? * SUN *)",
        kmsKeyArn: KMS,
        preventDestroy: true,
      });
    });

    it("encrypts the vault with the key and protects it with prevent_destroy", () => {
      expect(only(s, "aws_backup_vault")).toMatchObject({ kms_key_arn: KMS, force_destroy: false, lifecycle: { prevent_destroy: true } });
    });

    it("runs on the schedule given and keeps points up to 100 years", () => {
      expect(only(s, "aws_backup_plan").rule[0]).toMatchObject({ schedule: "cron(30 1 ? * SUN *)", lifecycle: { delete_after: 36500 } });
    });

    it("selects every resource by reference", () => {
      expect(only(s, "aws_backup_selection").resources).toEqual([
        expect.stringMatching(/^\$\{aws_ebs_volume\.Volumea(_\w+)?\.arn\}$/),
        expect.stringMatching(/^\$\{aws_ebs_volume\.Volumeb(_\w+)?\.arn\}$/),
      ]);
    });
  });

  describe("nameFor", () => {
    it("appends -backup to a short base", () => {
      expect(BackupPlan.nameFor("dotnet-api-prod-db")).toBe("dotnet-api-prod-db-backup");
    });

    it("shortens a long base to 50 characters, deterministically and distinctly", () => {
      const a = BackupPlan.nameFor(`tvmaze-ingestion-${"x".repeat(40)}-a`);
      const b = BackupPlan.nameFor(`tvmaze-ingestion-${"x".repeat(40)}-b`);
      expect(a).toMatch(/^tvmaze-ingestion-x+-[0-9a-f]{6}-backup$/);
      expect(a).toHaveLength(50);
      expect(BackupPlan.nameFor(`tvmaze-ingestion-${"x".repeat(40)}-a`)).toBe(a);
      expect(b).not.toBe(a);
    });

    it("gives names the constructor accepts", () => {
      expect(() => build({ name: BackupPlan.nameFor("a".repeat(100)) })).not.toThrow();
    });
  });

  describe("refuses", () => {
    const refuse = (props: Partial<BackupPlanProps>) => () => build(props);

    it("no resources to back up", () => {
      expect(refuse({ resourceArns: [] })).toThrow(/test\/Backup: resourceArns = \[\] is not allowed; expected at least one entry/);
    });
    it("a resource that is not an ARN", () => {
      expect(refuse({ resourceArns: ["vol-0123456789abcdef0"] })).toThrow(/test\/Backup: resourceArns\[0\] = "vol-0123456789abcdef0" is not allowed; expected an ARN/);
    });
    it("the same resource twice", () => {
      expect(refuse({ resourceArns: [VOLUME, VOLUME] })).toThrow(/resourceArns = \[.*\] is not allowed; expected each resource once/);
    });
    it("0 days of retention", () => {
      expect(refuse({ retentionDays: 0 })).toThrow(/test\/Backup: retentionDays = 0 is not allowed; expected a whole number from 1 to 36500/);
    });
    it("more than 100 years of retention", () => {
      expect(refuse({ retentionDays: 36501 })).toThrow(/retentionDays = 36501 is not allowed; expected a whole number from 1 to 36500/);
    });
    it("a fractional retention", () => {
      expect(refuse({ retentionDays: 1.5 })).toThrow(/retentionDays = 1.5 is not allowed; expected a whole number/);
    });
    it("a schedule that is not a cron or rate expression", () => {
      expect(refuse({ schedule: "0 3 * * ? *" })).toThrow(/test\/Backup: schedule = "0 3 \* \* \? \*" is not allowed; expected a "cron\(\.\.\.\)" or "rate\(\.\.\.\)" expression/);
    });
    it("a schedule that does not close its expression", () => {
      expect(refuse({ schedule: "cron(0 3 * * ? *" })).toThrow(/schedule = "cron\(0 3 \* \* \? \*" is not allowed/);
    });
    it("a name longer than 50 characters", () => {
      const name = "a".repeat(51);
      expect(refuse({ name })).toThrow(new RegExp(`test/Backup: name = "${name}" is not allowed; expected 2 to 50 letters, digits, hyphens or underscores`));
    });
    it("a name with characters AWS Backup refuses", () => {
      expect(refuse({ name: "redis.backup" })).toThrow(/name = "redis\.backup" is not allowed; expected 2 to 50 letters/);
    });
    it("a one-character name", () => {
      expect(refuse({ name: "x" })).toThrow(/name = "x" is not allowed/);
    });
    it("a KMS key that is not a KMS ARN", () => {
      expect(refuse({ kmsKeyArn: "alias/aws/backup" })).toThrow(/test\/Backup: kmsKeyArn = "alias\/aws\/backup" is not allowed; expected an ARN of the kms service/);
    });
  });
});
