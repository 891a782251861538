/** Read replicas of a single RDS PostgreSQL instance: asynchronous copies in the same region for read traffic. */
import { Construct } from "constructs";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { fail, inRange, matches, Subject } from "../core";
import { Common, monitoring, PORT } from "./common";
import { INSTANCE_CLASS } from "./instance-classes";

export interface ReadReplicas {
  /** How many replicas, 1-15. */
  readonly count: number;
  /** Instance class of the replicas. @default the primary's */
  readonly instanceClass?: string;
}

/** Checks the setting; returns the replica count (0 without replicas). */
export function checkReadReplicas(subject: Subject, replicas: ReadReplicas | undefined, kind: string): number {
  if (replicas === undefined) return 0;
  if (kind !== "instance") fail(subject, "readReplicas", replicas, "only for engine kind \"instance\"; Aurora readers are engine.instances");
  const count = inRange(subject, "readReplicas.count", replicas.count, 1, 15);
  if (replicas.instanceClass !== undefined) matches(subject, "readReplicas.instanceClass", replicas.instanceClass, INSTANCE_CLASS, "an RDS instance class such as \"db.t3.micro\"");
  return count;
}

/** Replica i (1-based) is `<identifier>-replica-<i>`, replicating from the primary, in its subnets and security group. */
export function buildReadReplicas(scope: Construct, primary: DbInstance, c: Common, replicas: ReadReplicas, instanceClass: string): DbInstance[] {
  return Array.from({ length: replicas.count }, (_, i) => new DbInstance(scope, `ReadReplica${i + 1}`, {
    identifier: `${c.identifier}-replica-${i + 1}`,
    replicateSourceDb: primary.identifier,
    instanceClass: replicas.instanceClass ?? instanceClass,
    autoMinorVersionUpgrade: true,
    storageEncrypted: true,
    ...(c.kmsKeyArn ? { kmsKeyId: c.kmsKeyArn } : {}),
    port: PORT,
    vpcSecurityGroupIds: [c.securityGroupId],
    publiclyAccessible: false,
    parameterGroupName: primary.parameterGroupName,
    // A replica keeps no backups of its own and is dropped without a snapshot: the primary holds the data.
    backupRetentionPeriod: 0,
    skipFinalSnapshot: true,
    deletionProtection: c.deletionProtection,
    copyTagsToSnapshot: true,
    iamDatabaseAuthenticationEnabled: c.iamAuthentication,
    ...monitoring(c),
    enabledCloudwatchLogsExports: c.cloudwatchLogs ? ["postgresql", "upgrade"] : [],
    lifecycle: c.lifecycle,
  }));
}
