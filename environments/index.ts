/**
 * The environments, validated once when loaded (main.ts), with messages as clear as the modules'.
 */
import { dev } from "./dev";
import { staging } from "./staging";
import { prod } from "./prod";
import { ENVIRONMENT_NAMES, Environment, EnvironmentName } from "./types";
import { validateEnvironment } from "./validate";
import { fail } from "../modules/core/errors";

export * from "./types";
export { aspnetEnvironmentName, checkSystem, systemKey } from "./system-checks";
export { bootstrap, stateBackend } from "./bootstrap";

export const environments: Readonly<Record<EnvironmentName, Environment>> = { dev, staging, prod };

/** Looks an environment up by name, refusing unknown names with the list of known ones. */
export function loadEnvironment(name: string): Environment {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    fail("environments", "environment", name, `expected one of ${ENVIRONMENT_NAMES.map((n) => JSON.stringify(n)).join(", ")}`);
  }
  return validateEnvironment(environments[name as EnvironmentName], `environments/${name}.ts`);
}
