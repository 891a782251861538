/**
 * Checks an environment object once, when main.ts loads it. Messages name the file's setting path
 * (e.g. `environments/prod.ts: systems.alertingPlatform.vpcCidr`), the value and what is allowed.
 * Uses the same pure helpers as the modules (no cdktf here).
 */
import { fail } from "../modules/core/errors";
import { capacity, cidr, inRange, logRetentionDays, oneOf, region } from "../modules/core/validate";
import type { DatabaseChoice, DatabaseSizing, EksSizing, Environment, NatGateways, ServiceSizing } from "./types";
import { environmentSchema } from "./schema";
import { checkShape } from "./shape";
import { checkSystem } from "./system-checks";

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

function checkNetwork(where: string, s: string, n: { vpcCidr: string; azCount: number; natGateways: NatGateways }): void {
  cidr(where, `${s}.vpcCidr`, n.vpcCidr, 16, 23);
  inRange(where, `${s}.azCount`, n.azCount, 2, 6);
  oneOf(where, `${s}.natGateways`, n.natGateways, ["none", "single", "perAz"]);
}

function checkDatabaseChoice(where: string, s: string, d: DatabaseChoice, prod: boolean): void {
  if (d.kind === "instance") {
    checkDatabaseSizing(where, s, d);
    if (prod && !d.multiAz) fail(where, `${s}.multiAz`, false, "prod requires a Multi-AZ database (G8)");
    return;
  }
  if (prod && d.instances < 2) fail(where, `${s}.instances`, d.instances, "prod requires a writer and a reader in another AZ (G8): at least 2");
}

function checkEks(where: string, s: string, e: EksSizing): void {
  capacity(where, { min: `${s}.minSize`, desired: `${s}.desiredSize`, max: `${s}.maxSize` }, { min: e.minSize, desired: e.desiredSize, max: e.maxSize }, 0);
}

function checkEmails(where: string, s: string, emails: readonly string[]): void {
  emails.forEach((e, i) => {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) fail(where, `${s}[${i}]`, e, "expected an e-mail address");
  });
}

/**
 * Checks the shape (schema: unknown keys, types) and then the values of an environment; returns it unchanged.
 * `file` names the source in messages; by default `environments/<name>.ts`.
 */
export function validateEnvironment(env: Environment, file?: string): Environment {
  const where = file ?? `environments/${typeof env?.name === "string" ? env.name : "<unknown>"}.ts`;
  checkShape(where, environmentSchema, env);
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
  cidr(where, `${s}.vpcCidr`, ap.vpcCidr, 16, 23);
  inRange(where, `${s}.azCount`, ap.azCount, 2, 6);
  oneOf(where, `${s}.natGateways`, ap.natGateways, ["none", "single", "perAz"]);
  capacity(where, { min: `${s}.cluster.minInstances`, desired: `${s}.cluster.minInstances`, max: `${s}.cluster.maxInstances` }, { min: ap.cluster.minInstances, desired: ap.cluster.minInstances, max: ap.cluster.maxInstances }, 0);
  for (const [name, sizing] of Object.entries(ap.services)) checkServiceSizing(where, `${s}.services.${name}`, sizing);
  checkDatabaseSizing(where, `${s}.database`, ap.database);
  if (env.name === "prod" && !ap.database.multiAz) fail(where, `${s}.database.multiAz`, false, "prod requires a Multi-AZ database (G8, AP9)");
  inRange(where, `${s}.redis.snapshotRetentionDays`, ap.redis.snapshotRetentionDays, 0, 35);
  inRange(where, `${s}.kafka.partitions`, ap.kafka.partitions, 1, 1000);
  logRetentionDays(where, `${s}.logRetentionDays`, ap.logRetentionDays);

  const prod = env.name === "prod";
  if (prod) {
    // G6: prod load balancers serve HTTPS (and redirect HTTP); a certificate is part of prod's definition.
    const withAlb = { alertingPlatform: ap.certificateArn, dotnetApi: env.systems.dotnetApi.certificateArn, chatApp: env.systems.chatApp.certificateArn, tvmazeIngestion: env.systems.tvmazeIngestion.certificateArn };
    for (const [system, arn] of Object.entries(withAlb)) {
      if (!arn || !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(arn)) {
        fail(where, `systems.${system}.certificateArn`, arn, "prod requires an ACM certificate ARN so the load balancer serves HTTPS (G6)");
      }
    }
  }
  const da = env.systems.dotnetApi;
  checkNetwork(where, "systems.dotnetApi", da);
  checkServiceSizing(where, "systems.dotnetApi.api", da.api);
  checkDatabaseChoice(where, "systems.dotnetApi.database", da.database, prod);
  if (prod && !da.redis.multiAz) fail(where, "systems.dotnetApi.redis.multiAz", false, "prod requires Multi-AZ automatic failover (DA2)");
  checkEmails(where, "systems.dotnetApi.alarmEmails", da.alarmEmails);
  logRetentionDays(where, "systems.dotnetApi.logRetentionDays", da.logRetentionDays);

  const ca = env.systems.chatApp;
  checkNetwork(where, "systems.chatApp", ca);
  oneOf(where, "systems.chatApp.compute", ca.compute, ["ecs", "eks"]);
  for (const [name, sizing] of Object.entries(ca.services)) checkServiceSizing(where, `systems.chatApp.services.${name}`, sizing);
  checkEks(where, "systems.chatApp.eks", ca.eks);
  checkDatabaseSizing(where, "systems.chatApp.database", ca.database);
  if (prod && !ca.database.multiAz) fail(where, "systems.chatApp.database.multiAz", false, "prod requires a Multi-AZ database (CA2, G8)");
  if (ca.tracingSampleRate < 0 || ca.tracingSampleRate > 1) fail(where, "systems.chatApp.tracingSampleRate", ca.tracingSampleRate, "expected a rate from 0 to 1");
  checkEmails(where, "systems.chatApp.alarmEmails", ca.alarmEmails);
  logRetentionDays(where, "systems.chatApp.logRetentionDays", ca.logRetentionDays);

  const tv = env.systems.tvmazeIngestion;
  checkNetwork(where, "systems.tvmazeIngestion", tv);
  checkServiceSizing(where, "systems.tvmazeIngestion.service", tv.service);
  checkDatabaseSizing(where, "systems.tvmazeIngestion.database", tv.database);
  if (prod && !tv.database.multiAz) fail(where, "systems.tvmazeIngestion.database.multiAz", false, "prod requires a Multi-AZ database (TV3, G8)");
  inRange(where, "systems.tvmazeIngestion.secretRotationDays", tv.secretRotationDays, 1, 365);
  if (tv.tracingSampleRate < 0 || tv.tracingSampleRate > 1) fail(where, "systems.tvmazeIngestion.tracingSampleRate", tv.tracingSampleRate, "expected a rate from 0 to 1");
  checkEmails(where, "systems.tvmazeIngestion.alarmEmails", tv.alarmEmails);
  logRetentionDays(where, "systems.tvmazeIngestion.logRetentionDays", tv.logRetentionDays);

  const up = env.systems.uploadPipeline;
  checkNetwork(where, "systems.uploadPipeline", up);
  checkEks(where, "systems.uploadPipeline.eks", up.eks);
  checkDatabaseSizing(where, "systems.uploadPipeline.database", up.database);
  if (prod && !up.database.multiAz) fail(where, "systems.uploadPipeline.database.multiAz", false, "prod requires a Multi-AZ database (UP6, G8)");
  if (up.replicaRegion !== undefined) region(where, "systems.uploadPipeline.replicaRegion", up.replicaRegion);
  if (tv.replicaRegion !== undefined) region(where, "systems.tvmazeIngestion.replicaRegion", tv.replicaRegion);
  const attachmentsReplica = env.systems.chatApp.attachmentsReplicaRegion;
  if (attachmentsReplica !== undefined) region(where, "systems.chatApp.attachmentsReplicaRegion", attachmentsReplica);
  if (env.replicaAccessLogs) {
    region(where, "replicaAccessLogs.region", env.replicaAccessLogs.region);
    if (env.replicaAccessLogs.region === env.region) fail(where, "replicaAccessLogs.region", env.replicaAccessLogs.region, `expected the disaster-recovery region, not the environment's own (${env.region}): accessLogsBucket serves that`);
  }
  for (const system of Object.keys(env.systems) as (keyof Environment["systems"])[]) checkSystem(system, env, where);
  logRetentionDays(where, "systems.uploadPipeline.logRetentionDays", up.logRetentionDays);
  return env;
}
