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
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { emulatorLeaks, emulatorTfEnv, endpointCoverage, JsonObject, StackInfo, tail, tf, TfResult } from "../support/emulator";
import { dynamodb, lockItem, secretsInState, stateResources } from "../support/emulator-state";
import type { Guarded } from "../support/emulator-faults";
import { seconds, tierRun } from "../support/emulator-run";
import { auditIam, BootResult, bootstrapBackendBlock, bootstrapPipeline, bySize, DevResult, devPipeline, guardPipeline, IamAudit, planOnlyPipeline, pool, prepareTier } from "../support/emulator-pipelines";
import { startEmulator, stopEmulator } from "../../scripts/emulator.mjs";
import { parliamentErrors, readExceptions, unexcepted } from "../../scripts/iam-audit.mjs";

// ---- Synthesis happens while tests are collected: one test per stack needs the manifest first. ----------------

const { runDir, logDir, reportFile, port, endpoint, recordFile, synthError, synthSeconds, stacks, bootstrap, devStacks, planOnlyStacks, faultStack, guardStack } = prepareTier();

// ---- Shared state and the report ------------------------------------------------------------------------------

let emulatorRecord: { pid: number; endpoint: string; logFile: string } | undefined;
const env = emulatorTfEnv(endpoint);
const tier = tierRun({ env, logDir, watchLog: () => emulatorRecord?.logFile });
const guard: { result?: Guarded } = {};
const devResults = new Map<string, DevResult>();
const iamSummary: { value?: unknown } = {};

/** Stacks applied at once: DB instances have distinct DbiResourceIds (emulator/extensions/rds.py), so stacks are independent. */
const concurrency = Math.max(1, Number(process.env.EMULATOR_CONCURRENCY ?? 3));

// ---- Bootstrap results (filled in beforeAll) ------------------------------------------------------------------

const boot: BootResult = {};
const lockProbe = { dir: join(runDir, "lock-probe") };

describe("emulator tier (moto on 127.0.0.1)", () => {
  beforeAll(async () => {
    if (synthError || !bootstrap) return;
    emulatorRecord = await startEmulator({ port, recordFile, log: (m: string) => console.log(`[emulator] ${m}`) });
    await bootstrapPipeline(tier, bootstrap, endpoint, boot);
  }, 900_000);

  afterAll(async () => {
    if (emulatorRecord) await stopEmulator({ recordFile, log: (m: string) => console.log(`[emulator] ${m}`) });
    tier.writeReport(reportFile, { endpoint, synthSeconds, iam: iamSummary.value });
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
    const source: JsonObject = stacks.find((s) => s.s3Backend)?.s3Backend ?? bootstrapBackendBlock(boot, bootstrap, endpoint);
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
      const jobs: (() => Promise<unknown>)[] = [...bySize(devStacks)].reverse().map((stack) => async () =>
        results.set(stack.name, await devPipeline(tier, stack, endpoint, { lockProbe: stack === devStacks[0], faults: stack === faultStack })),
      );
      if (guardStack) jobs.splice(1, 0, async () => (guard.result = await guardPipeline(tier, guardStack, endpoint)));
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
    const audit: IamAudit = {};
    const exceptions = readExceptions();

    beforeAll(async () => {
      const { audit: found, summary } = await auditIam([...devResults.values()], exceptions);
      Object.assign(audit, found);
      if (summary) iamSummary.value = summary;
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
      await pool(planOnlyStacks, 4, async (stack) => results.set(stack.name, await planOnlyPipeline(tier, stack)));
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

function find(state: Map<string, JsonObject>, type: string): JsonObject {
  const hit = [...state.entries()].find(([a]) => a.startsWith(`${type}.`));
  if (!hit) throw new Error(`no ${type} in the bootstrap state (has: ${[...state.keys()].join(", ")})`);
  return hit[1];
}

// Keep the run directory for inspection after a failure; it is recreated on the next run.
if (!existsSync(runDir)) mkdirSync(runDir, { recursive: true });
