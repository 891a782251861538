/**
 * AWS Backup for a database: an encrypted vault, a daily plan and a selection of the cluster (or instance), run by
 * a role that trusts backup.amazonaws.com. The recovery points live in the vault, apart from the database's own
 * automated backups, so they outlive the database and follow the vault's retention, not the 35-day RDS limit.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { TerraformResourceLifecycle } from "cdktf";
import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { fitName } from "../core";
import { serviceRole } from "./service-role";

/** 03:00 UTC every day: after the default RDS backup window (02:00-03:00). */
export const BACKUP_SCHEDULE = "cron(0 3 * * ? *)";
const BACKUP_POLICIES = [
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
];
/** Vault, plan and selection names: 1-50 letters, digits, hyphens, underscores (not in core's NAME_LIMITS). */
const BACKUP_NAME_LIMIT = 50;

export interface DatabaseBackupProps {
  /** The database identifier; names derive from it. */
  readonly identifier: string;
  /** ARN of the aws_rds_cluster or aws_db_instance to back up. */
  readonly resourceArn: string;
  readonly retentionDays: number;
  readonly kmsKeyArn?: string;
  readonly lifecycle: TerraformResourceLifecycle;
}

export class DatabaseBackup extends Construct {
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly planId: string;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: DatabaseBackupProps) {
    super(scope, id);
    const name = backupName(props.identifier);
    const vault = new BackupVault(this, "Vault", {
      name,
      ...(props.kmsKeyArn ? { kmsKeyArn: props.kmsKeyArn } : {}),
      // A vault that still holds recovery points is never emptied by terraform destroy.
      forceDestroy: false,
      lifecycle: props.lifecycle,
    });
    const plan = new BackupPlan(this, "Plan", {
      name,
      rule: [
        {
          ruleName: "daily",
          targetVaultName: vault.name,
          schedule: BACKUP_SCHEDULE,
          // The provider's defaults, explicit so that the plan stays stable.
          startWindow: 60,
          completionWindow: 180,
          lifecycle: { deleteAfter: props.retentionDays },
        },
      ],
    });
    const role = serviceRole(this, "Role", {
      name: fitName(scope, "name", props.identifier, "backup", "iamRoleName"),
      description: `AWS Backup of ${props.identifier}: takes and restores its snapshots`,
      service: "backup.amazonaws.com",
      managedPolicyArns: BACKUP_POLICIES,
    });
    new BackupSelection(this, "Selection", {
      name,
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: [props.resourceArn],
      dependsOn: role.attachments,
    });
    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.planId = plan.id;
    this.roleArn = role.arn;
  }
}

/** `<identifier>-backup`, shortened deterministically (head + 6-character hash) to 50 characters. */
export function backupName(identifier: string): string {
  const full = `${identifier}-backup`;
  if (full.length <= BACKUP_NAME_LIMIT) return full;
  const digest = createHash("sha256").update(full).digest("hex").slice(0, 6);
  const head = identifier.slice(0, BACKUP_NAME_LIMIT - "-backup".length - digest.length - 1).replace(/-+$/, "");
  return `${head}-${digest}-backup`;
}
