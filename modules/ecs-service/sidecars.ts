/**
 * Sidecar containers (a FireLens log router, an agent) and the main container's command, entry point and ulimits:
 * their types, checks and container definitions (plain data, like container.ts).
 */
import { Construct } from "constructs";
import { fail, inRange, isInteger, matches, nonEmpty, oneOf } from "../core";
import { XRAY_CONTAINER_NAME } from "./xray";

export interface EcsSidecar {
  /** Container name, unique in the task (not "app" or "xray-daemon"): letters, digits, "-" and "_". */
  readonly name: string;
  readonly image: string;
  /**
   * "logRouter": a FireLens router (firelensConfiguration type fluentbit); the app container then logs through it
   * (logDriver awsfirelens with `appLogOptions`) and starts after it. "agent": any other helper. @default "agent"
   */
  readonly kind?: "agent" | "logRouter";
  /** CPU units taken from the app container's share of the task. @default 0 */
  readonly cpu?: number;
  /** Soft memory reservation (MiB). @default 64 */
  readonly memoryReservationMiB?: number;
  /** The task stops when an essential container stops. @default false */
  readonly essential?: boolean;
  /** @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default the image's CMD */
  readonly command?: readonly string[];
  /** @default true */
  readonly readonlyRootFilesystem?: boolean;
  /** Options of the app container's awsfirelens log driver (logRouter only), e.g. `{ Name: "cloudwatch_logs", ... }`. @default none: the app keeps awslogs */
  readonly appLogOptions?: Readonly<Record<string, string>>;
}

export interface EcsUlimit {
  readonly name: (typeof ULIMIT_NAMES)[number];
  readonly softLimit: number;
  readonly hardLimit: number;
}

export const ULIMIT_NAMES = ["core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"] as const;
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;

/** Refuses bad sidecars; returns the CPU units they take from the app container. */
export function checkSidecars(scope: Construct, sidecars: readonly EcsSidecar[], taskCpu: number, taskMemoryMiB: number, reservedCpu: number): number {
  if (!Array.isArray(sidecars)) fail(scope, "sidecars", sidecars, "expected a list of sidecar containers");
  const names = new Set<string>(["app", XRAY_CONTAINER_NAME]);
  let cpu = 0;
  let memory = 0;
  sidecars.forEach((c, i) => {
    const at = `sidecars[${i}]`;
    matches(scope, `${at}.name`, c.name, CONTAINER_NAME, "1-255 letters, digits, \"-\" and \"_\", starting with a letter or digit");
    if (names.has(c.name)) fail(scope, `${at}.name`, c.name, "expected a name not used by another container of the task (\"app\" and \"xray-daemon\" are taken)");
    names.add(c.name);
    matches(scope, `${at}.image`, c.image, /^\S+$/, "an image reference such as \"public.ecr.aws/aws-observability/aws-for-fluent-bit:stable\"");
    oneOf(scope, `${at}.kind`, c.kind ?? "agent", ["agent", "logRouter"]);
    cpu += inRange(scope, `${at}.cpu`, c.cpu ?? 0, 0, taskCpu);
    memory += inRange(scope, `${at}.memoryReservationMiB`, c.memoryReservationMiB ?? 64, 6, taskMemoryMiB);
    if (c.command !== undefined) nonEmpty(scope, `${at}.command`, c.command);
    if (c.appLogOptions !== undefined && c.kind !== "logRouter") fail(scope, `${at}.appLogOptions`, c.appLogOptions, "expected appLogOptions only on a sidecar of kind \"logRouter\"");
  });
  if (sidecars.filter((c) => c.kind === "logRouter").length > 1) fail(scope, "sidecars", sidecars.map((c) => c.name), "expected at most one sidecar of kind \"logRouter\" (a task has one FireLens router)");
  if (cpu + reservedCpu >= taskCpu) fail(scope, "sidecars.cpu", cpu, `expected the sidecars' CPU to leave the app container some of the task's ${taskCpu} units (${reservedCpu} already reserved)`);
  if (memory >= taskMemoryMiB) fail(scope, "sidecars.memoryReservationMiB", memory, `expected the sidecars' reservations below the task's ${taskMemoryMiB} MiB`);
  return cpu;
}

export function checkUlimits(scope: Construct, ulimits: readonly EcsUlimit[]): EcsUlimit[] {
  const seen = new Set<string>();
  ulimits.forEach((u, i) => {
    oneOf(scope, `ulimits[${i}].name`, u.name, ULIMIT_NAMES);
    if (seen.has(u.name)) fail(scope, `ulimits[${i}].name`, u.name, "expected each ulimit once");
    seen.add(u.name);
    isInteger(scope, `ulimits[${i}].softLimit`, u.softLimit);
    isInteger(scope, `ulimits[${i}].hardLimit`, u.hardLimit);
    if (u.softLimit < 0 || u.softLimit > u.hardLimit) fail(scope, `ulimits[${i}].softLimit`, u.softLimit, `expected 0 to the hard limit (${u.hardLimit})`);
  });
  return [...ulimits];
}

/** The app container's command/entryPoint: non-empty lists of strings when given. */
export function checkArgv(scope: Construct, setting: string, value: readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  nonEmpty(scope, setting, value);
  value.forEach((v, i) => {
    if (typeof v !== "string") fail(scope, `${setting}[${i}]`, v, "expected a string");
  });
  return [...value];
}

function pairs(record: Readonly<Record<string, string>>): { name: string; value: string }[] {
  return Object.keys(record).sort().map((name) => ({ name, value: record[name] }));
}

/** The sidecars' container definitions, logging to the service's log group under their own stream prefix. */
export function sidecarContainers(sidecars: readonly EcsSidecar[], logGroupName: string, region: string): Record<string, unknown>[] {
  return sidecars.map((c) => ({
    name: c.name,
    image: c.image,
    essential: c.essential ?? false,
    cpu: c.cpu ?? 0,
    memoryReservation: c.memoryReservationMiB ?? 64,
    readonlyRootFilesystem: c.readonlyRootFilesystem ?? true,
    ...(c.command ? { command: [...c.command] } : {}),
    ...(c.kind === "logRouter" ? { firelensConfiguration: { type: "fluentbit" }, user: "0" } : {}),
    portMappings: [],
    environment: pairs(c.environment ?? {}),
    secrets: [],
    mountPoints: [],
    volumesFrom: [],
    systemControls: [],
    logConfiguration: {
      logDriver: "awslogs",
      options: { "awslogs-group": logGroupName, "awslogs-region": region, "awslogs-stream-prefix": c.name, mode: "non-blocking", "max-buffer-size": "25m" },
    },
  }));
}
