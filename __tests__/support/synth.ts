import type { IGrantee, PolicyStatement } from "../../modules/core";
/** Small helpers over cdktf's Testing API so module tests read as specifications. */
import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

export interface Synthesized {
  /** The raw JSON string, for cdktf's matchers. */
  readonly json: string;
  /** Parsed, for direct assertions. */
  readonly parsed: { resource?: Record<string, Record<string, any>>; data?: Record<string, Record<string, any>>; output?: Record<string, any>; terraform?: any; provider?: any };
}

/** A stack named "test" with an AWS provider; `build` adds constructs to it. */
export function synthWith(build: (scope: Construct) => void): Synthesized {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  build(stack);
  const json = Testing.synth(stack);
  return { json, parsed: JSON.parse(json) };
}

/** All resources of one type: { logicalId: config }. */
export function resources(s: Synthesized, type: string): Record<string, any> {
  return s.parsed.resource?.[type] ?? {};
}

/** The only resource of a type; fails the test when there is not exactly one. */
export function only(s: Synthesized, type: string): any {
  const all = Object.values(resources(s, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The Terraform address (`<type>.<id>`) of the only resource of a type whose logical id starts with `prefix`. */
export function addressOf(s: Synthesized, type: string, prefix: string): string {
  const ids = Object.keys(resources(s, type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${ids.length}`);
  return `${type}.${ids[0]}`;
}

/** Synthesizes a whole stack object. */
export function synthStack(stack: TerraformStack): Synthesized {
  const json = Testing.synth(stack);
  return { json, parsed: JSON.parse(json) };
}

/** A grantee that records what it is granted (for asserting grant* methods without a role). */
export interface RecordingGrantee extends IGrantee {
  readonly statements: PolicyStatement[];
}

export function grantee(name = "test-role"): RecordingGrantee {
  const statements: PolicyStatement[] = [];
  return {
    roleName: name,
    roleArn: `arn:aws:iam::123456789012:role/${name}`,
    statements,
    addToPolicy: (...added) => void statements.push(...added),
  };
}
