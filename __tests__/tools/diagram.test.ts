/** npm run diagram: one SVG per stack from its synthesized JSON; docs/architecture holds prod per system, up to date. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { synthesizedApp } from "./synthesized";
import { docsDir, docsName, renderAll } from "../../scripts/diagram.mjs";
import { dotStats, stackToDot } from "../../scripts/diagram/graph.mjs";

const { outdir, stacks: built } = synthesizedApp();
const config = (stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
let rendered: Record<string, { dot: string; svg: string }> = {};
beforeAll(async () => {
  rendered = await renderAll(outdir);
}, 120_000);

describe("architecture diagrams", () => {
  it("renders an SVG for every stack main.ts builds", () => {
    expect(Object.keys(rendered).sort()).toEqual([...built].sort());
    for (const [name, r] of Object.entries(rendered)) expect(r.svg.trimStart().startsWith("<?xml") || r.svg.trimStart().startsWith("<svg"), name).toBe(true);
  });

  it("G5: draws an edge for every security-group ingress rule, with its port", () => {
    for (const stack of ["tvmaze-ingestion-prod", "alerting-platform-prod", "chat-app-prod"]) {
      const rules = Object.values(config(stack).resource.aws_vpc_security_group_ingress_rule ?? {}) as any[];
      const dot = stackToDot(stack, config(stack));
      expect(dotStats(dot).edges, stack).toBe(new Set(rules.map((r) => `${r.security_group_id}|${r.referenced_security_group_id ?? r.cidr_ipv4}|${r.from_port}|${r.to_port}`)).size + Object.keys(config(stack).resource.aws_cloudfront_distribution ?? {}).length);
      for (const r of rules) expect(dot.includes(`[label="tcp ${r.from_port === r.to_port ? r.from_port : `${r.from_port}-${r.to_port}`}"`) || r.ip_protocol === "-1", `${stack}: ${r.description}`).toBe(true);
    }
  });

  it("G4: marks the internet-facing entry points: the public ALB, CloudFront", () => {
    expect(dotStats(stackToDot("tvmaze-ingestion-prod", config("tvmaze-ingestion-prod"))).entryPoints).toBe(1);
    expect(dotStats(stackToDot("chat-app-prod", config("chat-app-prod"))).entryPoints).toBe(2);
    expect(dotStats(stackToDot("upload-pipeline-prod", config("upload-pipeline-prod"))).entryPoints).toBe(0);
  });

  it("shows subnet tiers, services with their counts and data stores", () => {
    const dot = stackToDot("tvmaze-ingestion-prod", config("tvmaze-ingestion-prod"));
    expect(/public subnets x2/.test(dot) && /private subnets x2/.test(dot)).toBe(true);
    expect(/ECS service tvmaze-ingestion-prod-service x2/.test(dot)).toBe(true);
    expect(/RDS db\.t3\.small Multi-AZ/.test(dot)).toBe(true);
    expect(/S3 tvmaze-ingestion-prod-assets/.test(dot)).toBe(true);
  });

  it("docs/architecture holds the current prod diagram of every system (npm run diagram regenerates them)", () => {
    const prod = built.filter((s) => docsName(s));
    expect(prod).toHaveLength(5);
    for (const stack of prod) {
      const file = join(docsDir, `${docsName(stack)}.svg`);
      expect(existsSync(file), `${file} is missing: run npm run diagram`).toBe(true);
      expect(readFileSync(file, "utf8") === rendered[stack].svg, `${file} is stale: run npm run diagram`).toBe(true);
      expect(existsSync(join(docsDir, `${docsName(stack)}.png`))).toBe(true);
    }
  });
});
