/**
 * The task definition's container definitions as plain data: the app container and, with tracing, the X-Ray daemon
 * sidecar. Pure (no constructs), so the rendering is tested on its own; EcsService jsonencodes the result.
 */
import { EcsServiceEfsVolume, efsMountPoints, TMP_VOLUME } from "./volumes";
import { XRAY_CPU, XRAY_DAEMON_ADDRESS, xrayDaemonContainer } from "./xray";
import { EcsSidecar, EcsUlimit, sidecarContainers } from "./sidecars";

export interface ContainerHealthCheck {
  readonly command: string[];
  readonly interval: number;
  readonly timeout: number;
  readonly retries: number;
  readonly startPeriod: number;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  /** The task's CPU units (the daemon's share comes out of the app's). */
  readonly cpu: number;
  readonly containerPort?: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly efsVolumes: readonly EcsServiceEfsVolume[];
  readonly healthCheck?: ContainerHealthCheck;
  readonly xray: boolean;
  readonly logGroupName: string;
  readonly region: string;
  /** @default [] */
  readonly sidecars?: readonly EcsSidecar[];
  /** CPU units the sidecars take from the app container. @default 0 */
  readonly sidecarCpu?: number;
  readonly command?: string[];
  readonly entryPoint?: string[];
  readonly ulimits?: readonly EcsUlimit[];
  /** ECS Exec's agent writes into the container: the root filesystem stays writable while exec is on. @default true */
  readonly readonlyRootFilesystem?: boolean;
}

function sortedPairs(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The container definitions ECS gets, with explicit empty lists and sorted variables (what ECS returns: no drift). */
export function containerDefinitions(c: ContainerSpec): Record<string, unknown>[] {
  const environment = c.xray ? { ...c.environment, [XRAY_DAEMON_ADDRESS.name]: XRAY_DAEMON_ADDRESS.value } : c.environment;
  const sidecars = c.sidecars ?? [];
  const router = sidecars.find((s) => s.kind === "logRouter" && s.appLogOptions !== undefined);
  const awslogs = {
    logDriver: "awslogs",
    options: {
      "awslogs-group": c.logGroupName,
      "awslogs-region": c.region,
      "awslogs-stream-prefix": "ecs",
      // Set explicitly: ECS now fills in non-blocking mode itself, which would otherwise show as drift.
      mode: "non-blocking",
      "max-buffer-size": "25m",
    },
  };
  return [
    {
      name: c.name,
      image: c.image,
      essential: true,
      // The X-Ray daemon's share comes out of the app's: container CPU must add up to at most the task's.
      cpu: c.cpu - (c.xray ? XRAY_CPU : 0) - (c.sidecarCpu ?? 0),
      readonlyRootFilesystem: c.readonlyRootFilesystem ?? true,
      ...(c.entryPoint ? { entryPoint: c.entryPoint } : {}),
      ...(c.command ? { command: c.command } : {}),
      ...(c.ulimits && c.ulimits.length > 0 ? { ulimits: c.ulimits.map((u) => ({ name: u.name, softLimit: u.softLimit, hardLimit: u.hardLimit })) } : {}),
      ...(router ? { dependsOn: [{ containerName: router.name, condition: "START" }] } : {}),
      portMappings: c.containerPort === undefined ? [] : [{ containerPort: c.containerPort, hostPort: c.containerPort, protocol: "tcp" }],
      environment: sortedPairs(environment).map(([name, value]) => ({ name, value })),
      secrets: sortedPairs(c.secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
      mountPoints: [{ sourceVolume: TMP_VOLUME.name, containerPath: TMP_VOLUME.containerPath, readOnly: false }, ...efsMountPoints(c.efsVolumes)],
      volumesFrom: [],
      systemControls: [],
      ...(c.healthCheck ? { healthCheck: c.healthCheck } : {}),
      logConfiguration: router ? { logDriver: "awsfirelens", options: { ...router.appLogOptions } } : awslogs,
    },
    ...(c.xray ? [xrayDaemonContainer(c.logGroupName, c.region)] : []),
    ...sidecarContainers(sidecars, c.logGroupName, c.region),
  ];
}
