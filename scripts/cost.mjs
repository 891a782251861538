#!/usr/bin/env node
// @ts-check
/**
 * npm run cost [-- --json] [-- --set natGiB=50,albLcu=2] [-- --stacks chat-app-dev,chat-app-prod] [-- --out cdktf.out]
 *
 * Monthly on-demand estimate of every stack from its synthesized resources (scripts/cost/estimate.mjs) and the
 * price table cost/prices.json (each price names its page and date). Synthesizes into .cache/cost/cdktf.out
 * first unless --out names an existing synth output. Prints a table per stack (a line per resource, a total),
 * then one line per system with dev, staging and prod beside the plan's own estimate where the plan has one.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { byService, DEFAULT_ASSUMPTIONS, estimateStack } from "./cost/estimate.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const pricesFile = join(root, "cost", "prices.json");

/** The plans' own monthly estimates (deployment plans 002 and 003), USD. */
export const PLAN_ESTIMATES = Object.freeze({
  "tvmaze-ingestion": { plan: "002", dev: "about 75", prod: "about 230" },
  "alerting-platform": { plan: "003", dev: "35-50 with free tier, 100-110 after", prod: "35-50 with free tier, 100-110 after" },
});

/**
 * `natGiB=50,albLcu=2` -> { natGiB: 50, albLcu: 2 }, refusing unknown names.
 * @param {string} text
 * @returns {Record<string, number>}
 */
export function parseAssumptions(text) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split("=");
    if (!(k in DEFAULT_ASSUMPTIONS)) throw new Error(`unknown assumption "${k}": expected one of ${Object.keys(DEFAULT_ASSUMPTIONS).join(", ")}`);
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`assumption ${k} = ${v}: expected a number >= 0`);
    out[k] = n;
  }
  return out;
}

/**
 * Estimates of every stack in a synth output directory.
 * @param {string} outdir
 * @param {Record<string, number>} assumptions
 * @param {readonly string[]} [only]
 */
export function estimateAll(outdir, assumptions = {}, only = []) {
  const prices = JSON.parse(readFileSync(pricesFile, "utf8"));
  /** @type {{ stacks: Record<string, { synthesizedStackPath: string }> }} */
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  /** @type {Record<string, ReturnType<typeof estimateStack>>} */
  const stacks = {};
  for (const [name, s] of Object.entries(manifest.stacks)) {
    if (only.length && !only.includes(name)) continue;
    stacks[name] = estimateStack(JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8")), prices, assumptions);
  }
  return { currency: prices.currency, assumptions: { ...DEFAULT_ASSUMPTIONS, ...assumptions }, stacks };
}

/** @param {number} n */
const usd = (n) => `$${n.toFixed(2)}`;

/**
 * One row per system: dev, staging, prod totals and the plan's estimate.
 * @param {Record<string, { total: number }>} stacks
 */
export function systemRows(stacks) {
  const systems = [...new Set(Object.keys(stacks).filter((n) => n !== "bootstrap").map((n) => n.replace(/-(dev|staging|prod)$/, "")))];
  return systems.map((system) => ({
    system,
    dev: stacks[`${system}-dev`]?.total,
    staging: stacks[`${system}-staging`]?.total,
    prod: stacks[`${system}-prod`]?.total,
    plan: /** @type {Record<string, { plan: string, dev: string, prod: string }>} */ (PLAN_ESTIMATES)[system],
  }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (/** @type {string} */ flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] ?? "" : undefined);
  const json = args.includes("--json");
  let outdir = value("--out");
  if (!outdir) {
    outdir = join(root, ".cache", "cost", "cdktf.out");
    mkdirSync(dirname(outdir), { recursive: true });
    const r = spawnSync(process.execPath, [join(root, "scripts", "app.mjs")], { cwd: root, env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: ["ignore", "ignore", "inherit"] });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const result = estimateAll(resolve(outdir), parseAssumptions(value("--set") ?? ""), (value("--stacks") ?? "").split(",").filter(Boolean));
  if (json) {
    console.log(JSON.stringify({ ...result, systems: systemRows(result.stacks) }, null, 2));
  } else {
    for (const [name, s] of Object.entries(result.stacks)) {
      console.log(`\n${name} (${s.region})`);
      for (const l of s.lines) console.log(`  ${usd(l.monthly).padStart(10)}  ${l.what.padEnd(58)} ${l.resource}${l.usage ? `  [${l.usage}]` : ""}`);
      console.log(`  ${usd(s.total).padStart(10)}  total per month; by service: ${byService(s.lines).slice(0, 6).map(([k, v]) => `${k} ${usd(v)}`).join(", ")}`);
      for (const u of s.unpriced) console.log(`  (not priced: ${u})`);
    }
    console.log("\nsystem               dev        staging    prod       plan's own estimate");
    for (const r of systemRows(result.stacks)) {
      const plan = r.plan ? `plan ${r.plan.plan}: dev ${r.plan.dev}, prod ${r.plan.prod}` : "(the plan gives none)";
      console.log(`${r.system.padEnd(20)} ${usd(r.dev ?? 0).padEnd(10)} ${usd(r.staging ?? 0).padEnd(10)} ${usd(r.prod ?? 0).padEnd(10)} ${plan}`);
    }
    console.log(`\nAssumptions (--set name=value): ${Object.entries(result.assumptions).map(([k, v]) => `${k}=${v}`).join(", ")}. Prices: cost/prices.json.`);
  }
}
