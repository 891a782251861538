/**
 * Runs the real Terraform CLI on synthesized stacks.
 * `terraform init` runs once, in a shared workspace, with the project's CLI config (local mirror when there is one);
 * each stack is then validated in its own directory that links to that workspace's providers, so 16 stacks cost
 * one provider install, not 16. Validations run side by side, as many at once as the machine has cores (most of a
 * `terraform validate` is loading the provider's schema, on one core). Module fixtures are validated together, each
 * in its own scope of one configuration: one schema load for all of them.
 */
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
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

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `task` when fewer than `availableParallelism()` validations are running. */
async function withSlot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= availableParallelism()) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

let init: Promise<void> | undefined;

/** `terraform validate -json` on one synthesized stack directory (holding cdk.tf.json). */
export async function validateStackDir(stackDir: string): Promise<ValidateResult> {
  await (init ??= initWorkspace());
  return withSlot(() => validateCopy(stackDir));
}

async function validateCopy(stackDir: string): Promise<ValidateResult> {
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

/**
 * Validates many stack directories in one `terraform validate`: each becomes a module of one root configuration
 * (`module "<name>" { source = "./<name>" }`), so the provider's schema loads once instead of once per stack. A
 * stack's diagnostics are those whose file lies in its module directory; Terraform's note that a module's backend
 * block is ignored (only a root module has one) is dropped.
 */
export async function validateStackDirs(dirs: Readonly<Record<string, string>>): Promise<{ result: ValidateResult; byStack: Record<string, ValidateResult["diagnostics"]> }> {
  await (init ??= initWorkspace());
  const root = mkdtempSync(join(cacheDir as string, "validate-stacks-"));
  try {
    const modules: Record<string, { source: string }> = {};
    for (const [name, dir] of Object.entries(dirs)) {
      mkdirSync(join(root, name));
      copyFileSync(join(dir, "cdk.tf.json"), join(root, name, "cdk.tf.json"));
      modules[name] = { source: `./${name}` };
    }
    writeFileSync(join(root, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "~> 5.100" } } }, module: modules }, null, 2));
    copyFileSync(join(workspace, ".terraform.lock.hcl"), join(root, ".terraform.lock.hcl"));
    const initRun = await terraform(["init", "-backend=false", "-input=false", "-no-color"], root);
    if (initRun.status !== 0) throw new Error(`terraform init failed in ${root}:\n${initRun.output}`);
    const r = await withSlot(() => terraform(["validate", "-json", "-no-color"], root));
    const parsed = JSON.parse(r.stdout || "{}");
    const diagnostics: ValidateResult["diagnostics"] = (parsed.diagnostics ?? [{ severity: "error", summary: r.output }]).filter(
      (d: { summary?: string }) => !/^Backend configuration ignored/.test(d.summary ?? ""),
    );
    const byStack = Object.fromEntries(Object.keys(dirs).map((name) => [name, diagnostics.filter((d) => JSON.stringify(d).includes(`"${name}/`))]));
    const result = { valid: parsed.valid === true, errorCount: parsed.error_count ?? -1, warningCount: parsed.warning_count ?? 0, diagnostics };
    return { result, byStack };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * validateStackDirs over `groups` interleaved parts of the stacks at once (one per core by default): one validation
 * of all 16 stacks is mostly the provider answering for each resource, on one core.
 */
export async function validateStackGroups(dirs: Readonly<Record<string, string>>, groups = availableParallelism()): Promise<{ result: ValidateResult; byStack: Record<string, ValidateResult["diagnostics"]> }> {
  const names = Object.keys(dirs);
  const parts = Array.from({ length: Math.max(1, Math.min(groups, names.length)) }, (_, g) => Object.fromEntries(names.filter((_n, i) => i % groups === g).map((n) => [n, dirs[n]])));
  const results = await Promise.all(parts.map((part) => validateStackDirs(part)));
  const diagnostics = results.flatMap((r) => r.result.diagnostics);
  return {
    result: { valid: results.every((r) => r.result.valid), errorCount: results.reduce((n, r) => n + r.result.errorCount, 0), warningCount: results.reduce((n, r) => n + r.result.warningCount, 0), diagnostics },
    byStack: Object.assign({}, ...results.map((r) => r.byStack)),
  };
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

/** A module fixture of the terraform tier: `build` adds constructs to `scope`, a construct of its own in a stack. */
export interface ModuleFixture {
  /** The module's folder under modules/. */
  readonly module: string;
  /** What the fixture exercises, as a test title. */
  readonly title: string;
  readonly build: (scope: import("constructs").Construct) => void;
}

export interface FixtureValidation {
  /** The combined configuration's result. */
  readonly result: ValidateResult;
  /** Scope id of each fixture (its resources' logical ids start with `<scope>_`), in the order given. */
  readonly scopes: readonly string[];
  /** Diagnostics naming a fixture's resources, by fixture index; the rest are in `unattributed`. */
  readonly byFixture: readonly ValidateResult["diagnostics"][];
  readonly unattributed: ValidateResult["diagnostics"];
}

/**
 * Builds every fixture into its own scope of one stack (with an AWS provider), synthesizes it and validates it once.
 * Each diagnostic is attributed to the fixture whose scope id it names.
 */
export async function validateFixtures(fixtures: readonly ModuleFixture[]): Promise<FixtureValidation> {
  const { Construct } = require("constructs") as typeof import("constructs");
  const camel = (s: string) => s.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
  const scopes = fixtures.map((f, i) => `Fx${String(i).padStart(2, "0")}${camel(f.module)}`);
  const result = await validateConstructs((stack) => fixtures.forEach((f, i) => f.build(new Construct(stack, scopes[i]))));
  const byFixture = fixtures.map(() => [] as ValidateResult["diagnostics"][number][]);
  const unattributed: ValidateResult["diagnostics"][number][] = [];
  for (const d of result.diagnostics) {
    const text = JSON.stringify(d);
    const i = scopes.findIndex((s) => text.includes(`${s}_`));
    (i >= 0 ? byFixture[i] : unattributed).push(d);
  }
  return { result, scopes, byFixture, unattributed };
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
