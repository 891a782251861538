#!/usr/bin/env node
// @ts-check
/**
 * npm test: every test tier this machine can run, in order, then one summary.
 *
 *   unit       modules and stacks through cdktf's Testing API (fast)
 *   terraform  `terraform validate` on every synthesized stack with the real hashicorp/aws provider
 *   emulator   init/plan/apply/re-plan/destroy on moto (AWS API emulator) with the S3/DynamoDB backend
 *   policy     checkov over every synthesized stack, trivy over their HCL rendering
 *
 * A tier whose tools are missing is reported as NOT RUN with the reason; with CI=true (or --require-all) that
 * fails the run. TIERS=unit,terraform limits the tiers. The summary gives each tier's time (its tools' setup
 * included). The last line is "N passed, N failed[, N skipped]".
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureActionlint } from "./actionlint.mjs";
import { ensureCheckov } from "./checkov.mjs";
import { ensureTrivy } from "./trivy.mjs";
import { findMotoServer } from "./emulator.mjs";
import { ensureIamAudit } from "./iam-audit.mjs";
import { ensureTerraformToolchain } from "./terraform-toolchain.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const requireAll = process.env.CI === "true" || process.argv.includes("--require-all");
const wanted = (process.env.TIERS ?? "unit,terraform,emulator,policy").split(",").map((s) => s.trim()).filter(Boolean);
const resultsDir = join(root, ".cache", "test-results");
mkdirSync(resultsDir, { recursive: true });

/** @param {string} cmd */
function commandExists(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

/**
 * Runs an install step; returns null when it worked, else why not.
 * @param {string} what
 * @param {() => unknown} step
 * @returns {string | null}
 */
function installed(what, step) {
  try {
    step();
    return null;
  } catch (e) {
    return `${what} could not be installed: ${e instanceof Error ? e.message.split("\n")[0] : e}`;
  }
}

/**
 * Why a tier cannot run here, or null when it can. Tools are installed here, in this process, before vitest
 * starts (with pip's progress on the terminal), not inside a test worker: a worker blocked for a minute in an
 * install cannot answer vitest's RPC and the run fails with "Timeout calling onTaskUpdate".
 */
/** @type {Record<string, () => string | null | Promise<string | null>>} */
const prerequisites = {
  // actionlint (the workflow test's linter) installs here too; where it cannot, that test says why and fails.
  unit: async () => {
    await ensureActionlint({ log: (m) => console.log(m) });
    return null;
  },
  terraform: () => ensureTerraformToolchain().reason,
  emulator: () => {
    const tf = ensureTerraformToolchain().reason;
    if (tf) return tf;
    if (!commandExists("python3")) return "python3 is not available to run the emulator (moto) and the IAM oracles in venvs";
    return installed("moto", () => findMotoServer()) ?? installed("parliament and cloudsplaining", () => ensureIamAudit());
  },
  policy: () => (commandExists("python3") ? installed("checkov", () => ensureCheckov()) ?? installed("trivy", () => ensureTrivy()) : "python3 is not available to install checkov and trivy"),
};

/** @typedef {{ tier: string, status: string, detail: string, seconds?: number }} TierRow */

/**
 * The summary table: tier, status, time (tools' setup included), detail.
 * @param {readonly TierRow[]} rows
 * @returns {string[]}
 */
export function summaryLines(rows) {
  return rows.map((s) => `${s.tier.padEnd(10)} ${s.status.padEnd(13)} ${(s.seconds === undefined ? "-" : `${s.seconds.toFixed(1)}s`).padStart(7)}  ${s.detail}`);
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);

/** @type {TierRow[]} */
const summary = [];
let passed = 0;
let failed = 0;
let skipped = 0;

for (const tier of isMain ? ["unit", "terraform", "emulator", "policy"] : []) {
  if (!wanted.includes(tier)) {
    summary.push({ tier, status: "not selected", detail: "TIERS excludes it" });
    continue;
  }
  const preparing = Date.now();
  const reason = await prerequisites[tier]();
  const prepared = (Date.now() - preparing) / 1000;
  if (prepared >= 1) console.log(`[${tier}] tools ready in ${prepared.toFixed(1)}s`);
  if (reason) {
    summary.push({ tier, status: "NOT RUN", detail: reason, seconds: prepared });
    continue;
  }
  console.log(`\n=== tier: ${tier} ===`);
  const out = join(resultsDir, `${tier}.json`);
  rmSync(out, { force: true });
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--project", tier, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    { cwd: root, stdio: "inherit", env: process.env },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const total = (Date.now() - preparing) / 1000;
  if (!existsSync(out)) {
    failed += 1;
    summary.push({ tier, status: "FAILED", detail: `vitest exited ${r.status} without results (${seconds}s)`, seconds: total });
    continue;
  }
  const res = JSON.parse(readFileSync(out, "utf8"));
  passed += res.numPassedTests;
  failed += res.numFailedTests;
  skipped += res.numPendingTests + res.numTodoTests;
  const ok = r.status === 0 && res.numFailedTests === 0 && res.numTotalTests > 0;
  if (!ok && res.numFailedTests === 0) failed += 1; // a suite that failed to load counts as a failure
  summary.push({ tier, status: ok ? "passed" : "FAILED", detail: `${res.numPassedTests} passed, ${res.numFailedTests} failed, ${res.numPendingTests} skipped (vitest ${seconds}s)`, seconds: total });
}

if (isMain) {
  console.log("\n=== test tiers ===");
  console.log(`${"tier".padEnd(10)} ${"status".padEnd(13)} ${"time".padStart(7)}  detail`);
  for (const line of summaryLines(summary)) console.log(line);
  const notRun = summary.filter((s) => s.status === "NOT RUN");
  if (notRun.length && requireAll) {
    console.log(`\n${notRun.length} tier(s) could not run and CI requires every tier.`);
    failed += notRun.length;
  }
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 ? 1 : 0);
}
