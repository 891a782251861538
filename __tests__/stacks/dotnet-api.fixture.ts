/** What the dotnet-api stack tests share: small readers of a synthesized stack and builders (tests in dotnet-api*.test.ts). */
import { DotnetApiStack } from "../../stacks/dotnet-api";
import { EnvironmentName } from "../../environments";
import { resources } from "../support/synth";
import { decodeJsonencode, synthCustom } from "../support/stacks";
import type { Environment } from "../../environments";
import type { Synthesized } from "../support/synth";

export const ENVS: EnvironmentName[] = ["dev", "staging", "prod"];
export const all = (s: Synthesized, type: string): any[] => Object.values(resources(s, type));
export const one = (s: Synthesized, type: string): any => {
  const found = all(s, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};
/** The logical id of the only resource of a type whose id starts with `prefix`, as a Terraform address. */
export const address = (s: Synthesized, type: string, prefix: string): string => {
  const ids = Object.keys(resources(s, type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${ids.length}`);
  return `${type}.${ids[0]}`;
};
export const container = (s: Synthesized): any => decodeJsonencode(one(s, "aws_ecs_task_definition").container_definitions)[0];
/** decodeJsonencode stops at quotes nested in a template ("${replace(x, ":a", ":b")}"): single-quote those first. */
export const unnestQuotes = (expression: string) => expression.replace(/\$\{([^{}]*)\}/g, (_, inner: string) => `\${${inner.replace(/"/g, "'")}}`);
export const policy = (s: Synthesized, rolePrefix: string): any => {
  const entry = Object.entries(resources(s, "aws_iam_role_policy")).find(([id]) => id.startsWith(rolePrefix));
  if (!entry) throw new Error(`no role policy ${rolePrefix}*`);
  return decodeJsonencode(unnestQuotes(entry[1].policy));
};
export const stack = (environment: Environment) => synthCustom((app) => new DotnetApiStack(app, { environment }));
export const build = (environment: Environment) => () => stack(environment);
