/**
 * EFS volumes of a task (TV6): the task definition volumes (TLS in transit, IAM authorization, optional access
 * point), the container mount points, and the task role's mount permission on exactly those file systems.
 */
import { Construct } from "constructs";
import { EcsTaskDefinitionVolume } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { fail, isToken, matches, PolicyStatement } from "../core";

export interface EcsServiceEfsVolume {
  /** Volume name in the task definition: letters, digits, "_" and "-". */
  readonly name: string;
  /** EFS file system id, e.g. fileSystem.fileSystemId. */
  readonly fileSystemId: string;
  /** Mount through this access point (its POSIX identity and root directory). @default none (the file system root) */
  readonly accessPointId?: string;
  /** Absolute path in the container, e.g. "/mnt/shared"; not "/tmp" (the module's scratch volume). */
  readonly containerPath: string;
  /** Mount read-only; the task role then gets no ClientWrite. @default false */
  readonly readOnly?: boolean;
}

/** The module's own writable scratch volume. */
export const TMP_VOLUME = { name: "tmp", containerPath: "/tmp" } as const;

/** "shared-files" -> "SharedFiles": the volume's part of its IAM statement id (letters and digits only). */
function sidPart(name: string): string {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

/** Refuses volumes ECS or IAM would reject, or that clash with each other or with /tmp. */
export function checkEfsVolumes(scope: Construct, volumes: readonly EcsServiceEfsVolume[]): void {
  const names = new Set<string>([TMP_VOLUME.name]);
  const sids = new Set<string>();
  const paths = new Set<string>([TMP_VOLUME.containerPath]);
  volumes.forEach((v, i) => {
    const at = `efsVolumes[${i}]`;
    matches(scope, `${at}.name`, v.name, /^[A-Za-z0-9_-]{1,255}$/, "1-255 letters, digits, \"_\" and \"-\"");
    if (names.has(v.name)) {
      fail(scope, `${at}.name`, v.name, v.name === TMP_VOLUME.name ? "\"tmp\" is the module's scratch volume; choose another name" : "expected each volume name once");
    }
    names.add(v.name);
    const sid = sidPart(v.name);
    if (sids.has(sid)) fail(scope, `${at}.name`, v.name, "expected names that stay distinct without \"_\" and \"-\" (they name the task role's statements)");
    sids.add(sid);
    if (!isToken(v.fileSystemId)) matches(scope, `${at}.fileSystemId`, v.fileSystemId, /^fs-[0-9a-f]{8,40}$/, "an EFS file system id such as \"fs-0123456789abcdef0\"");
    if (v.accessPointId !== undefined && !isToken(v.accessPointId)) {
      matches(scope, `${at}.accessPointId`, v.accessPointId, /^fsap-[0-9a-f]{8,40}$/, "an EFS access point id such as \"fsap-0123456789abcdef0\"");
    }
    matches(scope, `${at}.containerPath`, v.containerPath, /^(\/[A-Za-z0-9._-]+)+$/, "an absolute path such as \"/mnt/shared\" (letters, digits, \".\", \"_\", \"-\"; no trailing \"/\")");
    if (/(^|\/)\.\.?(\/|$)/.test(v.containerPath)) fail(scope, `${at}.containerPath`, v.containerPath, "expected a path without \".\" or \"..\" segments");
    if (paths.has(v.containerPath)) {
      fail(scope, `${at}.containerPath`, v.containerPath, v.containerPath === TMP_VOLUME.containerPath ? "/tmp is already the task's writable scratch volume; mount elsewhere, e.g. \"/mnt/shared\"" : "expected each container path once");
    }
    paths.add(v.containerPath);
  });
}

/** Task definition volumes: TLS to the mount target and IAM authorization (the task role), through the access point when given. */
export function efsTaskVolumes(volumes: readonly EcsServiceEfsVolume[]): EcsTaskDefinitionVolume[] {
  return volumes.map((v) => ({
    name: v.name,
    efsVolumeConfiguration: {
      fileSystemId: v.fileSystemId,
      // "/" explicitly: the provider's default, and the only value allowed with an access point.
      rootDirectory: "/",
      transitEncryption: "ENABLED",
      authorizationConfig: { iam: "ENABLED", ...(v.accessPointId !== undefined ? { accessPointId: v.accessPointId } : {}) },
    },
  }));
}

/** Container mount points, in the order given. */
export function efsMountPoints(volumes: readonly EcsServiceEfsVolume[]): { sourceVolume: string; containerPath: string; readOnly: boolean }[] {
  return volumes.map((v) => ({ sourceVolume: v.name, containerPath: v.containerPath, readOnly: v.readOnly ?? false }));
}

/** What the task role needs to mount each volume: ClientMount (+ ClientWrite unless read-only), tied to the access point when given. */
export function efsMountStatements(volumes: readonly EcsServiceEfsVolume[], at: { partition: string; region: string; account: string }): PolicyStatement[] {
  const base = `arn:${at.partition}:elasticfilesystem:${at.region}:${at.account}`;
  return volumes.map((v) => ({
    sid: `EfsMount${sidPart(v.name)}`,
    actions: ["elasticfilesystem:ClientMount", ...(v.readOnly ? [] : ["elasticfilesystem:ClientWrite"])],
    resources: [`${base}:file-system/${v.fileSystemId}`],
    ...(v.accessPointId !== undefined
      ? { conditions: { StringEquals: { "elasticfilesystem:AccessPointArn": `${base}:access-point/${v.accessPointId}` } } }
      : {}),
  }));
}
