#!/usr/bin/env node
// @ts-check
/**
 * IAM oracles nobody here wrote: cloudsplaining over the account's IAM read back from the emulator
 * (GetAccountAuthorizationDetails), and parliament over every policy document the applied stacks hold in their
 * state. Both are pinned in policy/iam-audit-requirements.txt and installed once into .cache/iam-audit-venv
 * (progress shown). Accepted findings, each with its reason: policy/iam-exceptions.json.
 *
 *   node scripts/iam-audit.mjs install           install the venv (scripts/test.mjs does this before the emulator tier)
 *
 * Importable: ensureIamAudit, fetchAuthorizationDetails, cloudsplaining, parliament, and the pure helpers
 * policyDocuments, roleNames, parliamentErrors, unexcepted, countBy, mergeDetails (unit-tested).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand } from "./run.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const requirementsFile = join(root, "policy", "iam-audit-requirements.txt");
export const exceptionsFile = join(root, "policy", "iam-exceptions.json");
const script = join(root, "policy", "iam_audit.py");
const venv = join(root, ".cache", "iam-audit-venv");
const venvPython = join(venv, "bin", "python");

/**
 * @typedef {{ [key: string]: unknown }} Json
 * @typedef {{ source: string, document: Json }} PolicyDocument
 * @typedef {{ source: string, issue: string, severity: string, group: string, detail: unknown }} ParliamentFinding
 * @typedef {{ policy: string, roles: string[], group: string, type: string, action: string }} CloudsplainingFinding
 * @typedef {{ type?: string, issue?: string, action?: string, policy?: string, source?: string, reason: string }} IamException
 */

/**
 * The venv's python with policy/iam-audit-requirements.txt installed (once; rebuilt when the file changes).
 * @param {{ log?: (m: string) => void }} [options]
 * @returns {string}
 */
export function ensureIamAudit({ log = (m) => console.error(m) } = {}) {
  const wanted = createHash("sha256").update(readFileSync(requirementsFile)).digest("hex");
  const marker = join(venv, ".installed");
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === wanted && existsSync(venvPython)) return venvPython;
  const python = ["python3", "python"].find((p) => spawnSync(p, ["--version"]).status === 0);
  if (!python) throw new Error("parliament and cloudsplaining need python3 to install into .cache/iam-audit-venv");
  log("installing parliament and cloudsplaining (policy/iam-audit-requirements.txt) into .cache/iam-audit-venv (once; later runs reuse it)");
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(dirname(venv), { recursive: true });
  for (const [cmd, args] of /** @type {[string, string[]][]} */ ([
    [python, ["-m", "venv", venv]],
    [venvPython, ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on", "-r", requirementsFile]],
  ])) {
    const r = spawnSync(cmd, args, { stdio: ["ignore", process.stderr, process.stderr] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status})`);
  }
  writeFileSync(marker, `${wanted}\n`);
  return venvPython;
}

/** @returns {{ cloudsplaining: IamException[], parliament: IamException[] }} */
export function readExceptions() {
  return JSON.parse(readFileSync(exceptionsFile, "utf8"));
}

/**
 * Runs one subcommand of policy/iam_audit.py with a JSON input; resolves to its JSON output.
 * @param {string} command
 * @param {unknown} input
 * @param {string[]} [extra] arguments before the input file
 */
async function audit(command, input, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), "iam-audit-"));
  try {
    const inFile = join(dir, "in.json");
    const outFile = join(dir, "out.json");
    writeFileSync(inFile, JSON.stringify(input));
    const r = await runCommand(ensureIamAudit(), [script, command, ...extra, inFile, outFile], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
    if (r.status !== 0) throw new Error(`iam_audit.py ${command} exited ${r.status}: ${r.stderr.slice(-2000)}`);
    return JSON.parse(readFileSync(outFile, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * GetAccountAuthorizationDetails through the emulator, kept to the given roles and the policies attached to them.
 * @param {string} endpoint
 * @param {string[]} roles
 * @returns {Promise<Json>}
 */
export function fetchAuthorizationDetails(endpoint, roles) {
  return audit("fetch", roles, [endpoint]);
}

/**
 * @param {Json} details account authorization details (the AWS CLI's JSON shape)
 * @returns {Promise<CloudsplainingFinding[]>}
 */
export function cloudsplaining(details) {
  return audit("cloudsplaining", details);
}

/**
 * @param {PolicyDocument[]} documents
 * @returns {Promise<ParliamentFinding[]>}
 */
export function parliament(documents) {
  return audit("parliament", documents);
}

// ---- pure helpers ---------------------------------------------------------------------------------------------

/**
 * Attributes of a state resource that hold a policy document parliament can judge (JSON text): identity and
 * resource policies. Trust policies (`assume_role_policy`) are not among them: they have no Resource by design,
 * which parliament, an identity-policy linter, reports as MALFORMED (and their federated principals as
 * UNKNOWN_FEDERATION_SOURCE).
 */
const POLICY_ATTRIBUTES = ["policy"];

/**
 * @param {unknown} text
 * @returns {Json | undefined}
 */
function asPolicy(text) {
  if (typeof text !== "string" || !text.trim().startsWith("{")) return undefined;
  try {
    const doc = JSON.parse(text);
    return doc && typeof doc === "object" && "Statement" in doc ? doc : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {Json} state a `terraform state pull` document
 * @returns {{ address: string, type: string, attributes: Json }[]}
 */
function managedInstances(state) {
  const resources = /** @type {Json[]} */ (state.resources ?? []);
  return resources
    .filter((r) => r.mode === "managed")
    .flatMap((r) =>
      /** @type {Json[]} */ (r.instances ?? []).map((i, n, all) => ({
        address: `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}${all.length > 1 ? `[${JSON.stringify(i.index_key ?? n)}]` : ""}`,
        type: String(r.type),
        attributes: /** @type {Json} */ (i.attributes ?? {}),
      })),
    );
}

/**
 * Every identity and resource policy document a state holds in a managed resource, once each.
 * @param {Json} state
 * @param {string} stack prefix of each document's source
 * @returns {PolicyDocument[]}
 */
export function policyDocuments(state, stack) {
  const seen = new Set();
  /** @type {PolicyDocument[]} */
  const out = [];
  for (const { address, attributes } of managedInstances(state)) {
    for (const name of POLICY_ATTRIBUTES) {
      const document = asPolicy(attributes[name]);
      if (!document) continue;
      const key = JSON.stringify(document);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ source: `${stack} ${address}.${name}`, document });
    }
  }
  return out;
}

/**
 * Names of the IAM roles a state created.
 * @param {Json} state
 * @returns {string[]}
 */
export function roleNames(state) {
  return managedInstances(state)
    .filter((i) => i.type === "aws_iam_role")
    .map((i) => String(i.attributes.name ?? ""))
    .filter(Boolean);
}

/**
 * Account authorization details of several stacks as one account (roles and policies once each).
 * @param {Json[]} parts
 * @returns {Json}
 */
export function mergeDetails(parts) {
  /** @type {Record<string, Map<string, Json>>} */
  const lists = { UserDetailList: new Map(), GroupDetailList: new Map(), RoleDetailList: new Map(), Policies: new Map() };
  for (const part of parts) {
    for (const [key, map] of Object.entries(lists)) {
      for (const item of /** @type {Json[]} */ (part[key] ?? [])) map.set(String(item.Arn ?? item.RoleName ?? JSON.stringify(item)), item);
    }
  }
  return Object.fromEntries(Object.entries(lists).map(([k, m]) => [k, [...m.values()]]));
}

/**
 * parliament's errors: invalid or malformed documents (unknown actions or prefixes, resources that match no
 * resource type of the action, bad ARNs, ...) and anything it rates HIGH or CRITICAL.
 * @param {ParliamentFinding[]} findings
 */
export function parliamentErrors(findings) {
  return findings.filter((f) => f.group === "INVALID" || f.group === "MALFORMED" || f.severity === "HIGH" || f.severity === "CRITICAL");
}

/**
 * The findings no exception covers. An exception matches when each field it names (type or issue, action,
 * policy, source) equals the finding's (policy and source: the finding's contains it).
 * @template {CloudsplainingFinding | ParliamentFinding} F
 * @param {F[]} findings
 * @param {IamException[]} exceptions
 * @returns {F[]}
 */
export function unexcepted(findings, exceptions) {
  /** @param {F} f @param {IamException} e */
  const matches = (f, e) => {
    const g = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (f));
    if (e.type !== undefined && g.type !== e.type) return false;
    if (e.issue !== undefined && g.issue !== e.issue) return false;
    if (e.action !== undefined && g.action !== e.action) return false;
    if (e.policy !== undefined && !String(g.policy ?? "").includes(e.policy)) return false;
    if (e.source !== undefined && !String(g.source ?? "").includes(e.source)) return false;
    return true;
  };
  return findings.filter((f) => !exceptions.some((e) => matches(f, e)));
}

/**
 * Counts per value of a key, sorted by key.
 * @param {Record<string, unknown>[]} items
 * @param {string} key
 * @returns {Record<string, number>}
 */
export function countBy(items, key) {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const item of items) counts[String(item[key])] = (counts[String(item[key])] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === "install") console.log(ensureIamAudit());
  else {
    console.error("usage: node scripts/iam-audit.mjs install");
    process.exitCode = 2;
  }
}
