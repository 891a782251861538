/**
 * AWS Backup of a set of resources: a vault (encrypted with a customer key when given, never force-destroyed), a
 * plan with one daily rule, a selection of the resources by ARN, and a role trusting backup.amazonaws.com with the
 * AWS-managed backup and restore policies. Recovery points live in the vault, apart from the resources they copy,
 * so they outlive them and follow the vault's retention.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { BackupPlan as BackupPlanResource } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { arn, createRole, fail, inRange, matches, nonEmpty, serviceTrustPolicy } from "../core";

export interface BackupPlanProps {
  /**
   * Name of the vault, the plan and the selection, and of the role: 2-50 letters, digits, hyphens or underscores
   * (the AWS Backup limits). `BackupPlan.nameFor(base)` derives `<base>-backup` shortened to fit.
   */
  readonly name: string;
  /** ARNs of the resources to back up (EBS volumes, EFS file systems, RDS clusters or instances, ...). */
  readonly resourceArns: readonly string[];
  /** Days each recovery point is kept, 1-36500. */
  readonly retentionDays: number;
  /** When the daily rule starts, UTC: a "cron(...)" or "rate(...)" expression. @default "cron(0 3 * * ? *)" (03:00 UTC daily) */
  readonly schedule?: string;
  /** Customer KMS key of the vault. @default the AWS-managed aws/backup key */
  readonly kmsKeyArn?: string;
  /** Terraform `prevent_destroy` on the vault (which holds the recovery points). @default false */
  readonly preventDestroy?: boolean;
}

/** 03:00 UTC every day: after the default RDS and DocumentDB backup window (01:00-02:00) and before business hours in Europe. */
const DEFAULT_SCHEDULE = "cron(0 3 * * ? *)";
/** Vault, plan and selection names: 2-50 characters (not in core's NAME_LIMITS). */
const NAME_LIMIT = 50;
const NAME = /^[A-Za-z0-9_-]{2,50}$/;
const SCHEDULE = /^(cron|rate)\(.+\)$/;
const POLICIES = [
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
];

export class BackupPlan extends Construct {
  readonly vaultArn: string;
  readonly vaultName: string;
  readonly planId: string;
  readonly planArn: string;
  readonly roleArn: string;
  /** The aws_backup_plan. */
  readonly resource: BackupPlanResource;

  /** `<base>-backup`, shortened deterministically (head + 6-character hash of the full name) to 50 characters. */
  static nameFor(base: string): string {
    const full = `${base}-backup`;
    if (full.length <= NAME_LIMIT) return full;
    const digest = createHash("sha256").update(full).digest("hex").slice(0, 6);
    const head = base.slice(0, NAME_LIMIT - "-backup".length - digest.length - 1).replace(/[-_]+$/, "");
    return `${head}-${digest}-backup`;
  }

  constructor(scope: Construct, id: string, props: BackupPlanProps) {
    super(scope, id);
    const name = matches(this, "name", props.name, NAME, `2 to ${NAME_LIMIT} letters, digits, hyphens or underscores (AWS Backup vault and plan names); BackupPlan.nameFor(base) shortens a longer base`);
    const resourceArns = nonEmpty(this, "resourceArns", props.resourceArns);
    resourceArns.forEach((resourceArn, i) => arn(this, `resourceArns[${i}]`, resourceArn));
    if (new Set(resourceArns).size !== resourceArns.length) {
      fail(this, "resourceArns", resourceArns, "expected each resource once");
    }
    const retentionDays = inRange(this, "retentionDays", props.retentionDays, 1, 36500);
    const schedule = matches(this, "schedule", props.schedule ?? DEFAULT_SCHEDULE, SCHEDULE, "a \"cron(...)\" or \"rate(...)\" expression in UTC, e.g. \"cron(0 3 * * ? *)\"");
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");

    const vault = new BackupVault(this, "Vault", {
      name,
      ...(props.kmsKeyArn ? { kmsKeyArn: props.kmsKeyArn } : {}),
      // A vault that still holds recovery points is never emptied by terraform destroy.
      forceDestroy: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    this.resource = new BackupPlanResource(this, "Plan", {
      name,
      rule: [
        {
          ruleName: "daily",
          targetVaultName: vault.name,
          schedule,
          // The provider's defaults, explicit so that the plan stays stable.
          startWindow: 60,
          completionWindow: 180,
          lifecycle: { deleteAfter: retentionDays },
        },
      ],
    });
    const role = createRole(this, "Role", {
      name,
      description: `AWS Backup ${name}: takes and restores its recovery points`,
      assumeRolePolicy: serviceTrustPolicy("backup.amazonaws.com"),
    });
    // Attached here (not through createRole) so that the selection can wait for them: AWS Backup checks the
    // role's permissions when the selection is created.
    const attachments = POLICIES.map(
      (policyArn) => new IamRolePolicyAttachment(this, `Role${policyArn.split("/").pop()!}`, { role: role.name, policyArn }),
    );
    new BackupSelection(this, "Selection", {
      name,
      planId: this.resource.id,
      iamRoleArn: role.arn,
      resources: [...resourceArns],
      dependsOn: attachments,
    });

    this.vaultArn = vault.arn;
    this.vaultName = vault.name;
    this.planId = this.resource.id;
    this.planArn = this.resource.arn;
    this.roleArn = role.arn;
  }
}
