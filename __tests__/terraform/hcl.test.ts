/**
 * Terraform tier: `cdktf synth --hcl` writes cdk.tf files that `terraform validate` accepts, for every stack main.ts
 * builds (cdktf's HCL renderer needs the two fixes in stacks/hcl-output.ts for the WAF statements and the Kafka
 * task's container_definitions). The CLI itself runs, as a user would run it.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../stacks";
import { runCommand } from "../../scripts/run.mjs";
import { cacheDir } from "../../scripts/terraform-toolchain.mjs";
import { stackDirs, terraform, toolchain } from "../support/terraform";

const root = resolve(__dirname, "..", "..");
const outdir = join(root, ".cache", "hcl-synth");
mkdirSync(join(outdir, "names"), { recursive: true });
const stacks = buildApp(new App({ outdir: join(outdir, "names") })).map((s) => s.node.id);
const workspace = join(cacheDir as string, "hcl-workspace");
let dirs: Record<string, string> = {};

interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
}

beforeAll(async () => {
  rmSync(outdir, { recursive: true, force: true });
  const cli = join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "true", SYSTEMS: "", ENVIRONMENTS: "" };
  const synth = (await runCommand(process.execPath, [cli, "synth", "--hcl", "--output", outdir], { cwd: root, env, timeoutMs: 300_000 })) as { status: number; stdout: string; stderr: string };
  if (synth.status !== 0) throw new Error(`cdktf synth --hcl failed (${synth.status}):\n${synth.stdout}${synth.stderr}`);
  dirs = stackDirs(outdir);
  if (!existsSync(join(workspace, ".terraform.lock.hcl"))) {
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "~> 5.100" } } } }));
    const init = await terraform(["init", "-backend=false", "-input=false", "-no-color"], workspace);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  }
}, 600_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/**
 * One `terraform validate` for all stacks (loading the aws provider's schema takes seconds, 16 times over was minutes):
 * each stack's cdk.tf becomes a local module of one root, and each error is attributed to its stack by its file path.
 */
async function validateAll(stackNames: readonly string[]): Promise<Map<string, string[]>> {
  const dir = mkdtempSync(join(cacheDir as string, "hcl-validate-"));
  try {
    const modules: string[] = [];
    for (const name of stackNames) {
      mkdirSync(join(dir, name));
      copyFileSync(join(dirs[name], "cdk.tf"), join(dir, name, "cdk.tf"));
      modules.push(`module "${name}" {\n  source = "./${name}"\n}\n`);
    }
    writeFileSync(join(dir, "main.tf"), modules.join("\n"));
    copyFileSync(join(workspace, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
    const init = await terraform(["init", "-backend=false", "-input=false", "-no-color"], dir);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    const r = await terraform(["validate", "-json", "-no-color"], dir);
    const parsed = JSON.parse(r.stdout || "{}") as { valid?: boolean; diagnostics?: Diagnostic[] };
    if (parsed.valid === undefined) throw new Error(`terraform validate gave no result:\n${r.output}`);
    const errors = new Map<string, string[]>(stackNames.map((n) => [n, []]));
    for (const d of parsed.diagnostics ?? []) {
      if (d.severity !== "error") continue;
      const owner = d.range?.filename.split(/[\\/]/)[0] ?? "";
      (errors.get(owner) ?? errors.get(stackNames[0])!).push(`${d.summary}${d.range ? ` (${d.range.filename}:${d.range.start.line})` : ""}`);
    }
    return errors;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * validateAll over one interleaved part of the stacks per core, at once: a validation is mostly the provider
 * answering for each resource on one core, so two parts on two cores take about half the time.
 */
async function validateInParts(stackNames: readonly string[], parts = availableParallelism()): Promise<Map<string, string[]>> {
  const groups = Array.from({ length: Math.max(1, Math.min(parts, stackNames.length)) }, (_, g) => stackNames.filter((_n, i) => i % parts === g));
  const maps = await Promise.all(groups.map((group) => validateAll(group)));
  return new Map(maps.flatMap((m) => [...m]));
}

let results: Map<string, string[]> | undefined;

describe("cdktf synth --hcl", () => {
  it("uses the project's toolchain", () => {
    expect(toolchain().terraform, toolchain().reason ?? "").toBeTruthy();
  });

  it("G1: writes one cdk.tf per stack main.ts builds, and no JSON", () => {
    expect(Object.keys(dirs).sort()).toEqual([...stacks].sort());
    for (const name of stacks) {
      expect(existsSync(join(dirs[name], "cdk.tf")), name).toBe(true);
      expect(existsSync(join(dirs[name], "cdk.tf.json")), name).toBe(false);
    }
  });

  it("writes WAF rule statements as nested blocks, not object attributes", () => {
    const hcl = readFileSync(join(dirs["tvmaze-ingestion-prod"], "cdk.tf"), "utf8");
    expect(hcl.match(/^\s*statement \{$/gm)?.length ?? 0).toBeGreaterThanOrEqual(4);
    expect(hcl.match(/^\s*statement = \{/gm)).toBeNull();
  });

  it.each(stacks)("%s: cdk.tf passes terraform validate", async (name) => {
    results ??= await validateInParts(stacks);
    expect(results.get(name)).toEqual([]);
  });
});
