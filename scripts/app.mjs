#!/usr/bin/env node
/**
 * The synth path cdktf.json runs: main.ts compiled once by esbuild (no type-checking; `npm run typecheck` does that)
 * into .cache/app/main-<hash of the sources>.cjs, then run. A change to any source gives a new hash and a rebuild
 * (~0.1 s); otherwise the cached bundle starts directly, without a TypeScript loader in the process.
 * node_modules stay external, so provider classes load from their own files as imported.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const sources = ["main.ts", ".terraform-backend.ts", "modules", "stacks", "environments", "package-lock.json", "tsconfig.json"];

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!full.endsWith(".ts") && !full.endsWith(".json")) {
    return readdirSync(full, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(path, e.name)) : e.name.endsWith(".ts") ? [join(path, e.name)] : []));
  }
  return [path];
}

const hash = createHash("sha256");
for (const f of sources.flatMap(files).sort()) hash.update(f).update("\0").update(readFileSync(join(root, f))).update("\0");
const digest = hash.digest("hex").slice(0, 16);
const outDir = join(root, ".cache", "app");
const bundle = join(outDir, `main-${digest}.cjs`);

if (!existsSync(bundle)) {
  mkdirSync(outDir, { recursive: true });
  for (const old of readdirSync(outDir)) if (old.startsWith("main-")) rmSync(join(outDir, old), { force: true });
  const { buildSync } = await import("esbuild");
  buildSync({
    entryPoints: [join(root, "main.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    outfile: bundle,
    logLevel: "warning",
  });
}

createRequire(import.meta.url)(bundle);
