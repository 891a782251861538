/**
 * The task definition's container definitions as plain data: the app container and, with tracing, the X-Ray daemon
 * sidecar. Pure (no constructs), so the rendering is tested on its own; EcsService jsonencodes the result.
 */
import { EcsServiceEfsVolume, efsMountPoints, TMP_VOLUME } from "./volumes";
import { XRAY_CPU, XRAY_DAEMON_ADDRESS, xrayDaemonContainer } from "./xray";

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
}

function sortedPairs(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The container definitions ECS gets, with explicit empty lists and sorted variables (what ECS returns: no drift). */
export function containerDefinitions(c: ContainerSpec): Record<string, unknown>[] {
  const environment = c.xray ? { ...c.environment, [XRAY_DAEMON_ADDRESS.name]: XRAY_DAEMON_ADDRESS.value } : c.environment;
  return [
    {
      name: c.name,
      image: c.image,
      essential: true,
      // The X-Ray daemon's share comes out of the app's: container CPU must add up to at most the task's.
      cpu: c.xray ? c.cpu - XRAY_CPU : c.cpu,
      readonlyRootFilesystem: true,
      portMappings: c.containerPort === undefined ? [] : [{ containerPort: c.containerPort, hostPort: c.containerPort, protocol: "tcp" }],
      environment: sortedPairs(environment).map(([name, value]) => ({ name, value })),
      secrets: sortedPairs(c.secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
      mountPoints: [{ sourceVolume: TMP_VOLUME.name, containerPath: TMP_VOLUME.containerPath, readOnly: false }, ...efsMountPoints(c.efsVolumes)],
      volumesFrom: [],
      systemControls: [],
      ...(c.healthCheck ? { healthCheck: c.healthCheck } : {}),
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": c.logGroupName,
          "awslogs-region": c.region,
          "awslogs-stream-prefix": "ecs",
          // Set explicitly: ECS now fills in non-blocking mode itself, which would otherwise show as drift.
          mode: "non-blocking",
          "max-buffer-size": "25m",
        },
      },
    },
    ...(c.xray ? [xrayDaemonContainer(c.logGroupName, c.region)] : []),
  ];
}
