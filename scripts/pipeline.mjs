#!/usr/bin/env node
// @ts-check
/**
 * Helpers of the GitHub Actions workflows (.github/workflows):
 *
 *   node scripts/pipeline.mjs matrix <cdktf.out> [env]    JSON list for `strategy.matrix.include`: every stack of the
 *                                                         synthesized manifest with an S3 backend (optionally of one
 *                                                         environment), as { stack, system, environment, region }
 *   node scripts/pipeline.mjs summary <stack> <plan.json> Markdown plan summary (`terraform show -json` of a plan)
 *   terraform output -json | node scripts/pipeline.mjs public-outputs    the outputs without sensitive values
 *
 * bootstrap is not in the matrix: it keeps local state and is applied once per account by hand (README).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** @typedef {{ stack: string, system: string, environment: string, region: string }} MatrixEntry */

/**
 * The plan/apply matrix from a synthesized cdktf.out directory.
 * @param {string} outdir
 * @param {string} [environment]
 * @returns {MatrixEntry[]}
 */
export function planMatrix(outdir, environment) {
  /** @type {{ stacks: Record<string, { workingDirectory: string, synthesizedStackPath: string }> }} */
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  /** @type {MatrixEntry[]} */
  const entries = [];
  for (const [name, s] of Object.entries(manifest.stacks)) {
    const config = JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8"));
    const s3 = config.terraform?.backend?.s3;
    if (!s3) continue;
    const [system, env] = String(s3.key).split("/");
    const region = config.provider?.aws?.[0]?.region ?? s3.region;
    if (environment && env !== environment) continue;
    entries.push({ stack: name, system, environment: env, region });
  }
  return entries.sort((a, b) => a.stack.localeCompare(b.stack));
}

/**
 * @typedef {{ address: string, change: { actions: string[] } }} ResourceChange
 */

/**
 * Markdown summary of a `terraform show -json` plan: counts, then one line per changed resource.
 * @param {string} stack
 * @param {{ resource_changes?: ResourceChange[] }} plan
 * @returns {string}
 */
export function planSummary(stack, plan) {
  const changes = (plan.resource_changes ?? []).filter((c) => !(c.change.actions.length === 1 && (c.change.actions[0] === "no-op" || c.change.actions[0] === "read")));
  const count = (/** @type {string} */ a) => changes.filter((c) => c.change.actions.includes(a)).length;
  const replace = changes.filter((c) => c.change.actions.includes("create") && c.change.actions.includes("delete")).length;
  const lines = [`### plan: ${stack}`, "", `${count("create") - replace} to add, ${count("update")} to change, ${count("delete") - replace} to destroy, ${replace} to replace`, ""];
  if (changes.length) {
    lines.push("| action | resource |", "|---|---|");
    for (const c of changes) lines.push(`| ${c.change.actions.join(", ")} | \`${c.address}\` |`);
  } else lines.push("No changes.");
  return lines.join("\n") + "\n";
}

/**
 * `terraform output -json` without the values of sensitive outputs.
 * @param {Record<string, { value: unknown, sensitive?: boolean }>} outputs
 */
export function publicOutputs(outputs) {
  return Object.fromEntries(Object.entries(outputs).filter(([, o]) => !o.sensitive).map(([k, o]) => [k, { value: o.value }]));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, a, b] = process.argv.slice(2);
  if (command === "matrix") console.log(JSON.stringify(planMatrix(a ?? "cdktf.out", b)));
  else if (command === "summary") process.stdout.write(planSummary(a, JSON.parse(readFileSync(b, "utf8"))));
  else if (command === "public-outputs") console.log(JSON.stringify(publicOutputs(JSON.parse(readFileSync(0, "utf8"))), null, 2));
  else {
    console.error("usage: node scripts/pipeline.mjs matrix <cdktf.out> [env] | summary <stack> <plan.json> | public-outputs");
    process.exitCode = 2;
  }
}
