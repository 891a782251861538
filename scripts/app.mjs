#!/usr/bin/env node
/**
 * The synth path cdktf.json runs: main.ts compiled once by esbuild (no type-checking; `npm run typecheck` does that)
 * into .cache/app/main-<hash of the sources>.cjs, then run. A change to any source gives a new hash and a rebuild
 * (~0.1 s); otherwise the cached bundle starts directly, without a TypeScript loader in the process.
 * node_modules stay external, so provider classes load from their own files as imported.
 *
 * It runs in this one process by default: measured on 2 cores with the 16 stacks, one process (about 2.3 s, 150 MiB)
 * beats two workers (about 2.5 s, 330 MiB), because each worker loads cdktf and the provider classes again.
 * For a much larger app on more cores, SYNTH_WORKERS=N synthesizes in parallel: N processes each build
 * an interleaved part of the stacks into their own directory, and this process merges their stacks and manifests
 * into CDKTF_OUTDIR.
 */
import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
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

const workers = Math.max(1, Math.min(Number(process.env.SYNTH_WORKERS ?? 1), availableParallelism() * 2, 16));
if (process.env.SYNTH_PART || workers === 1) {
  createRequire(import.meta.url)(bundle);
} else {
  const outdir = resolve(process.env.CDKTF_OUTDIR ?? join(root, "cdktf.out"));
  const partsDir = join(outdir, ".parts");
  rmSync(partsDir, { recursive: true, force: true });
  for (let i = 0; i < workers; i++) mkdirSync(join(partsDir, String(i)), { recursive: true });
  const codes = await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      new Promise((done) => {
        const child = spawn(process.execPath, [bundle], {
          stdio: "inherit",
          env: { ...process.env, SYNTH_PART: `${i + 1}/${workers}`, CDKTF_OUTDIR: join(partsDir, String(i)) },
        });
        child.on("exit", (code) => done(code ?? 1));
      }),
    ),
  );
  const failed = codes.find((c) => c !== 0);
  if (failed !== undefined) {
    rmSync(partsDir, { recursive: true, force: true });
    process.exit(failed);
  }
  // Merge: every part wrote stacks/<name>/ and a manifest listing its stacks.
  const manifest = { version: "", stacks: {} };
  mkdirSync(join(outdir, "stacks"), { recursive: true });
  for (let i = 0; i < workers; i++) {
    const part = JSON.parse(readFileSync(join(partsDir, String(i), "manifest.json"), "utf8"));
    manifest.version = part.version;
    for (const [name, stack] of Object.entries(part.stacks)) {
      const target = join(outdir, stack.workingDirectory);
      rmSync(target, { recursive: true, force: true });
      renameSync(join(partsDir, String(i), stack.workingDirectory), target);
      manifest.stacks[name] = stack;
    }
  }
  const sorted = Object.fromEntries(Object.entries(manifest.stacks).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(join(outdir, "manifest.json"), JSON.stringify({ stacks: sorted, version: manifest.version }, null, 2));
  rmSync(partsDir, { recursive: true, force: true });
}
