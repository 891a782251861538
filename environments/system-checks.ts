/**
 * Checks of one system's settings that only make sense together, run when main.ts loads an environment and again
 * by the system's stack (so a stack built from a hand-made environment object refuses the same things). Messages
 * name the environment file's setting path.
 */
import { fail } from "../modules/core/errors";
import type { Environment } from "./types";

type SystemKey = keyof Environment["systems"];

/**
 * CA10: three AZs. On EKS the ingress controller creates the ALB: blue/green is an ECS (CodeDeploy) feature, and
 * Shield Advanced is switched on by the ingress annotation `alb.ingress.kubernetes.io/shield-advanced-protection`.
 */
function checkChatApp(env: Environment, where: string): void {
  const cfg = env.systems.chatApp;
  if (cfg.azCount < 3) {
    fail(where, "systems.chatApp.azCount", cfg.azCount, "expected at least 3 (CA10): MSK's three brokers and the Redis Cluster's primaries each need their own AZ");
  }
  if (cfg.compute === "eks" && cfg.blueGreen) {
    fail(where, "systems.chatApp.blueGreen", true, "blue/green (CodeDeploy) applies to compute \"ecs\" only; set false with compute \"eks\" (use Argo Rollouts in the cluster)");
  }
  if (cfg.cdn.aliases.length > 0 && cfg.cdn.certificateArn === undefined) {
    fail(where, "systems.chatApp.cdn.aliases", cfg.cdn.aliases, "custom domain names need systems.chatApp.cdn.certificateArn, an ACM certificate in us-east-1 covering them");
  }
  if (cfg.compute === "eks" && cfg.shieldAdvanced) {
    fail(where, "systems.chatApp.shieldAdvanced", true, "with compute \"eks\" the ingress controller owns the ALB; set false and use the ingress annotation alb.ingress.kubernetes.io/shield-advanced-protection");
  }
  checkReplicaRegion(env, where, "systems.chatApp.attachmentsReplicaRegion", cfg.attachmentsReplicaRegion);
}

/** A replica in the stack's own region would survive nothing the source bucket does not (UP9, TV5, CA5). */
function checkReplicaRegion(env: Environment, where: string, setting: string, replicaRegion: string | undefined): void {
  if (replicaRegion !== undefined && replicaRegion === env.region) {
    fail(where, setting, replicaRegion, `expected a region other than the stack's own (${env.region}): replication is for disaster recovery`);
  }
}

function checkUploadPipeline(env: Environment, where: string): void {
  checkReplicaRegion(env, where, "systems.uploadPipeline.replicaRegion", env.systems.uploadPipeline.replicaRegion);
}

function checkTvmazeIngestion(env: Environment, where: string): void {
  checkReplicaRegion(env, where, "systems.tvmazeIngestion.replicaRegion", env.systems.tvmazeIngestion.replicaRegion);
}

const CHECKS: Partial<Record<SystemKey, (env: Environment, where: string) => void>> = {
  chatApp: checkChatApp,
  uploadPipeline: checkUploadPipeline,
  tvmazeIngestion: checkTvmazeIngestion,
};

/** Runs the checks of one system (by its key in `systems`, e.g. "chatApp"). */
export function checkSystem(system: SystemKey, env: Environment, where = `environments/${env.name}.ts`): void {
  CHECKS[system]?.(env, where);
}

/** The key of a system under `systems`: "chat-app" -> "chatApp". */
export function systemKey(system: string): SystemKey {
  return system.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as SystemKey;
}

/** ASP.NET Core's name for an environment (DA1). */
export function aspnetEnvironmentName(env: Environment): "Production" | "Staging" | "Development" {
  return env.name === "prod" ? "Production" : env.name === "staging" ? "Staging" : "Development";
}
