/**
 * What the emulator tier (__tests__/emulator/stacks.test.ts) runs per stack, and its preparation: the synth at
 * collection time and the choice of stacks, the bootstrap, dev, prod-guard and plan-only pipelines, and the IAM
 * oracles over the applied dev stacks. They compute and record; the test file asserts.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePortSync, JsonObject, loadStacks, root, StackInfo, synthesize, tail, tf, TfResult } from "./emulator";
import { planTargets, TargetPlan } from "./emulator-plan";
import { s3, stateResources } from "./emulator-state";
import { Guarded, Interrupted, interruptedApply, Killed, killedHoldingLock, lockIdOf, preventDestroyGuard, Restored, restoreFromVersions } from "./emulator-faults";
import { Replan, seconds, targetArgs, TierRun } from "./emulator-run";
import { stateBackend } from "../../environments/bootstrap";
import { cloudsplaining, countBy, fetchAuthorizationDetails, mergeDetails, parliament, parliamentErrors, policyDocuments, roleNames, unexcepted } from "../../scripts/iam-audit.mjs";
import type { CloudsplainingFinding, ParliamentFinding, PolicyDocument, readExceptions } from "../../scripts/iam-audit.mjs";

// ---- Synthesis happens while tests are collected: one test per stack needs the manifest first. ----------------

function selectedSystems(): string | undefined {
  const list = (process.env.SYSTEMS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return undefined;
  return [...new Set(["bootstrap", ...list])].join(",");
}

export const bySize = (list: StackInfo[]) => [...list].sort((a, b) => planTargets(a.config).all.length - planTargets(b.config).all.length);
/** An HTTPS listener in prod names an example certificate ARN (README "Before your first real deploy"): the emulator has no such certificate. */
const needsCertificate = (s: StackInfo): boolean =>
  Object.values(((s.config.resource as JsonObject | undefined)?.aws_lb_listener ?? {}) as Record<string, JsonObject>).some((l) => l.certificate_arn !== undefined);

/** Clears .cache/emulator-tier, synthesizes the app in emulator mode on a free port and picks the stacks of each step. */
export function prepareTier() {
  const runDir = join(root, ".cache", "emulator-tier");
  const outdir = join(runDir, "cdktf.out");
  const logDir = join(runDir, "logs");
  const reportFile = join(root, ".cache", "emulator-report.json");
  const port = freePortSync();
  const endpoint = `http://127.0.0.1:${port}`;
  const recordFile = join(root, ".cache", "emulator-test.json");
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
  /** The dev stack that also goes through the fault steps: the smallest (EMULATOR_FAULT_STACK picks another). */
  const faultStack: StackInfo | undefined = devStacks.find((s) => s.name === process.env.EMULATOR_FAULT_STACK) ?? bySize(devStacks)[0];
  /** The prod stack applied whole to show the prevent_destroy guard: the smallest that needs no certificate (EMULATOR_GUARD_STACK picks another). */
  const guardStack: StackInfo | undefined =
    planOnlyStacks.find((s) => s.name === process.env.EMULATOR_GUARD_STACK) ?? bySize(planOnlyStacks.filter((s) => s.environment === "prod" && !needsCertificate(s)))[0];
  return { runDir, outdir, logDir, reportFile, port, endpoint, recordFile, synthError, synthSeconds, stacks, bootstrap, devStacks, planOnlyStacks, faultStack, guardStack };
}

/** Runs fn over items, at most `limit` at a time. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ---- Bootstrap --------------------------------------------------------------------------------------------------

export interface BootResult {
  apply?: TfResult;
  replan?: Replan;
  state?: JsonObject;
  error?: string;
  targets?: TargetPlan;
}

function stateResourcesOfType(state: JsonObject | undefined, type: string): JsonObject[] {
  return [...stateResources(state ?? {}).entries()].filter(([a]) => a.startsWith(`${type}.`)).map(([, v]) => v);
}

/** Bootstrap: a local backend, so it can create the bucket and table every other stack's backend needs. Fills `boot`. */
export async function bootstrapPipeline(tier: TierRun, bootstrap: StackInfo, endpoint: string, boot: BootResult): Promise<void> {
  const t = planTargets(bootstrap.config);
  boot.targets = t;
  tier.stackReport(bootstrap, t);
  tier.printUntargeted(bootstrap, t);
  const init = await tier.run(bootstrap, "init", ["init", "-input=false", "-no-color"], 300_000);
  tier.record(bootstrap, "init", init, init.status === 0);
  if (init.status !== 0) {
    boot.error = `bootstrap init failed:\n${tail(init.output)}`;
    return;
  }
  const { plan, apply } = await tier.planAndApply(bootstrap, t);
  boot.apply = apply;
  if (!apply || apply.status !== 0) {
    boot.error = `bootstrap ${apply ? "apply" : "plan"} failed:\n${tail((apply ?? plan).output)}`;
    return;
  }
  boot.replan = await tier.replan(bootstrap, t);
  boot.state = await tier.pullState(bootstrap);
  // moto evaluates bucket policies without their Condition, so the TLS-only Deny (aws:SecureTransport = false)
  // denies every object request, the backend's included. Lifted on the emulator only, after the re-plan.
  const bucket = String(stateResourcesOfType(boot.state, "aws_s3_bucket").find((b) => b.bucket === stateBackend.bucket)?.bucket ?? "");
  if (bucket) {
    const del = await s3(endpoint, "DELETE", `/${bucket}?policy`);
    const note = `removed the state bucket's policy (${bucket}) on the emulator after the bootstrap re-plan: moto ignores policy Conditions, so its TLS-only Deny would deny the S3 backend (DELETE ?policy -> ${del.status})`;
    tier.notes.push(note);
    console.log(`[emulator] workaround: ${note}`);
  }
}

/** When no S3 stack is selected: the backend block built from what bootstrap created. */
export function bootstrapBackendBlock(boot: BootResult, bootstrap: StackInfo | undefined, endpoint: string): JsonObject {
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

// ---- Dev stacks and the prod guard ------------------------------------------------------------------------------

export interface DevResult {
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

/**
 * One dev stack end to end: init, (lock probe when `lockProbe`), (fault steps when `faults`), plan + apply, re-plan,
 * state pull, destroy, state list.
 */
export async function devPipeline(tier: TierRun, stack: StackInfo, endpoint: string, steps: { lockProbe: boolean; faults: boolean }): Promise<DevResult> {
  const { run, record, env, logDir } = tier;
  const t = planTargets(stack.config);
  tier.stackReport(stack, t);
  tier.printUntargeted(stack, t);
  const r: DevResult = {};
  r.init = await run(stack, "init", ["init", "-input=false", "-no-color"], 300_000);
  record(stack, "init", r.init, r.init.status === 0);
  if (r.init.status !== 0) return r;
  if (steps.lockProbe) {
    r.lock = await tier.holdingLock(stack, ["apply", "-input=true", "-no-color", "-parallelism=20", ...targetArgs(t)], () =>
      run(stack, "plan-concurrent", ["plan", "-input=false", "-no-color", "-lock-timeout=0s"]),
    );
    console.log(`[emulator] lock: ${stack.name}: a plan during an open apply was ${r.lock.second.status !== 0 ? "refused" : "NOT refused"} in ${seconds(r.lock.second.seconds)}; the apply was then cancelled`);
  }
  const faults = { stack, env, endpoint, logDir, targetArgs: targetArgs(t) };
  if (steps.faults) {
    r.interrupted = await interruptedApply(faults);
    console.log(`[emulator] fault: ${stack.name}: apply interrupted (SIGINT) after ${r.interrupted.completed} resources, exit ${r.interrupted.interrupted.status}; lock ${r.interrupted.lockFree.status === 0 ? "released" : "NOT released"}`);
  }
  const { plan, apply } = await tier.planAndApply(stack, t);
  r.plan = plan;
  r.apply = apply;
  if (apply?.status === 0) {
    r.replan = await tier.replan(stack, t);
    r.state = await tier.pullState(stack);
    if (r.state) {
      r.documents = policyDocuments(r.state, stack.name);
      try {
        r.details = (await fetchAuthorizationDetails(endpoint, roleNames(r.state))) as JsonObject;
      } catch (error) {
        r.error = `GetAccountAuthorizationDetails: ${(error as Error).message}`;
      }
    }
    if (steps.faults && r.state) {
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
export async function guardPipeline(tier: TierRun, stack: StackInfo, endpoint: string): Promise<Guarded> {
  const { record } = tier;
  tier.stackReport(stack, planTargets(stack.config));
  const g = await preventDestroyGuard({ stack, env: tier.env, endpoint, logDir: tier.logDir });
  if (g.apply) record(stack, "apply", g.apply, g.apply.status === 0, /Apply complete! .*/.exec(g.apply.output)?.[0]);
  if (g.planDestroy) record(stack, "plan-destroy", g.planDestroy, g.planDestroy.status !== 0, `refused naming ${g.refused.length} of ${g.expected.length} prevent_destroy resources, ${g.shielded.length} behind them`);
  console.log(`[emulator] guard: ${stack.name}: plan -destroy refused for ${g.refused.join(", ") || "nothing"}${g.shielded.length ? `; not reached (a refused resource depends on them): ${g.shielded.map((x) => `${x.address} behind ${x.behind}`).join(", ")}` : ""}`);
  return g;
}

// ---- Staging and prod: init and plan -----------------------------------------------------------------------------

/** init with the S3 backend, then plan (retried once when the plan's own lock write was retried by the SDK). */
export async function planOnlyPipeline(tier: TierRun, stack: StackInfo): Promise<{ init: TfResult; plan?: TfResult }> {
  const { run, record } = tier;
  tier.stackReport(stack, planTargets(stack.config));
  const init = await run(stack, "init", ["init", "-input=false", "-no-color"], 300_000);
  record(stack, "init", init, init.status === 0);
  if (init.status !== 0) return { init };
  let plan = await run(stack, "plan", ["plan", "-input=false", "-no-color", "-parallelism=20", "-lock-timeout=60s"], 900_000);
  // Under load the DynamoDB PutItem of terraform's own lock can be answered late and retried by the SDK; the
  // retry then fails its condition against the lock the first attempt wrote (ConditionalCheckFailedException,
  // a lock of this very plan). Release that lock once (the runbook's force-unlock) and plan again, noting it.
  const stale = plan.status !== 0 && plan.output.includes("ConditionalCheckFailedException") ? lockIdOf(plan.output) : undefined;
  if (stale && /Operation:\s+OperationTypePlan/.test(plan.output)) {
    await tf(["force-unlock", "-force", stale], stack.dir, { env: tier.env });
    tier.notes.push(`${stack.name}: plan retried once after its own lock write was retried by the SDK (force-unlock ${stale})`);
    plan = await run(stack, "plan-retry", ["plan", "-input=false", "-no-color", "-parallelism=20", "-lock-timeout=60s"], 900_000);
  }
  record(stack, "plan", plan, plan.status === 0, /Plan: .*/.exec(plan.output)?.[0]);
  return { init, plan };
}

// ---- IAM oracles ----------------------------------------------------------------------------------------------

export interface IamAudit {
  parliament?: ParliamentFinding[];
  cloudsplaining?: CloudsplainingFinding[];
  documents?: number;
  roles?: number;
  error?: string;
}

/**
 * parliament and cloudsplaining over the applied dev stacks' policy documents and IAM details, and the summary for
 * the report (none when no dev stack was applied).
 */
export async function auditIam(results: readonly DevResult[], exceptions: ReturnType<typeof readExceptions>): Promise<{ audit: IamAudit; summary?: unknown }> {
  const audit: IamAudit = {};
  const applied = results.filter((r) => r.documents);
  if (applied.length === 0) return { audit };
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
  console.log(`[emulator] IAM oracles: ${JSON.stringify({ ...summary, details: undefined })} (details: .cache/emulator-report.json, iam.details)`);
  return { audit, summary };
}
