/**
 * The systems this repository deploys, and the one function that builds an app from a selection of them.
 * main.ts calls buildApp; the stack tests call it too, so what is tested is what is synthesized.
 */
import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { bootstrap, ENVIRONMENT_NAMES, Environment, EnvironmentName, loadEnvironment } from "../environments";
import type { EmulatorSettings } from "../.terraform-backend";
import { fail } from "../modules/core";
import { BootstrapStack } from "./bootstrap";
import { AlertingPlatformStack } from "./alerting-platform";
import { DotnetApiStack } from "./dotnet-api";
import { ChatAppStack } from "./chat-app";
import { TvmazeIngestionStack } from "./tvmaze-ingestion";
import { UploadPipelineStack } from "./upload-pipeline";

export interface SystemStackOptions {
  readonly environment: Environment;
  readonly emulator?: EmulatorSettings;
}

export interface SystemDefinition {
  /** Stack prefix: stacks are `<name>-<env>`. */
  readonly name: string;
  readonly create: (scope: Construct, options: SystemStackOptions) => TerraformStack;
}

export const SYSTEMS: readonly SystemDefinition[] = [
  { name: "alerting-platform", create: (scope, o) => new AlertingPlatformStack(scope, o) },
  { name: "dotnet-api", create: (scope, o) => new DotnetApiStack(scope, o) },
  { name: "chat-app", create: (scope, o) => new ChatAppStack(scope, o) },
  { name: "tvmaze-ingestion", create: (scope, o) => new TvmazeIngestionStack(scope, o) },
  { name: "upload-pipeline", create: (scope, o) => new UploadPipelineStack(scope, o) },
];

export interface Selection {
  /** Systems to build; all when empty. "bootstrap" selects the bootstrap stack. */
  readonly systems?: readonly string[];
  /** Environments to build; all when empty. */
  readonly environments?: readonly string[];
  readonly emulator?: EmulatorSettings;
  /**
   * Build only every `count`-th stack starting at `index` (0-based), for synthesizing in parallel processes. Stacks
   * share nothing across stack boundaries (no cross-stack references), so any split gives the same output.
   */
  readonly part?: { readonly index: number; readonly count: number };
}

/** Adds the selected stacks to `app` and returns them. Unknown names are refused with the known ones. */
export function buildApp(app: App, selection: Selection = {}): TerraformStack[] {
  const known = ["bootstrap", ...SYSTEMS.map((s) => s.name)];
  const systems = selection.systems?.length ? selection.systems : known;
  for (const name of systems) {
    if (!known.includes(name)) fail("main.ts", "systems", name, `expected one of ${known.map((k) => JSON.stringify(k)).join(", ")}`);
  }
  const envNames = selection.environments?.length ? selection.environments : ENVIRONMENT_NAMES;
  const envs = envNames.map((n) => loadEnvironment(n));
  const builders: (() => TerraformStack)[] = [];
  if (systems.includes("bootstrap")) builders.push(() => new BootstrapStack(app, { settings: bootstrap, emulator: selection.emulator }));
  for (const system of SYSTEMS.filter((s) => systems.includes(s.name))) {
    for (const environment of envs) builders.push(() => system.create(app, { environment, emulator: selection.emulator }));
  }
  const part = selection.part ?? { index: 0, count: 1 };
  return builders.filter((_, i) => i % part.count === part.index).map((build) => build());
}

export type { EnvironmentName };
