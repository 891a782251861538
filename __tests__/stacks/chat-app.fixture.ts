/**
 * What the chat-app stack tests share: small readers of a synthesized stack and each environment's case (its stack,
 * synthesized once in a beforeAll, and the settings the assertions depend on).
 */
import type { App } from "cdktf";
import { ChatAppStack } from "../../stacks/chat-app";
import { Environment, EnvironmentName, environments } from "../../environments";
import { resources } from "../support/synth";
import { decodeJsonencode, synthCustom, synthesizedInBeforeAll } from "../support/stacks";
import type { Synthesized } from "../support/synth";

export const ENVS: EnvironmentName[] = ["dev", "staging", "prod"];
export const all = (s: Synthesized, type: string): any[] => Object.values(resources(s, type));
export const synthEnv = (environment: Environment): Synthesized => synthCustom((app: App) => new ChatAppStack(app, { environment }));
export const containers = (s: Synthesized, service: string): any[] => {
  const td = all(s, "aws_ecs_task_definition").find((t) => t.family === `chat-app-dev-${service}` || t.family.endsWith(`-${service}`));
  if (!td) throw new Error(`no task definition for ${service}`);
  return decodeJsonencode(td.container_definitions);
};
export const ingress = (s: Synthesized): any[] => all(s, "aws_vpc_security_group_ingress_rule");
/** The logical id of the only resource of a type (that `where` accepts). */
export const idOf = (s: Synthesized, type: string, where: (r: any) => boolean = () => true): string => {
  const ids = Object.entries(resources(s, type)).filter(([, r]) => where(r)).map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
};
/** The us-east-1 provider's reference; what CloudFront needs (its web ACL, the attachments replica) is built there. */
export const EDGE = "aws.us_east_1";
export const atEdge = (r: any): boolean => r.provider === EDGE;
export const inRegion = (r: any): boolean => r.provider === undefined;

/** One environment's case; call it inside that environment's describe (it registers the synth's beforeAll). */
export function chatAppCase(env: EnvironmentName) {
  const s = synthesizedInBeforeAll("chat-app", env);
  const cfg = environments[env].systems.chatApp;
  const prefix = `chat-app-${env}`;
  const ecs = cfg.compute === "ecs";
  // The attachments replica: in us-east-1 by default, in the DR region (provider alias "replica") when the environment says.
  const replicaProvider = cfg.attachmentsReplicaRegion ? "aws.replica" : EDGE;
  const atReplica = (r: any): boolean => r.provider === replicaProvider;
  return { s, cfg, prefix, ecs, replicaProvider, atReplica };
}
