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
 * an error message, and main.ts prints errors without traces anyway), and its JSON writer and token registry are
 * swapped for faster ones with the same output (scripts/synth-runtime.mjs).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheTokenKeys, fastStableStringify } from "./synth-runtime.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["main.ts", ".terraform-backend.ts", "modules", "stacks", "environments", "scripts/app.mjs", "scripts/synth-runtime.mjs", "package-lock.json", "tsconfig.json"];
const OUT_DIR = join(root, ".cache", "app");

/**
 * Every source file under `path` (relative to the repository) that a bundle depends on.
 * @param {string} path
 * @returns {string[]}
 */
function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!/\.(ts|json|mjs)$/.test(full)) {
    return readdirSync(full, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(path, e.name)) : e.name.endsWith(".ts") ? [join(path, e.name)] : []));
  }
  return [path];
}

/**
 * A hash of `parts` and every source, 16 hex digits.
 * @param {readonly string[]} parts
 */
function sourceHash(parts) {
  const hash = createHash("sha256");
  for (const p of parts) hash.update(p).update("\0");
  for (const f of SOURCES.flatMap(files).sort()) hash.update(f).update("\0").update(readFileSync(join(root, f))).update("\0");
  return hash.digest("hex").slice(0, 16);
}

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
  const stem = `${name}-${sourceHash([entry])}`;
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
 * A module that gives cdktf `fastStableStringify` where it requires json-stable-stringify, written beside the build
 * (esbuild's `alias` points cdktf's import at it; it requires the original by its absolute path, which no alias
 * matches).
 * @param {string} dir
 * @returns {string} its path
 */
function stableStringifyShim(dir) {
  const require = createRequire(join(root, "main.ts"));
  const original = require.resolve("json-stable-stringify", { paths: [dirname(require.resolve("cdktf"))] });
  const runtime = join(root, "scripts", "synth-runtime.mjs");
  const shim = join(dir, `fast-stable-stringify-${process.pid}.cjs`);
  writeFileSync(shim, `module.exports = require(${JSON.stringify(runtime)}).fastStableStringify(require(${JSON.stringify(original)}));\n`);
  return shim;
}

/**
 * The synth snapshot of main.ts for this Node binary and these sources, built when missing. Undefined when this
 * Node cannot build one (the reason is kept beside it and printed the first time).
 * @returns {string | undefined} the snapshot blob's path
 */
export function ensureSnapshot() {
  // A snapshot loads only into the Node binary and the V8 flags it was built with: one per NODE_OPTIONS (the cdktf
  // CLI sets --max-old-space-size for the app), all kept for the same sources.
  const sources = `snapshot-${sourceHash([process.version, process.arch, process.platform])}`;
  const stem = `${sources}-${createHash("sha256").update(process.env.NODE_OPTIONS ?? "").digest("hex").slice(0, 8)}`;
  const blob = join(OUT_DIR, `${stem}.blob`);
  const refused = join(OUT_DIR, `${stem}.refused`);
  if (existsSync(blob)) return blob;
  if (existsSync(refused)) return undefined;
  mkdirSync(OUT_DIR, { recursive: true });
  removeOlder("snapshot-", sources);
  // Per-process names: synths started together (the terraform tier's) each build, and the first rename wins.
  const script = join(OUT_DIR, `${stem}-${process.pid}.cjs`);
  const shim = stableStringifyShim(OUT_DIR);
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
    alias: { "json-stable-stringify": shim },
  });
  const partial = `${blob}.${process.pid}.partial`;
  const built = spawnSync(process.execPath, ["--snapshot-blob", partial, "--build-snapshot", script], { cwd: OUT_DIR, encoding: "utf8" });
  rmSync(script, { force: true });
  rmSync(shim, { force: true });
  if (built.status !== 0 || !existsSync(partial)) {
    const reason = (built.error?.message ?? built.stderr ?? "").trim().split("\n").filter((l) => !/^\s*at /.test(l)).slice(-3).join(" ");
    writeFileSync(refused, `${reason}\n`);
    rmSync(partial, { force: true });
    console.error(`synth snapshot: this Node (${process.version}) could not build one, so the bundle runs instead: ${reason}`);
    return undefined;
  }
  renameSync(partial, blob);
  return blob;
}

/**
 * Puts fastStableStringify in place of json-stable-stringify for node_modules' cdktf, before cdktf loads it.
 * @param {NodeJS.Require} require a require that resolves from the repository
 */
function installStableJson(require) {
  const path = require.resolve("json-stable-stringify", { paths: [dirname(require.resolve("cdktf"))] });
  if (require.cache[path]) return;
  const original = require(path);
  delete require.cache[path];
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = fastStableStringify(original);
  require.cache[path] = module;
}

/**
 * Runs a bundle in this process, as cdktf runs an app.
 * @param {string} bundle
 */
export function runBundle(bundle) {
  const require = createRequire(join(root, "main.ts"));
  installStableJson(require);
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
  const run = spawnSync(process.execPath, ["--snapshot-blob", blob], { stdio: "inherit" });
  if (run.error) throw run.error;
  return run.status ?? (run.signal ? 128 : 1);
}

/** Node's exit code when a snapshot does not fit the binary or its V8 flags (it prints why). */
const SNAPSHOT_REFUSED = 14;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = process.argv[2] ?? "main.ts";
  const blob = entry === "main.ts" && process.env.SYNTH_SNAPSHOT !== "0" ? ensureSnapshot() : undefined;
  const status = blob ? runSnapshot(blob) : undefined;
  if (status === SNAPSHOT_REFUSED && blob) {
    rmSync(blob, { force: true });
    console.error("synth snapshot: refused by this Node; removed it, and the bundle runs instead");
  }
  if (status === undefined || status === SNAPSHOT_REFUSED) runBundle(ensureBundle(entry));
  else process.exitCode = status;
}
