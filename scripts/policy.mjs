// @ts-check
/**
 * What the two policy scanners (scripts/checkov.mjs, scripts/trivy.mjs) share: installing a pinned PyPI package
 * into a venv under .cache, and comparing findings with a per-resource exceptions file.
 *
 * An exceptions file lists (check, stack, resource address) triples, each with its reason. A gated stack (bootstrap
 * and every prod stack) passes when every finding on it is listed ("unlisted" otherwise) and every listed triple
 * still fails ("stale" otherwise). Findings on other stacks (dev, staging) are reported, never gated: they trade
 * guards for cost in environments/.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * @typedef {{ stack: string, check: string, resource: string, title?: string, severity?: string }} Finding
 * @typedef {{ stack: string, check: string, resource: string, reason: string }} Exception
 * @typedef {{ stack: string, reason: string }} UnparsedStack
 */

/** Stacks whose findings must all be listed: bootstrap and the prod stacks. @param {string} stack */
export function isGated(stack) {
  return stack === "bootstrap" || stack.endsWith("-prod");
}

/** @param {{ stack: string, check: string, resource: string }} f */
export function keyOf(f) {
  return `${f.stack} ${f.check} ${f.resource}`;
}

/**
 * Splits findings against exceptions. `unscanned` stacks (their source could not be read) are left out of the
 * stale check: their findings are unknown, not gone.
 * @param {Finding[]} findings
 * @param {Exception[]} exceptions
 * @param {{ unscanned?: string[] }} [options]
 * @returns {{ unlisted: Finding[], stale: Exception[], excepted: Finding[], reported: Finding[] }}
 */
export function compareFindings(findings, exceptions, { unscanned = [] } = {}) {
  const listed = new Map(exceptions.map((e) => [keyOf(e), e]));
  const failing = new Set(findings.map(keyOf));
  const unlisted = [];
  const excepted = [];
  const reported = [];
  for (const f of findings) {
    if (!isGated(f.stack)) reported.push(f);
    else if (listed.has(keyOf(f))) excepted.push(f);
    else unlisted.push(f);
  }
  const stale = exceptions.filter((e) => !failing.has(keyOf(e)) && !unscanned.includes(e.stack));
  return { unlisted, stale, excepted, reported };
}

/**
 * Problems with an exceptions list itself: a malformed check id, a stack that is not gated (its findings are never
 * compared), a reason too short to say why, a triple listed twice.
 * @param {Exception[]} exceptions
 * @param {RegExp} checkPattern
 * @returns {string[]}
 */
export function exceptionProblems(exceptions, checkPattern) {
  const problems = [];
  const seen = new Set();
  for (const e of exceptions) {
    const key = keyOf(e);
    if (!checkPattern.test(e.check ?? "")) problems.push(`${key}: check id does not match ${checkPattern}`);
    if (!isGated(e.stack ?? "")) problems.push(`${key}: stack is not gated (only bootstrap and *-prod are)`);
    if (!/^[a-z0-9_]+\.[A-Za-z0-9_-]+$/.test(e.resource ?? "")) problems.push(`${key}: resource is not a <type>.<name> address`);
    if ((e.reason ?? "").length < 40) problems.push(`${key}: reason is missing or shorter than 40 characters`);
    if (seen.has(key)) problems.push(`${key}: listed twice`);
    seen.add(key);
  }
  return problems;
}

/** One line per finding, grouped by stack then check. @param {Finding[]} findings */
export function formatFindings(findings) {
  return [...findings]
    .sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
    .map((f) => `  ${f.stack} ${f.check}${f.severity ? ` (${f.severity})` : ""} ${f.resource}${f.title ? `: ${f.title}` : ""}`)
    .join("\n");
}

/** A JSON object from a file in the repository. @param {string} file @returns {any} */
export function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

function python() {
  for (const cmd of ["python3", "python"]) {
    const r = spawnSync(cmd, ["-c", "import sys; print(sys.version_info[:2] >= (3, 9))"], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim() === "True") return cmd;
  }
  return null;
}

/**
 * A venv under .cache holding `pkg==version`, created the first time (pip's progress on stderr); later calls
 * return at once. Returns the venv's directory.
 * @param {{ name: string, pkg: string, version: string, minutes: string, log?: (m: string) => void }} spec
 */
export function ensureVenvPackage({ name, pkg, version, minutes, log = (m) => console.error(m) }) {
  const venv = join(root, ".cache", name);
  const marker = join(venv, ".installed");
  const wanted = `${pkg}==${version}`;
  // The marker holds the version alone (what earlier versions of scripts/checkov.mjs wrote), so a venv made by
  // them is reused.
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === version) return venv;
  const py = python();
  if (!py) throw new Error(`${pkg} needs python3 >= 3.9 to install into .cache/${name}`);
  log(`installing ${wanted} into .cache/${name} (once, ${minutes}; later runs reuse it)`);
  mkdirSync(dirname(venv), { recursive: true });
  /** @type {[string, string[]][]} */
  const steps = [
    [py, ["-m", "venv", venv]],
    [join(venv, "bin", "python"), ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on", wanted]],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status})`);
  }
  writeFileSync(marker, `${version}\n`);
  return venv;
}
