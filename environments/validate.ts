/**
 * Checks an environment object once, when main.ts loads it. Messages name the file's setting path
 * (e.g. `environments/prod.ts: systems.alertingPlatform.vpcCidr`), the value and what is allowed.
 * Uses the same pure helpers as the modules (no cdktf here).
 */
import { fail } from "../modules/core/errors";
import { capacity, cidr, inRange, logRetentionDays, oneOf, region } from "../modules/core/validate";
import type { Environment, ServiceSizing, DatabaseSizing } from "./types";

export function checkServiceSizing(where: string, setting: string, s: ServiceSizing): void {
  inRange(where, `${setting}.cpu`, s.cpu, 128, 16384);
  inRange(where, `${setting}.memoryMiB`, s.memoryMiB, 128, 122880);
  capacity(where, { min: `${setting}.minCount`, desired: `${setting}.desiredCount`, max: `${setting}.maxCount` }, { min: s.minCount, desired: s.desiredCount, max: s.maxCount }, 0);
}

export function checkDatabaseSizing(where: string, setting: string, d: DatabaseSizing): void {
  if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(d.instanceClass)) fail(where, `${setting}.instanceClass`, d.instanceClass, "expected an RDS instance class such as \"db.t3.micro\"");
  inRange(where, `${setting}.allocatedStorageGiB`, d.allocatedStorageGiB, 20, 65536);
  inRange(where, `${setting}.maxAllocatedStorageGiB`, d.maxAllocatedStorageGiB, d.allocatedStorageGiB, 65536);
}

export function validateEnvironment(env: Environment): Environment {
  const where = `environments/${env.name}.ts`;
  region(where, "region", env.region);
  if (env.accountId !== undefined && !/^\d{12}$/.test(env.accountId)) fail(where, "accountId", env.accountId, "expected a 12-digit AWS account id");
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(env.backend.bucket)) fail(where, "backend.bucket", env.backend.bucket, "expected an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens");
  region(where, "backend.region", env.backend.region);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(env.imageTag)) fail(where, "imageTag", env.imageTag, "expected a Docker tag: letters, digits, _ . -, at most 128 characters");
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(env.githubOrg)) fail(where, "githubOrg", env.githubOrg, "expected a GitHub organisation name");
  inRange(where, "safety.backupRetentionDays", env.safety.backupRetentionDays, env.name === "prod" ? 7 : 1, 35);
  if (env.name === "prod") {
    // G8: prod keeps its guards; only dev and staging may trade them for cost.
    for (const guard of ["deletionProtection", "preventDestroy"] as const) {
      if (!env.safety[guard]) fail(where, `safety.${guard}`, env.safety[guard], "prod requires true (G8)");
    }
    if (env.safety.skipFinalSnapshot) fail(where, "safety.skipFinalSnapshot", true, "prod requires false: a destroyed prod database keeps a final snapshot (G8)");
    if (env.safety.forceDestroy) fail(where, "safety.forceDestroy", true, "prod requires false: prod buckets and repositories are never emptied by terraform destroy");
  }

  const ap = env.systems.alertingPlatform;
  const s = "systems.alertingPlatform";
  cidr(where, `${s}.vpcCidr`, ap.vpcCidr, 16, 24);
  inRange(where, `${s}.azCount`, ap.azCount, 2, 6);
  oneOf(where, `${s}.natGateways`, ap.natGateways, ["none", "single", "perAz"]);
  capacity(where, { min: `${s}.cluster.minInstances`, desired: `${s}.cluster.minInstances`, max: `${s}.cluster.maxInstances` }, { min: ap.cluster.minInstances, desired: ap.cluster.minInstances, max: ap.cluster.maxInstances }, 0);
  for (const [name, sizing] of Object.entries(ap.services)) checkServiceSizing(where, `${s}.services.${name}`, sizing);
  checkDatabaseSizing(where, `${s}.database`, ap.database);
  if (env.name === "prod" && !ap.database.multiAz) fail(where, `${s}.database.multiAz`, false, "prod requires a Multi-AZ database (G8, AP9)");
  inRange(where, `${s}.redis.snapshotRetentionDays`, ap.redis.snapshotRetentionDays, 0, 35);
  inRange(where, `${s}.kafka.partitions`, ap.kafka.partitions, 1, 1000);
  logRetentionDays(where, `${s}.logRetentionDays`, ap.logRetentionDays);
  return env;
}
