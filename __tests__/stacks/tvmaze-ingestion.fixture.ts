/** What the tvmaze-ingestion stack tests share: small readers of a synthesized stack and builders (tests in tvmaze-ingestion*.test.ts). */
import { TvmazeIngestionStack } from "../../stacks/tvmaze-ingestion";
import { EnvironmentName } from "../../environments";
import { addressOf, only, resources } from "../support/synth";
import { decodeJsonencode, synthCustom } from "../support/stacks";
import type { Environment } from "../../environments";
import type { Synthesized } from "../support/synth";

export const ENVS: EnvironmentName[] = ["dev", "staging", "prod"];
export const all = (s: Synthesized, type: string): any[] => Object.values(resources(s, type));
/** The only resource of a type, and the address of the only one whose id starts with a prefix. */
export const one = only;
export const address = addressOf;
export const ref = (s: Synthesized, type: string, prefix: string, attribute: string) => `\${${address(s, type, prefix)}.${attribute}}`;
export const container = (s: Synthesized): any => decodeJsonencode(one(s, "aws_ecs_task_definition").container_definitions)[0];
export const policy = (s: Synthesized, rolePrefix: string): any => {
  const entry = Object.entries(resources(s, "aws_iam_role_policy")).find(([id]) => id.startsWith(rolePrefix));
  if (!entry) throw new Error(`no role policy ${rolePrefix}*`);
  return decodeJsonencode(entry[1].policy);
};
export const privateSubnets = (s: Synthesized) => Object.entries(resources(s, "aws_subnet")).filter(([, x]) => x.tags?.Tier === "private").map(([id]) => `\${aws_subnet.${id}.id}`).sort();
export const databaseSubnets = (s: Synthesized) => Object.entries(resources(s, "aws_subnet")).filter(([, x]) => x.tags?.Tier === "database").map(([id]) => `\${aws_subnet.${id}.id}`).sort();
export const ingressInto = (s: Synthesized, sgPrefix: string) => all(s, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === ref(s, "aws_security_group", sgPrefix, "id"));
export const stack = (environment: Environment) => synthCustom((app) => new TvmazeIngestionStack(app, { environment }));
export const build = (environment: Environment) => () => stack(environment);
export const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd";
