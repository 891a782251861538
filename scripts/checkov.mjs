#!/usr/bin/env node
/**
 * The policy scanner: checkov (pinned) in a virtual environment the script creates once in .cache/checkov-venv,
 * run over synthesized stacks with the exceptions of policy/checkov-exceptions.json.
 *
 *   node scripts/checkov.mjs [outdir]     scan every stack in outdir (default cdktf.out) and print a table
 *
 * Importable: ensureCheckov() -> path of the checkov executable; scan(stacksDir, { skip, only }) -> a promise of
 * per-stack results (asynchronous so that a vitest worker stays responsive while checkov runs).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand } from "./run.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const exceptionsFile = join(root, "policy", "checkov-exceptions.json");
const venv = join(root, ".cache", "checkov-venv");

export function readExceptions() {
  return JSON.parse(readFileSync(exceptionsFile, "utf8"));
}

function python() {
  for (const cmd of ["python3", "python"]) {
    const r = spawnSync(cmd, ["-c", "import sys; print(sys.version_info[:2] >= (3, 9))"], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim() === "True") return cmd;
  }
  return null;
}

/** The checkov executable, installing the pinned version into the project's venv the first time. */
export function ensureCheckov({ log = (m) => console.error(m) } = {}) {
  const version = readExceptions().checkov;
  const bin = join(venv, "bin", "checkov");
  const marker = join(venv, ".installed");
  if (existsSync(bin) && existsSync(marker) && readFileSync(marker, "utf8").trim() === version) return bin;
  const py = python();
  if (!py) throw new Error("checkov needs python3 >= 3.9 to install into .cache/checkov-venv");
  log(`installing checkov==${version} into .cache/checkov-venv (once, ~1 minute; later runs reuse it)`);
  mkdirSync(dirname(venv), { recursive: true });
  const steps = [
    [py, ["-m", "venv", venv]],
    [join(venv, "bin", "python"), ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on", `checkov==${version}`]],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status})`);
  }
  writeFileSync(marker, `${version}\n`);
  return bin;
}

/**
 * Runs checkov once over every stack directory below stacksDir and splits the findings per stack.
 * `skip`: check ids to skip; `only`: check ids to run (nothing else).
 * @param {string} stacksDir
 * @param {{ skip?: string[], only?: string[] }} [options]
 */
export async function scan(stacksDir, { skip = [], only = [] } = {}) {
  const bin = ensureCheckov();
  const args = ["-d", stacksDir, "--framework", "terraform_json", "-o", "json", "--compact", "--skip-download", "--soft-fail"];
  if (skip.length) args.push("--skip-check", skip.join(","));
  if (only.length) args.push("--check", only.join(","));
  const r = await runCommand(bin, args, { env: { ...process.env, LOG_LEVEL: "ERROR" } });
  if (r.status !== 0) throw new Error(`checkov exited ${r.status}: ${r.stderr.slice(-2000)}`);
  let report = JSON.parse(r.stdout || "[]");
  if (!Array.isArray(report)) report = [report];
  const stacks = {};
  for (const name of readdirSync(stacksDir)) stacks[name] = { passed: 0, failed: 0, failures: [] };
  const stackOf = (filePath) => filePath.replace(/^[/\\]/, "").split(/[/\\]/)[0];
  for (const part of report) {
    for (const [kind, list] of [["passed", part.results?.passed_checks ?? []], ["failed", part.results?.failed_checks ?? []]]) {
      for (const c of list) {
        const name = stackOf(c.file_path ?? "");
        stacks[name] ??= { passed: 0, failed: 0, failures: [] };
        stacks[name][kind] += 1;
        if (kind === "failed") stacks[name].failures.push({ id: c.check_id, name: c.check_name, resource: c.resource });
      }
    }
  }
  return stacks;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = resolve(process.argv[2] ?? join(root, "cdktf.out"));
  const { exceptions } = readExceptions();
  const result = await scan(join(outdir, "stacks"), { skip: exceptions.map((e) => e.id) });
  for (const [name, r] of Object.entries(result).sort()) {
    console.log(`${name.padEnd(28)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(4)} failed`);
    for (const f of r.failures) console.log(`    ${f.id} ${f.resource}: ${f.name}`);
  }
  console.log(`(skipped everywhere: ${exceptions.map((e) => e.id).join(", ")}; reasons in ${relative(root, exceptionsFile).split(sep).join("/")})`);
}
