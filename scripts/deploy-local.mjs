#!/usr/bin/env node
// @ts-check
/**
 * npm run deploy:local -- [stack]     (default: alerting-platform-dev)
 *
 * Deploys one stack to the AWS API emulator on 127.0.0.1, through its real S3 backend and DynamoDB lock table:
 *   1. starts moto (or reuses the one recorded in .cache/emulator.json),
 *   2. synthesizes in emulator mode into .cache/emulator/cdktf.out (the repository's cdktf.out/ and .state/ are
 *      never touched; bootstrap's emulator state lives in .cache/emulator/.state/),
 *   3. deploys bootstrap (state bucket + lock table) with `cdktf deploy bootstrap`, and lifts the bucket policy on
 *      the emulator (docs/emulator.md),
 *   4. deploys the stack: `cdktf deploy <stack> --auto-approve` (every resource type is served by moto or the
 *      project's extensions, emulator/extensions/; should a gap reappear in the table, `terraform apply` with
 *      -target for what it can create, saying why),
 *   5. checks convergence: `terraform plan -detailed-exitcode` on the deployed stack, i.e. what a second
 *      `npm run deploy:local` would change (printed; "no changes" is the expected answer),
 *   6. prints the stack's outputs and leaves the emulator running (`node scripts/emulator.mjs stop` ends it).
 * Resources the emulator cannot create are listed (gap table: docs/emulator.md, __tests__/support/emulator-gaps.ts).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { tsImport } from "tsx/esm/api";
import { root, startEmulator } from "./emulator.mjs";
import { ensureTerraformToolchain } from "./terraform-toolchain.mjs";

const stackName = process.argv[2] ?? "alerting-platform-dev";
const work = join(root, ".cache", "emulator");
const outdir = join(work, "cdktf.out");
/** @param {string} m */
const say = (m) => console.log(`\n==> ${m}`);

// The tier's helpers (synth, manifest, gap table, terraform runner, plan targets, emulator calls), shared so both do the same thing.
const support = {
  ...(await tsImport("../__tests__/support/emulator.ts", import.meta.url)),
  ...(await tsImport("../__tests__/support/emulator-plan.ts", import.meta.url)),
  ...(await tsImport("../__tests__/support/emulator-state.ts", import.meta.url)),
};

/** @param {string} name */
function selection(name) {
  if (name === "bootstrap") return { systems: "bootstrap", environments: undefined };
  const m = /^(.+)-(dev|staging|prod)$/.exec(name);
  if (!m) throw new Error(`"${name}" is not a stack name: expected <system>-<dev|staging|prod> or bootstrap`);
  return { systems: `bootstrap,${m[1]}`, environments: m[2] };
}

/**
 * `cdktf deploy`, output streamed. --skip-provider-lock: cdktf otherwise runs `terraform providers lock`, which asks
 * registry.terraform.io for checksums (unreachable offline); `terraform init` already locks the mirrored provider.
 * --disable-plugin-cache-env: keep the plugin cache of the project's CLI config.
 */
/**
 * @param {string} stack
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>}
 */
function cdktfDeploy(stack, env) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "deploy", stack, "--auto-approve", "--skip-provider-lock", "--disable-plugin-cache-env", "--output", outdir], {
      cwd: root,
      env,
      stdio: "inherit",
    });
    child.on("close", (code) => done(code ?? 1));
  });
}

async function main() {
  const started = Date.now();
  const { systems, environments } = selection(stackName);
  const toolchain = ensureTerraformToolchain();
  if (!toolchain.terraform) throw new Error(toolchain.reason ?? "terraform is unavailable");

  say("emulator");
  const emulator = await startEmulator({ reuse: true, log: (m) => console.log(m) });
  const cliConfig = toolchain.cliConfig;
  console.log(`moto on ${emulator.endpoint} (pid ${emulator.pid}, log ${emulator.logFile})`);
  const env = support.emulatorTfEnv(emulator.endpoint);
  /** @param {Buffer} c */
  const echo = (c) => process.stdout.write(c);
  /** @param {string[]} args @param {string} dir */
  const tf = (args, dir) =>
    support.tf(args, dir, { env, onOutput: echo, watchLog: emulator.logFile, stallSeconds: 300, logFile: join(work, "logs", `${args[0]}-${Date.now()}.log`) });

  say(`synth (emulator mode, SYSTEMS=${systems}${environments ? ` ENVIRONMENTS=${environments}` : ""}) into ${outdir}`);
  const synth = support.synthesize({ outdir, endpoint: emulator.endpoint, systems, environments: environments ?? "" });
  console.log(`synthesized in ${synth.seconds.toFixed(1)} s`);
  const stacks = support.loadStacks(outdir);
  const stack = stacks.find((/** @type {{ name: string }} */ s) => s.name === stackName);
  if (!stack) throw new Error(`no stack "${stackName}" in the manifest; there are: ${stacks.map((/** @type {{ name: string }} */ s) => s.name).join(", ")}`);
  const leaks = stacks.flatMap((/** @type {{ name: string }} */ s) => support.emulatorLeaks(s, emulator.endpoint).map((/** @type {string} */ p) => `${s.name}: ${p}`));
  if (stacks.length === 0) throw new Error("synth produced no stacks");
  if (leaks.length) throw new Error(`refusing to deploy: the synthesized stacks could reach AWS:\n${leaks.join("\n")}`);

  const bootstrap = stacks.find((/** @type {{ name: string }} */ s) => s.name === "bootstrap");
  const cdktfEnv = { ...env, AWS_EMULATOR_ENDPOINT: emulator.endpoint, SYSTEMS: systems, ENVIRONMENTS: environments ?? "" };
  // The emulator can create all of bootstrap, so it goes through the product's own deploy command.
  say("cdktf deploy bootstrap --auto-approve (state bucket and lock table on the emulator)");
  const bootCode = await cdktfDeploy("bootstrap", cdktfEnv);
  if (bootCode !== 0) throw new Error(`cdktf deploy bootstrap exited ${bootCode}`);
  const state = JSON.parse((await support.tf(["state", "pull"], bootstrap.dir, { env })).output);
  // The state bucket itself, as bootstrap's `state_bucket` output names it (bootstrap has other buckets too).
  /** @type {string | undefined} */
  const bucket = state.outputs?.state_bucket?.value;
  if (bucket) {
    const del = await support.s3(emulator.endpoint, "DELETE", `/${bucket}?policy`);
    console.log(`lifted the TLS-only policy of ${bucket} on the emulator (moto ignores policy conditions and would deny the S3 backend): ${del.status}`);
  }
  if (stackName === "bootstrap") return finish(bootstrap, started);

  const targets = support.planTargets(stack.config);
  if (targets.untargeted.length === 0) {
    say(`cdktf deploy ${stackName} --auto-approve`);
    const code = await cdktfDeploy(stackName, cdktfEnv);
    if (code !== 0) throw new Error(`cdktf deploy exited ${code}`);
  } else {
    say(`terraform apply in ${stack.dir}`);
    console.log(
      `Not through cdktf deploy: it has no -target, and ${targets.untargeted.length} of ${targets.all.length} resources are of types the ` +
        `emulator cannot create (or depend on one); a create of those retries for up to 20 minutes. Left out:\n` +
        support.table(targets.untargeted.map((/** @type {{ address: string, reason: string }} */ u) => ({ resource: u.address, reason: u.reason })), ["resource", "reason"]),
    );
    const init = await tf(["init", "-input=false", "-no-color"], stack.dir);
    if (init.status !== 0) throw new Error("terraform init failed");
    const apply = await tf(["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20", ...targets.targets.map((/** @type {string} */ a) => `-target=${a}`)], stack.dir);
    if (apply.status !== 0) {
      const why = apply.emulatorLacks ? ` (moto lacks ${apply.emulatorLacks.join(", ")})` : apply.stalled ? ` (stalled: ${apply.stalled.join(", ")})` : "";
      throw new Error(`terraform apply failed${why}; what was created stays on the emulator`);
    }
  }
  say(`convergence: terraform plan -detailed-exitcode (what a second deploy:local would change)`);
  const again = await support.tf(["plan", "-input=false", "-no-color", "-detailed-exitcode", "-parallelism=20", ...(targets.untargeted.length ? targets.targets.map((/** @type {string} */ a) => `-target=${a}`) : [])], stack.dir, { env, logFile: join(work, "logs", `converge-${Date.now()}.log`) });
  if (again.status === 0) console.log("No changes: a second deploy changes nothing.");
  else if (again.status === 2) console.log(`A second deploy would still change (${/Plan: .*/.exec(again.output)?.[0] ?? "see the plan"}); docs/emulator.md, "Perpetual diffs", lists what moto reads back differently:\n${again.output.split("\n").filter((/** @type {string} */ l) => /^\s+# .* will be/.test(l)).join("\n")}`);
  else throw new Error(`terraform plan failed after the deploy:\n${support.tail(again.output)}`);
  return finish(stack, started);

  /**
   * @param {{ name: string, dir: string }} s
   * @param {number} t0
   */
  async function finish(s, t0) {
    say(`outputs of ${s.name}`);
    const out = await support.tf(["output", "-json"], s.dir, { env });
    const outputs = out.status === 0 && out.output.trim().startsWith("{") ? JSON.parse(out.output) : {};
    const rows = Object.entries(outputs).map(([name, o]) => ({ output: name, value: /** @type {{ sensitive?: boolean, value: unknown }} */ (o).sensitive ? "(sensitive)" : JSON.stringify(/** @type {{ value: unknown }} */ (o).value) }));
    console.log(rows.length ? support.table(rows, ["output", "value"]) : "(no outputs)");
    console.log(`\nDeployed ${s.name} to ${emulator.endpoint} in ${((Date.now() - t0) / 1000).toFixed(0)} s. The emulator keeps running:`);
    console.log(`  terraform -chdir=${s.dir} state list      # what was created (TF_CLI_CONFIG_FILE=${cliConfig})`);
    console.log("  node scripts/emulator.mjs reset           # forget everything on it");
    console.log("  node scripts/emulator.mjs stop            # stop it");
  }
}

main().catch((error) => {
  console.error(`\ndeploy:local failed: ${error instanceof Error ? error.message : error}`);
  console.error("The emulator (if started) keeps running: node scripts/emulator.mjs stop");
  process.exit(1);
});
