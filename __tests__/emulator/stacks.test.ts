/**
 * Emulator tier: every synthesized stack against moto on 127.0.0.1, through the product's real S3 backend and
 * DynamoDB lock table (created by the bootstrap stack on the emulator first).
 *
 *   bootstrap        init (local backend), plan, apply, re-plan (no changes), state checks (BS1, BS2, G7)
 *   lock             a lock item in the DynamoDB table blocks `terraform plan`; deleting it unblocks it (G2)
 *   every dev stack  init (S3 backend), plan, apply, re-plan (no changes), state scan (G7), destroy
 *   staging, prod    init (S3 backend) and plan
 *
 * Stacks come from cdktf.out/manifest.json (SYSTEMS / ENVIRONMENTS narrow them as for main.ts; bootstrap is
 * always added). Resources the emulator cannot create are left out of apply by type (docs/emulator.md,
 * support/emulator-gaps.ts) and printed per stack. Logs of every terraform run: .cache/emulator-tier/logs/.
 * Summary with durations: .cache/emulator-report.json.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  dynamodb,
  emulatorLeaks,
  emulatorTfEnv,
  endpointCoverage,
  freePortSync,
  JsonObject,
  loadStacks,
  lockItem,
  planTargets,
  knockOnChanges,
  plannedChanges,
  plannedOutputChanges,
  root,
  s3,
  secretsInState,
  StackInfo,
  stateResources,
  synthesize,
  table,
  tail,
  TargetPlan,
  tf,
  TfResult,
} from "../support/emulator";
import { perpetualDiff } from "../support/emulator-gaps";
import { stateBackend } from "../../environments/bootstrap";
import { Guarded, Interrupted, interruptedApply, Killed, killedHoldingLock, lockIdOf, preventDestroyGuard, Restored, restoreFromVersions } from "../support/emulator-faults";
import { startEmulator, stopEmulator } from "../../scripts/emulator.mjs";
import { cloudsplaining, countBy, fetchAuthorizationDetails, mergeDetails, parliament, parliamentErrors, policyDocuments, readExceptions, roleNames, unexcepted } from "../../scripts/iam-audit.mjs";
import type { CloudsplainingFinding, ParliamentFinding, PolicyDocument } from "../../scripts/iam-audit.mjs";

// ---- Synthesis happens while tests are collected: one test per stack needs the manifest first. ----------------

const runDir = join(root, ".cache", "emulator-tier");
const outdir = join(runDir, "cdktf.out");
const logDir = join(runDir, "logs");
const reportFile = join(root, ".cache", "emulator-report.json");
const port = freePortSync();
const endpoint = `http://127.0.0.1:${port}`;
const recordFile = join(root, ".cache", "emulator-test.json");

function selectedSystems(): string | undefined {
  const list = (process.env.SYSTEMS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return undefined;
  return [...new Set(["bootstrap", ...list])].join(",");
}

rmSync(runDir, { recursive: true, force: true });
mkdirSync(logDir, { recursive: true });
let synthError: Error | undefined;
let synthSeconds = 0;
let stacks: StackInfo[] = [];
try {
  synthSeconds = synthesize({ outdir, endpoint, systems: selectedSystems() }).seconds;
  stacks = loadStacks(outdir);
} catch (error) {
  synthError = error as Error;
}
const bootstrap = stacks.find((s) => s.name === "bootstrap");
const devStacks = stacks.filter((s) => s.backend === "s3" && s.environment === "dev");
const planOnlyStacks = stacks.filter((s) => s.backend === "s3" && s.environment !== "dev");

// ---- Shared state and the report ------------------------------------------------------------------------------

const env = emulatorTfEnv(endpoint);
const seconds = (n: number) => `${n.toFixed(1)}s`;

interface StackReport {
  stack: string;
  environment: string;
  resources: number;
  untargeted: { address: string; type: string; reason: string }[];
  steps: Record<string, { ok: boolean; seconds: number; detail?: string }>;
  perpetualDiffsExcluded: string[];
}
const report: Record<string, StackReport> = {};
const notes: string[] = [];
let emulatorRecord: { pid: number; endpoint: string; logFile: string } | undefined;

function stackReport(stack: StackInfo, targets?: TargetPlan): StackReport {
  report[stack.name] ??= {
    stack: stack.name,
    environment: stack.environment,
    resources: targets?.all.length ?? 0,
    untargeted: [...(targets?.untargeted ?? [])],
    steps: {},
    perpetualDiffsExcluded: [],
  };
  return report[stack.name];
}

function record(stack: StackInfo, step: string, r: TfResult, ok: boolean, detail?: string): void {
  if (r.emulatorLacks) detail = `stopped: moto lacks ${r.emulatorLacks.join(", ")}; in progress: ${r.stuck?.join(", ") || "-"}`;
  else if (r.stalled) detail = `stopped: still waiting after ${STALL_SECONDS} s: ${r.stalled.join(", ")}`;
  stackReport(stack).steps[step] = { ok, seconds: Math.round(r.seconds * 10) / 10, ...(detail ? { detail } : {}) };
  console.log(`[emulator] ${stack.name}: ${step} ${ok ? "ok" : "FAILED"} in ${seconds(r.seconds)}${detail ? ` (${detail})` : ""}`);
}

// A resource still creating after 5 minutes on moto will not finish (the slowest normal waits, S3 lifecycle rules, take ~1).
const STALL_SECONDS = 300;
const run = (stack: StackInfo, step: string, args: string[], timeoutMs?: number) =>
  tf(args, stack.dir, { env, timeoutMs, logFile: join(logDir, `${stack.name}.${step}.log`), watchLog: emulatorRecord?.logFile, stallSeconds: STALL_SECONDS });
const targetArgs = (t: TargetPlan) => t.targets.map((a) => `-target=${a}`);

function printUntargeted(stack: StackInfo, t: TargetPlan): void {
  if (t.untargeted.length === 0) {
    console.log(`[emulator] ${stack.name}: all ${t.all.length} resources are applied (nothing the emulator lacks)`);
    return;
  }
  console.log(
    `[emulator] ${stack.name}: ${t.untargeted.length} of ${t.all.length} resources NOT applied (the emulator cannot create them; docs/emulator.md):\n` +
      table(t.untargeted.map((u) => ({ resource: u.address, type: u.type, reason: u.reason })), ["resource", "type", "reason"]),
  );
}

/** plan -out + apply of the plan; returns the apply result. */
async function planAndApply(stack: StackInfo, t: TargetPlan): Promise<{ plan: TfResult; apply?: TfResult }> {
  const plan = await run(stack, "plan", ["plan", "-input=false", "-no-color", "-parallelism=20", "-out=tfplan", ...targetArgs(t)], 900_000);
  record(stack, "plan", plan, plan.status === 0, /Plan: .*/.exec(plan.output)?.[0]);
  if (plan.status !== 0) return { plan };
  const apply = await run(stack, "apply", ["apply", "-input=false", "-no-color", "-parallelism=20", "tfplan"], 1_500_000);
  record(stack, "apply", apply, apply.status === 0, /Apply complete! .*/.exec(apply.output)?.[0]);
  return { plan, apply };
}

interface Replan {
  readonly ok: boolean;
  readonly message: string;
  readonly excluded: string[];
}

/** plan -detailed-exitcode again: no changes, except on types the gap table lists as perpetual diffs. */
async function replan(stack: StackInfo, t: TargetPlan): Promise<Replan> {
  const r = await run(stack, "replan", ["plan", "-input=false", "-no-color", "-parallelism=20", "-detailed-exitcode", "-out=replan.tfplan", ...targetArgs(t)], 900_000);
  if (r.status === 0) {
    record(stack, "replan", r, true, "no changes");
    return { ok: true, message: "no changes", excluded: [] };
  }
  if (r.status !== 2) {
    record(stack, "replan", r, false, "error");
    return { ok: false, message: `re-plan failed:\n${tail(r.output)}`, excluded: [] };
  }
  const show = await tf(["show", "-json", "-no-color", "replan.tfplan"], stack.dir, { env });
  const plan = JSON.parse(show.output) as JsonObject;
  const changes = plannedChanges(plan);
  const excluded = changes.filter((c) => perpetualDiff(c.type) !== undefined);
  // A tolerated replacement (e.g. aws_eks_cluster) makes what references it "known after apply": those follow.
  const knockOn = knockOnChanges(plan, stack.config, excluded.map((c) => c.address));
  const following = new Set([...knockOn.resources, ...knockOn.outputs].map((k) => k.address));
  const unexpected = changes.filter((c) => !excluded.includes(c) && !following.has(c.address));
  const outputs = plannedOutputChanges(plan).filter((o) => !following.has(`output.${o.name}`));
  stackReport(stack).perpetualDiffsExcluded = [
    ...excluded.map((c) => `${c.address} (${c.actions.join("/")})`),
    ...[...knockOn.resources, ...knockOn.outputs].map((k) => `${k.address} (${k.actions.join("/")}, follows ${k.because})`),
  ];
  if (excluded.length) {
    console.log(
      `[emulator] ${stack.name}: re-plan changes excluded as the emulator's perpetual diffs (docs/emulator.md):\n` +
        table(excluded.map((c) => ({ resource: c.address, actions: c.actions.join("/"), why: perpetualDiff(c.type)?.missing ?? "" })), ["resource", "actions", "why"]),
    );
  }
  if (following.size) {
    console.log(
      `[emulator] ${stack.name}: re-plan changes that only follow a tolerated replacement (every altered attribute is "known after apply"):\n` +
        table([...knockOn.resources, ...knockOn.outputs].map((k) => ({ resource: k.address, actions: k.actions.join("/"), because: `references ${k.because}` })), ["resource", "actions", "because"]),
    );
  }
  const ok = unexpected.length === 0 && outputs.length === 0;
  const message = ok
    ? `only perpetual diffs: ${excluded.map((c) => c.address).join(", ")}`
    : `re-plan shows changes:\n${[...unexpected.map((c) => `${c.address}: ${c.actions.join("/")}`), ...outputs.map((o) => `output.${o.name}: ${o.actions.join("/")}`)].join("\n")}\n\n${tail(r.output, 80)}`;
  record(stack, "replan", r, ok, ok ? `no changes besides ${excluded.length} perpetual diff(s)${following.size ? ` and ${following.size} change(s) following them` : ""}` : `${unexpected.length + outputs.length} unexpected change(s)`);
  return { ok, message, excluded: excluded.map((c) => c.address) };
}

async function pullState(stack: StackInfo): Promise<JsonObject | undefined> {
  const r = await tf(["state", "pull"], stack.dir, { env });
  return r.status === 0 && r.output.trim().startsWith("{") ? (JSON.parse(r.output) as JsonObject) : undefined;
}

interface DevResult {
  init?: TfResult;
  lock?: { first: TfResult; second: TfResult };
  plan?: TfResult;
  apply?: TfResult;
  replan?: Replan;
  state?: JsonObject;
  destroy?: TfResult;
  left?: string;
  error?: string;
  /** Every policy document in the applied state, and the account's IAM for the stack's roles (item 4's oracles). */
  documents?: PolicyDocument[];
  details?: JsonObject;
  /** Item 3's fault steps, on the fault stack only. */
  interrupted?: Interrupted;
  killed?: Killed;
  restored?: Restored;
}

const bySize = (list: StackInfo[]) => [...list].sort((a, b) => planTargets(a.config).all.length - planTargets(b.config).all.length);
/** The dev stack that also goes through the fault steps: the smallest (EMULATOR_FAULT_STACK picks another). */
const faultStack = devStacks.find((s) => s.name === process.env.EMULATOR_FAULT_STACK) ?? bySize(devStacks)[0];
/** An HTTPS listener in prod names an example certificate ARN (README "Before your first real deploy"): the emulator has no such certificate. */
const needsCertificate = (s: (typeof planOnlyStacks)[number]): boolean =>
  Object.values(((s.config.resource as JsonObject | undefined)?.aws_lb_listener ?? {}) as Record<string, JsonObject>).some((l) => l.certificate_arn !== undefined);
/** The prod stack applied whole to show the prevent_destroy guard: the smallest that needs no certificate (EMULATOR_GUARD_STACK picks another). */
const guardStack = planOnlyStacks.find((s) => s.name === process.env.EMULATOR_GUARD_STACK) ?? bySize(planOnlyStacks.filter((s) => s.environment === "prod" && !needsCertificate(s)))[0];
const guard: { result?: Guarded } = {};

const devResults = new Map<string, DevResult>();
const iamSummary: { value?: unknown } = {};

/** Stacks applied at once: DB instances have distinct DbiResourceIds (emulator/extensions/rds.py), so stacks are independent. */
const concurrency = Math.max(1, Number(process.env.EMULATOR_CONCURRENCY ?? 3));

/** Runs fn over items, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** One dev stack end to end: init, (lock probe on the first), plan + apply, re-plan, state pull, destroy, state list. */
async function devPipeline(stack: StackInfo): Promise<DevResult> {
  const t = planTargets(stack.config);
  stackReport(stack, t);
  printUntargeted(stack, t);
  const r: DevResult = {};
  r.init = await run(stack, "init", ["init", "-input=false", "-no-color"], 300_000);
  record(stack, "init", r.init, r.init.status === 0);
  if (r.init.status !== 0) return r;
  if (stack === devStacks[0]) {
    r.lock = await holdingLock(stack, ["apply", "-input=true", "-no-color", "-parallelism=20", ...targetArgs(t)], () =>
      run(stack, "plan-concurrent", ["plan", "-input=false", "-no-color", "-lock-timeout=0s"]),
    );
    console.log(`[emulator] lock: ${stack.name}: a plan during an open apply was ${r.lock.second.status !== 0 ? "refused" : "NOT refused"} in ${seconds(r.lock.second.seconds)}; the apply was then cancelled`);
  }
  const faults = { stack, env, endpoint, logDir, targetArgs: targetArgs(t) };
  if (stack === faultStack) {
    r.interrupted = await interruptedApply(faults);
    console.log(`[emulator] fault: ${stack.name}: apply interrupted (SIGINT) after ${r.interrupted.completed} resources, exit ${r.interrupted.interrupted.status}; lock ${r.interrupted.lockFree.status === 0 ? "released" : "NOT released"}`);
  }
  const { plan, apply } = await planAndApply(stack, t);
  r.plan = plan;
  r.apply = apply;
  if (apply?.status === 0) {
    r.replan = await replan(stack, t);
    r.state = await pullState(stack);
    if (r.state) {
      r.documents = policyDocuments(r.state, stack.name);
      try {
        r.details = (await fetchAuthorizationDetails(endpoint, roleNames(r.state))) as JsonObject;
      } catch (error) {
        r.error = `GetAccountAuthorizationDetails: ${(error as Error).message}`;
      }
    }
    if (stack === faultStack && r.state) {
      r.killed = await killedHoldingLock(faults);
      console.log(`[emulator] fault: ${stack.name}: plan killed (SIGKILL) holding the lock; next plan ${r.killed.refused.status !== 0 ? "refused" : "NOT refused"}; force-unlock ${r.killed.lockId ?? "(no lock ID)"} -> ${r.killed.unlock?.status}; plan after -> ${r.killed.after?.status}`);
      r.restored = await restoreFromVersions(faults, r.state);
      console.log(`[emulator] fault: ${stack.name}: bad state pushed (plan exit ${r.restored.broken.status}); ${r.restored.versions.length} object versions; restored ${r.restored.restoredFrom ?? "-"} -> plan exit ${r.restored.replan?.status}`);
    }
  }
  r.destroy = await run(stack, "destroy", ["destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"], 1_500_000);
  record(stack, "destroy", r.destroy, r.destroy.status === 0, /Destroy complete! .*/.exec(r.destroy.output)?.[0]);
  r.left = (await tf(["state", "list"], stack.dir, { env })).output.trim();
  return r;
}

/** The prod guard: the whole prod stack applied, then `plan -destroy` refused for every prevent_destroy resource. */
async function guardPipeline(stack: StackInfo): Promise<Guarded> {
  stackReport(stack, planTargets(stack.config));
  const g = await preventDestroyGuard({ stack, env, endpoint, logDir });
  if (g.apply) record(stack, "apply", g.apply, g.apply.status === 0, /Apply complete! .*/.exec(g.apply.output)?.[0]);
  if (g.planDestroy) record(stack, "plan-destroy", g.planDestroy, g.planDestroy.status !== 0, `refused naming ${g.refused.length} of ${g.expected.length} prevent_destroy resources, ${g.shielded.length} behind them`);
  console.log(`[emulator] guard: ${stack.name}: plan -destroy refused for ${g.refused.join(", ") || "nothing"}${g.shielded.length ? `; not reached (a refused resource depends on them): ${g.shielded.map((x) => `${x.address} behind ${x.behind}`).join(", ")}` : ""}`);
  return g;
}

// ---- Bootstrap results (filled in beforeAll) ------------------------------------------------------------------

const boot: { apply?: TfResult; replan?: Replan; state?: JsonObject; error?: string; targets?: TargetPlan } = {};
const lockProbe = { dir: join(runDir, "lock-probe") };

describe("emulator tier (moto on 127.0.0.1)", () => {
  beforeAll(async () => {
    if (synthError || !bootstrap) return;
    emulatorRecord = await startEmulator({ port, recordFile, log: (m: string) => console.log(`[emulator] ${m}`) });
    // Bootstrap: a local backend, so it can create the bucket and table every other stack's backend needs.
    const t = planTargets(bootstrap.config);
    boot.targets = t;
    stackReport(bootstrap, t);
    printUntargeted(bootstrap, t);
    const init = await run(bootstrap, "init", ["init", "-input=false", "-no-color"], 300_000);
    record(bootstrap, "init", init, init.status === 0);
    if (init.status !== 0) {
      boot.error = `bootstrap init failed:\n${tail(init.output)}`;
      return;
    }
    const { plan, apply } = await planAndApply(bootstrap, t);
    boot.apply = apply;
    if (!apply || apply.status !== 0) {
      boot.error = `bootstrap ${apply ? "apply" : "plan"} failed:\n${tail((apply ?? plan).output)}`;
      return;
    }
    boot.replan = await replan(bootstrap, t);
    boot.state = await pullState(bootstrap);
    // moto evaluates bucket policies without their Condition, so the TLS-only Deny (aws:SecureTransport = false)
    // denies every object request, the backend's included. Lifted on the emulator only, after the re-plan.
    const bucket = String(stateResourcesOfType(boot.state, "aws_s3_bucket").find((b) => b.bucket === stateBackend.bucket)?.bucket ?? "");
    if (bucket) {
      const del = await s3(endpoint, "DELETE", `/${bucket}?policy`);
      const note = `removed the state bucket's policy (${bucket}) on the emulator after the bootstrap re-plan: moto ignores policy Conditions, so its TLS-only Deny would deny the S3 backend (DELETE ?policy -> ${del.status})`;
      notes.push(note);
      console.log(`[emulator] workaround: ${note}`);
    }
  }, 900_000);

  afterAll(async () => {
    if (emulatorRecord) await stopEmulator({ recordFile, log: (m: string) => console.log(`[emulator] ${m}`) });
    const rows = Object.values(report).map((r) => {
      const step = (name: string) => (r.steps[name] ? `${r.steps[name].ok ? "ok" : "FAIL"} ${seconds(r.steps[name].seconds)}` : "-");
      return {
        stack: r.stack,
        init: step("init"),
        plan: step("plan"),
        apply: step("apply"),
        "re-plan": step("replan"),
        destroy: step("destroy"),
        "not applied": r.untargeted.length ? `${r.untargeted.length}/${r.resources}` : r.resources ? `0/${r.resources}` : "-",
        "perpetual diffs": r.perpetualDiffsExcluded.length,
      };
    });
    console.log(`[emulator] summary (synth ${seconds(synthSeconds)}):\n${table(rows, ["stack", "init", "plan", "apply", "re-plan", "destroy", "not applied", "perpetual diffs"])}`);
    writeFileSync(reportFile, JSON.stringify({ endpoint, synthSeconds, notes, iam: iamSummary.value, stacks: Object.values(report) }, null, 2) + "\n");
  }, 120_000);

  it("G1: synthesizes every stack in emulator mode, each pointing only at the emulator", () => {
    expect(synthError?.message).toBeUndefined();
    expect(bootstrap, "the manifest has no bootstrap stack").toBeDefined();
    console.log(`[emulator] stacks in the manifest: ${stacks.map((s) => `${s.name} (${s.backend}, ${s.environment})`).join(", ")}`);
    const leaks = stacks.flatMap((s) => emulatorLeaks(s, endpoint).map((p) => `${s.name}: ${p}`));
    expect(leaks).toEqual([]);
    // Every API a stack calls has its endpoint in the provider block (AWS_ENDPOINT_URL is only the safety net).
    const coverage = stacks.map((s) => ({ stack: s.name, ...endpointCoverage(s) }));
    const unknown = [...new Set(coverage.flatMap((c) => c.unknown))];
    if (unknown.length) console.log(`[emulator] types without a known endpoint mapping (add them to SERVICE_BY_PREFIX): ${unknown.join(", ")}`);
    expect(coverage.flatMap((c) => c.missing.map((m) => `${c.stack}: ${m}`)), "add the service to EMULATED_SERVICES in stacks/system-stack.ts").toEqual([]);
  });

  it("BS1: bootstrap creates the state bucket on the emulator: versioned, KMS-encrypted, public access blocked, TLS-only policy", () => {
    expect(boot.error).toBeUndefined();
    const state = stateResources(boot.state ?? {});
    const versioning = find(state, "aws_s3_bucket_versioning");
    expect(((versioning.versioning_configuration as JsonObject[])[0] as JsonObject).status).toBe("Enabled");
    // The state bucket's own configuration (bootstrap's access-log bucket is SSE-S3 by design: ALB logs need it).
    const sse = ([...state.entries()].find(([a]) => a.startsWith("aws_s3_bucket_server_side_encryption_configuration.StateBucket"))?.[1] ?? {}) as JsonObject;
    expect(JSON.stringify(sse.rule)).toContain('"sse_algorithm":"aws:kms"');
    const pab = find(state, "aws_s3_bucket_public_access_block");
    expect([pab.block_public_acls, pab.block_public_policy, pab.ignore_public_acls, pab.restrict_public_buckets]).toEqual([true, true, true, true]);
    expect(String(find(state, "aws_s3_bucket_policy").policy)).toContain("aws:SecureTransport");
    expect(find(state, "aws_s3_bucket_lifecycle_configuration").rule).toBeDefined();
  });

  it("BS2: bootstrap creates the lock table on the emulator: LockID string hash key, on-demand, PITR, encrypted", () => {
    expect(boot.error).toBeUndefined();
    const table = find(stateResources(boot.state ?? {}), "aws_dynamodb_table");
    expect(table.hash_key).toBe("LockID");
    expect(table.attribute).toEqual([{ name: "LockID", type: "S" }]);
    expect(table.billing_mode).toBe("PAY_PER_REQUEST");
    expect((table.point_in_time_recovery as JsonObject[])[0].enabled).toBe(true);
    expect((table.server_side_encryption as JsonObject[])[0].enabled).toBe(true);
  });

  it("BS1, BS2: bootstrap re-plans with no changes after apply", () => {
    expect(boot.error).toBeUndefined();
    expect(boot.replan?.ok, boot.replan?.message).toBe(true);
  });

  it("G7: the bootstrap state holds no secret value", () => {
    expect(boot.state, boot.error).toBeDefined();
    expect(secretsInState(boot.state ?? {})).toEqual([]);
  });

  it("G2: a lock held in the DynamoDB lock table stops `terraform plan`; releasing it lets plan run", async () => {
    expect(boot.error).toBeUndefined();
    // The real backend settings of the first S3 stack, with a key of the tier's own (an empty configuration).
    const source: JsonObject = stacks.find((s) => s.s3Backend)?.s3Backend ?? bootstrapBackendBlock();
    const key = "emulator-tier/lock-probe/terraform.tfstate";
    const backend: JsonObject = { ...source, key };
    mkdirSync(lockProbe.dir, { recursive: true });
    writeFileSync(join(lockProbe.dir, "main.tf.json"), JSON.stringify({ terraform: { backend: { s3: backend } } }, null, 2));
    const probe = (args: string[], step: string) => tf(args, lockProbe.dir, { env, logFile: join(logDir, `lock-probe.${step}.log`) });
    const init = await probe(["init", "-input=false", "-no-color"], "init");
    expect(init.status, init.output).toBe(0);
    const bucket = String(backend.bucket);
    const tableName = String(backend.dynamodb_table);
    const put = await dynamodb(endpoint, "PutItem", { TableName: tableName, Item: lockItem(bucket, key, "emulator-tier lock test") });
    expect(put.status, put.body).toBe(200);
    const blocked = await probe(["plan", "-input=false", "-no-color", "-lock-timeout=1s"], "plan-locked");
    expect(blocked.status, blocked.output).not.toBe(0);
    expect(blocked.output).toContain("Error acquiring the state lock");
    expect(blocked.output).toContain("emulator-tier lock test");
    const del = await dynamodb(endpoint, "DeleteItem", { TableName: tableName, Key: { LockID: { S: `${bucket}/${key}` } } });
    expect(del.status, del.body).toBe(200);
    const free = await probe(["plan", "-input=false", "-no-color", "-lock-timeout=1s"], "plan-unlocked");
    expect(free.status, free.output).toBe(0);
    console.log(`[emulator] lock: held -> plan refused in ${seconds(blocked.seconds)}; released -> plan ran in ${seconds(free.seconds)} (table ${tableName}, LockID ${bucket}/${key})`);
  });

  describe(`dev stacks: apply, re-plan, state scan, destroy (${concurrency} at a time)`, () => {
    const results = devResults;
    const result = (stack: StackInfo): DevResult => results.get(stack.name) ?? { error: "not run" };

    beforeAll(async () => {
      if (boot.error || devStacks.length === 0) return;
      const started = Date.now();
      // Largest first, so the longest pipelines start early; the prod guard stack runs in the same pool.
      const jobs: (() => Promise<unknown>)[] = [...bySize(devStacks)].reverse().map((stack) => async () => results.set(stack.name, await devPipeline(stack)));
      if (guardStack) jobs.splice(1, 0, async () => (guard.result = await guardPipeline(guardStack)));
      await pool(jobs, concurrency, (job) => job());
      console.log(`[emulator] dev stacks: ${devStacks.length} applied and destroyed in ${seconds((Date.now() - started) / 1000)}, ${concurrency} at a time`);
    }, 3_600_000);

    const each = devStacks.map((s) => [s.name, s] as const);

    it.each(each)("G2: %s: terraform init configures its S3 backend on the emulator", (_name, stack) => {
      expect(boot.error).toBeUndefined();
      const init = result(stack).init;
      expect(init?.status, tail(init?.output ?? "not run")).toBe(0);
      expect(init?.output).toContain('Successfully configured the backend "s3"');
    });

    if (devStacks[0]) {
      it(`G2: ${devStacks[0].name}: while one \`terraform apply\` holds the state lock, a second plan on the same stack is refused`, () => {
        const held = result(devStacks[0]).lock;
        expect(held, "the lock step did not run").toBeDefined();
        expect(held?.first.output, "the first apply never reached its approval prompt").toContain("Enter a value:");
        expect(held?.second.status, held?.second.output).not.toBe(0);
        expect(held?.second.output).toContain("Error acquiring the state lock");
        expect(held?.second.output).toContain("OperationTypeApply");
        expect(held?.first.output).toContain("Apply cancelled.");
      });
    }

    it.each(each)("%s: plans and applies every resource", (_name, stack) => {
      const r = result(stack);
      expect(r.plan?.status, tail(r.plan?.output ?? r.error ?? "not run")).toBe(0);
      expect(r.apply?.status, tail(r.apply?.output ?? "not run")).toBe(0);
    });

    it.each(each)("%s: re-plans with no changes", (_name, stack) => {
      const r = result(stack);
      expect(r.replan, "apply did not succeed").toBeDefined();
      expect(r.replan?.ok, r.replan?.message).toBe(true);
    });

    it.each(each)("G7: %s: its state holds no secret value", (_name, stack) => {
      const r = result(stack);
      expect(r.state, "terraform state pull failed").toBeDefined();
      const found = secretsInState(r.state ?? {});
      expect(found.map((f) => `${f.address}.${f.attribute}`)).toEqual([]);
    });

    it.each(each)("%s: destroys everything it created", (_name, stack) => {
      const r = result(stack);
      expect(r.destroy?.status, tail(r.destroy?.output ?? "not run")).toBe(0);
      expect(r.left).toBe("");
    });

    if (faultStack) {
      it(`fault: ${faultStack.name}: an apply interrupted with SIGINT part-way releases the lock, and re-applying converges with a clean re-plan`, () => {
        const r = result(faultStack);
        expect(r.interrupted?.completed ?? 0, tail(r.interrupted?.interrupted.output ?? "not run")).toBeGreaterThan(0);
        expect(r.interrupted?.interrupted.status, "the interrupted apply exited 0: it was not interrupted").not.toBe(0);
        expect(r.interrupted?.lockFree.status, tail(r.interrupted?.lockFree.output ?? "")).toBe(0);
        expect(r.apply?.status, tail(r.apply?.output ?? "not run")).toBe(0);
        expect(r.replan?.ok, r.replan?.message).toBe(true);
      });

      it(`fault: ${faultStack.name}: a plan killed with SIGKILL leaves its lock, the next plan is refused, and force-unlock recovers`, () => {
        const k = result(faultStack).killed;
        expect(k, "the SIGKILL step did not run").toBeDefined();
        expect(k?.killed.status).not.toBe(0);
        expect(k?.refused.status).not.toBe(0);
        expect(k?.refused.output).toContain("Error acquiring the state lock");
        expect(k?.lockId, tail(k?.refused.output ?? "")).toMatch(/^[0-9a-f-]{36}$/);
        expect(k?.unlock?.status, tail(k?.unlock?.output ?? "")).toBe(0);
        expect(k?.after?.status, tail(k?.after?.output ?? "")).toBe(0);
      });

      it(`fault: ${faultStack.name}: a bad state written over the good one is restored from the state bucket's object versions (runbook)`, () => {
        const x = result(faultStack).restored;
        expect(x, "the restore step did not run").toBeDefined();
        expect(x?.bad.status, tail(x?.bad.output ?? "")).toBe(0);
        expect(x?.broken.status, "the plan after the bad write should want to create everything").toBe(2);
        expect(x?.versions.length ?? 0).toBeGreaterThanOrEqual(2);
        expect(x?.push?.status, tail(x?.push?.output ?? "")).toBe(0);
        expect(x?.replan?.status, tail(x?.replan?.output ?? "")).toBe(0);
      });
    }

    if (guardStack) {
      it(`fault: ${guardStack.name}: \`terraform plan -destroy\` on the applied prod stack is refused for every prevent_destroy resource, naming them`, () => {
        const g = guard.result;
        expect(g?.apply?.status, tail(g?.apply?.output ?? g?.init.output ?? "not run")).toBe(0);
        expect(g?.expected.length ?? 0).toBeGreaterThan(0);
        expect(g?.planDestroy?.status).not.toBe(0);
        expect(g?.refused.length ?? 0, tail(g?.planDestroy?.output ?? "")).toBeGreaterThan(0);
        // Named, or never reached because a refused resource depends on it (terraform stops the destroy walk there).
        expect([...(g?.refused ?? []), ...(g?.shielded ?? []).map((x) => x.address)].sort()).toEqual(g?.expected);
      });
    }
  });

  describe("IAM oracles over the applied dev stacks (policy/iam-exceptions.json)", () => {
    const audit: { parliament?: ParliamentFinding[]; cloudsplaining?: CloudsplainingFinding[]; documents?: number; roles?: number; error?: string } = {};
    const exceptions = readExceptions();

    beforeAll(async () => {
      const applied = [...devResults.values()].filter((r) => r.documents);
      if (applied.length === 0) return;
      try {
        const documents = applied.flatMap((r) => r.documents ?? []);
        const details = mergeDetails(applied.flatMap((r) => (r.details ? [r.details] : [])));
        audit.documents = documents.length;
        audit.roles = (details.RoleDetailList as unknown[]).length;
        audit.parliament = await parliament(documents);
        audit.cloudsplaining = await cloudsplaining(details);
      } catch (error) {
        audit.error = (error as Error).message;
      }
      const cs = audit.cloudsplaining ?? [];
      const left = unexcepted(cs, exceptions.cloudsplaining);
      const errors = parliamentErrors(audit.parliament ?? []);
      const summary = {
        documents: audit.documents,
        roles: audit.roles,
        parliament: { findings: countBy(audit.parliament ?? [], "issue"), errors: errors.length, errorsNotExcepted: unexcepted(errors, exceptions.parliament).length },
        cloudsplaining: { found: countBy(cs, "type"), notExcepted: countBy(left, "type") },
        details: {
          parliamentErrors: unexcepted(errors, exceptions.parliament).map((f) => ({ source: f.source, issue: f.issue, detail: f.detail })),
          cloudsplaining: left,
        },
      };
      iamSummary.value = summary;
      console.log(`[emulator] IAM oracles: ${JSON.stringify({ ...summary, details: undefined })} (details: .cache/emulator-report.json, iam.details)`);
    }, 900_000);

    it("parliament: 0 errors over every policy document of the applied dev stacks", () => {
      expect(audit.error).toBeUndefined();
      expect(audit.documents ?? 0, "no policy document was read from the dev stacks' states").toBeGreaterThan(0);
      const errors = unexcepted(parliamentErrors(audit.parliament ?? []), exceptions.parliament);
      expect(errors.map((f) => `${f.source}: ${f.issue} ${JSON.stringify(f.detail)}`)).toEqual([]);
    });

    it("cloudsplaining: every privilege escalation, data exfiltration, resource exposure and infrastructure modification finding is removed or excepted with its reason", () => {
      expect(audit.error).toBeUndefined();
      expect(audit.roles ?? 0, "GetAccountAuthorizationDetails returned none of the stacks' roles").toBeGreaterThan(0);
      const left = unexcepted(audit.cloudsplaining ?? [], exceptions.cloudsplaining);
      expect(left.map((f) => `${f.type} ${f.action} in ${f.policy} (${f.roles.join(", ")})`)).toEqual([]);
    });
  });

  describe("staging and prod stacks plan against their S3 backends", () => {
    const results = new Map<string, { init: TfResult; plan?: TfResult }>();

    beforeAll(async () => {
      if (boot.error || planOnlyStacks.length === 0) return;
      const queue = [...planOnlyStacks];
      const worker = async () => {
        for (let stack = queue.shift(); stack; stack = queue.shift()) {
          stackReport(stack, planTargets(stack.config));
          const init = await run(stack, "init", ["init", "-input=false", "-no-color"], 300_000);
          record(stack, "init", init, init.status === 0);
          if (init.status !== 0) {
            results.set(stack.name, { init });
            continue;
          }
          let plan = await run(stack, "plan", ["plan", "-input=false", "-no-color", "-parallelism=20", "-lock-timeout=60s"], 900_000);
          // Under load the DynamoDB PutItem of terraform's own lock can be answered late and retried by the SDK; the
          // retry then fails its condition against the lock the first attempt wrote (ConditionalCheckFailedException,
          // a lock of this very plan). Release that lock once (the runbook's force-unlock) and plan again, noting it.
          const stale = plan.status !== 0 && plan.output.includes("ConditionalCheckFailedException") ? lockIdOf(plan.output) : undefined;
          if (stale && /Operation:\s+OperationTypePlan/.test(plan.output)) {
            await tf(["force-unlock", "-force", stale], stack.dir, { env });
            notes.push(`${stack.name}: plan retried once after its own lock write was retried by the SDK (force-unlock ${stale})`);
            plan = await run(stack, "plan-retry", ["plan", "-input=false", "-no-color", "-parallelism=20", "-lock-timeout=60s"], 900_000);
          }
          record(stack, "plan", plan, plan.status === 0, /Plan: .*/.exec(plan.output)?.[0]);
          results.set(stack.name, { init, plan });
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
    }, 1_800_000);

    it.each(planOnlyStacks.map((s) => [s.name, s] as const))("G2: %s: init with its S3 backend and plan", (_name, stack) => {
      expect(boot.error).toBeUndefined();
      const r = results.get(stack.name);
      expect(r?.init.status, tail(r?.init.output ?? "not run")).toBe(0);
      // The prod guard stack was initialized (and applied) before: its backend is configured already.
      expect(r?.init.output).toMatch(stack === guardStack ? /Terraform has been successfully initialized|Successfully configured the backend "s3"/ : /Successfully configured the backend "s3"/);
      expect(r?.plan?.status, tail(r?.plan?.output ?? "not run")).toBe(0);
      expect(r?.plan?.output).toMatch(/Plan: \d+ to add|No changes/);
    });
  });
});

// ---- small helpers ----------------------------------------------------------------------------------------------

/**
 * Starts `terraform <args>` (an interactive apply: it plans, takes the lock and waits at its approval prompt),
 * runs `second` while it waits, then answers "no". Both results are returned.
 */
async function holdingLock(stack: StackInfo, args: string[], second: () => Promise<TfResult>): Promise<{ first: TfResult; second: TfResult }> {
  let answered = false;
  let buffered = "";
  let secondResult: Promise<TfResult> | undefined;
  let release: (() => void) | undefined;
  const first = tf(args, stack.dir, {
    env,
    timeoutMs: 900_000,
    logFile: join(logDir, `${stack.name}.apply-holding-lock.log`),
    stdin: (write) => {
      release = () => write("no\n");
    },
    onOutput: (chunk) => {
      buffered += chunk.toString("utf8");
      if (!answered && buffered.includes("Enter a value:")) {
        answered = true;
        secondResult = second().finally(() => release?.());
      }
    },
  });
  const firstResult = await first;
  return { first: firstResult, second: secondResult ? await secondResult : { status: -1, output: "the first command never waited at its prompt", seconds: 0, command: "" } };
}

function stateResourcesOfType(state: JsonObject | undefined, type: string): JsonObject[] {
  return [...stateResources(state ?? {}).entries()].filter(([a]) => a.startsWith(`${type}.`)).map(([, v]) => v);
}

function find(state: Map<string, JsonObject>, type: string): JsonObject {
  const hit = [...state.entries()].find(([a]) => a.startsWith(`${type}.`));
  if (!hit) throw new Error(`no ${type} in the bootstrap state (has: ${[...state.keys()].join(", ")})`);
  return hit[1];
}

/** When no S3 stack is selected: the backend block built from what bootstrap created. */
function bootstrapBackendBlock(): JsonObject {
  const outputs = (boot.state?.outputs ?? {}) as Record<string, { value: string }>;
  const provider = (bootstrap?.config.provider ?? {}) as JsonObject;
  const region = String(((provider.aws ?? [{}]) as JsonObject[])[0].region);
  const endpoints = { s3: endpoint, dynamodb: endpoint, sts: endpoint, iam: endpoint };
  return {
    bucket: outputs.state_bucket?.value,
    dynamodb_table: outputs.lock_table?.value,
    region,
    encrypt: true,
    endpoints,
    use_path_style: true,
    skip_credentials_validation: true,
    skip_region_validation: true,
    skip_metadata_api_check: true,
    skip_requesting_account_id: true,
    access_key: "emulator",
    secret_key: "emulator",
  };
}

// Keep the run directory for inspection after a failure; it is recreated on the next run.
if (!existsSync(runDir)) mkdirSync(runDir, { recursive: true });
