/**
 * Policy tier: checkov over every synthesized stack. prod stacks have 0 failed checks; the exceptions live in
 * policy/checkov-exceptions.json, each with its reason, at most 10, and each must still be needed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../stacks";
import { ensureCheckov, readExceptions, scan } from "../../scripts/checkov.mjs";

interface StackResult {
  passed: number;
  failed: number;
  failures: { id: string; name: string; resource: string }[];
}

const { exceptions, checkov } = readExceptions() as { checkov: string; exceptions: { id: string; resources: string; reason: string }[] };
const outdir = mkdtempSync(join(process.cwd(), ".cache", "policy-"));
let results: Record<string, StackResult> = {};
let stackNames: string[] = [];

beforeAll(async () => {
  ensureCheckov(); // normally a no-op: scripts/test.mjs installs checkov before the tier starts
  const app = new App({ outdir });
  stackNames = buildApp(app).map((s) => s.node.id);
  app.synth();
  results = await scan(join(outdir, "stacks"), { skip: exceptions.map((e) => e.id) });
  mkdirSync(join(process.cwd(), ".cache"), { recursive: true });
  writeFileSync(join(process.cwd(), ".cache", "checkov-report.json"), JSON.stringify({ checkov, exceptions: exceptions.map((e) => e.id), results }, null, 2));
  console.log(`checkov ${checkov}, skipping ${exceptions.map((e) => e.id).join(", ")}`);
  for (const name of Object.keys(results).sort()) console.log(`${name.padEnd(28)} ${String(results[name].passed).padStart(4)} passed ${String(results[name].failed).padStart(4)} failed`);
  // Which check fails on which resource, per stack (dev and staging trade some guards for cost in environments/).
  for (const name of Object.keys(results).sort()) {
    const byCheck = new Map<string, string[]>();
    for (const f of results[name].failures) byCheck.set(`${f.id} ${f.name}`, [...(byCheck.get(`${f.id} ${f.name}`) ?? []), f.resource]);
    if (byCheck.size) console.log(`${name}:\n${[...byCheck].sort().map(([check, rs]) => `  ${check}\n    ${rs.join(", ")}`).join("\n")}`);
  }
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("checkov policy scan", () => {
  it("scans every stack and runs checks on each", () => {
    expect(Object.keys(results).sort()).toEqual([...stackNames].sort());
    for (const name of stackNames) expect(results[name].passed, name).toBeGreaterThan(0);
  });

  it("keeps at most 10 exceptions, each with the resources it covers and a reason", () => {
    expect(exceptions.length).toBeLessThanOrEqual(10);
    for (const e of exceptions) {
      expect(e.id).toMatch(/^CKV2?_AWS_\d+$/);
      expect(e.resources.length, e.id).toBeGreaterThan(5);
      expect(e.reason.length, e.id).toBeGreaterThan(40);
    }
    expect(new Set(exceptions.map((e) => e.id)).size).toBe(exceptions.length);
  });

  it.each(["bootstrap", "alerting-platform-prod", "dotnet-api-prod", "chat-app-prod", "tvmaze-ingestion-prod", "upload-pipeline-prod"])(
    "G6: %s has 0 failed checks",
    (name) => {
      const r = results[name];
      expect(r, name).toBeDefined();
      expect(r.failures.map((f) => `${f.id} ${f.resource}: ${f.name}`)).toEqual([]);
    },
  );

  it("every exception is still needed: each fails somewhere in prod without it", async () => {
    const prodDirs = join(outdir, "prod-only");
    mkdirSync(prodDirs);
    // Re-scan only the prod stacks and bootstrap, with only the excepted checks enabled.
    for (const name of stackNames.filter((n) => n.endsWith("-prod") || n === "bootstrap")) {
      rmSync(join(prodDirs, name), { recursive: true, force: true });
      mkdirSync(join(prodDirs, name));
      writeFileSync(join(prodDirs, name, "cdk.tf.json"), readFileSync(join(outdir, "stacks", name, "cdk.tf.json")));
    }
    const only = (await scan(prodDirs, { only: exceptions.map((e) => e.id) })) as Record<string, StackResult>;
    const failing = new Set(Object.values(only).flatMap((r) => r.failures.map((f) => f.id)));
    for (const e of exceptions) expect(failing.has(e.id), `${e.id} no longer fails on any prod stack: remove it from policy/checkov-exceptions.json`).toBe(true);
  });
});
