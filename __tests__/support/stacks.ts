/** Helpers for stack tests: synthesize a system for an environment, or for a modified copy of one. */
import { Testing, TerraformStack } from "cdktf";
import { buildApp } from "../../stacks";
import { environments, Environment, EnvironmentName } from "../../environments";
import type { Synthesized } from "./synth";

const cache = new Map<string, Synthesized>();

/** The stack main.ts builds for (system, env), synthesized once per test file. */
export function synthSystem(system: string, env: EnvironmentName): Synthesized {
  const key = `${system}-${env}`;
  let s = cache.get(key);
  if (!s) {
    const app = Testing.app();
    const [stack] = buildApp(app, { systems: [system], environments: [env] });
    const json = Testing.synth(stack);
    s = { json, parsed: JSON.parse(json) };
    cache.set(key, s);
  }
  return s;
}

/** Synthesizes a stack built by `create` in a fresh app. */
export function synthCustom(create: (app: ReturnType<typeof Testing.app>) => TerraformStack): Synthesized {
  const app = Testing.app();
  const json = Testing.synth(create(app));
  return { json, parsed: JSON.parse(json) };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge<T>(base: T, patch: DeepPartial<T>): T {
  if (typeof base !== "object" || base === null || Array.isArray(base)) return (patch as T) ?? base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    out[k] = v !== null && typeof v === "object" && !Array.isArray(v) ? merge((base as Record<string, unknown>)[k], v as never) : v;
  }
  return out as T;
}

/** A copy of an environment with some settings changed (deep merge). */
export function withSettings(env: EnvironmentName, patch: DeepPartial<Environment>): Environment {
  return merge(environments[env], patch);
}

/** Flattens JSON into leaf paths, for "what differs between two synth outputs". */
export function leaves(value: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) leaves(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, value);
  }
  return out;
}

/**
 * Where two synthesized stacks differ, as "<resource type>.<attribute>" (attribute paths without list indices),
 * "<resource type> (+)" / "(-)" for resources only one side has, and "<section>.<...>" outside resources.
 */
export function differences(a: Synthesized, b: Synthesized): string[] {
  const la = leaves(a.parsed);
  const lb = leaves(b.parsed);
  const found = new Set<string>();
  const label = (p: string, side: string | null) => {
    const parts = p.split(".");
    if (parts[0] === "//") return; // cdktf metadata
    if (parts[0] === "resource" || parts[0] === "data") {
      const [kind, type, id, ...rest] = parts;
      const inA = a.parsed[kind as "resource"]?.[type]?.[id] !== undefined;
      const inB = b.parsed[kind as "resource"]?.[type]?.[id] !== undefined;
      if (inA !== inB) {
        found.add(`${type} (${inA ? "-" : "+"})`);
        return;
      }
      const attr = rest.filter((r) => !/^\d+$/.test(r) && r !== "//").join(".");
      if (attr) found.add(`${type}.${attr}`);
      return;
    }
    found.add(parts.filter((r) => !/^\d+$/.test(r)).join(".") + (side ?? ""));
  };
  for (const [p, v] of la) if (!lb.has(p) || lb.get(p) !== v) label(p, null);
  for (const p of lb.keys()) if (!la.has(p)) label(p, null);
  return [...found].sort();
}

/** Index just past the string literal opening at `i` (a `"`), skipping escapes and `${...}` interpolations. */
function endOfString(body: string, i: number): number {
  let j = i + 1;
  while (j < body.length && body[j] !== '"') {
    if (body[j] === "\\") j += 2;
    else if (body.startsWith("$${", j)) j += 3; // HCL's escape for a literal "${"
    else if (body.startsWith("${", j)) j = endOfInterpolation(body, j + 2);
    else j++;
  }
  return j + 1;
}

/** Index just past the `}` closing an interpolation whose expression starts at `i`; its strings may hold quotes and braces. */
function endOfInterpolation(body: string, i: number): number {
  let j = i;
  let depth = 0;
  while (j < body.length) {
    const c = body[j];
    if (c === '"') {
      j = endOfString(body, j);
      continue;
    }
    if (c === "{") depth++;
    if (c === "}") {
      if (depth === 0) return j + 1;
      depth--;
    }
    j++;
  }
  return j;
}

/** A string literal as JSON: escapes outside interpolations decoded, interpolations kept exactly as written. */
function stringLiteralAsJson(literal: string): string {
  const inner = literal.slice(1, -1);
  let value = "";
  let plain = "";
  const flush = () => {
    value += JSON.parse(`"${plain}"`) as string;
    plain = "";
  };
  let j = 0;
  while (j < inner.length) {
    if (inner[j] === "\\") {
      plain += inner.slice(j, j + 2);
      j += 2;
    } else if (inner.startsWith("$${", j)) {
      plain += "$${";
      j += 3;
    } else if (inner.startsWith("${", j)) {
      flush();
      const end = endOfInterpolation(inner, j + 2);
      value += inner.slice(j, end);
      j = end;
    } else {
      plain += inner[j];
      j++;
    }
  }
  flush();
  return JSON.stringify(value);
}

/**
 * Reads a `${jsonencode(...)}` expression as cdktf renders it (HCL object syntax with bare references) back into
 * data: references become the string "<ref:address>", interpolations inside strings stay as written (quotes nested
 * in them included, e.g. `"${replace(x, ":cluster/", ":topic/")}/*"`).
 */
export function decodeJsonencode(expression: string): any {
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression.trim());
  if (!m) return JSON.parse(expression);
  let out = "";
  let i = 0;
  const body = m[1];
  while (i < body.length) {
    const c = body[i];
    if (c === '"') {
      const end = endOfString(body, i);
      out += stringLiteralAsJson(body.slice(i, end));
      i = end;
    } else if (body.startsWith(" = ", i)) {
      out += ": ";
      i += 3;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      let depth = 0;
      while (j < body.length && (depth > 0 || !/[,}\]\s]/.test(body[j]))) {
        if (body[j] === '"') {
          j = endOfString(body, j);
          continue;
        }
        if (body[j] === "[" || body[j] === "(") depth++;
        if (body[j] === "]" || body[j] === ")") depth--;
        j++;
      }
      const word = body.slice(i, j);
      out += word === "true" || word === "false" || word === "null" ? word : JSON.stringify(`<ref:${word}>`);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out);
}

/**
 * The stack main.ts builds for (system, env), synthesized in the enclosing describe's `beforeAll` rather than while
 * vitest collects the tests: a failing synth fails that block's tests instead of the whole file's collection.
 */
export function synthesizedInBeforeAll(system: string, env: EnvironmentName): Synthesized {
  const target = { json: "", parsed: {} } as Synthesized;
  beforeAll(() => {
    Object.assign(target, synthSystem(system, env));
  });
  return target;
}

/** An IAM statement as IAM writes it, read back from a synthesized policy. */
export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a policy document expression (jsonencode or JSON), with Action and Resource as lists. */
export function statementsOfPolicy(expression: string): IamStatement[] {
  const doc = decodeJsonencode(expression) as { Statement: Record<string, unknown>[] };
  const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
  return doc.Statement.map((st) => ({ ...st, Action: list(st.Action), Resource: list(st.Resource) }) as unknown as IamStatement);
}

/** The statements of every inline policy of the role named `roleName`. */
export function roleStatements(s: Synthesized, roleName: string): IamStatement[] {
  const roles = Object.entries((s.parsed.resource?.aws_iam_role ?? {}) as Record<string, { name?: string }>);
  const [id] = roles.find(([, r]) => r.name === roleName) ?? [];
  if (!id) throw new Error(`no role ${roleName}`);
  return Object.values((s.parsed.resource?.aws_iam_role_policy ?? {}) as Record<string, { role: string; policy: string }>)
    .filter((p) => String(p.role).includes(`aws_iam_role.${id}.`))
    .flatMap((p) => statementsOfPolicy(p.policy));
}

/** Every action the statements allow. */
export function allowedActions(statements: readonly IamStatement[]): string[] {
  return [...new Set(statements.filter((st) => st.Effect === "Allow").flatMap((st) => st.Action))].sort();
}

/** Every resource the statements name. */
export function namedResources(statements: readonly IamStatement[]): string[] {
  return [...new Set(statements.flatMap((st) => st.Resource))].sort();
}

/** The GitHub subjects (`repo:<org>/<repo>:ref:<ref>`) a trust policy accepts, and whether it is a web-identity trust. */
export function githubTrust(assumeRolePolicy: string): { webIdentity: boolean; subjects: string[] } {
  const [st] = statementsOfPolicy(assumeRolePolicy);
  const like = (st.Condition?.StringLike ?? {}) as Record<string, string | string[]>;
  const subjects = Object.entries(like).filter(([k]) => k.endsWith(":sub")).flatMap(([, v]) => (Array.isArray(v) ? v : [v]));
  return { webIdentity: st.Action.includes("sts:AssumeRoleWithWebIdentity"), subjects };
}

/** The service principals one statement names. */
export function principalServices(st: IamStatement): string[] {
  const service = (st.Principal as { Service?: string | string[] } | undefined)?.Service;
  return service === undefined ? [] : Array.isArray(service) ? service : [service];
}

/** The service principals a trust policy names. */
export function trustedServices(assumeRolePolicy: string): string[] {
  return statementsOfPolicy(assumeRolePolicy).flatMap(principalServices);
}

/** The Deny-non-TLS statement of a resource policy, if any: `aws:SecureTransport = false` denied. */
export function deniesInsecureTransport(policy: string): boolean {
  return statementsOfPolicy(policy).some((st) => st.Effect === "Deny" && (st.Condition?.Bool as Record<string, unknown> | undefined)?.["aws:SecureTransport"] === "false");
}
