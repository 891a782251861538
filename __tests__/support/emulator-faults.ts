/**
 * The emulator tier's fault steps (issue item 3), each on a real stack through its S3 backend and DynamoDB lock:
 *
 * - interruptedApply: `terraform apply` interrupted with SIGINT part-way (terraform stops cleanly, writes what it
 *   created to the state and releases the lock); the caller then re-applies and re-plans (convergence).
 * - killedHoldingLock: `terraform plan` killed with SIGKILL while it holds the lock; a second plan is refused; the
 *   runbook's `terraform force-unlock <ID>` recovers it.
 * - restoreFromVersions: a bad state written over the good one, restored from the state bucket's object versions
 *   by the runbook step in docs/emulator.md ("Runbook: restore a state"), then a plan with no changes.
 * - preventDestroyGuard: `terraform plan -destroy` on an applied prod stack refused, naming the resources that have
 *   lifecycle.prevent_destroy (those it reaches; the others are shielded by a refused resource that depends on them).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonObject, StackInfo, tf, TfResult } from "./emulator";
import { dependencyGraph } from "./emulator-plan";
import { s3 } from "./emulator-state";

export interface FaultContext {
  readonly stack: StackInfo;
  readonly env: NodeJS.ProcessEnv;
  readonly endpoint: string;
  readonly logDir: string;
  /** Extra arguments for every plan/apply (e.g. -target), none when the whole stack applies. */
  readonly targetArgs?: readonly string[];
}

const count = (text: string, re: RegExp) => [...text.matchAll(re)].length;

function run(ctx: FaultContext, step: string, args: string[], extra: Partial<Parameters<typeof tf>[2]> = {}): Promise<TfResult> {
  return tf(args, ctx.stack.dir, { env: ctx.env, timeoutMs: 1_200_000, logFile: join(ctx.logDir, `${ctx.stack.name}.${step}.log`), ...extra });
}

export interface Interrupted {
  readonly interrupted: TfResult;
  /** Resources the interrupted apply completed before it stopped. */
  readonly completed: number;
  /** A plan with -lock-timeout=0s right after: succeeds only when the interrupted apply released the lock. */
  readonly lockFree: TfResult;
}

/** Applies, and sends SIGINT once `after` resources are complete. */
export async function interruptedApply(ctx: FaultContext, after = 8): Promise<Interrupted> {
  const interrupted = await run(ctx, "fault-sigint-apply", ["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=4", ...(ctx.targetArgs ?? [])], {
    signalWhen: { when: (out) => count(out, /: Creation complete after/g) >= after, signal: "SIGINT" },
  });
  const lockFree = await run(ctx, "fault-sigint-lock-free", ["plan", "-input=false", "-no-color", "-lock-timeout=0s", "-refresh=false", ...(ctx.targetArgs ?? [])]);
  return { interrupted, completed: count(interrupted.output, /: Creation complete after/g), lockFree };
}

export interface Killed {
  readonly killed: TfResult;
  /** The plan that must be refused while the dead process's lock is in the table. */
  readonly refused: TfResult;
  /** The lock ID terraform names in its refusal. */
  readonly lockId?: string;
  readonly unlock?: TfResult;
  readonly after?: TfResult;
}

/** The lock ID in terraform's "Error acquiring the state lock" message (its "Lock Info: ID: ..." block). */
export function lockIdOf(output: string): string | undefined {
  return /Lock Info:\s*\n\s*ID:\s+(\S+)/.exec(output)?.[1];
}

/** Kills a plan with SIGKILL while it refreshes (so it holds the lock), then recovers with force-unlock. */
export async function killedHoldingLock(ctx: FaultContext): Promise<Killed> {
  const killed = await run(ctx, "fault-sigkill-plan", ["plan", "-input=false", "-no-color", "-parallelism=2", ...(ctx.targetArgs ?? [])], {
    signalWhen: { when: (out) => count(out, /: Refreshing state\.\.\./g) >= 3, signal: "SIGKILL" },
  });
  const refused = await run(ctx, "fault-sigkill-refused", ["plan", "-input=false", "-no-color", "-lock-timeout=0s", "-refresh=false"]);
  const lockId = lockIdOf(refused.output);
  if (!lockId) return { killed, refused };
  // The runbook step (docs/emulator.md): the ID from the error message, after making sure its holder is gone.
  const unlock = await run(ctx, "fault-force-unlock", ["force-unlock", "-force", lockId]);
  const after = await run(ctx, "fault-sigkill-after", ["plan", "-input=false", "-no-color", "-lock-timeout=0s", "-refresh=false", "-detailed-exitcode", ...(ctx.targetArgs ?? [])]);
  return { killed, refused, lockId, unlock, after };
}

export interface ObjectVersion {
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly lastModified: string;
}

/** The versions of one key in a ListObjectVersions answer (XML), newest first. */
export function objectVersions(xml: string, key: string): ObjectVersion[] {
  const out: ObjectVersion[] = [];
  for (const m of xml.matchAll(/<Version>([\s\S]*?)<\/Version>/g)) {
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(m[1])?.[1] ?? "";
    if (field("Key") !== key) continue;
    out.push({ versionId: field("VersionId"), isLatest: field("IsLatest") === "true", lastModified: field("LastModified") });
  }
  return out.sort((a, b) => (a.isLatest === b.isLatest ? b.lastModified.localeCompare(a.lastModified) : a.isLatest ? -1 : 1));
}

export interface Restored {
  readonly bad: TfResult;
  /** The plan after the bad write: it wants to create what already exists. */
  readonly broken: TfResult;
  readonly versions: readonly ObjectVersion[];
  readonly restoredFrom?: string;
  readonly push?: TfResult;
  readonly replan?: TfResult;
}

/**
 * Writes a state with no resources over the good one (serial + 1), then follows the runbook: list the state
 * object's versions in the bucket, take the one before the bad write, `terraform state push -force` it, re-plan.
 */
export async function restoreFromVersions(ctx: FaultContext, good: JsonObject): Promise<Restored> {
  const backend = ctx.stack.s3Backend as JsonObject;
  const bucket = String(backend.bucket);
  const key = String(backend.key);
  const badFile = join(ctx.stack.dir, "fault-bad.tfstate");
  writeFileSync(badFile, JSON.stringify({ ...good, serial: Number(good.serial ?? 0) + 1, resources: [], outputs: {} }, null, 2));
  const bad = await run(ctx, "fault-bad-state-push", ["state", "push", "-force", badFile]);
  const broken = await run(ctx, "fault-bad-state-plan", ["plan", "-input=false", "-no-color", "-refresh=false", "-detailed-exitcode", ...(ctx.targetArgs ?? [])]);
  // Runbook step 1: the object's versions, newest first (the bucket is versioned: BS1).
  const listed = await s3(ctx.endpoint, "GET", `/${bucket}?versions&prefix=${encodeURIComponent(key)}`);
  const versions = objectVersions(listed.body, key);
  const previous = versions[1];
  if (!previous) return { bad, broken, versions };
  // Step 2: the version before the bad write, to a file.
  const got = await s3(ctx.endpoint, "GET", `/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}?versionId=${encodeURIComponent(previous.versionId)}`);
  const restoredFile = join(ctx.stack.dir, "fault-restored.tfstate");
  writeFileSync(restoredFile, got.body);
  // Step 3: push it back (-force: the bad state has a higher serial), then step 4: plan shows no changes.
  const push = await run(ctx, "fault-restore-push", ["state", "push", "-force", restoredFile]);
  const replan = await run(ctx, "fault-restore-plan", ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-refresh=false", ...(ctx.targetArgs ?? [])]);
  return { bad, broken, versions, restoredFrom: previous.versionId, push, replan };
}

/** Addresses of the resources a stack's synthesized config marks lifecycle.prevent_destroy. */
export function preventDestroyAddresses(config: JsonObject): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries((config.resource ?? {}) as Record<string, Record<string, JsonObject>>)) {
    for (const [name, body] of Object.entries(byName)) if ((body.lifecycle as JsonObject | undefined)?.prevent_destroy === true) out.push(`${type}.${name}`);
  }
  return out.sort();
}

/** Addresses terraform names in its "Instance cannot be destroyed" errors. */
export function refusedDestroys(output: string): string[] {
  return [...new Set([...output.matchAll(/Resource\s+(\S+)\s+has\s+lifecycle\.prevent_destroy\s+set/g)].map((m) => m[1]))].sort();
}

/**
 * prevent_destroy resources terraform did not name because it never reached them: a destroy walks dependents
 * first, and stops at the refused ones, so a resource that a refused one depends on (transitively) is not visited
 * (a KMS key behind a refused bucket and DB instance). Returns those, each with the refused resource that shields it.
 */
export function shieldedDestroys(config: JsonObject, expected: readonly string[], refused: readonly string[]): { address: string; behind: string }[] {
  const graph = dependencyGraph(config);
  const dependsOn = (from: string, target: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    for (let a = stack.pop(); a !== undefined; a = stack.pop()) {
      for (const ref of graph.get(a) ?? []) {
        if (ref === target) return true;
        if (!seen.has(ref)) {
          seen.add(ref);
          stack.push(ref);
        }
      }
    }
    return false;
  };
  return expected
    .filter((a) => !refused.includes(a))
    .flatMap((address) => {
      const behind = refused.find((r) => dependsOn(r, address));
      return behind ? [{ address, behind }] : [];
    });
}

export interface Guarded {
  readonly init: TfResult;
  readonly apply?: TfResult;
  readonly planDestroy?: TfResult;
  readonly expected: readonly string[];
  readonly refused: readonly string[];
  /** prevent_destroy resources not named because a refused resource depends on them (see shieldedDestroys). */
  readonly shielded: readonly { address: string; behind: string }[];
}

/** Applies a whole prod stack, then `terraform plan -destroy` must fail naming every prevent_destroy resource. */
export async function preventDestroyGuard(ctx: FaultContext): Promise<Guarded> {
  const expected = preventDestroyAddresses(ctx.stack.config);
  const init = await run(ctx, "init", ["init", "-input=false", "-no-color"]);
  if (init.status !== 0) return { init, expected, refused: [], shielded: [] };
  const apply = await run(ctx, "apply", ["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"]);
  if (apply.status !== 0) return { init, apply, expected, refused: [], shielded: [] };
  const planDestroy = await run(ctx, "plan-destroy", ["plan", "-destroy", "-input=false", "-no-color", "-refresh=false", "-lock-timeout=60s"]);
  const refused = refusedDestroys(planDestroy.output);
  return { init, apply, planDestroy, expected, refused, shielded: shieldedDestroys(ctx.stack.config, expected, refused) };
}
