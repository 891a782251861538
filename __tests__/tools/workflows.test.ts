/**
 * The delivery pipeline (.github/workflows) and the application pipelines (examples/pipelines): actionlint passes
 * on every file, the plan matrix is every stack main.ts builds, and the structure the pipeline promises holds
 * (OIDC credentials, a GitHub environment per stage in order, one concurrency group per stack).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { synthesizedApp } from "./synthesized";
import { environments } from "../../environments";
import { ensureActionlint, lint, workflowFiles } from "../../scripts/actionlint.mjs";
import { planMatrix, planSummary, publicOutputs } from "../../scripts/pipeline.mjs";

const root = resolve(__dirname, "..", "..");
const read = (file: string): any => parse(readFileSync(join(root, file), "utf8"));
const pr = read(".github/workflows/pull-request.yml");
const deploy = read(".github/workflows/deploy.yml");
const apply = read(".github/workflows/apply.yml");
const steps = (job: any): any[] => job.steps ?? [];
const uses = (job: any, action: string) => steps(job).find((s) => String(s.uses ?? "").startsWith(`${action}@`));

let actionlint: Awaited<ReturnType<typeof ensureActionlint>>;
beforeAll(async () => {
  actionlint = await ensureActionlint({ log: (m) => console.log(m) });
}, 600_000);

describe("workflows", () => {
  it("actionlint is installed (PATH, ACTIONLINT_BIN, or the project venv from PyPI)", () => {
    expect(actionlint.reason ?? "").toBe("");
    expect(actionlint.bin).toBeTruthy();
  });

  it("actionlint passes on every workflow file", async () => {
    const files = workflowFiles();
    expect(files.length).toBeGreaterThanOrEqual(8);
    const r = await lint(actionlint.bin!, files);
    expect(r.findings.map((f) => `${f.filepath}:${f.line}: ${f.message}`)).toEqual([]);
    expect(r.status).toBe(0);
  }, 120_000);

  it("pull requests: lint, typecheck and the unit, terraform and policy tiers before any plan", () => {
    const runs = steps(pr.jobs.checks).map((s) => String(s.run ?? ""));
    expect(runs).toEqual(expect.arrayContaining(["npm run lint", "npm run typecheck", "npm test"]));
    expect(steps(pr.jobs.checks).find((s) => s.run === "npm test")?.env.TIERS.split(",")).toEqual(["unit", "terraform", "policy"]);
    expect(pr.jobs.plan.needs).toEqual(["checks", "synth"]);
  });

  it("G10: plans and applies take AWS credentials through OIDC from the bootstrap's roles", () => {
    for (const [job, variable] of [[pr.jobs.plan, "AWS_PLANNER_ROLE_ARN"], [apply.jobs.apply, "AWS_DEPLOYER_ROLE_ARN"]] as const) {
      expect(job.permissions["id-token"]).toBe("write");
      expect(uses(job, "aws-actions/configure-aws-credentials").with["role-to-assume"]).toBe(`\${{ vars.${variable} }}`);
    }
  });

  it("plans every stack as a matrix read from the synthesized manifest, with a summary in the job summary", () => {
    expect(pr.jobs.plan.strategy.matrix.include).toBe("${{ fromJSON(needs.synth.outputs.matrix) }}");
    expect(steps(pr.jobs.synth).find((s) => s.id === "matrix").run).toMatch(/scripts\/pipeline\.mjs matrix cdktf\.out/);
    expect(steps(pr.jobs.plan).some((s) => /GITHUB_STEP_SUMMARY/.test(String(s.run)))).toBe(true);
  });

  it("main applies dev, then staging, then prod, each in its GitHub environment", () => {
    expect(deploy.on.push.branches).toEqual(["main"]);
    expect(["dev", "staging", "prod"].map((e) => deploy.jobs[e].with.environment)).toEqual(["dev", "staging", "prod"]);
    expect(deploy.jobs.staging.needs).toContain("dev");
    expect(deploy.jobs.prod.needs).toContain("staging");
    expect(apply.jobs.apply.environment).toBe("${{ inputs.environment }}");
    expect(steps(deploy.jobs.synth).some((s) => /npm run placeholders/.test(String(s.run)))).toBe(true);
  });

  it("one concurrency group per stack, shared by plans and applies, never cancelled", () => {
    for (const job of [pr.jobs.plan, apply.jobs.apply]) expect(job.concurrency).toEqual({ group: "terraform-${{ matrix.stack }}", "cancel-in-progress": false });
  });

  it("G10: every application pipeline assumes the stack's deploy role from its outputs", () => {
    const examples = workflowFiles().filter((f) => f.startsWith("examples"));
    expect(examples.map((f) => f.split(/[\\/]/).pop()).sort()).toEqual(["alerting-platform.yml", "chat-app.yml", "dotnet-api.yml", "tvmaze-ingestion.yml", "upload-pipeline.yml"]);
    for (const f of examples) {
      const job = read(f).jobs.deploy;
      expect(uses(job, "aws-actions/configure-aws-credentials").with["role-to-assume"], f).toBe("${{ fromJSON(vars.STACK_OUTPUTS).deploy_role_arn.value }}");
      const script = steps(job).map((s) => String(s.run ?? "")).join("\n");
      expect(/helm upgrade|aws ecs update-service/.test(script), f).toBe(true);
    }
  });
});

describe("plan matrix", () => {
  const { outdir, stacks: built } = synthesizedApp();

  it("G1: is every stack main.ts builds except bootstrap (local state, applied by hand)", () => {
    expect(planMatrix(outdir).map((e) => e.stack)).toEqual(built.filter((n) => n !== "bootstrap").sort());
  });

  it("G2: splits by environment and carries each stack's region", () => {
    for (const env of ["dev", "staging", "prod"] as const) {
      const entries = planMatrix(outdir, env);
      expect(entries.length).toBe(5);
      for (const e of entries) expect(e).toEqual({ stack: `${e.system}-${env}`, system: e.system, environment: env, region: environments[env].region });
    }
  });

  it("summarizes a plan: counts and one row per change, no-ops left out", () => {
    const md = planSummary("x-dev", {
      resource_changes: [
        { address: "aws_s3_bucket.a", change: { actions: ["create"] } },
        { address: "aws_iam_role.r", change: { actions: ["delete", "create"] } },
        { address: "aws_vpc.v", change: { actions: ["no-op"] } },
      ],
    });
    expect(md.split("\n").slice(0, 3)).toEqual(["### plan: x-dev", "", "1 to add, 0 to change, 0 to destroy, 1 to replace"]);
    expect(md.split("\n").filter((l) => l.startsWith("| ") && l.includes("`"))).toHaveLength(2);
  });

  it("leaves sensitive outputs out of what the application pipelines get", () => {
    expect(publicOutputs({ a: { value: 1 }, s: { value: "x", sensitive: true } })).toEqual({ a: { value: 1 } });
  });
});
