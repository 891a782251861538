/**
 * Policy tier: checkov with no skipped checks over every synthesized stack. On bootstrap and the prod stacks (G6)
 * every failed (check, stack, resource) must be listed in policy/checkov-exceptions.json with its reason, and every
 * listed one must still fail. Dev and staging failures are printed as cost trades, not gated.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../stacks";
import { CHECK_ID, ensureCheckov, readExceptions, scan, summaryTable } from "../../scripts/checkov.mjs";
import { compareFindings, exceptionProblems, formatFindings, isGated, type Finding } from "../../scripts/policy.mjs";

/**
 * Listed pairs today (32 before issue 10 items 2-5, 22 after, 11 after HTTPS-only prod listeners, the Redis TLS
 * bundle in SSM and the replica region: see the exceptions' reasons); issue 10's goal is at most 12. Lower it as
 * entries go.
 */
const MAX_LISTED = 11;

const file = readExceptions();
mkdirSync(join(process.cwd(), ".cache"), { recursive: true });
const outdir = mkdtempSync(join(process.cwd(), ".cache", "policy-"));
let findings: Finding[] = [];
let counts: Record<string, { passed: number; failed: number }> = {};
let stackNames: string[] = [];

beforeAll(async () => {
  ensureCheckov(); // normally a no-op: scripts/test.mjs installs checkov before the tier starts
  const app = new App({ outdir });
  stackNames = buildApp(app).map((s) => s.node.id);
  app.synth();
  ({ findings, counts } = await scan(join(outdir, "stacks")));
  writeFileSync(join(process.cwd(), ".cache", "checkov-report.json"), JSON.stringify({ checkov: file.checkov, counts, findings }, null, 2));
  console.log(`checkov ${file.checkov}, no skipped checks\n${summaryTable(counts, findings, file.exceptions)}`);
  const { reported } = compareFindings(findings, file.exceptions);
  console.log(`dev and staging (cost trades in environments/, not gated):\n${formatFindings(reported)}`);
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("checkov policy scan", () => {
  it("scans every stack and runs checks on each", () => {
    expect(Object.keys(counts).sort()).toEqual([...stackNames].sort());
    for (const name of stackNames) expect(counts[name].passed, name).toBeGreaterThan(0);
  });

  it("lists each exception once, by check, gated stack and resource address, with a reason", () => {
    expect(exceptionProblems(file.exceptions, CHECK_ID)).toEqual([]);
    expect(file.exceptions.length).toBeGreaterThan(0);
    expect(file.exceptions.length).toBeLessThanOrEqual(MAX_LISTED);
  });

  it.each(["bootstrap", "alerting-platform-prod", "dotnet-api-prod", "chat-app-prod", "tvmaze-ingestion-prod", "upload-pipeline-prod"])(
    "G6: %s has no failed check that policy/checkov-exceptions.json does not list",
    (name) => {
      expect(isGated(name)).toBe(true);
      const { unlisted } = compareFindings(findings.filter((f) => f.stack === name), file.exceptions);
      expect(unlisted.map((f) => `${f.check} ${f.resource}: ${f.title}`)).toEqual([]);
    },
  );

  it("every listed exception still fails (remove stale entries from policy/checkov-exceptions.json)", () => {
    const { stale } = compareFindings(findings, file.exceptions);
    expect(stale.map((e) => `${e.stack} ${e.check} ${e.resource}`)).toEqual([]);
  });
});
