/** What the dotnet-api stack tests share: small readers of a synthesized stack and builders (tests in dotnet-api*.test.ts). */
import { DotnetApiStack } from "../../stacks/dotnet-api";
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
