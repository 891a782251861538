/** Aurora PostgreSQL Serverless v2: the cluster, its parameter group and its instances (readers serverless or provisioned, optionally auto scaled). */
import { Construct } from "constructs";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { fail, inNumberRange, inRange } from "../core";
import { AuroraServerlessEngine, Common, monitoring, PORT, postgresParameters } from "./common";
import { checkReaderAutoScaling, readerAutoScaling, readerClass } from "./aurora-readers";

export function buildAurora(scope: Construct, engine: AuroraServerlessEngine, c: Common, pi: boolean): RdsCluster {
  const minAcu = acu(scope, "engine.minAcu", engine.minAcu, 0);
  const maxAcu = acu(scope, "engine.maxAcu", engine.maxAcu, 1);
  if (minAcu > maxAcu) fail(scope, "engine.minAcu", minAcu, `expected engine.minAcu <= engine.maxAcu (${maxAcu})`);
  const instances = inRange(scope, "engine.instances", engine.instances ?? 1, 1, 16);
  const readers = readerClass(scope, engine.readerInstanceClass);
  const autoScaling = checkReaderAutoScaling(scope, engine.readerAutoScaling);
  if (c.multiAz && instances < 2) fail(scope, "multiAz", true, `Aurora needs a reader in a second AZ: set engine.instances to 2 or more (got ${instances})`);

  const parameterGroup = new RdsClusterParameterGroup(scope, "ClusterParameterGroup", {
    name: `${c.identifier}-aurora-postgresql${c.major}`,
    family: `aurora-postgresql${c.major}`,
    description: `Aurora PostgreSQL ${c.major} settings of ${c.identifier}: TLS only, slow statement log`,
    // log_statement = ddl: every schema change (CREATE, ALTER, DROP) is in the PostgreSQL log. The description is
    // left as it was: changing it replaces the group, and the replacement would collide with the fixed name.
    parameter: postgresParameters([{ name: "log_statement", value: "ddl", applyMethod: "immediate" }, ...c.parameters]),
    lifecycle: { createBeforeDestroy: true },
  });

  const cluster = new RdsCluster(scope, "Cluster", {
    clusterIdentifier: c.identifier,
    engine: "aurora-postgresql",
    engineMode: "provisioned",
    engineVersion: c.major,
    allowMajorVersionUpgrade: c.allowMajorVersionUpgrade,
    serverlessv2ScalingConfiguration: { minCapacity: minAcu, maxCapacity: maxAcu },
    storageEncrypted: true,
    ...(c.kmsKeyArn ? { kmsKeyId: c.kmsKeyArn, masterUserSecretKmsKeyId: c.kmsKeyArn } : {}),
    databaseName: c.databaseName,
    masterUsername: c.masterUsername,
    manageMasterUserPassword: true,
    port: PORT,
    dbSubnetGroupName: c.subnetGroupName,
    vpcSecurityGroupIds: [c.securityGroupId],
    dbClusterParameterGroupName: parameterGroup.name,
    backupRetentionPeriod: c.backupDays,
    preferredBackupWindow: c.backupWindow,
    preferredMaintenanceWindow: c.maintenanceWindow,
    copyTagsToSnapshot: true,
    deleteAutomatedBackups: false,
    deletionProtection: c.deletionProtection,
    skipFinalSnapshot: c.skipFinalSnapshot,
    ...(c.skipFinalSnapshot ? {} : { finalSnapshotIdentifier: `${c.identifier}-final` }),
    iamDatabaseAuthenticationEnabled: c.iamAuthentication,
    enabledCloudwatchLogsExports: c.cloudwatchLogs ? ["postgresql"] : [],
    lifecycle: c.lifecycle,
  });

  for (let n = 1; n <= instances; n++) {
    new RdsClusterInstance(scope, n === 1 ? "Writer" : `Reader${n - 1}`, {
      identifier: `${c.identifier}-${n}`,
      clusterIdentifier: cluster.id,
      instanceClass: n === 1 ? "db.serverless" : readers,
      engine: cluster.engine,
      engineVersion: cluster.engineVersion,
      autoMinorVersionUpgrade: true,
      dbSubnetGroupName: c.subnetGroupName,
      publiclyAccessible: false,
      promotionTier: n === 1 ? 0 : 1,
      preferredMaintenanceWindow: c.maintenanceWindow,
      copyTagsToSnapshot: true,
      ...monitoring(c),
      performanceInsightsEnabled: pi,
      ...(pi ? { performanceInsightsRetentionPeriod: 7, ...(c.kmsKeyArn ? { performanceInsightsKmsKeyId: c.kmsKeyArn } : {}) } : {}),
      lifecycle: c.lifecycle,
    });
  }
  // The cluster's identifier as a reference, so the scaling target waits for the cluster.
  if (autoScaling) readerAutoScaling(scope, c.identifier, cluster.clusterIdentifier, autoScaling);
  return cluster;
}

/** Aurora capacity units: from `min` to 256 in steps of 0.5. */
function acu(scope: Construct, setting: string, value: number, min: number): number {
  inNumberRange(scope, setting, value, min, 256);
  if (!Number.isInteger(value * 2)) fail(scope, setting, value, `expected a number from ${min} to 256 in steps of 0.5`);
  return value;
}
