#!/usr/bin/env node
// @ts-check
/**
 * The cdktf CLI with what it needs on a machine without the Terraform registry or HashiCorp's servers:
 *
 *   npm run synth  [-- --hcl]                       cdktf synth
 *   npm run diff   -- <stack> [--emulator|--aws]    cdktf diff (terraform plan) of one stack
 *   npm run deploy -- <stack> [--emulator|--aws]    cdktf deploy of one stack
 *
 * Always: CHECKPOINT_DISABLE=1 (no call to checkpoint-api.hashicorp.com, whose failure cdktf prints in red), the
 * project's Terraform CLI config (scripts/terraform-toolchain.mjs: the local provider mirror when there is one), and
 * only the stack's own system and environment synthesized (SYSTEMS/ENVIRONMENTS). With a provider mirror,
 * --skip-provider-lock (cdktf would otherwise ask the registry for checksums: "Could not retrieve providers for
 * locking"; `terraform init` still writes the lock file from the mirror).
 *
 * Target: --aws (real AWS, credentials from the usual environment) or --emulator (moto on 127.0.0.1, started or
 * reused through scripts/emulator.mjs). Without either, AWS when credentials are configured, else the emulator.
 * A real deploy refuses while the environment holds placeholders (scripts/placeholders.mjs).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureTerraformToolchain } from "./terraform-toolchain.mjs";
import { environmentOf, findPlaceholders, loadEnvironments } from "./placeholders.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
export const emulatorOutdir = join(root, ".cache", "emulator", "cdktf.out");

/**
 * SYSTEMS / ENVIRONMENTS that synthesize only what one stack needs.
 * @param {string} stack
 * @returns {{ SYSTEMS: string, ENVIRONMENTS: string }}
 */
export function selectionFor(stack) {
  const env = environmentOf(stack);
  if (env === "bootstrap") return { SYSTEMS: "bootstrap", ENVIRONMENTS: "" };
  return { SYSTEMS: stack.slice(0, -(env.length + 1)), ENVIRONMENTS: env };
}

/**
 * The command line and environment for one cdktf call.
 * @param {{ command: string, stack?: string, extra?: readonly string[], mirror: string | null, cliConfig: string | null, outdir?: string }} o
 * @returns {{ args: string[], env: Record<string, string> }}
 */
export function cdktfInvocation(o) {
  /** @type {Record<string, string>} */
  const env = { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "true" };
  if (o.cliConfig) env.TF_CLI_CONFIG_FILE = o.cliConfig;
  const args = [o.command];
  if (o.stack) {
    Object.assign(env, selectionFor(o.stack));
    args.push(o.stack);
  }
  if (o.command === "deploy" || o.command === "diff" || o.command === "destroy") {
    if (o.mirror) args.push("--skip-provider-lock");
    // Keep the plugin cache of the project's CLI config instead of cdktf's own.
    args.push("--disable-plugin-cache-env");
  }
  if (o.outdir) args.push("--output", o.outdir);
  args.push(...(o.extra ?? []));
  return { args, env };
}

/**
 * Where a command goes when neither --aws nor --emulator is given: AWS when credentials are configured.
 * @param {NodeJS.ProcessEnv} env
 * @param {(p: string) => boolean} exists
 * @returns {"aws" | "emulator"}
 */
export function defaultTarget(env, exists = existsSync) {
  const keys = ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"];
  if (keys.some((k) => env[k])) return "aws";
  const home = env.HOME ?? homedir();
  return exists(join(home, ".aws", "credentials")) || exists(join(home, ".aws", "config")) ? "aws" : "emulator";
}

/**
 * Environment variables that send every AWS call of terraform and the provider to the emulator.
 * @param {string} endpoint
 * @returns {Record<string, string>}
 */
export function emulatorVariables(endpoint) {
  return {
    AWS_EMULATOR_ENDPOINT: endpoint,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "emulator",
    AWS_SECRET_ACCESS_KEY: "emulator",
    AWS_REGION: "eu-west-1",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/**
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @param {readonly string[]} [drop] variables to remove from the inherited environment
 * @returns {Promise<number>}
 */
function run(args, env, drop = []) {
  const full = { ...process.env, ...env };
  for (const k of drop) delete full[k];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: root, env: full, stdio: "inherit" });
    child.on("close", (code) => done(code ?? 1));
  });
}

const AWS_PROFILE_VARIABLES = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"];

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (!command) throw new Error("usage: node scripts/cdktf.mjs <synth|diff|deploy> [stack] [--aws|--emulator] [cdktf options]");
  const toolchain = ensureTerraformToolchain();
  /** @type {Set<string>} */
  const flags = new Set(rest.filter((a) => a === "--aws" || a === "--emulator"));
  const positional = rest.filter((a) => !flags.has(a));
  if (command === "synth") {
    const { args, env } = cdktfInvocation({ command, extra: positional, mirror: toolchain.mirror, cliConfig: toolchain.cliConfig });
    return run([cli, ...args], env);
  }
  const [stack, ...extra] = positional;
  if (!stack || stack.startsWith("-")) throw new Error(`npm run ${command} -- <stack>: name one stack, e.g. tvmaze-ingestion-dev or bootstrap`);
  const target = flags.has("--aws") ? "aws" : flags.has("--emulator") ? "emulator" : defaultTarget(process.env);
  if (flags.size === 0) console.error(`${command} ${stack}: ${target === "aws" ? "AWS credentials found: against AWS" : "no AWS credentials configured: against the emulator"} (--aws / --emulator to choose)`);

  if (target === "aws") {
    if (command === "deploy") {
      const envName = environmentOf(stack);
      const envs = await loadEnvironments([envName]);
      const left = findPlaceholders(envs[envName]);
      if (left.length) {
        console.error(`Refusing a real deploy of ${stack}: environment "${envName}" still holds ${left.length} placeholder(s):`);
        for (const p of left) console.error(`  ${p.setting} = ${p.value}: ${p.why}`);
        console.error("Replace them (README \"Before your first real deploy\"; npm run placeholders lists them), or deploy to the emulator with --emulator.");
        return 1;
      }
    }
    const { args, env } = cdktfInvocation({ command, stack, extra, mirror: toolchain.mirror, cliConfig: toolchain.cliConfig });
    return run([cli, ...args], env);
  }

  // The emulator: deploy goes through scripts/deploy-local.mjs (bootstrap first, -target where moto has gaps).
  if (command === "deploy") return run([join(root, "scripts", "deploy-local.mjs"), stack, ...extra], { CHECKPOINT_DISABLE: "1" });
  const { startEmulator } = await import("./emulator.mjs");
  const emulator = await startEmulator({ reuse: true, log: (m) => console.error(m) });
  const bucket = /** @type {{ bucket: string }} */ ((await loadEnvironments(["bootstrap"])).bootstrap.backend).bucket;
  const head = await fetch(`${emulator.endpoint}/${bucket}`, { method: "HEAD" });
  if (stack !== "bootstrap" && head.status !== 200) {
    console.error(`The state bucket ${bucket} is not on the emulator yet: deploying bootstrap there first (npm run deploy -- bootstrap --emulator).`);
    const code = await run([join(root, "scripts", "deploy-local.mjs"), "bootstrap"], { CHECKPOINT_DISABLE: "1" });
    if (code !== 0) return code;
  }
  const { args, env } = cdktfInvocation({ command, stack, extra, mirror: toolchain.mirror, cliConfig: toolchain.cliConfig, outdir: emulatorOutdir });
  return run([cli, ...args], { ...env, ...emulatorVariables(emulator.endpoint) }, AWS_PROFILE_VARIABLES);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  main()
    .then((code) => {
      if (process.argv[2] !== "synth") console.error(`\n${process.argv[2]} finished in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${code})`);
      process.exitCode = code;
    })
    .catch((e) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    });
}
