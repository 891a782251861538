/** npm run cost: monthly on-demand estimates from the synthesized resources and cost/prices.json. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { synthesizedApp } from "./synthesized";
import { estimateAll, parseAssumptions, pricesFile, systemRows } from "../../scripts/cost.mjs";
import { DEFAULT_ASSUMPTIONS, estimateStack } from "../../scripts/cost/estimate.mjs";

const { outdir, stacks: built } = synthesizedApp();
const result = estimateAll(outdir);

describe("cost estimate", () => {
  it("every price names its source page and date", () => {
    const prices = JSON.parse(readFileSync(pricesFile, "utf8"));
    for (const [region, services] of Object.entries(prices.regions as Record<string, Record<string, any>>)) {
      for (const [service, p] of Object.entries(services)) {
        expect(p.source, `${region}.${service}`).toMatch(/^https:\/\/aws\.amazon\.com\//);
        expect(p.date, `${region}.${service}`).toMatch(/^\d{4}-\d{2}$/);
      }
    }
  });

  it("gives a positive monthly total for every stack main.ts builds, every resource priced", () => {
    expect(Object.keys(result.stacks).sort()).toEqual([...built].sort());
    for (const [name, s] of Object.entries(result.stacks)) {
      expect(s.total, name).toBeGreaterThan(0);
      expect(s.unpriced.filter((u) => !u.includes("has no price table")), name).toEqual([]);
    }
  });

  it("dev costs less than prod for every system", () => {
    for (const r of systemRows(result.stacks)) expect(r.dev!, r.system).toBeLessThan(r.prod!);
  });

  it("prices the plan's building blocks: Fargate, RDS Multi-AZ, NAT per AZ, EKS, MSK", () => {
    const lines = (stack: string) => result.stacks[stack].lines.map((l) => l.what);
    expect(lines("tvmaze-ingestion-dev")).toEqual(expect.arrayContaining(["Fargate 2 x (0.5 vCPU, 1 GB)", "RDS db.t3.micro", "ElastiCache 1 x cache.t3.micro"]));
    expect(lines("tvmaze-ingestion-prod")).toEqual(expect.arrayContaining(["RDS db.t3.small Multi-AZ"]));
    expect(lines("upload-pipeline-prod")).toEqual(expect.arrayContaining(["EKS control plane"]));
    expect(lines("dotnet-api-prod").some((w) => w.startsWith("MSK "))).toBe(true);
    expect(lines("tvmaze-ingestion-prod").filter((w) => w.startsWith("NAT gateway"))).toHaveLength(2);
  });

  it("usage-based parts follow the settable assumptions", () => {
    const config = JSON.parse(readFileSync(join(outdir, "stacks", "tvmaze-ingestion-dev", "cdk.tf.json"), "utf8"));
    const prices = JSON.parse(readFileSync(pricesFile, "utf8"));
    const nat = (natGiB: number) => estimateStack(config, prices, { natGiB }).lines.find((l) => l.what.startsWith("NAT"))!.monthly;
    expect(nat(110) - nat(10)).toBeCloseTo(100 * prices.regions["eu-west-1"].vpc.natPerGiB, 2);
    expect(parseAssumptions("natGiB=50, albLcu=2")).toEqual({ natGiB: 50, albLcu: 2 });
    expect(() => parseAssumptions("nope=1")).toThrow(/unknown assumption/);
    expect(Object.keys(DEFAULT_ASSUMPTIONS)).toContain("s3GiBPerBucket");
  });
});
