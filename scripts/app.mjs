#!/usr/bin/env node
// @ts-check
/**
 * The synth path cdktf.json runs: main.ts compiled once by esbuild (no type-checking; `npm run typecheck` does that)
 * into .cache/app/<entry>-<hash of the sources>.cjs, then run in this process. A change to any source gives a new
 * hash and a rebuild (~0.1 s); otherwise the cached bundle starts directly, without a TypeScript loader.
 * node_modules stay external, so provider classes load from their own files as imported.
 *
 * Unless DEBUG is set, cdktf does not capture a stack trace for every token it creates (it keeps them only to
 * decorate an error message, and main.ts prints errors without traces anyway): about a sixth of synth time.
 * cdktf's JSON writer and token registry are swapped for faster ones with the same output (stableJson,
 * cacheTokenKeys).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["main.ts", ".terraform-backend.ts", "modules", "stacks", "environments", "package-lock.json", "tsconfig.json"];

/**
 * Every source file under `path` (relative to the repository) that a bundle depends on.
 * @param {string} path
 * @returns {string[]}
 */
function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!full.endsWith(".ts") && !full.endsWith(".json")) {
    return readdirSync(full, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(path, e.name)) : e.name.endsWith(".ts") ? [join(path, e.name)] : []));
  }
  return [path];
}

/**
 * The bundle of `entry` (a .ts file relative to the repository), built when a source changed since the last build.
 * @param {string} [entry]
 * @returns {string} its path
 */
export function ensureBundle(entry = "main.ts") {
  const hash = createHash("sha256").update(entry).update("\0");
  for (const f of SOURCES.flatMap(files).sort()) hash.update(f).update("\0").update(readFileSync(join(root, f))).update("\0");
  const name = basename(entry, ".ts");
  const outDir = join(root, ".cache", "app");
  const bundle = join(outDir, `${name}-${hash.digest("hex").slice(0, 16)}.cjs`);
  if (existsSync(bundle)) return bundle;
  mkdirSync(outDir, { recursive: true });
  for (const old of readdirSync(outDir)) if (old.startsWith(`${name}-`)) rmSync(join(outDir, old), { force: true });
  const require = createRequire(import.meta.url);
  /** @type {typeof import("esbuild")} */
  const esbuild = require("esbuild");
  esbuild.buildSync({
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
 * cdktf builds a regular expression for every token it registers, to turn the token's display hint into the key
 * prefix; the same few hints recur thousands of times. Same keys, each hint cleaned once.
 * @param {{ prototype: { registerStringKey(token: unknown, hint?: string): string, tokenCounter: number, stringTokenMap: Map<string, unknown> } }} TokenMap
 */
export function cacheTokenKeys(TokenMap) {
  /** @type {Map<string, string>} */
  const prefixes = new Map();
  TokenMap.prototype.registerStringKey = function (token, displayHint) {
    const hint = displayHint || "TOKEN";
    let prefix = prefixes.get(hint);
    if (prefix === undefined) prefixes.set(hint, (prefix = hint.replace(/[^a-zA-Z0-9:._-]/g, ".")));
    const key = `${prefix}.${this.tokenCounter++}`;
    this.stringTokenMap.set(key, token);
    return key;
  };
}

/**
 * What json-stable-stringify (cdktf's writer of cdk.tf.json) returns for `value` with `{ space }`: keys sorted,
 * `toJSON` applied, undefined members left out and undefined elements written as null, empty objects and arrays
 * broken over two lines as it breaks them. About three times faster: no per-node closures, no bound intrinsics.
 * @param {unknown} value
 * @param {string} space
 * @returns {string | undefined}
 */
export function stableJson(value, space) {
  /** @type {object[]} */
  const seen = [];
  const colon = space ? ": " : ":";
  /**
   * @param {unknown} node
   * @param {number} level
   * @returns {string | undefined}
   */
  function write(node, level) {
    if (node && typeof (/** @type {{ toJSON?: unknown }} */ (node).toJSON) === "function") node = /** @type {{ toJSON(): unknown }} */ (node).toJSON();
    if (node === undefined) return undefined;
    if (typeof node !== "object" || node === null) return JSON.stringify(node);
    const indent = space ? `\n${space.repeat(level)}` : "";
    const inner = indent + space;
    /** @type {string[]} */
    const out = [];
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) out.push(inner + (write(node[i], level + 1) || "null"));
      return `[${out.join(",")}${indent}]`;
    }
    if (seen.includes(node)) throw new TypeError("Converting circular structure to JSON");
    seen.push(node);
    const record = /** @type {Record<string, unknown>} */ (node);
    for (const key of Object.keys(record).sort()) {
      const item = write(record[key], level + 1);
      if (item) out.push(inner + JSON.stringify(key) + colon + item);
    }
    seen.splice(seen.indexOf(node), 1);
    return `{${out.join(",")}${indent}}`;
  }
  return write(value, 0);
}

/**
 * Puts stableJson in place of json-stable-stringify for cdktf, before cdktf loads it: calls with only a `space`
 * option (how cdktf writes every file) take the fast path, any other call the original.
 * @param {NodeJS.Require} require a require that resolves from the repository
 */
function installStableJson(require) {
  const path = require.resolve("json-stable-stringify", { paths: [dirname(require.resolve("cdktf"))] });
  if (require.cache[path]) return;
  const original = require(path);
  delete require.cache[path];
  /**
   * @param {unknown} value
   * @param {unknown} [opts]
   */
  const stringify = (value, opts) => {
    const keys = opts && typeof opts === "object" ? Object.keys(opts) : [];
    const space = /** @type {{ space?: unknown }} */ (opts ?? {}).space;
    if ((opts === undefined || (keys.length === 1 && keys[0] === "space")) && (space === undefined || typeof space === "number" || typeof space === "string")) {
      return stableJson(value, typeof space === "number" ? " ".repeat(space) : (space ?? ""));
    }
    return original(value, opts);
  };
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = stringify;
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

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runBundle(ensureBundle(process.argv[2] ?? "main.ts"));
}
