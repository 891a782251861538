/**
 * Runs the real Terraform CLI on synthesized stacks.
 * `terraform init` runs once, in a shared workspace, with the project's CLI config (local mirror when there is one);
 * each stack is then validated in its own directory that links to that workspace's providers, so 16 stacks cost
 * one provider install, not 16.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureTerraformToolchain, terraformEnv, cacheDir } from "../../scripts/terraform-toolchain.mjs";
import { runCommand } from "../../scripts/run.mjs";

export interface Toolchain {
  readonly terraform: string | null;
  readonly version: string | null;
  readonly mirror: string | null;
  readonly cliConfig: string | null;
  readonly reason: string | null;
}

let cached: Toolchain | undefined;
export function toolchain(): Toolchain {
  cached ??= ensureTerraformToolchain() as Toolchain;
  return cached;
}

export function tfEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return terraformEnv(toolchain(), extra);
}

export interface TerraformRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
}

/**
 * Runs terraform; resolves with status and output (never rejects on a non-zero exit).
 * Asynchronous on purpose: a test worker blocked in a synchronous child process for long cannot answer vitest's
 * RPC, and vitest then fails the run with "Timeout calling onTaskUpdate".
 */
export async function terraform(args: readonly string[], cwd: string, extraEnv: Record<string, string> = {}, timeoutMs = 600_000): Promise<TerraformRun> {
  const t = toolchain();
  if (!t.terraform) throw new Error(`terraform unavailable: ${t.reason}`);
  const r = (await runCommand(t.terraform, [...args], { cwd, env: tfEnv(extraEnv), timeoutMs })) as { status: number; stdout: string; stderr: string };
  return { ...r, output: `${r.stdout}${r.stderr}` };
}

const workspace = join(cacheDir as string, "validate-workspace");

/** Initializes the shared provider workspace once per process. */
async function initWorkspace(): Promise<void> {
  if (existsSync(join(workspace, ".terraform.lock.hcl")) && existsSync(join(workspace, ".terraform", "providers"))) return;
  mkdirSync(workspace, { recursive: true });
  writeFileSync(
    join(workspace, "main.tf.json"),
    JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "~> 5.100" } } } }, null, 2),
  );
  const r = await terraform(["init", "-backend=false", "-input=false", "-no-color"], workspace);
  if (r.status !== 0) throw new Error(`terraform init failed in ${workspace}:\n${r.output}`);
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly diagnostics: readonly { severity: string; summary: string; detail?: string; address?: string }[];
}

/** `terraform validate -json` on one synthesized stack directory (holding cdk.tf.json). */
export async function validateStackDir(stackDir: string): Promise<ValidateResult> {
  await initWorkspace();
  const dir = mkdtempSync(join(cacheDir as string, "validate-"));
  try {
    copyFileSync(join(stackDir, "cdk.tf.json"), join(dir, "cdk.tf.json"));
    copyFileSync(join(workspace, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
    mkdirSync(join(dir, ".terraform"));
    symlinkSync(resolve(workspace, ".terraform", "providers"), join(dir, ".terraform", "providers"));
    const r = await terraform(["validate", "-json", "-no-color"], dir);
    const parsed = JSON.parse(r.stdout || "{}");
    return {
      valid: parsed.valid === true,
      errorCount: parsed.error_count ?? -1,
      warningCount: parsed.warning_count ?? 0,
      diagnostics: parsed.diagnostics ?? [{ severity: "error", summary: r.output }],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Human-readable diagnostics for a failing assertion. */
export function describeDiagnostics(r: ValidateResult): string {
  return r.diagnostics.map((d) => `${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ""}${d.detail ? `\n  ${d.detail}` : ""}`).join("\n");
}

/** Synthesizes a cdktf app into a temp outdir and returns the stack directories by stack name. */
export function stackDirs(outdir: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  return Object.fromEntries(Object.entries(manifest.stacks as Record<string, { workingDirectory: string }>).map(([name, s]) => [name, join(outdir, s.workingDirectory)]));
}

export function terraformVersion(): string {
  const t = toolchain();
  return t.terraform ? execFileSync(t.terraform, ["version"], { encoding: "utf8" }).split("\n")[0] : "unavailable";
}

/** Builds constructs in a fresh stack (with an AWS provider), synthesizes it to disk and validates it. */
export async function validateConstructs(build: (stack: import("cdktf").TerraformStack) => void): Promise<ValidateResult> {
  // Loaded lazily so that the toolchain helpers above stay usable without cdktf.
  const { App, TerraformStack } = require("cdktf") as typeof import("cdktf");
  const { AwsProvider } = require("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
  const outdir = mkdtempSync(join(cacheDir as string, "synth-"));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    build(stack);
    app.synth();
    return await validateStackDir(stackDirs(outdir).test);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
