/**
 * Every stack main.ts builds, synthesized once per test worker (the unit tier shares module caches across files,
 * isolate: false): the cost, diagram and pipeline tests read the same output instead of synthesizing three times.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../stacks";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let cached: { outdir: string; stacks: string[] } | undefined;

export function synthesizedApp(): { outdir: string; stacks: string[] } {
  if (cached) return cached;
  const base = join(resolve(__dirname, "..", ".."), ".cache");
  mkdirSync(base, { recursive: true });
  // One directory per worker process; those of workers that have exited (vitest may end them without "exit") go.
  for (const old of readdirSync(base).filter((d) => d.startsWith("tools-synth-"))) {
    if (!alive(Number(old.slice("tools-synth-".length)))) rmSync(join(base, old), { recursive: true, force: true });
  }
  const outdir = join(base, `tools-synth-${process.pid}`);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir);
  const app = new App({ outdir });
  const stacks = buildApp(app).map((s) => s.node.id);
  app.synth();
  process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
  cached = { outdir, stacks };
  return cached;
}
