#!/usr/bin/env node
// @ts-check
/**
 * The AWS API emulator the emulator tier and `npm run deploy:local` run against: moto's server, started by the
 * project's entry point emulator/server.py, which registers the project's extensions (API calls moto lacks or
 * reads back differently, emulator/extensions/) before serving.
 *
 *   node scripts/emulator.mjs start   start it on 127.0.0.1 (a free port), print its endpoint, leave it running
 *   node scripts/emulator.mjs stop    stop the emulator started by `start`
 *   node scripts/emulator.mjs reset   forget every resource it holds (POST /moto-api/reset)
 *   node scripts/emulator.mjs status  print the running emulator, if any
 *
 * Python packages come from emulator/requirements.txt (exact versions), installed once into .cache/moto-venv
 * (`python3 -m venv --system-site-packages` + `pip install -r`, progress shown; a machine that already has the
 * pinned packages installs nothing new); the venv is rebuilt when the requirements file changes.
 * The running emulator is recorded in .cache/emulator.json ({ pid, port, endpoint, ... }); tests start
 * their own instance and record it in a file of their own, so they never stop yours.
 * Importable: ensureEmulatorPython, findMotoServer, startEmulator, stopEmulator, resetEmulator, readRecord, emulatorEnv.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const requirementsFile = join(root, "emulator", "requirements.txt");
export const entryPoint = join(root, "emulator", "server.py");
const cache = join(root, ".cache");
const venv = join(cache, "moto-venv");
export const defaultRecordFile = join(cache, "emulator.json");

/**
 * The exact version a requirements text pins for a package (`name==1.2.3`, extras allowed), or null.
 * @param {string} text
 * @param {string} name
 * @returns {string | null}
 */
export function pinnedVersion(text, name) {
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    const m = /^([A-Za-z0-9_.-]+)(\[[^\]]*\])?==([^\s;]+)/.exec(line);
    if (m && m[1].toLowerCase() === name.toLowerCase()) return m[3];
  }
  return null;
}

/** The moto version emulator/requirements.txt pins. */
export const MOTO_VERSION = pinnedVersion(readFileSync(requirementsFile, "utf8"), "moto") ?? "unpinned";

/** Environment moto runs with: AWS-managed IAM policies (e.g. AmazonECSTaskExecutionRolePolicy) must exist. */
export const emulatorEnv = { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" };

/** @param {string} name */
const venvBin = (name) => (process.platform === "win32" ? join(venv, "Scripts", `${name}.exe`) : join(venv, "bin", name));

/**
 * An executable on PATH that really runs (pyenv shims exist for every version but run in one).
 * @param {string} cmd
 */
function onPath(cmd) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, cmd);
    if (!dir || !existsSync(candidate)) continue;
    const r = spawnSync(candidate, ["--version"], { encoding: "utf8", timeout: 60_000 });
    if (r.status === 0) return candidate;
  }
  return null;
}

/**
 * The venv's python with emulator/requirements.txt installed (created and filled on first use, pip's progress
 * on stderr). EMULATOR_PYTHON overrides it (a python that has the requirements already).
 * @param {{ log?: (m: string) => void }} [options]
 * @returns {string}
 */
export function ensureEmulatorPython({ log = (m) => console.error(m) } = {}) {
  if (process.env.EMULATOR_PYTHON) return process.env.EMULATOR_PYTHON;
  const wanted = createHash("sha256").update(readFileSync(requirementsFile)).digest("hex");
  const marker = join(venv, ".installed");
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === wanted && existsSync(venvBin("python"))) return venvBin("python");
  const python = onPath("python3") ?? onPath("python");
  if (!python) throw new Error("there is no python3 to run the emulator (moto) in a venv");
  log(`emulator: installing emulator/requirements.txt (moto ${MOTO_VERSION}) into ${venv} (once; later runs reuse it)`);
  mkdirSync(cache, { recursive: true });
  rmSync(venv, { recursive: true, force: true });
  run(python, ["-m", "venv", "--system-site-packages", venv]);
  run(venvBin("python"), ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on", "-r", requirementsFile]);
  writeFileSync(marker, `${wanted}\n`);
  return venvBin("python");
}

/**
 * The command that starts the emulator: [python, entry point]. Kept under this name for scripts/test.mjs.
 * @param {{ log?: (m: string) => void }} [options]
 * @returns {string[]}
 */
export function findMotoServer(options = {}) {
  return [ensureEmulatorPython(options), entryPoint];
}

/**
 * @param {string} cmd
 * @param {string[]} args
 */
function run(cmd, args) {
  // stdout of pip goes to our stderr so that a caller printing JSON on stdout keeps it clean.
  const r = spawnSync(cmd, args, { stdio: ["ignore", process.stderr, process.stderr] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${r.status}`);
}

/**
 * A port nobody listens on right now, on 127.0.0.1.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolvePort(port));
    });
  });
}

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when the process is a moto server (so that a recycled pid is never signalled). */
/** @param {number} pid */
function isMoto(pid) {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes("moto") || cmdline.includes("emulator/server.py");
  } catch {
    return alive(pid); // no /proc (macOS): trust the record
  }
}

/** @param {string} endpoint */
async function answers(endpoint) {
  try {
    const r = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5_000) });
    return r.ok;
  } catch {
    return false;
  }
}

/**
 * @typedef {{ pid: number, port: number, endpoint: string, logFile: string, moto: string, python: string, startedAt: string }} EmulatorRecord
 */

/**
 * @param {string} [file]
 * @returns {EmulatorRecord | null}
 */
export function readRecord(file = defaultRecordFile) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/**
 * Starts moto on 127.0.0.1 and resolves once it answers. Returns { pid, port, endpoint, logFile }.
 * port: a fixed port, else a free one. recordFile: where the pid/port are written (null: nowhere).
 * A live emulator already recorded in recordFile is reused when reuse is true, else stopped first.
 * @param {{ port?: number, recordFile?: string | null, reuse?: boolean, log?: (m: string) => void }} [options]
 * @returns {Promise<EmulatorRecord>}
 */
export async function startEmulator({ port, recordFile = defaultRecordFile, reuse = false, log = (m) => console.error(m) } = {}) {
  const previous = recordFile ? readRecord(recordFile) : null;
  if (previous && alive(previous.pid) && isMoto(previous.pid)) {
    if (reuse && (await answers(previous.endpoint))) return previous;
    await stopEmulator({ recordFile: recordFile ?? undefined, log });
  }
  const [python, script] = findMotoServer({ log });
  const chosen = port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${chosen}`;
  mkdirSync(cache, { recursive: true });
  const logFile = join(cache, `emulator-${chosen}.log`);
  const out = openSync(logFile, "w");
  const started = Date.now();
  // Detached: `start` returns while moto keeps running; stopEmulator ends it by its pid.
  const child = spawn(python, [script, "-H", "127.0.0.1", "-p", String(chosen)], {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, ...emulatorEnv },
  });
  closeSync(out);
  /** @type {number | null} */
  let exited = null;
  child.on("exit", (code) => (exited = code ?? -1));
  child.unref();
  const pid = child.pid ?? -1;
  const record = { pid, port: chosen, endpoint, logFile, moto: MOTO_VERSION, python, startedAt: new Date(started).toISOString() };
  while (!(await answers(endpoint))) {
    if (exited !== null) throw new Error(`the emulator (${script}) exited with ${exited} before answering; see ${logFile}:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
    if (Date.now() - started > 60_000) {
      process.kill(pid, "SIGTERM");
      throw new Error(`the emulator did not answer on ${endpoint} within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (recordFile) writeFileSync(recordFile, JSON.stringify(record, null, 2) + "\n");
  log(`emulator: moto ${MOTO_VERSION} + project extensions on ${endpoint} (pid ${child.pid}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s, log ${logFile})`);
  return record;
}

/**
 * Stops the emulator recorded in recordFile (or the given record); resolves when it has exited.
 * @param {{ recordFile?: string, record?: EmulatorRecord, log?: (m: string) => void }} [options]
 */
export async function stopEmulator({ recordFile = defaultRecordFile, record, log = (m) => console.error(m) } = {}) {
  const r = record ?? readRecord(recordFile);
  if (!r) {
    log("emulator: none recorded");
    return false;
  }
  let stopped = false;
  if (alive(r.pid) && isMoto(r.pid)) {
    process.kill(r.pid, "SIGTERM");
    for (let i = 0; i < 50 && alive(r.pid); i++) await new Promise((res) => setTimeout(res, 100));
    if (alive(r.pid)) process.kill(r.pid, "SIGKILL");
    stopped = true;
    log(`emulator: stopped pid ${r.pid} (${r.endpoint})`);
  } else {
    log(`emulator: pid ${r.pid} is not running any more`);
  }
  if (recordFile && existsSync(recordFile)) rmSync(recordFile);
  return stopped;
}

/**
 * Forgets every resource the emulator holds.
 * @param {string} endpoint
 */
export async function resetEmulator(endpoint) {
  const r = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  if (!r.ok) throw new Error(`POST ${endpoint}/moto-api/reset answered ${r.status}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2] ?? "status";
  try {
    if (command === "start") {
      const r = await startEmulator({ reuse: true });
      console.log(JSON.stringify(r, null, 2));
      console.error(`Stop it with: node scripts/emulator.mjs stop`);
    } else if (command === "stop") {
      await stopEmulator();
    } else if (command === "reset") {
      const r = readRecord();
      if (!r || !(await answers(r.endpoint))) throw new Error("no running emulator is recorded in .cache/emulator.json (start one with `node scripts/emulator.mjs start`)");
      await resetEmulator(r.endpoint);
      console.error(`emulator: ${r.endpoint} reset`);
    } else if (command === "status") {
      const r = readRecord();
      const up = r ? await answers(r.endpoint) : false;
      console.log(up ? JSON.stringify(r, null, 2) : "emulator: not running");
      process.exitCode = up ? 0 : 1;
    } else {
      console.error("usage: node scripts/emulator.mjs start|stop|reset|status");
      process.exitCode = 2;
    }
  } catch (error) {
    console.error(`emulator: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
