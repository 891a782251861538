#!/usr/bin/env node
// @ts-check
/**
 * The synth path cdktf.json runs. Two ways to run main.ts, both without TypeScript at run time (`npm run typecheck`
 * type-checks) and both cached under .cache/app by a hash of the sources:
 *
 * - The synth snapshot (the default): main.ts and everything it imports, cdktf and the provider classes included,
 *   bundled into one file by esbuild and loaded once into a V8 startup snapshot (`node --build-snapshot`); each synth
 *   then starts a Node process from that snapshot, with every module already loaded, and runs main(). Building it
 *   takes a few seconds, once per source change. SYNTH_SNAPSHOT=0 turns it off; where this Node cannot build one, the
 *   reason is printed once and the bundle below runs instead.
 * - The bundle: main.ts compiled by esbuild into one CommonJS file with node_modules external, so provider classes
 *   load from their own files as imported, run in this process (what `stacks/synth/estate-main.ts` and the fallback use).
 *
 * Either way cdktf does not capture a stack trace for every token unless DEBUG is set (it keeps them only to decorate
 * an error message, and main.ts prints errors without traces anyway), and its token registry is swapped for a faster
 * one with the same keys (scripts/synth-runtime.mjs).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheTokenKeys } from "./synth-runtime.mjs";
import { optionsKey, runtimeParts, sourceHash, sourceStamp } from "./synth-sources.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT_DIR = join(root, ".cache", "app");

/**
 * Removes the outputs of earlier builds of `prefix`, keeping `keep`.
 * @param {string} prefix
 * @param {string} keep
 */
function removeOlder(prefix, keep) {
  for (const old of readdirSync(OUT_DIR)) if (old.startsWith(prefix) && !old.startsWith(keep)) rmSync(join(OUT_DIR, old), { force: true });
}

/** @returns {typeof import("esbuild")} */
function esbuild() {
  return createRequire(import.meta.url)("esbuild");
}

/**
 * The bundle of `entry` (a .ts file relative to the repository), built when a source changed since the last build.
 * @param {string} [entry]
 * @returns {string} its path
 */
export function ensureBundle(entry = "main.ts") {
  const name = basename(entry, ".ts");
  const stem = `${name}-${sourceHash(root, [entry])}`;
  const bundle = join(OUT_DIR, `${stem}.cjs`);
  if (existsSync(bundle)) return bundle;
  mkdirSync(OUT_DIR, { recursive: true });
  removeOlder(`${name}-`, stem);
  esbuild().buildSync({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    outfile: bundle,
    logLevel: "warning",
  });
  return bundle;
}

/**
 * V8 flags the snapshot is built and started with (a snapshot loads only with the flags it was built with, so
 * scripts/app.sh passes the same): an old generation that starts at 256 MB instead of growing from a few, so the
 * first full collection waits until it is needed (it came 185 ms into a synth; about 30 ms of 520 saved).
 */
export const SNAPSHOT_FLAGS = ["--initial-heap-size=256"];

/**
 * The synth snapshot of main.ts for this Node binary, these sources and this NODE_OPTIONS, built when missing or
 * stale. Undefined when this Node cannot build one (the reason is kept beside it and printed the first time).
 *
 * Its name depends on NODE_OPTIONS only (`synth-<options key>.blob`), so that scripts/app.sh finds it without
 * hashing the sources; the sources' hash is built into it (the snapshot checks it when it starts) and written beside
 * it (`.sources`, read here).
 * @returns {string | undefined} the snapshot blob's path
 */
export function ensureSnapshot() {
  const sources = sourceHash(root, runtimeParts());
  const stem = `synth-${optionsKey(process.env.NODE_OPTIONS)}`;
  const blob = join(OUT_DIR, `${stem}.blob`);
  const recorded = join(OUT_DIR, `${stem}.sources`);
  const refused = join(OUT_DIR, `${stem}-${sources}.refused`);
  if (existsSync(blob) && existsSync(recorded) && readFileSync(recorded, "utf8").trim() === sources) return blob;
  if (existsSync(refused)) return undefined;
  mkdirSync(OUT_DIR, { recursive: true });
  removeOlder("snapshot-", "synth-"); // the names of earlier versions of this script
  for (const old of readdirSync(OUT_DIR)) if (old.startsWith(`${stem}-`) && old.endsWith(".refused")) rmSync(join(OUT_DIR, old), { force: true });
  const stamp = sourceStamp(root);
  // Per-process names: synths started together (the terraform tier's) each build, and the last rename wins.
  const script = join(OUT_DIR, `${stem}-${process.pid}.cjs`);
  esbuild().buildSync({
    entryPoints: [join(root, "stacks", "synth", "snapshot-entry.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: script,
    logLevel: "warning",
    // The snapshot holds the bundle's source (V8 compiles functions lazily from it): without the whitespace it is
    // 40% smaller and starts about 6% faster. Names stay, so stack traces and profiles still read.
    minifyWhitespace: true,
    define: { SYNTH_SOURCES: JSON.stringify(sources), SYNTH_STAMP: JSON.stringify(stamp) },
  });
  const partial = `${blob}.${process.pid}.partial`;
  // The warm-up synth (stacks/synth/snapshot-entry.ts) builds every stack as a plain `cdktf synth` would: none of the
  // variables that select stacks or change the output (SYSTEMS, CDKTF_*, SYNTH_*) reaches it.
  const warmUp = mkdtempSync(join(tmpdir(), "synth-warm-up-"));
  const env = { PATH: process.env.PATH ?? "", NODE_OPTIONS: process.env.NODE_OPTIONS ?? "", SYNTH_WARM_UP: warmUp };
  const built = spawnSync(process.execPath, [...SNAPSHOT_FLAGS, "--snapshot-blob", partial, "--build-snapshot", script], { cwd: OUT_DIR, encoding: "utf8", env });
  rmSync(warmUp, { recursive: true, force: true });
  rmSync(script, { force: true });
  if (built.status !== 0 || !existsSync(partial)) {
    const reason = (built.error?.message ?? built.stderr ?? "").trim().split("\n").filter((l) => !/^\s*at /.test(l)).slice(-3).join(" ");
    writeFileSync(refused, `${reason}\n`);
    rmSync(partial, { force: true });
    console.error(`synth snapshot: this Node (${process.version}) could not build one, so the bundle runs instead: ${reason}`);
    return undefined;
  }
  renameSync(partial, blob);
  writeFileSync(`${recorded}.${process.pid}`, `${sources}\n`);
  renameSync(`${recorded}.${process.pid}`, recorded);
  return blob;
}

/**
 * Runs a bundle in this process, as cdktf runs an app.
 * @param {string} bundle
 */
export function runBundle(bundle) {
  const require = createRequire(join(root, "main.ts"));
  require("cdktf"); // first, so that its internal modules load in cdktf's own order (they require each other)
  if (!process.env.DEBUG) {
    // cdktf reads this export at every call (`(0, stack_trace_1.captureStackTrace)()`), so replacing it takes effect.
    require("cdktf/lib/tokens/private/stack-trace").captureStackTrace = () => [];
  }
  cacheTokenKeys(require("cdktf/lib/tokens/private/token-map").TokenMap);
  require(bundle);
}

/**
 * Synthesizes main.ts from the synth snapshot, in a child process started from it; the exit code is the child's.
 * @param {string} blob
 * @returns {number}
 */
export function runSnapshot(blob) {
  const run = spawnSync(process.execPath, [...SNAPSHOT_FLAGS, "--snapshot-blob", blob], { stdio: "inherit" });
  if (run.error) throw run.error;
  return run.status ?? (run.signal ? 128 : 1);
}

/** Node's exit code when a snapshot does not fit the binary or its V8 flags (it prints why). */
const SNAPSHOT_REFUSED = 14;
/** The snapshot's exit code when the sources changed after it was built (stacks/synth/snapshot-entry.ts). */
const SNAPSHOT_STALE = 75;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = process.argv[2] ?? "main.ts";
  const blob = entry === "main.ts" && process.env.SYNTH_SNAPSHOT !== "0" ? ensureSnapshot() : undefined;
  const status = blob ? runSnapshot(blob) : undefined;
  if (status === SNAPSHOT_REFUSED && blob) {
    rmSync(blob, { force: true });
    console.error("synth snapshot: refused by this Node; removed it, and the bundle runs instead");
  }
  // Stale: a source changed between the build above and the start (an editor saving): this run uses the bundle.
  if (status === undefined || status === SNAPSHOT_REFUSED || status === SNAPSHOT_STALE) runBundle(ensureBundle(entry));
  else process.exitCode = status;
}
