/**
 * Helpers for the emulator tier (__tests__/emulator) and the policy tier (__tests__/policy): synthesize the app,
 * read the stacks from cdktf.out/manifest.json, run Terraform against moto, work out which resources the emulator
 * cannot create (emulator-gaps.ts), and read plans and state files.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { notCreated, perpetualDiff, SECRET_ATTRIBUTES } from "./emulator-gaps";
import { toolchain, tfEnv } from "./terraform";
import { referencedAddresses } from "../../stacks/references";

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
// What the emulator can apply: -target lists from the synthesized JSON

export interface Untargeted {
  readonly address: string;
  readonly type: string;
  /** The gap (type -> API call) or the untargeted resource it depends on. */
  readonly reason: string;
}

export interface TargetPlan {
  /** Every managed resource address in the stack. */
  readonly all: readonly string[];
  /** -target addresses; empty when nothing is left out (then plan and apply run without -target). */
  readonly targets: readonly string[];
  readonly untargeted: readonly Untargeted[];
  /** Resources the re-plan may show as changed: their type is listed as a perpetual diff. */
  readonly perpetual: readonly string[];
}

/** The addresses among `known` that a synthesized value refers to (stacks/references.ts reads the expressions). */
function collectRefs(value: Json, known: Set<string>, into: Set<string>): void {
  for (const address of referencedAddresses(value)) if (known.has(address)) into.add(address);
}

/** address -> addresses it references (resources and data sources, including depends_on). */
export function dependencyGraph(config: JsonObject): Map<string, Set<string>> {
  const nodes = new Map<string, Json>();
  for (const [type, byName] of Object.entries((config.resource ?? {}) as JsonObject)) {
    for (const [name, body] of Object.entries(byName as JsonObject)) nodes.set(`${type}.${name}`, body);
  }
  for (const [type, byName] of Object.entries((config.data ?? {}) as JsonObject)) {
    for (const [name, body] of Object.entries(byName as JsonObject)) nodes.set(`data.${type}.${name}`, body);
  }
  const known = new Set(nodes.keys());
  const graph = new Map<string, Set<string>>();
  for (const [address, body] of nodes) {
    const refs = new Set<string>();
    collectRefs(body, known, refs);
    refs.delete(address);
    graph.set(address, refs);
  }
  return graph;
}

const typeOf = (address: string) => (address.startsWith("data.") ? address.split(".")[1] : address.split(".")[0]);

/**
 * Which resources to apply on the emulator: all but those of an open "not created" type and everything that
 * references one of those (transitively).
 */
export function planTargets(config: JsonObject, gapOf: (type: string) => { missing: string } | undefined = notCreated): TargetPlan {
  const graph = dependencyGraph(config);
  const resources = [...graph.keys()].filter((a) => !a.startsWith("data."));
  const out = new Map<string, Untargeted>();
  const leaveOut = (address: string, reason: string) => {
    if (!out.has(address)) out.set(address, { address, type: typeOf(address), reason });
  };
  const propagate = () => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const [address, refs] of graph) {
        if (out.has(address)) continue;
        const blocker = [...refs].find((r) => out.has(r));
        if (blocker) {
          leaveOut(address, `depends on ${blocker}`);
          changed = true;
        }
      }
    }
  };
  for (const address of resources) {
    const gap = gapOf(typeOf(address));
    if (gap) leaveOut(address, gap.missing);
  }
  propagate();
  const untargeted = [...out.values()].filter((u) => !u.address.startsWith("data."));
  const targets = untargeted.length ? resources.filter((a) => !out.has(a)) : [];
  const perpetual = resources.filter((a) => !out.has(a) && perpetualDiff(typeOf(a)) !== undefined);
  return { all: resources, targets, untargeted, perpetual };
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
// Plans and state

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
}

/** Resource changes of `terraform show -json <planfile>` that are not no-ops or reads. */
export function plannedChanges(planJson: JsonObject): PlannedChange[] {
  const changes = (planJson.resource_changes ?? []) as JsonObject[];
  return changes
    .map((c) => ({ address: String(c.address), type: String(c.type), actions: (((c.change as JsonObject).actions ?? []) as string[]) }))
    .filter((c) => !(c.actions.length === 1 && (c.actions[0] === "no-op" || c.actions[0] === "read")));
}

/** True when a planned value holds an unknown anywhere (after_unknown marks are `true` at any depth). */
function holdsUnknown(mark: Json | undefined): boolean {
  if (mark === true) return true;
  if (Array.isArray(mark)) return mark.some(holdsUnknown);
  if (mark && typeof mark === "object") return Object.values(mark).some(holdsUnknown);
  return false;
}

/**
 * Top-level attributes a planned change alters with a known value. Attributes that only become "known after
 * apply" are not counted: those follow from a replaced resource they reference, not from this resource's config.
 */
export function knownChanges(change: JsonObject): string[] {
  const before = (change.before ?? {}) as JsonObject;
  const after = (change.after ?? {}) as JsonObject;
  const unknown = (change.after_unknown ?? {}) as JsonObject;
  // An empty map or list and null are the same setting (`tags = {} -> null` inside a replacement is not a change).
  const norm = (v: Json | undefined) => {
    if (v === undefined || v === null) return "null";
    if ((Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0)) return "null";
    return JSON.stringify(v);
  };
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !holdsUnknown(unknown[k]) && norm(before[k]) !== norm(after[k])).sort();
}

export interface KnockOn {
  readonly address: string;
  readonly actions: readonly string[];
  /** The replaced resource it references. */
  readonly because: string;
}

/**
 * Changes that are only the consequence of a tolerated replacement: a resource (or output) that references a
 * resource being replaced, and whose every altered attribute is "known after apply". Replacements found this way
 * count as replaced in turn (e.g. an EKS cluster replaced -> its OIDC provider's url unknown -> replaced -> the IRSA
 * roles' trust policies unknown).
 */
export function knockOnChanges(planJson: JsonObject, config: JsonObject, tolerated: readonly string[]): { resources: KnockOn[]; outputs: KnockOn[] } {
  const graph = dependencyGraph(config);
  const changes = new Map(((planJson.resource_changes ?? []) as JsonObject[]).map((c) => [String(c.address), c.change as JsonObject]));
  const isReplace = (c: JsonObject | undefined) => ((c?.actions ?? []) as string[]).includes("delete") && ((c?.actions ?? []) as string[]).includes("create");
  const replaced = new Set(tolerated.filter((a) => isReplace(changes.get(a))));
  const found = new Map<string, KnockOn>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [address, change] of changes) {
      if (found.has(address) || tolerated.includes(address)) continue;
      const actions = (change.actions ?? []) as string[];
      if (actions.length === 1 && (actions[0] === "no-op" || actions[0] === "read")) continue;
      const because = [...(graph.get(address) ?? [])].find((r) => replaced.has(r));
      if (!because || knownChanges(change).length > 0) continue;
      found.set(address, { address, actions, because });
      if (isReplace(change)) replaced.add(address);
      grew = true;
    }
  }
  const known = new Set(graph.keys());
  const outputs: KnockOn[] = [];
  for (const [name, c] of Object.entries((planJson.output_changes ?? {}) as JsonObject)) {
    const change = c as JsonObject;
    const actions = (change.actions ?? []) as string[];
    if (actions.length === 1 && actions[0] === "no-op") continue;
    const refs = new Set<string>();
    collectRefs(((config.output ?? {}) as JsonObject)[name] ?? null, known, refs);
    const because = [...refs].find((r) => replaced.has(r));
    if (because && change.after_unknown === true) outputs.push({ address: `output.${name}`, actions, because });
  }
  return { resources: [...found.values()], outputs };
}

/** Output changes of a plan (address and actions), not counting no-ops. */
export function plannedOutputChanges(planJson: JsonObject): { name: string; actions: readonly string[] }[] {
  return Object.entries((planJson.output_changes ?? {}) as JsonObject)
    .map(([name, c]) => ({ name, actions: (((c as JsonObject).actions ?? []) as string[]) }))
    .filter((c) => !(c.actions.length === 1 && c.actions[0] === "no-op"));
}

export interface SecretFinding {
  readonly address: string;
  readonly attribute: string;
}

/** Attributes named password/master_password/auth_token/secret_string holding a non-empty value, anywhere in a state (G7). */
export function secretsInState(state: JsonObject): SecretFinding[] {
  const found: SecretFinding[] = [];
  const walk = (value: Json, path: string, address: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, address));
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        const here = path ? `${path}.${k}` : k;
        if (SECRET_ATTRIBUTES.includes(k) && typeof v === "string" && v !== "") found.push({ address, attribute: here });
        else walk(v, here, address);
      }
    }
  };
  for (const r of (state.resources ?? []) as JsonObject[]) {
    const address = `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
    ((r.instances ?? []) as JsonObject[]).forEach((inst, i) => walk((inst.attributes ?? {}) as Json, "", ((r.instances as Json[]).length > 1 ? `${address}[${i}]` : address)));
  }
  return found;
}

/** Managed resources in a state: address -> attributes (first instance). */
export function stateResources(state: JsonObject): Map<string, JsonObject> {
  const m = new Map<string, JsonObject>();
  for (const r of (state.resources ?? []) as JsonObject[]) {
    if (r.mode !== "managed") continue;
    const inst = ((r.instances ?? []) as JsonObject[])[0];
    if (inst) m.set(`${r.type}.${r.name}`, (inst.attributes ?? {}) as JsonObject);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------------------------
// Talking to the emulator directly (no AWS SDK or CLI on this machine: moto takes plain HTTP with a fake SigV4 header)

function fakeAuthorization(service: string, region = "eu-west-1"): string {
  return `AWS4-HMAC-SHA256 Credential=emulator/20240101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000`;
}

/** A DynamoDB JSON API call (PutItem, DeleteItem, GetItem, ...). */
export async function dynamodb(endpoint: string, action: string, body: JsonObject): Promise<{ status: number; body: string }> {
  const r = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": `DynamoDB_20120810.${action}`,
      "X-Amz-Date": "20240101T000000Z",
      Authorization: fakeAuthorization("dynamodb"),
    },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.text() };
}

/** A path-style S3 call, e.g. s3(endpoint, "DELETE", "/bucket?policy"). */
export async function s3(endpoint: string, method: string, path: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`${endpoint}${path}`, { method, headers: { "X-Amz-Date": "20240101T000000Z", Authorization: fakeAuthorization("s3") } });
  return { status: r.status, body: await r.text() };
}

/** An AWS query-protocol call (RDS, EC2, ...): form-encoded POST; returns the XML text. */
export async function query(endpoint: string, service: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
  const r = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Amz-Date": "20240101T000000Z", Authorization: fakeAuthorization(service) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: r.status, body: await r.text() };
}

/**
 * Deletes every DB instance left on the emulator (after a failed destroy): moto reads all of them through one
 * shared DbiResourceId, so a leftover would break the next stack's DB instance. Returns the identifiers removed.
 */
export async function removeLeftoverDbInstances(endpoint: string): Promise<string[]> {
  const list = await query(endpoint, "rds", { Action: "DescribeDBInstances", Version: "2014-10-31" });
  const ids = [...list.body.matchAll(/<DBInstanceIdentifier>([^<]+)<\/DBInstanceIdentifier>/g)].map((m) => m[1]);
  for (const id of ids) {
    await query(endpoint, "rds", { Action: "ModifyDBInstance", Version: "2014-10-31", DBInstanceIdentifier: id, DeletionProtection: "false", ApplyImmediately: "true" });
    await query(endpoint, "rds", { Action: "DeleteDBInstance", Version: "2014-10-31", DBInstanceIdentifier: id, SkipFinalSnapshot: "true", DeleteAutomatedBackups: "true" });
  }
  return ids;
}

/** The lock item Terraform's S3 backend writes to the DynamoDB table: LockID "<bucket>/<key>". */
export function lockItem(bucket: string, key: string, who: string): JsonObject {
  const info = {
    ID: "00000000-0000-0000-0000-000000000001",
    Operation: "OperationTypeApply",
    Info: "",
    Who: who,
    Version: "1.11.4",
    Created: new Date().toISOString(),
    Path: `${bucket}/${key}`,
  };
  return { LockID: { S: `${bucket}/${key}` }, Info: { S: JSON.stringify(info) } };
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
