/** Shared preamble of the upload-pipeline stack tests (upload-pipeline*.test.ts): environments, synth and lookup helpers. */
import { App } from "cdktf";
import { UploadPipelineStack } from "../../stacks/upload-pipeline";
import { Environment, EnvironmentName } from "../../environments";
import { resources } from "../support/synth";
import { decodeJsonencode, synthCustom } from "../support/stacks";
import type { Synthesized } from "../support/synth";

export const ENVS: EnvironmentName[] = ["dev", "staging", "prod"];
export const all = (s: Synthesized, type: string): any[] => Object.values(resources(s, type));
export const synthEnv = (environment: Environment): Synthesized => synthCustom((app: App) => new UploadPipelineStack(app, { environment }));
/** The logical id of the resource of `type` matching `where`. */
export const idWhere = (s: Synthesized, type: string, where: (r: any) => boolean): string => {
  const found = Object.entries(resources(s, type)).filter(([, r]) => where(r));
  if (found.length !== 1) throw new Error(`expected one matching ${type}, found ${found.length}`);
  return found[0][0];
};
export const ref = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;
/** The decoded inline policy statements of the role named `name`. */
export const statementsOf = (s: Synthesized, name: string): any[] => {
  const roleId = idWhere(s, "aws_iam_role", (r) => r.name === name);
  return all(s, "aws_iam_role_policy")
    .filter((p) => String(p.role).includes(`aws_iam_role.${roleId}.`))
    .flatMap((p) => decodeJsonencode(p.policy).Statement);
};
export const actionsOn = (statements: any[], resource: string): string[] =>
  statements.filter((st) => st.Resource.some((r: string) => r.includes(resource))).flatMap((st) => st.Action).sort();
