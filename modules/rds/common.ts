/** What the instance and Aurora builders share: engine choices, the settings both take, parameters, monitoring. */
import { TerraformResourceLifecycle } from "cdktf";
import type { ServiceRole } from "./service-role";
import type { AuroraReaderAutoScaling } from "./aurora-readers";
import { fail, matches, oneOf, Subject } from "../core";

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
  /** Class of the readers (instances 2..n): "db.serverless" or a provisioned class such as "db.r6g.large". @default "db.serverless" */
  readonly readerInstanceClass?: string;
  /** Reader auto scaling on average reader CPU; the readers it adds are created by RDS outside Terraform. @default off */
  readonly readerAutoScaling?: AuroraReaderAutoScaling;
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
  /** Checked custom parameters, merged over the module's own. */
  readonly parameters: readonly DbParameter[];
  /** Lets an engineVersion change cross a major version (see the README's upgrade path). */
  readonly allowMajorVersionUpgrade: boolean;
}

export interface DbParameter { name: string; value: string; applyMethod: string }

/** A custom parameter: a value, or a value with how it applies ("pending-reboot" for static parameters). */
export type ParameterValue = string | number | { readonly value: string | number; readonly applyMethod: "immediate" | "pending-reboot" };

/** Parameters the module sets for security that a custom value may not weaken. */
const LOCKED: Readonly<Record<string, string>> = { "rds.force_ssl": "1" };
const PARAMETER_NAME = /^[a-z][a-z0-9_.]{0,127}$/;

/** Checks custom parameters (name -> value) and returns them as parameter-group entries. */
export function customParameters(subject: Subject, params: Readonly<Record<string, ParameterValue>> | undefined): DbParameter[] {
  if (params === undefined) return [];
  if (typeof params !== "object" || params === null || Array.isArray(params)) fail(subject, "parameters", params, "expected an object of parameter name -> value");
  return Object.entries(params).map(([name, given]) => {
    matches(subject, "parameters", name, PARAMETER_NAME, "PostgreSQL parameter names (lowercase letters, digits, \"_\" and \".\")");
    const spec = typeof given === "object" && given !== null ? given : { value: given, applyMethod: "immediate" as const };
    const value = String(spec.value);
    if (!["string", "number"].includes(typeof spec.value) || value.length === 0 || value.length > 4096) fail(subject, `parameters.${name}`, spec.value, "expected a non-empty string or number");
    oneOf(subject, `parameters.${name}.applyMethod`, spec.applyMethod, ["immediate", "pending-reboot"]);
    if (LOCKED[name] !== undefined && value !== LOCKED[name]) fail(subject, `parameters.${name}`, spec.value, `expected ${LOCKED[name]}: the module sets it for TLS in transit (G6)`);
    return { name, value, applyMethod: spec.applyMethod };
  });
}

/** The module's parameters with `custom` merged over them (a custom entry replaces the module's of the same name). */
export function postgresParameters(custom: readonly DbParameter[] = []): DbParameter[] {
  const base: DbParameter[] = [
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" }, // TLS in transit (G6)
    { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" }, // log statements slower than 1 s
  ];
  // A later entry of the same name wins: the module's, then the builder's extras, then the user's.
  const byName = new Map<string, DbParameter>();
  for (const p of [...base, ...custom]) {
    byName.delete(p.name);
    byName.set(p.name, p);
  }
  return [...byName.values()];
}

/** Enhanced monitoring settings of an instance or cluster instance, and what they must wait for. */
export function monitoring(c: Common): { monitoringInterval: number; monitoringRoleArn?: string; dependsOn?: ServiceRole["attachments"] } {
  if (!c.monitoringRole) return { monitoringInterval: 0 };
  // RDS checks the role's permissions when the instance is created: wait for the policy attachment.
  return { monitoringInterval: c.monitoringSeconds, monitoringRoleArn: c.monitoringRole.arn, dependsOn: c.monitoringRole.attachments };
}
