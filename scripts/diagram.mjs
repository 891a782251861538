#!/usr/bin/env node
// @ts-check
/**
 * npm run diagram [-- --out cdktf.out]
 *
 * One architecture diagram per stack from its synthesized JSON (scripts/diagram/graph.mjs builds the Graphviz
 * DOT; @viz-js/viz, Graphviz compiled to WebAssembly, renders it in this process: no system package):
 *   cdktf.out/diagrams/<stack>.svg        every stack
 *   docs/architecture/<system>.svg/.png   prod, one per system (PNG by @resvg/resvg-js), linked from the README
 * Synthesizes into cdktf.out first unless --out names an existing synth output.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dotStats, stackToDot } from "./diagram/graph.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const docsDir = join(root, "docs", "architecture");

/**
 * SVG of every stack in a synth output: { stack: svg }.
 * @param {string} outdir
 * @returns {Promise<Record<string, { dot: string, svg: string }>>}
 */
export async function renderAll(outdir) {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  /** @type {{ stacks: Record<string, { synthesizedStackPath: string }> }} */
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  /** @type {Record<string, { dot: string, svg: string }>} */
  const out = {};
  for (const [name, s] of Object.entries(manifest.stacks).sort(([a], [b]) => a.localeCompare(b))) {
    const dot = stackToDot(name, JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8")));
    out[name] = { dot, svg: viz.renderString(dot, { format: "svg" }) };
  }
  return out;
}

/** The docs file of a prod stack: docs/architecture/<system>.svg; null for other stacks. @param {string} stack */
export function docsName(stack) {
  return stack.endsWith("-prod") ? stack.slice(0, -"-prod".length) : null;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let outdir = args.includes("--out") ? resolve(args[args.indexOf("--out") + 1]) : "";
  if (!outdir) {
    outdir = join(root, "cdktf.out");
    const r = spawnSync(process.execPath, [join(root, "scripts", "app.mjs")], { cwd: root, env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: ["ignore", "ignore", "inherit"] });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const rendered = await renderAll(outdir);
  const { Resvg } = await import("@resvg/resvg-js");
  mkdirSync(join(outdir, "diagrams"), { recursive: true });
  mkdirSync(docsDir, { recursive: true });
  for (const [stack, { dot, svg }] of Object.entries(rendered)) {
    writeFileSync(join(outdir, "diagrams", `${stack}.svg`), svg);
    writeFileSync(join(outdir, "diagrams", `${stack}.dot`), dot);
    const stats = dotStats(dot);
    let line = `${stack.padEnd(26)} ${relative(root, join(outdir, "diagrams", `${stack}.svg`))} (${stats.edges} edges, ${stats.entryPoints} internet-facing entry points)`;
    const system = docsName(stack);
    if (system) {
      writeFileSync(join(docsDir, `${system}.svg`), svg);
      const png = new Resvg(svg, { fitTo: { mode: "width", value: 1800 }, background: "white", font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
      writeFileSync(join(docsDir, `${system}.png`), png);
      line += `; ${relative(root, join(docsDir, `${system}.svg`))} + .png`;
    }
    console.log(line);
  }
}
