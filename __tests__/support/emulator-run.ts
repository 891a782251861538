/**
 * The emulator tier's run of terraform steps per stack (__tests__/emulator/stacks.test.ts): each step logged to
 * <logDir>/<stack>.<step>.log and recorded in the run's report, plan + apply, the re-plan with the emulator's
 * perpetual diffs excluded, state pull, a command holding the state lock, and the summary written at the end.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonObject, StackInfo, table, tail, tf, TfResult } from "./emulator";
import { perpetualDiff } from "./emulator-gaps";
import { knockOnChanges, plannedChanges, plannedOutputChanges, TargetPlan } from "./emulator-plan";

export const seconds = (n: number) => `${n.toFixed(1)}s`;
export const targetArgs = (t: TargetPlan) => t.targets.map((a) => `-target=${a}`);
// A resource still creating after 5 minutes on moto will not finish (the slowest normal waits, S3 lifecycle rules, take ~1).
export const STALL_SECONDS = 300;

export interface StackReport {
  stack: string;
  environment: string;
  resources: number;
  untargeted: { address: string; type: string; reason: string }[];
  steps: Record<string, { ok: boolean; seconds: number; detail?: string }>;
  perpetualDiffsExcluded: string[];
}

export interface Replan {
  readonly ok: boolean;
  readonly message: string;
  readonly excluded: string[];
}

export interface TierRunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly logDir: string;
  /** The emulator's log, once it runs (tf's watchLog). */
  readonly watchLog: () => string | undefined;
}

export type TierRun = ReturnType<typeof tierRun>;

/** The per-stack steps of one tier run, sharing its report and notes. */
export function tierRun(options: TierRunOptions) {
  const { env, logDir } = options;
  const report: Record<string, StackReport> = {};
  const notes: string[] = [];

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

  const run = (stack: StackInfo, step: string, args: string[], timeoutMs?: number) =>
    tf(args, stack.dir, { env, timeoutMs, logFile: join(logDir, `${stack.name}.${step}.log`), watchLog: options.watchLog(), stallSeconds: STALL_SECONDS });

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

  /** Prints the summary table and writes the report file (endpoint, synth time, notes, IAM summary, every stack's steps). */
  function writeReport(file: string, run: { endpoint: string; synthSeconds: number; iam: unknown }): void {
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
    console.log(`[emulator] summary (synth ${seconds(run.synthSeconds)}):\n${table(rows, ["stack", "init", "plan", "apply", "re-plan", "destroy", "not applied", "perpetual diffs"])}`);
    writeFileSync(file, JSON.stringify({ endpoint: run.endpoint, synthSeconds: run.synthSeconds, notes, iam: run.iam, stacks: Object.values(report) }, null, 2) + "\n");
  }

  return { env, logDir, report, notes, stackReport, record, run, printUntargeted, planAndApply, replan, pullState, holdingLock, writeReport };
}
