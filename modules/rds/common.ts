/** What the instance and Aurora builders share: engine choices, the settings both take, parameters, monitoring. */
import { TerraformResourceLifecycle } from "cdktf";
import type { ServiceRole } from "./service-role";

export const PORT = 5432;

export interface InstanceEngine {
  readonly kind: "instance";
  /** e.g. "db.t3.micro". */
  readonly instanceClass: string;
  /** 20-65536 GiB. */
  readonly allocatedStorageGiB: number;
  /** Storage autoscaling ceiling; unset or equal to allocatedStorageGiB turns autoscaling off. @default off */
  readonly maxAllocatedStorageGiB?: number;
  /** @default "gp3" */
  readonly storageType?: "gp2" | "gp3" | "io1";
  /** Provisioned IOPS, 1000-256000; required with (and only with) storageType "io1". @default none */
  readonly iops?: number;
}

export interface AuroraServerlessEngine {
  readonly kind: "aurora-serverless-v2";
  /** Minimum Aurora capacity units, 0-256 in steps of 0.5 (0 lets the cluster pause). */
  readonly minAcu: number;
  /** Maximum Aurora capacity units, 1-256 in steps of 0.5, at least minAcu. */
  readonly maxAcu: number;
  /** 1 = writer only; 2 or more = writer plus readers (required for multiAz). @default 1 */
  readonly instances?: number;
}

export type DatabaseEngine = InstanceEngine | AuroraServerlessEngine;
export type DatabaseKind = DatabaseEngine["kind"];
export type PostgresMajorVersion = "13" | "14" | "15" | "16" | "17";
/** Enhanced monitoring granularities RDS accepts; 0 turns enhanced monitoring off. */
export type EnhancedMonitoringSeconds = 0 | 1 | 5 | 10 | 15 | 30 | 60;

/** Settings the Database construct has checked, handed to the instance or Aurora builder. */
export interface Common {
  readonly identifier: string;
  readonly major: PostgresMajorVersion;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly backupDays: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly deletionProtection: boolean;
  readonly skipFinalSnapshot: boolean;
  readonly kmsKeyArn?: string;
  readonly cloudwatchLogs: boolean;
  readonly iamAuthentication: boolean;
  readonly multiAz: boolean;
  readonly subnetGroupName: string;
  readonly securityGroupId: string;
  readonly lifecycle: TerraformResourceLifecycle;
  readonly monitoringSeconds: EnhancedMonitoringSeconds;
  /** The enhanced monitoring role; undefined when monitoring is off. */
  readonly monitoringRole?: ServiceRole;
}

export function postgresParameters(): { name: string; value: string; applyMethod: string }[] {
  return [
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" }, // TLS in transit (G6)
    { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" }, // log statements slower than 1 s
  ];
}

/** Enhanced monitoring settings of an instance or cluster instance, and what they must wait for. */
export function monitoring(c: Common): { monitoringInterval: number; monitoringRoleArn?: string; dependsOn?: ServiceRole["attachments"] } {
  if (!c.monitoringRole) return { monitoringInterval: 0 };
  // RDS checks the role's permissions when the instance is created: wait for the policy attachment.
  return { monitoringInterval: c.monitoringSeconds, monitoringRoleArn: c.monitoringRole.arn, dependsOn: c.monitoringRole.attachments };
}
