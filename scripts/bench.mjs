#!/usr/bin/env node
/**
 * npm run bench: synthesizes every stack through the project's path and through the stock cdktf path, on the same
 * code, several times each; prints medians of wall time and peak RSS (the whole process tree, sampled every 20 ms).
 *
 *   project: node scripts/app.mjs              (what cdktf.json's "app" runs: main.ts bundled once by esbuild, cached by source hash)
 *   stock:   ts-node main.ts                     (the cdktf template's "npx ts-node main.ts": type-checks first)
 *   cli:     cdktf synth                         (the whole CLI around the project path, for reference)
 *
 * RUNS=5 sets the number of runs per path; BENCH_PATHS=project,stock selects paths. Writes .cache/bench.json.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.env.RUNS ?? 5);
const node = process.execPath;
const paths = {
  project: [node, join(root, "scripts", "app.mjs")],
  stock: [node, join(root, "node_modules", "ts-node", "dist", "bin.js"), "main.ts"],
  cli: [node, join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth", "--quiet"],
};
const selected = (process.env.BENCH_PATHS ?? "project,stock,cli").split(",").filter((p) => p in paths);

function treeRss(pid) {
  // Sum VmRSS over the process and its descendants (Linux /proc); 0 where /proc is unavailable.
  let total = 0;
  const children = new Map();
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (!children.has(ppid)) children.set(ppid, []);
        children.get(ppid).push(Number(entry));
      } catch {}
    }
    const stack = [pid];
    while (stack.length) {
      const p = stack.pop();
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
        if (m) total += Number(m[1]) * 1024;
      } catch {}
      stack.push(...(children.get(p) ?? []));
    }
  } catch {}
  return total;
}

function runOnce(cmd) {
  return new Promise((resolvePromise, reject) => {
    const outdir = mkdtempSync(join(root, ".cache", "bench-"));
    const started = process.hrtime.bigint();
    // cdktf synth writes to its --output directory, not to CDKTF_OUTDIR.
    const args = cmd.includes("synth") ? [...cmd.slice(1), "--output", outdir] : cmd.slice(1);
    const child = spawn(cmd[0], args, {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: outdir, ...(cmd.includes("synth") ? { CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1" } : {}) },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 20);
    child.on("exit", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let stacks = 0;
      try {
        const manifest = existsSync(join(outdir, "manifest.json")) ? join(outdir, "manifest.json") : null;
        stacks = manifest ? Object.keys(JSON.parse(readFileSync(manifest, "utf8")).stacks).length : 0;
      } catch {}
      rmSync(outdir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`${cmd.join(" ")} exited ${code}\n${stderr}`));
      else resolvePromise({ seconds, peakMiB: peak / (1 << 20), stacks });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

mkdirSync(join(root, ".cache"), { recursive: true });
const results = {};
for (const name of selected) {
  const samples = [];
  process.stdout.write(`${name.padEnd(8)}`);
  // One warm-up run (disk cache, tsx's transform cache) that is not counted.
  await runOnce(paths[name]);
  for (let i = 0; i < runs; i++) {
    samples.push(await runOnce(paths[name]));
    process.stdout.write(".");
  }
  results[name] = {
    command: paths[name].slice(1).join(" ").replace(root + "/", ""),
    runs,
    stacks: samples[0].stacks,
    medianSeconds: Number(median(samples.map((s) => s.seconds)).toFixed(3)),
    medianPeakMiB: Number(median(samples.map((s) => s.peakMiB)).toFixed(1)),
    maxPeakMiB: Number(Math.max(...samples.map((s) => s.peakMiB)).toFixed(1)),
  };
  console.log(` ${results[name].medianSeconds}s, peak ${results[name].medianPeakMiB} MiB (${results[name].stacks} stacks)`);
}
if (results.project && results.stock) {
  results.speedup = Number((results.stock.medianSeconds / results.project.medianSeconds).toFixed(1));
  console.log(`\nproject path is ${results.speedup}x faster than the stock path; targets: >= 10x, peak RSS <= 300 MiB`);
}
writeFileSync(join(root, ".cache", "bench.json"), JSON.stringify({ date: new Date().toISOString(), cpus: (await import("node:os")).cpus().length, results }, null, 2));
console.table(Object.fromEntries(Object.entries(results).filter(([, v]) => typeof v === "object")));
