/**
 * The X-Ray daemon sidecar (TV8): the application's SDK sends segments over UDP to 127.0.0.1:2000 (shared in the
 * task's awsvpc namespace); the daemon forwards them with the task role's trace-writing permission.
 */
export const XRAY_CONTAINER_NAME = "xray-daemon";
export const XRAY_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.14";
/** CPU units the daemon reserves; taken from the application container's share of the task. */
export const XRAY_CPU = 32;
/** Soft memory reservation (MiB) of the daemon; it may use more while the task has room. */
export const XRAY_MEMORY_RESERVATION_MIB = 64;
export const XRAY_PORT = 2000;
/** What the application's X-Ray SDK reads to find the daemon. */
export const XRAY_DAEMON_ADDRESS = { name: "AWS_XRAY_DAEMON_ADDRESS", value: `127.0.0.1:${XRAY_PORT}` } as const;

/** The daemon's container definition, logging to the service's log group under the "xray" stream prefix. */
export function xrayDaemonContainer(logGroupName: string, region: string): Record<string, unknown> {
  return {
    name: XRAY_CONTAINER_NAME,
    image: XRAY_IMAGE,
    // Tracing is best effort: the task keeps serving if the daemon stops.
    essential: false,
    cpu: XRAY_CPU,
    memoryReservation: XRAY_MEMORY_RESERVATION_MIB,
    readonlyRootFilesystem: true,
    // Explicit empty lists, as ECS returns them, so the plan shows no drift.
    portMappings: [{ containerPort: XRAY_PORT, hostPort: XRAY_PORT, protocol: "udp" }],
    environment: [{ name: "AWS_REGION", value: region }],
    secrets: [],
    mountPoints: [],
    volumesFrom: [],
    systemControls: [],
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": logGroupName,
        "awslogs-region": region,
        "awslogs-stream-prefix": "xray",
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    },
  };
}
