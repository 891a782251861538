/**
 * Helpers for the emulator tier (__tests__/emulator) and the policy tier (__tests__/policy): synthesize the app,
 * read the stacks from cdktf.out/manifest.json and run Terraform against moto. Which resources the emulator cannot
 * create and what a plan changes: emulator-plan.ts; state files and direct emulator calls: emulator-state.ts.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { toolchain, tfEnv } from "./terraform";

/** The repository root: the nearest directory up from here holding cdktf.json (robust to how this file is loaded). */
function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "cdktf.json"))) return dir;
    if (dirname(dir) === dir) return resolve(__dirname, "..", "..");
  }
}
export const root = findRoot(__dirname);

// ---------------------------------------------------------------------------------------------------------------
// Synthesis and the manifest

/** Plain JSON as synthesized (cdk.tf.json) or pulled (state): the tier only reads it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface SynthOptions {
  /** cdktf outdir; its parent must exist. */
  readonly outdir: string;
  /** AWS_EMULATOR_ENDPOINT for main.ts: provider and S3 backend point there. @default none (normal synth) */
  readonly endpoint?: string;
  /** SYSTEMS for main.ts. @default process.env.SYSTEMS (all when unset) */
  readonly systems?: string;
  /** ENVIRONMENTS for main.ts. @default process.env.ENVIRONMENTS (all when unset) */
  readonly environments?: string;
}

/** The command cdktf runs to synthesize (cdktf.json "app"), so that what is tested is what `cdktf synth` produces. */
export function appCommand(): string {
  const app = (JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")) as { app?: string }).app;
  return app ?? "node node_modules/tsx/dist/cli.mjs main.ts";
}

/** Runs cdktf.json's "app" (main.ts) with CDKTF_OUTDIR. Returns combined output; throws on failure. */
export function synthesize(options: SynthOptions): { seconds: number; output: string } {
  mkdirSync(dirname(options.outdir), { recursive: true });
  rmSync(options.outdir, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: options.outdir };
  delete env.AWS_EMULATOR_ENDPOINT;
  if (options.endpoint) env.AWS_EMULATOR_ENDPOINT = options.endpoint;
  if (options.systems !== undefined) env.SYSTEMS = options.systems;
  if (options.environments !== undefined) env.ENVIRONMENTS = options.environments;
  const started = Date.now();
  const r = spawnSync(appCommand(), { cwd: root, env, encoding: "utf8", timeout: 300_000, maxBuffer: 64 << 20, shell: true });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (r.status !== 0) throw new Error(`synth failed (exit ${r.status ?? r.signal}):\n${output}`);
  return { seconds: (Date.now() - started) / 1000, output };
}

export type EnvironmentKind = "bootstrap" | "dev" | "staging" | "prod" | string;

export interface StackInfo {
  readonly name: string;
  /** Working directory holding cdk.tf.json. */
  readonly dir: string;
  readonly config: JsonObject;
  /** "s3", "local", ... */
  readonly backend: string;
  /** The S3 backend block, when there is one. */
  readonly s3Backend?: JsonObject;
  /** From the S3 state key `<system>/<env>/terraform.tfstate`, else from the `-<env>` name suffix, else the name. */
  readonly environment: EnvironmentKind;
}

/** Every stack in <outdir>/manifest.json, in manifest order. */
export function loadStacks(outdir: string): StackInfo[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { workingDirectory: string; synthesizedStackPath: string }> };
  return Object.entries(manifest.stacks).map(([name, s]) => {
    const config = JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8")) as JsonObject;
    const backends = (((config.terraform as JsonObject | undefined)?.backend ?? {}) as JsonObject);
    const backend = Object.keys(backends)[0] ?? "local";
    const s3Backend = backends.s3 as JsonObject | undefined;
    const keyEnv = typeof s3Backend?.key === "string" ? s3Backend.key.split("/")[1] : undefined;
    const suffix = /-(dev|staging|prod)$/.exec(name)?.[1];
    return { name, dir: join(outdir, s.workingDirectory), config, backend, s3Backend, environment: keyEnv ?? suffix ?? name };
  });
}

/**
 * Why a stack synthesized in emulator mode could still reach real AWS (empty when it cannot): every provider and
 * the S3 backend must name the emulator for each endpoint and carry the emulator's fake keys.
 */
export function emulatorLeaks(stack: StackInfo, endpoint: string): string[] {
  const problems: string[] = [];
  const providers = (((stack.config.provider as JsonObject | undefined)?.aws ?? []) as JsonObject[]);
  if (providers.length === 0) problems.push("no aws provider block");
  providers.forEach((p, i) => {
    const endpoints = ((p.endpoints as JsonObject[] | undefined) ?? [])[0] as JsonObject | undefined;
    if (!endpoints) problems.push(`provider aws[${i}] has no endpoints`);
    for (const [service, url] of Object.entries(endpoints ?? {})) if (url !== endpoint) problems.push(`provider aws[${i}] endpoint ${service} = ${String(url)}`);
    if (p.access_key !== "emulator") problems.push(`provider aws[${i}] does not use the emulator's access key`);
  });
  if (stack.backend === "s3") {
    const endpoints = (stack.s3Backend?.endpoints ?? {}) as JsonObject;
    for (const service of ["s3", "dynamodb", "sts", "iam"]) if (endpoints[service] !== endpoint) problems.push(`s3 backend endpoint ${service} = ${String(endpoints[service])}`);
    if (stack.s3Backend?.access_key !== "emulator") problems.push("s3 backend does not use the emulator's access key");
  } else if (stack.backend !== "local") {
    problems.push(`backend ${stack.backend} is neither s3 nor local`);
  }
  return problems;
}

/** The provider's endpoint key for a resource/data type, by prefix (longest first); "" when it calls no API. */
const SERVICE_BY_PREFIX: readonly (readonly [string, string])[] = [
  ["aws_appautoscaling_", "applicationautoscaling"], ["aws_autoscaling_", "autoscaling"], ["aws_backup_", "backup"],
  ["aws_cloudfront_", "cloudfront"], ["aws_cloudwatch_log_", "logs"], ["aws_cloudwatch_event_", "events"], ["aws_cloudwatch_", "cloudwatch"],
  ["aws_db_", "rds"], ["aws_rds_", "rds"], ["aws_docdb_", "docdb"], ["aws_dynamodb_", "dynamodb"], ["aws_ecr_", "ecr"], ["aws_ecs_", "ecs"],
  ["aws_efs_", "efs"], ["aws_eks_", "eks"], ["aws_elasticache_", "elasticache"], ["aws_iam_", "iam"], ["aws_kms_", "kms"], ["aws_lb", "elbv2"],
  ["aws_msk_", "kafka"], ["aws_s3_", "s3"], ["aws_secretsmanager_", "secretsmanager"], ["aws_service_discovery_", "servicediscovery"],
  ["aws_sns_", "sns"], ["aws_sqs_", "sqs"], ["aws_ssm_", "ssm"], ["aws_wafv2_", "wafv2"], ["aws_xray_", "xray"], ["aws_acm_", "acm"],
  ["aws_api_gateway_", "apigateway"], ["aws_cognito_", "cognitoidp"], ["aws_codedeploy_", "codedeploy"], ["aws_lambda_", "lambda"],
  ["aws_shield_", "shield"], ["aws_caller_identity", "sts"], ["aws_availability_zones", "ec2"], ["aws_vpc", "ec2"], ["aws_subnet", "ec2"],
  ["aws_route", "ec2"], ["aws_internet_gateway", "ec2"], ["aws_nat_gateway", "ec2"], ["aws_eip", "ec2"], ["aws_instance", "ec2"],
  ["aws_ebs_", "ec2"], ["aws_volume_attachment", "ec2"], ["aws_launch_template", "ec2"], ["aws_security_group", "ec2"],
  ["aws_default_security_group", "ec2"], ["aws_flow_log", "ec2"], ["aws_ami", "ec2"], ["aws_key_pair", "ec2"], ["aws_network_", "ec2"],
  ["aws_cloudtrail", "cloudtrail"], ["aws_region", ""], ["aws_partition", ""], ["aws_elb_service_account", ""],
].sort((a, b) => b[0].length - a[0].length) as [string, string][];

/**
 * Types whose API has no emulator endpoint in the provider block (they would reach the emulator only through
 * AWS_ENDPOINT_URL), and types this table does not know.
 */
export function endpointCoverage(stack: StackInfo): { missing: string[]; unknown: string[] } {
  const provider = (((stack.config.provider as JsonObject | undefined)?.aws ?? []) as JsonObject[])[0];
  const endpoints = (((provider?.endpoints as JsonObject[] | undefined) ?? [])[0] ?? {}) as JsonObject;
  const types = new Set([...Object.keys((stack.config.resource ?? {}) as JsonObject), ...Object.keys((stack.config.data ?? {}) as JsonObject)]);
  const missing: string[] = [];
  const unknown: string[] = [];
  for (const type of [...types].filter((t) => t.startsWith("aws_")).sort()) {
    const hit = SERVICE_BY_PREFIX.find(([prefix]) => type.startsWith(prefix));
    if (!hit) unknown.push(type);
    else if (hit[1] && endpoints[hit[1]] === undefined) missing.push(`${type} (${hit[1]})`);
  }
  return { missing, unknown };
}

// ---------------------------------------------------------------------------------------------------------------
// Running Terraform against the emulator

/** Environment for terraform: the project's CLI config, and every AWS call that escapes the config goes to moto. */
export function emulatorTfEnv(endpoint: string): NodeJS.ProcessEnv {
  const env = tfEnv({
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "emulator",
    AWS_SECRET_ACCESS_KEY: "emulator",
    AWS_REGION: "eu-west-1",
    AWS_EC2_METADATA_DISABLED: "true",
  });
  for (const k of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"]) delete env[k];
  return env;
}

export interface TfResult {
  readonly status: number;
  readonly output: string;
  readonly seconds: number;
  readonly command: string;
  /** API calls moto answered with NotImplementedError while this command ran (PascalCase), when the watchdog stopped it. */
  readonly emulatorLacks?: readonly string[];
  /** Resources still creating/destroying when the watchdog stopped terraform. */
  readonly stuck?: readonly string[];
  /** Resources that waited longer than stallSeconds, when that stopped terraform. */
  readonly stalled?: readonly string[];
}

export interface TfOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  readonly logFile?: string;
  /**
   * The emulator's log: when moto answers the same call with NotImplementedError 3 times (the provider retries such
   * calls for up to 20 minutes), terraform is interrupted at once and the result names the call.
   */
  readonly watchLog?: string;
  /**
   * Interrupt terraform when a resource is still creating/destroying after this many seconds: moto answers at once,
   * so a long wait means a waiter that will never be satisfied (an attribute the emulator does not keep). @default none
   */
  readonly stallSeconds?: number;
  /** Also receives the output as it comes (e.g. to echo it). */
  readonly onOutput?: (chunk: Buffer) => void;
  /** Sends `signal` to terraform once `when(output so far)` is true (the fault steps: SIGINT or SIGKILL part-way). */
  readonly signalWhen?: { readonly when: (output: string) => boolean; readonly signal: NodeJS.Signals };
  /** Keeps terraform's stdin open and hands over a writer (for answering a prompt); otherwise stdin is closed. */
  readonly stdin?: (write: (text: string) => void) => void;
}

const pascal = (snake: string) => snake.split("_").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");

/** Resources terraform reported as "Still creating/destroying/modifying" and never as complete. */
export function stuckResources(output: string): string[] {
  const pending = new Set<string>();
  for (const line of output.split("\n")) {
    const still = /^(\S+): Still (?:creating|destroying|modifying)\.\.\./.exec(line);
    if (still) pending.add(still[1]);
    const done = /^(\S+): (?:Creation|Destruction|Modifications) complete/.exec(line);
    if (done) pending.delete(done[1]);
  }
  return [...pending];
}

/** Runs terraform asynchronously (vitest stays responsive), tees its output to logFile when given. */
export function tf(args: readonly string[], cwd: string, options: TfOptions): Promise<TfResult> {
  const t = toolchain();
  if (!t.terraform) throw new Error(`terraform unavailable: ${t.reason}`);
  const bin = t.terraform;
  const command = `terraform ${args.join(" ")}`;
  const shown = args.filter((a) => !a.startsWith("-target=")).join(" ");
  const targetCount = args.length - args.filter((a) => !a.startsWith("-target=")).length;
  return new Promise((resolvePromise) => {
    const started = Date.now();
    const child = spawn(bin, args, { cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    if (options.stdin) options.stdin((text) => child.stdin.write(text));
    else child.stdin.end();
    const chunks: Buffer[] = [];
    // The log grows as terraform runs, so a long apply can be followed with `tail -f`.
    if (options.logFile) {
      mkdirSync(dirname(options.logFile), { recursive: true });
      writeFileSync(options.logFile, `$ terraform ${shown}${targetCount ? ` (+${targetCount} -target)` : ""}\n`);
    }
    let stalled: string[] | undefined;
    let signalled = false;
    const collect = (c: Buffer) => {
      chunks.push(c);
      if (options.logFile) appendFileSync(options.logFile, c);
      options.onOutput?.(c);
      if (options.signalWhen && !signalled && options.signalWhen.when(Buffer.concat(chunks).toString("utf8"))) {
        signalled = true;
        child.kill(options.signalWhen.signal);
      }
      if (!options.stallSeconds || stalled) return;
      const late = [...c.toString("utf8").matchAll(/^(\S+): Still (?:creating|destroying|modifying)\.\.\. \[(?:id=[^,\]]*, )?(?:(\d+)m)?(\d+)s elapsed\]/gm)]
        .filter((m) => Number(m[2] ?? 0) * 60 + Number(m[3]) >= (options.stallSeconds ?? Infinity))
        .map((m) => m[1]);
      if (late.length) {
        stalled = [...new Set(late)];
        stop();
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const stop = () => {
      // Interrupt first (terraform stops cleanly, releases the lock and writes state), then insist.
      child.kill("SIGINT");
      setTimeout(() => child.exitCode === null && child.kill("SIGTERM"), 60_000).unref();
      setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 90_000).unref();
    };
    const timer = setTimeout(stop, options.timeoutMs ?? 1_500_000);
    let lacks: string[] | undefined;
    let watcher: NodeJS.Timeout | undefined;
    if (options.watchLog && existsSync(options.watchLog)) {
      const logFile = options.watchLog;
      let offset = statSync(logFile).size;
      const counts = new Map<string, number>();
      watcher = setInterval(() => {
        const size = statSync(logFile).size;
        if (size <= offset) return;
        const fd = openSync(logFile, "r");
        const buffer = Buffer.alloc(size - offset);
        readSync(fd, buffer, 0, buffer.length, offset);
        closeSync(fd);
        offset = size;
        // Two phrasings: "The create_user_group action has not been implemented", "Monitoring.monitor_instances is not yet implemented".
        for (const m of buffer.toString("utf8").matchAll(/NotImplementedError: (?:The (\w+) action has not been implemented|(?:\w+\.)?(\w+) is not yet implemented)/g)) {
          const action = m[1] ?? m[2];
          counts.set(action, (counts.get(action) ?? 0) + 1);
        }
        const repeated = [...counts].filter(([, n]) => n >= 3).map(([a]) => pascal(a));
        if (repeated.length && !lacks) {
          lacks = repeated;
          stop();
        }
      }, 2_000);
    }
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (watcher) clearInterval(watcher);
      let output = Buffer.concat(chunks).toString("utf8");
      const stuck = lacks ? stuckResources(output) : undefined;
      if (stalled && !lacks) {
        const note = `\n[emulator tier] interrupted: ${stalled.join(", ")} still waiting after ${options.stallSeconds} s. moto answers at once, so the provider is waiting for something the emulator never reports (see docs/emulator.md).\n`;
        output += note;
        if (options.logFile) appendFileSync(options.logFile, note);
      }
      if (lacks) {
        const note = `\n[emulator tier] interrupted: moto does not implement ${lacks.join(", ")} (NotImplementedError, retried by the provider). Resources still in progress: ${stuck?.join(", ") || "none reported"}. Add the type that makes this call to docs/emulator.md and __tests__/support/emulator-gaps.ts.\n`;
        output += note;
        if (options.logFile) appendFileSync(options.logFile, note);
      }
      resolvePromise({ status: code ?? (signal ? 128 : -1), output, seconds: (Date.now() - started) / 1000, command, ...(lacks ? { emulatorLacks: lacks, stuck } : {}), ...(stalled ? { stalled } : {}) });
    });
  });
}

/** The last lines of a command's output, for assertion messages. */
export function tail(output: string, lines = 40): string {
  return output.trimEnd().split("\n").slice(-lines).join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Output

/** A plain-text table for console.log. */
export function table(rows: readonly Record<string, string | number>[], columns: readonly string[]): string {
  if (rows.length === 0) return "(none)";
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" | ").trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map((r) => line(columns.map((c) => String(r[c] ?? ""))))].join("\n");
}

/** A free TCP port on 127.0.0.1, found synchronously (tests are declared before any hook runs). */
export function freePortSync(): number {
  const r = spawnSync(
    process.execPath,
    ["-e", "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"],
    { encoding: "utf8" },
  );
  const port = Number(r.stdout.trim());
  if (!Number.isInteger(port) || port <= 0) throw new Error(`could not find a free port: ${r.stderr}`);
  return port;
}
