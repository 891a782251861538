// @ts-check
/**
 * The sources a synth build depends on, and their hash: scripts/app.mjs keys its cached builds by it, and the synth
 * snapshot (stacks/synth/snapshot-entry.ts) compares it with the hash it was built from before it runs anything, so
 * a snapshot never synthesizes sources older than the working tree's. No side effects on import.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Everything a bundle of main.ts is built from (folders: their .ts files), relative to the repository. */
export const SOURCES = [
  "main.ts",
  ".terraform-backend.ts",
  "modules",
  "stacks",
  "environments",
  "scripts/app.mjs",
  "scripts/app.sh",
  "scripts/synth-runtime.mjs",
  "scripts/synth-sources.mjs",
  "package-lock.json",
  "tsconfig.json",
];

/**
 * Every source file under `path` (relative to `root`).
 * @param {string} root
 * @param {string} path
 * @returns {string[]}
 */
function files(root, path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!/\.(ts|json|mjs|sh)$/.test(full)) {
    return readdirSync(full, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(root, join(path, e.name)) : e.name.endsWith(".ts") ? [join(path, e.name)] : []));
  }
  return [path];
}

/**
 * A hash of `parts` and every source under `root`, 16 hex digits.
 * @param {string} root the repository
 * @param {readonly string[]} parts
 */
export function sourceHash(root, parts) {
  const hash = createHash("sha256");
  for (const p of parts) hash.update(p).update("\0");
  for (const f of SOURCES.flatMap((s) => files(root, s)).sort()) hash.update(f).update("\0").update(readFileSync(join(root, f))).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/**
 * The name, size and modification time of every source under `root`: what the snapshot compares first when it
 * starts (a stat per file, a third of the time of reading and hashing them); only when it differs are the contents
 * hashed, so a file touched but not changed costs a hash, not a rebuild.
 * @param {string} root the repository
 */
export function sourceStamp(root) {
  let stamp = "";
  for (const f of SOURCES.flatMap((s) => files(root, s)).sort()) {
    const st = statSync(join(root, f));
    stamp += `${f}\0${st.size}\0${st.mtimeMs}\n`;
  }
  return stamp;
}

/** What a snapshot is built for besides the sources: it loads only into the Node binary that built it. */
export function runtimeParts() {
  return [process.version, process.arch, process.platform];
}

/**
 * The key of NODE_OPTIONS in a snapshot's file name (a snapshot loads only with the V8 flags it was built with; the
 * cdktf CLI sets --max-old-space-size for the app): 8 hex digits of its sha256, as scripts/app.sh computes it.
 * @param {string | undefined} nodeOptions
 */
export function optionsKey(nodeOptions) {
  return createHash("sha256").update(nodeOptions ?? "").digest("hex").slice(0, 8);
}
