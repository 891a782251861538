/**
 * App entry: the bootstrap stack and one stack per (system, environment).
 *
 * The only place that reads process.env:
 *   SYSTEMS=alerting-platform,bootstrap   build only these systems (default: all)
 *   ENVIRONMENTS=dev                       build only these environments (default: dev, staging, prod)
 *   AWS_EMULATOR_ENDPOINT=http://127.0.0.1:5000   point provider and backend at an AWS API emulator
 *   SYNTH_HCL_OUTPUT=true                  set by `cdktf synth --hcl`: write cdk.tf (valid HCL, see stacks/hcl-output.ts)
 *   SYNTH_PART=2/3                         build only the 2nd of 3 interleaved parts (to split a synth over processes)
 * A configuration error prints one line naming the construct, the setting, the value and what is allowed.
 */
import { startupSnapshot } from "node:v8";
import { App } from "cdktf";
import { buildApp } from "./stacks";
import { ConfigError } from "./modules/core/errors";
import { makeHclValid } from "./stacks/hcl-output";

function part(value: string | undefined): { index: number; count: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(value ?? "");
  return m ? { index: Number(m[1]) - 1, count: Number(m[2]) } : undefined;
}

function list(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/**
 * Builds the stacks `env` selects and writes them to `outdir` (default: cdktf's, CDKTF_OUTDIR or cdktf.out). Throws a
 * ConfigError for bad input. The synth snapshot runs it once while it is built, to warm up (stacks/synth/snapshot-entry.ts).
 */
export function synthesize(env: NodeJS.ProcessEnv, outdir?: string): void {
  const app = new App({ stackTraces: false, ...(outdir === undefined ? {} : { outdir }) });
  const endpoint = env.AWS_EMULATOR_ENDPOINT;
  const stacks = buildApp(app, {
    systems: list(env.SYSTEMS),
    environments: list(env.ENVIRONMENTS),
    emulator: endpoint ? { endpoint } : undefined,
    part: part(env.SYNTH_PART),
  });
  // `cdktf synth --hcl` sets SYNTH_HCL_OUTPUT; two renderer gaps of cdktf are closed first (stacks/hcl-output.ts).
  if (env.SYNTH_HCL_OUTPUT === "true" || env.SYNTH_HCL_OUTPUT === "1") makeHclValid(stacks);
  app.synth();
}

/**
 * Synthesizes the stacks the environment selects. Runs on load, except while the synth snapshot is being built
 * (stacks/synth/snapshot-entry.ts), which calls it once the snapshot has started.
 */
export function main(): void {
  // cdktf captures and formats a full stack trace for every token it creates, only to show it if that token later
  // fails to resolve. Formatting them (source-mapped, under tsx) was a third of synth time. Errors are reported
  // here without traces anyway, so traces stay unformatted unless DEBUG=1.
  if (!process.env.DEBUG) {
    process.setSourceMapsEnabled(false);
    Error.prepareStackTrace = (error: Error) => `${error.name}: ${error.message}`;
  }
  try {
    synthesize(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    // Anything else is a bug in this repository, not bad input: say so in one line; DEBUG=1 shows the trace.
    if (process.env.DEBUG) throw error;
    console.error(`Internal error (a bug, please report it; DEBUG=1 shows where): ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}

if (!startupSnapshot.isBuildingSnapshot()) main();
