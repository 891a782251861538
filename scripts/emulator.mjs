#!/usr/bin/env node
/**
 * The AWS API emulator (moto server) the emulator tier and `npm run deploy:local` run against.
 *
 *   node scripts/emulator.mjs start   start moto on 127.0.0.1 (a free port), print its endpoint, leave it running
 *   node scripts/emulator.mjs stop    stop the emulator started by `start`
 *   node scripts/emulator.mjs reset   forget every resource it holds (POST /moto-api/reset)
 *   node scripts/emulator.mjs status  print the running emulator, if any
 *
 * moto_server comes from PATH when it is there; otherwise it is installed once into .cache/moto-venv
 * (`python3 -m venv` + `pip install "moto[server]==<MOTO_VERSION>"`), and later runs reuse that venv.
 * The running emulator is recorded in .cache/emulator.json ({ pid, port, endpoint, ... }); tests start
 * their own instance and record it in a file of their own, so they never stop yours.
 * Importable: findMotoServer, startEmulator, stopEmulator, resetEmulator, readRecord, emulatorEnv.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const MOTO_VERSION = "5.2.1";
const cache = join(root, ".cache");
const venv = join(cache, "moto-venv");
export const defaultRecordFile = join(cache, "emulator.json");

/** Environment moto runs with: AWS-managed IAM policies (e.g. AmazonECSTaskExecutionRolePolicy) must exist. */
export const emulatorEnv = { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" };

const venvBin = (name) => (process.platform === "win32" ? join(venv, "Scripts", `${name}.exe`) : join(venv, "bin", name));

/** An executable on PATH that really runs (pyenv shims exist for every version but run in one). */
function onPath(cmd) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, cmd);
    if (!dir || !existsSync(candidate)) continue;
    const r = spawnSync(candidate, ["--help"], { encoding: "utf8", timeout: 60_000 });
    if (r.status === 0) return candidate;
  }
  return null;
}

/**
 * The moto_server command: PATH first, else the project venv (created and filled on first use, with pip's
 * progress shown on stderr). `log` receives one line per step.
 */
export function findMotoServer({ log = (m) => console.error(m) } = {}) {
  if (process.env.MOTO_SERVER_BIN) return process.env.MOTO_SERVER_BIN;
  const fromPath = onPath("moto_server");
  if (fromPath) return fromPath;
  const marker = join(venv, ".installed");
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === MOTO_VERSION && existsSync(venvBin("moto_server"))) return venvBin("moto_server");
  const python = onPath("python3") ?? onPath("python");
  if (!python) throw new Error("moto_server is not on PATH and there is no python3 to install it (pip install \"moto[server]\")");
  log(`moto_server is not on PATH: installing moto[server]==${MOTO_VERSION} into ${venv} (once; later runs reuse it)`);
  mkdirSync(cache, { recursive: true });
  run(python, ["-m", "venv", venv]);
  run(venvBin("python"), ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on", `moto[server]==${MOTO_VERSION}`]);
  writeFileSync(marker, `${MOTO_VERSION}\n`);
  return venvBin("moto_server");
}

function run(cmd, args) {
  // stdout of pip goes to our stderr so that a caller printing JSON on stdout keeps it clean.
  const r = spawnSync(cmd, args, { stdio: ["ignore", process.stderr, process.stderr] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${r.status}`);
}

/** A port nobody listens on right now, on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when the process is a moto server (so that a recycled pid is never signalled). */
function isMoto(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("moto");
  } catch {
    return alive(pid); // no /proc (macOS): trust the record
  }
}

async function answers(endpoint) {
  try {
    const r = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5_000) });
    return r.ok;
  } catch {
    return false;
  }
}

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
 */
export async function startEmulator({ port, recordFile = defaultRecordFile, reuse = false, log = (m) => console.error(m) } = {}) {
  const previous = recordFile ? readRecord(recordFile) : null;
  if (previous && alive(previous.pid) && isMoto(previous.pid)) {
    if (reuse && (await answers(previous.endpoint))) return previous;
    await stopEmulator({ recordFile, log });
  }
  const bin = findMotoServer({ log });
  const chosen = port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${chosen}`;
  mkdirSync(cache, { recursive: true });
  const logFile = join(cache, `emulator-${chosen}.log`);
  const out = openSync(logFile, "w");
  const started = Date.now();
  // Detached: `start` returns while moto keeps running; stopEmulator ends it by its pid.
  const child = spawn(bin, ["-H", "127.0.0.1", "-p", String(chosen)], {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, ...emulatorEnv },
  });
  closeSync(out);
  let exited = null;
  child.on("exit", (code) => (exited = code ?? -1));
  child.unref();
  const record = { pid: child.pid, port: chosen, endpoint, logFile, moto: bin, startedAt: new Date(started).toISOString() };
  while (!(await answers(endpoint))) {
    if (exited !== null) throw new Error(`moto_server exited with ${exited} before answering; see ${logFile}:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
    if (Date.now() - started > 60_000) {
      process.kill(child.pid, "SIGTERM");
      throw new Error(`moto_server did not answer on ${endpoint} within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (recordFile) writeFileSync(recordFile, JSON.stringify(record, null, 2) + "\n");
  log(`emulator: moto ${MOTO_VERSION} on ${endpoint} (pid ${child.pid}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s, log ${logFile})`);
  return record;
}

/** Stops the emulator recorded in recordFile (or the given record); resolves when it has exited. */
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

/** Forgets every resource the emulator holds. */
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
    console.error(`emulator: ${error.message}`);
    process.exitCode = 1;
  }
}
