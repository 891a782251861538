#!/usr/bin/env node
// @ts-check
/**
 * npm run placeholders -- [dev|staging|prod|bootstrap ...]     (default: all of them)
 *
 * Lists the example values still present in an environment, which a real deployment must replace first
 * (README "Before your first real deploy"): a missing `accountId`, the default state bucket name (S3 names are
 * global: someone else may own it), the `example-org` GitHub owner, ACM certificate ARNs of the documentation
 * account 123456789012, and example.com domains. Exits 1 while any remain, so that `npm run deploy` (and CI) can
 * refuse a real, non-emulator deploy. The environments are read through environments/index.ts.
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The state bucket name this repository ships with. */
export const DEFAULT_STATE_BUCKET = "platform-terraform-state-eu-west-1";
/** The account id AWS documentation uses in example ARNs. */
export const EXAMPLE_ACCOUNT = "123456789012";
export const EXAMPLE_OWNER = "example-org";

/** @typedef {{ setting: string, value: string, why: string }} Placeholder */

/**
 * Every string in `value` (depth first) with its dotted path.
 * @param {unknown} value
 * @param {string} path
 * @returns {{ path: string, text: string }[]}
 */
function strings(value, path) {
  if (typeof value === "string") return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

/**
 * The placeholders of one environment object (dev/staging/prod) or of the bootstrap settings.
 * @param {Record<string, unknown>} env
 * @returns {Placeholder[]}
 */
export function findPlaceholders(env) {
  /** @type {Placeholder[]} */
  const found = [];
  if (typeof env.accountId !== "string" || !/^\d{12}$/.test(env.accountId)) {
    found.push({ setting: "accountId", value: String(env.accountId ?? "(not set)"), why: "set the 12-digit AWS account id: the provider then refuses any other account" });
  }
  for (const { path, text } of strings(env, "")) {
    if (path === "accountId") continue;
    if (path === "backend.bucket" && text === DEFAULT_STATE_BUCKET) {
      found.push({ setting: path, value: text, why: "the repository's default state bucket name; S3 names are global, choose your own (environments/bootstrap.ts stateBackend)" });
    } else if (text.includes(`:${EXAMPLE_ACCOUNT}:`)) {
      found.push({ setting: path, value: text, why: `an example ARN of account ${EXAMPLE_ACCOUNT}; use your ACM certificate's ARN` });
    } else if (text === EXAMPLE_OWNER || text.startsWith(`${EXAMPLE_OWNER}/`)) {
      found.push({ setting: path, value: text, why: "the example GitHub owner; set your organisation (deploy roles trust only its repositories)" });
    } else if (/(^|[./])example\.(com|org)\b/.test(text)) {
      found.push({ setting: path, value: text, why: "an example domain; use your own" });
    }
  }
  return found;
}

/**
 * The environment a stack deploys with: "bootstrap" for bootstrap, else the `-<env>` suffix.
 * @param {string} stack
 * @returns {string}
 */
export function environmentOf(stack) {
  if (stack === "bootstrap") return "bootstrap";
  const m = /-(dev|staging|prod)$/.exec(stack);
  if (!m) throw new Error(`"${stack}" is not a stack name: expected <system>-<dev|staging|prod> or bootstrap`);
  return m[1];
}

/**
 * Loads environments/index.ts (TypeScript) and returns the named environment objects.
 * @param {readonly string[]} names
 * @returns {Promise<Record<string, Record<string, unknown>>>}
 */
export async function loadEnvironments(names) {
  // Bundled by esbuild (as scripts/app.mjs does for main.ts): plain data, no type-checking needed to read it.
  const { buildSync } = await import("esbuild");
  const out = join(root, ".cache", "placeholders", "environments.cjs");
  mkdirSync(dirname(out), { recursive: true });
  buildSync({ entryPoints: [join(root, "environments", "index.ts")], bundle: true, platform: "node", format: "cjs", packages: "external", outfile: out, logLevel: "warning" });
  const require = createRequire(import.meta.url);
  delete require.cache[out];
  /** @type {{ environments: Record<string, Record<string, unknown>>, bootstrap: Record<string, unknown> }} */
  const mod = require(out);
  /** @type {Record<string, Record<string, unknown>>} */
  const all = { ...mod.environments, bootstrap: mod.bootstrap };
  for (const n of names) if (!all[n]) throw new Error(`unknown environment "${n}": expected one of ${Object.keys(all).join(", ")}`);
  return Object.fromEntries((names.length ? names : Object.keys(all)).map((n) => [n, all[n]]));
}

/**
 * Human-readable report; returns the number of placeholders.
 * @param {Record<string, Record<string, unknown>>} envs
 * @param {(line: string) => void} print
 */
export function report(envs, print) {
  let total = 0;
  for (const [name, env] of Object.entries(envs)) {
    const found = findPlaceholders(env);
    total += found.length;
    const file = name === "bootstrap" ? "environments/bootstrap.ts" : `environments/${name}.ts`;
    print(found.length ? `${name} (${file}): ${found.length} placeholder(s)` : `${name} (${file}): none`);
    for (const p of found) print(`  ${p.setting} = ${p.value}\n    ${p.why}`);
  }
  return total;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const envs = await loadEnvironments(process.argv.slice(2));
  const total = report(envs, (l) => console.log(l));
  console.log(total ? `\n${total} placeholder(s) left: a real deploy (npm run deploy -- <stack> --aws) refuses until they are replaced.` : "\nNo placeholders left.");
  process.exitCode = total ? 1 : 0;
}
