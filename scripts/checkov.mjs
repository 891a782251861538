#!/usr/bin/env node
// @ts-check
/**
 * The first policy scanner: checkov (pinned) in a venv the script creates once in .cache/checkov-venv, run with no
 * skipped checks over synthesized stacks; its JSON result is compared per (check, stack, resource address) with
 * policy/checkov-exceptions.json (scripts/policy.mjs: bootstrap and prod are gated, dev and staging reported).
 *
 *   node scripts/checkov.mjs [outdir]     scan every stack in outdir (default cdktf.out), print the findings,
 *                                         exit 1 on an unlisted finding or a stale exception in a gated stack
 *
 * Importable: ensureCheckov() -> path of the checkov executable; scan(stacksDir) -> a promise of per-stack counts
 * and the failed (check, stack, resource) findings (asynchronous so that a vitest worker stays responsive).
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareFindings, ensureVenvPackage, formatFindings, isGated, readJson, root } from "./policy.mjs";
import { runCommand } from "./run.mjs";

export const exceptionsFile = join(root, "policy", "checkov-exceptions.json");
export const CHECK_ID = /^CKV2?_AWS_\d+$/;

/**
 * @typedef {import("./policy.mjs").Finding} Finding
 * @typedef {import("./policy.mjs").Exception} Exception
 * @typedef {{ checkov: string, note: string, exceptions: Exception[] }} CheckovExceptions
 * @typedef {{ passed: number, failed: number }} StackCounts
 */

/** @returns {CheckovExceptions} */
export function readExceptions() {
  return readJson(exceptionsFile);
}

/** The checkov executable, installing the pinned version into the project's venv the first time. */
export function ensureCheckov({ log = (/** @type {string} */ m) => console.error(m) } = {}) {
  const venv = ensureVenvPackage({ name: "checkov-venv", pkg: "checkov", version: readExceptions().checkov, minutes: "~1 minute", log });
  return join(venv, "bin", "checkov");
}

/**
 * The Terraform address of a resource checkov names. On Terraform JSON checkov sometimes writes
 * `resource.<name>` instead of `<type>.<name>`; the type is then looked up among the stack's resources.
 * @param {string} resource what checkov reports
 * @param {Record<string, Record<string, unknown>>} resources the stack's `resource` section
 */
export function addressOf(resource, resources) {
  const [head, ...rest] = resource.split(".");
  if (head !== "resource") return resource;
  const name = rest.join(".");
  const type = Object.keys(resources).find((t) => Object.prototype.hasOwnProperty.call(resources[t], name));
  return type ? `${type}.${name}` : resource;
}

/**
 * Findings and per-stack counts from checkov's JSON report (one object, or a list of them per framework).
 * @param {any} report
 * @param {(stack: string) => Record<string, Record<string, unknown>>} resourcesOf
 * @returns {{ findings: Finding[], counts: Record<string, StackCounts> }}
 */
export function parseReport(report, resourcesOf) {
  const parts = Array.isArray(report) ? report : [report];
  /** @type {Finding[]} */
  const findings = [];
  /** @type {Record<string, StackCounts>} */
  const counts = {};
  /** @param {string} filePath */
  const stackOf = (filePath) => filePath.replace(/^[/\\]/, "").split(/[/\\]/)[0];
  for (const part of parts) {
    for (const c of part?.results?.passed_checks ?? []) (counts[stackOf(c.file_path ?? "")] ??= { passed: 0, failed: 0 }).passed += 1;
    for (const c of part?.results?.failed_checks ?? []) {
      const stack = stackOf(c.file_path ?? "");
      (counts[stack] ??= { passed: 0, failed: 0 }).failed += 1;
      findings.push({ stack, check: c.check_id, resource: addressOf(c.resource, resourcesOf(stack)), title: c.check_name });
    }
  }
  return { findings, counts };
}

/**
 * Runs checkov once, with no skipped checks, over every stack directory below stacksDir.
 * @param {string} stacksDir
 * @returns {Promise<{ findings: Finding[], counts: Record<string, StackCounts> }>}
 */
export async function scan(stacksDir) {
  const bin = ensureCheckov();
  const args = ["-d", stacksDir, "--framework", "terraform_json", "-o", "json", "--compact", "--skip-download", "--soft-fail"];
  const r = await runCommand(bin, args, { env: { ...process.env, LOG_LEVEL: "ERROR" } });
  if (r.status !== 0) throw new Error(`checkov exited ${r.status}: ${r.stderr.slice(-2000)}`);
  /** @type {Record<string, Record<string, Record<string, unknown>>>} */
  const resources = {};
  /** @param {string} stack */
  const resourcesOf = (stack) => (resources[stack] ??= existsSync(join(stacksDir, stack, "cdk.tf.json")) ? (readJson(join(stacksDir, stack, "cdk.tf.json")).resource ?? {}) : {});
  const result = parseReport(JSON.parse(r.stdout || "[]"), resourcesOf);
  for (const name of readdirSync(stacksDir)) result.counts[name] ??= { passed: 0, failed: 0 };
  return result;
}

/**
 * A per-stack table: passed, failed, and for gated stacks how many failures are listed.
 * @param {Record<string, StackCounts>} counts
 * @param {Finding[]} findings
 * @param {Exception[]} exceptions
 */
export function summaryTable(counts, findings, exceptions) {
  const { excepted } = compareFindings(findings, exceptions);
  return Object.keys(counts)
    .sort()
    .map((name) => {
      const c = counts[name];
      const listed = excepted.filter((f) => f.stack === name).length;
      return `${name.padEnd(28)} ${String(c.passed).padStart(4)} passed ${String(c.failed).padStart(4)} failed${isGated(name) ? `  (${listed} listed)` : "  (reported, not gated)"}`;
    })
    .join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = resolve(process.argv[2] ?? join(root, "cdktf.out"));
  const { exceptions, checkov } = readExceptions();
  const { findings, counts } = await scan(join(outdir, "stacks"));
  const { unlisted, stale, reported } = compareFindings(findings, exceptions);
  console.log(`checkov ${checkov}, no skipped checks; exceptions per resource in policy/checkov-exceptions.json`);
  console.log(summaryTable(counts, findings, exceptions));
  if (reported.length) console.log(`\nReported (dev/staging cost trades, not gated):\n${formatFindings(reported)}`);
  if (unlisted.length) console.log(`\nUNLISTED failures on gated stacks (fix, or list with a reason):\n${formatFindings(unlisted)}`);
  if (stale.length) console.log(`\nSTALE exceptions (no longer fail; remove them):\n${formatFindings(stale)}`);
  process.exit(unlisted.length || stale.length ? 1 : 0);
}
