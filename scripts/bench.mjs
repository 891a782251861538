#!/usr/bin/env node
// @ts-check
/**
 * npm run bench: synthesizes every stack through three paths on the same code, in rounds (one run of each path per
 * round, so the machine's drift hits every path alike), after one warm-up round; prints medians of wall time and of
 * peak RSS (the high-water mark of the whole process tree) and the project/floor ratio of each round.
 *
 *   project: sh scripts/app.sh      what cdktf.json's "app" runs (read from it): Node started from the synth snapshot
 *   node:    node scripts/app.mjs   the launcher for machines without a POSIX shell: checks the cache, then the same snapshot
 *   bundle:  SYNTH_SNAPSHOT=0 ...   the same without the snapshot: main.ts bundled by esbuild, node_modules loaded as usual
 *   floor:   node -e 'require(...)'  loads cdktf and exactly the packages the bundle requires (its provider classes), nothing else
 *   stock:   ts-node main.ts        the cdktf template's "npx ts-node main.ts": type-checks first
 *   cli:     cdktf synth            the whole CLI around the project path (not in the default set)
 *
 * RUNS=5 rounds; BENCH_PATHS=project,bundle,floor,stock selects paths. BENCH_SCALE=1,4,16 instead synthesizes the estate
 * with that many copies of each environment (stacks/synth/estate.ts) and prints time and peak memory per size.
 * Writes .cache/bench.json (or .cache/bench-scale.json).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** @param {number} x */
const round3 = (x) => Number(x.toFixed(3));

/**
 * @param {readonly number[]} xs
 * @returns {number}
 */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * The packages a CommonJS bundle requires at run time (esbuild keeps node_modules external), without Node's own.
 * @param {string} source the bundle's text
 * @returns {string[]} in first-use order
 */
export function requiredPackages(source) {
  const builtins = new Set(builtinModules);
  const found = new Set();
  for (const [, spec] of source.matchAll(/\brequire\("([^"]+)"\)/g)) {
    if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:") || builtins.has(spec.split("/")[0])) continue;
    found.add(spec);
  }
  return [...found];
}

/**
 * A `node -e` program that requires exactly these packages.
 * @param {readonly string[]} packages
 */
export function floorProgram(packages) {
  return packages.map((p) => `require(${JSON.stringify(p)});`).join("");
}

/**
 * How a scale curve grows: the least-squares line seconds = fixed + perThousand x resources / 1000 (fixed is
 * starting Node and loading cdktf), its r² (1 is a straight line), and seconds per 1,000 resources at each size.
 * @param {readonly { resources: number, seconds: number }[]} points
 */
export function linearity(points) {
  const n = points.length;
  const xs = points.map((p) => p.resources / 1000);
  const ys = points.map((p) => p.seconds);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const syy = ys.reduce((a, y) => a + (y - my) ** 2, 0);
  const slope = sxx ? sxy / sxx : 0;
  return {
    fixedSeconds: round3(my - slope * mx),
    secondsPerThousand: round3(slope),
    r2: round3(sxx && syy ? (sxy * sxy) / (sxx * syy) : 1),
    perThousandAtEachSize: points.map((p) => round3((p.seconds * 1000) / p.resources)),
  };
}

/**
 * Sum of VmHWM (peak resident set) over a process and its descendants, from /proc; 0 where /proc is unavailable.
 * @param {number} pid
 */
function treePeak(pid) {
  let total = 0;
  /** @type {Map<number, number[]>} */
  const children = new Map();
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (!children.has(ppid)) children.set(ppid, []);
        children.get(ppid)?.push(Number(entry));
      } catch {}
    }
    const stack = [pid];
    while (stack.length) {
      const p = /** @type {number} */ (stack.pop());
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
        if (m) total += Number(m[1]) * 1024;
      } catch {}
      stack.push(...(children.get(p) ?? []));
    }
  } catch {}
  return total;
}

/**
 * @typedef {{ seconds: number, peakMiB: number, stacks: number, stdout: string }} Sample
 * @param {readonly string[]} cmd
 * @param {Record<string, string>} [env]
 * @returns {Promise<Sample>}
 */
function runOnce(cmd, env = {}) {
  return new Promise((done, reject) => {
    const outdir = mkdtempSync(join(root, ".cache", "bench-"));
    const started = process.hrtime.bigint();
    const cli = cmd.includes("synth");
    // cdktf synth writes to its --output directory, not to CDKTF_OUTDIR.
    const args = cli ? [...cmd.slice(1), "--output", outdir] : cmd.slice(1);
    const child = spawn(cmd[0], args, {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: outdir, ...(cli ? { CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1" } : {}), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, child.pid ? treePeak(child.pid) : 0)), 10);
    child.on("exit", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let stacks = 0;
      try {
        const manifest = join(outdir, "manifest.json");
        stacks = existsSync(manifest) ? Object.keys(JSON.parse(readFileSync(manifest, "utf8")).stacks).length : 0;
      } catch {}
      rmSync(outdir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`${cmd.join(" ")} exited ${code}\n${stderr}`));
      else done({ seconds, peakMiB: peak / (1 << 20), stacks, stdout });
    });
  });
}

async function comparePaths() {
  const { ensureBundle } = await import("./app.mjs");
  const packages = requiredPackages(readFileSync(ensureBundle(), "utf8"));
  const node = process.execPath;
  const app = String(JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")).app).split(" ");
  /** @type {Record<string, string[]>} */
  const paths = {
    project: app[0] === "node" ? [node, ...app.slice(1)] : app,
    node: [node, join(root, "scripts", "app.mjs")],
    bundle: app[0] === "node" ? [node, ...app.slice(1)] : app,
    floor: [node, "-e", floorProgram(packages)],
    stock: [node, join(root, "node_modules", "ts-node", "dist", "bin.js"), "main.ts"],
    cli: [node, join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth", "--quiet"],
  };
  /** @type {Record<string, Record<string, string>>} */
  const env = { bundle: { SYNTH_SNAPSHOT: "0" } };
  const selected = (process.env.BENCH_PATHS ?? "project,bundle,floor,stock").split(",").filter((p) => p in paths);
  const runs = Number(process.env.RUNS ?? 5);
  console.log(`floor requires ${packages.length} packages (cdktf, constructs and the provider classes the bundle imports)`);
  /** @type {Record<string, Sample[]>} */
  const samples = Object.fromEntries(selected.map((p) => [p, []]));
  for (let round = 0; round <= runs; round++) {
    process.stdout.write(round === 0 ? "warm-up " : `round ${round} `);
    for (const name of selected) {
      const s = await runOnce(paths[name], env[name]);
      if (round > 0) samples[name].push(s);
      process.stdout.write(`${name} ${s.seconds.toFixed(2)}s `);
    }
    process.stdout.write("\n");
  }
  /** @type {Record<string, unknown>} */
  const results = {};
  for (const name of selected) {
    results[name] = {
      command: `${Object.entries(env[name] ?? {}).map(([k, v]) => `${k}=${v} `).join("")}${(paths[name][0] === node ? paths[name].slice(1) : paths[name]).join(" ").replace(root + "/", "")}`.slice(0, 60),
      runs,
      stacks: samples[name][0].stacks,
      medianSeconds: round3(median(samples[name].map((s) => s.seconds))),
      medianPeakMiB: Number(median(samples[name].map((s) => s.peakMiB)).toFixed(1)),
      maxPeakMiB: Number(Math.max(...samples[name].map((s) => s.peakMiB)).toFixed(1)),
    };
  }
  console.table(results);
  if (samples.project && samples.floor) {
    const ratios = samples.project.map((s, i) => s.seconds / samples.floor[i].seconds);
    results.projectOverFloor = { median: round3(median(ratios)), rounds: ratios.map(round3) };
    console.log(`project / floor: ${round3(median(ratios))}x (median of rounds; target <= 2.0x, peak RSS <= 300 MiB)`);
  }
  if (samples.project && samples.stock) {
    console.log(`stock / project: ${round3(median(samples.stock.map((s) => s.seconds)) / median(samples.project.map((s) => s.seconds)))}x`);
  }
  writeFileSync(join(root, ".cache", "bench.json"), JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, results }, null, 2));
}

async function scaleCurve() {
  const factors = (process.env.BENCH_SCALE ?? "1,4,16").split(",").map(Number).filter((n) => n >= 1);
  const runs = Number(process.env.RUNS ?? 1);
  const cmd = [process.execPath, join(root, "scripts", "app.mjs"), "stacks/synth/estate-main.ts"];
  /** @type {{ factor: number, stacks: number, resources: number, seconds: number, peakMiB: number }[]} */
  const points = [];
  await runOnce(cmd, { ESTATE_FACTOR: "1" }); // warm-up: bundle built, files cached
  for (const factor of factors) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await runOnce(cmd, { ESTATE_FACTOR: String(factor) }));
    const { stacks, resources } = JSON.parse(samples[0].stdout.trim().split("\n").pop() ?? "{}");
    points.push({ factor, stacks, resources, seconds: round3(median(samples.map((s) => s.seconds))), peakMiB: Number(median(samples.map((s) => s.peakMiB)).toFixed(1)) });
    console.log(`${String(factor).padStart(3)}x: ${stacks} stacks, ${resources} resources, ${points.at(-1)?.seconds}s, peak ${points.at(-1)?.peakMiB} MiB`);
  }
  const fit = linearity(points);
  console.log(`fit: ${fit.fixedSeconds}s + ${fit.secondsPerThousand}s per 1,000 resources (r² ${fit.r2}); per 1,000 at each size: ${fit.perThousandAtEachSize.join(", ")}`);
  console.log("targets: time linear in resources, peak RSS < 500 MiB at 16x");
  writeFileSync(join(root, ".cache", "bench-scale.json"), JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, points, ...fit }, null, 2));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(join(root, ".cache"), { recursive: true });
  await (process.env.BENCH_SCALE ? scaleCurve() : comparePaths());
}
