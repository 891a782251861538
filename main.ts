/**
 * App entry: the bootstrap stack and one stack per (system, environment).
 *
 * The only place that reads process.env:
 *   SYSTEMS=alerting-platform,bootstrap   build only these systems (default: all)
 *   ENVIRONMENTS=dev                       build only these environments (default: dev, staging, prod)
 *   AWS_EMULATOR_ENDPOINT=http://127.0.0.1:5000   point provider and backend at an AWS API emulator
 * A configuration error prints one line naming the construct, the setting, the value and what is allowed.
 */
import { App } from "cdktf";
import { buildApp } from "./stacks";
import { ConfigError } from "./modules/core/errors";

function list(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

try {
  const app = new App();
  const endpoint = process.env.AWS_EMULATOR_ENDPOINT;
  buildApp(app, {
    systems: list(process.env.SYSTEMS),
    environments: list(process.env.ENVIRONMENTS),
    emulator: endpoint ? { endpoint } : undefined,
  });
  app.synth();
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
