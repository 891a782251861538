/** A single RDS PostgreSQL instance (optionally Multi-AZ) with its parameter group. */
import { Construct } from "constructs";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { fail, inRange, matches, oneOf } from "../core";
import { Common, InstanceEngine, monitoring, PORT, postgresParameters } from "./common";
import { INSTANCE_CLASS, NO_PERFORMANCE_INSIGHTS } from "./instance-classes";

export function buildInstance(scope: Construct, engine: InstanceEngine, c: Common, performanceInsights: boolean | undefined): DbInstance {
  matches(scope, "engine.instanceClass", engine.instanceClass, INSTANCE_CLASS, "an RDS instance class such as \"db.t3.micro\" or \"db.r6g.large\"");
  const storage = inRange(scope, "engine.allocatedStorageGiB", engine.allocatedStorageGiB, 20, 65536);
  const storageType = oneOf(scope, "engine.storageType", engine.storageType ?? "gp3", ["gp2", "gp3", "io1"]);
  if (engine.maxAllocatedStorageGiB !== undefined) {
    inRange(scope, "engine.maxAllocatedStorageGiB", engine.maxAllocatedStorageGiB, storage, 65536);
  }
  const autoscaleTo = engine.maxAllocatedStorageGiB !== undefined && engine.maxAllocatedStorageGiB > storage ? engine.maxAllocatedStorageGiB : undefined;
  if (storageType === "io1") {
    if (engine.iops === undefined) fail(scope, "engine.iops", engine.iops, "required with storageType \"io1\": a whole number from 1000 to 256000");
    inRange(scope, "engine.iops", engine.iops, 1000, 256000);
    if (storage < 100) fail(scope, "engine.allocatedStorageGiB", storage, "expected at least 100 GiB with storageType \"io1\"");
  } else if (engine.iops !== undefined) {
    fail(scope, "engine.iops", engine.iops, "only allowed with storageType \"io1\"");
  }
  const piSupported = !NO_PERFORMANCE_INSIGHTS.includes(engine.instanceClass);
  if (performanceInsights === true && !piSupported) {
    fail(scope, "performanceInsights", true, `Performance Insights is not available on ${engine.instanceClass} (nor on ${NO_PERFORMANCE_INSIGHTS.join(", ")}); leave it unset or choose a larger class`);
  }
  const pi = performanceInsights ?? piSupported;

  const parameterGroup = new DbParameterGroup(scope, "ParameterGroup", {
    name: `${c.identifier}-postgres${c.major}`,
    family: `postgres${c.major}`,
    description: `PostgreSQL ${c.major} settings of ${c.identifier}: TLS only, slow statement log`,
    parameter: postgresParameters(c.parameters),
    // The name carries the major version: an upgrade creates the new group before dropping the old one.
    lifecycle: { createBeforeDestroy: true },
  });

  return new DbInstance(scope, "Instance", {
    identifier: c.identifier,
    engine: "postgres",
    engineVersion: c.major,
    autoMinorVersionUpgrade: true,
    allowMajorVersionUpgrade: c.allowMajorVersionUpgrade,
    instanceClass: engine.instanceClass,
    allocatedStorage: storage,
    ...(autoscaleTo !== undefined ? { maxAllocatedStorage: autoscaleTo } : {}),
    storageType,
    ...(storageType === "io1" ? { iops: engine.iops } : {}),
    storageEncrypted: true,
    ...(c.kmsKeyArn ? { kmsKeyId: c.kmsKeyArn, masterUserSecretKmsKeyId: c.kmsKeyArn } : {}),
    dbName: c.databaseName,
    username: c.masterUsername,
    manageMasterUserPassword: true,
    port: PORT,
    dbSubnetGroupName: c.subnetGroupName,
    vpcSecurityGroupIds: [c.securityGroupId],
    publiclyAccessible: false,
    parameterGroupName: parameterGroup.name,
    multiAz: c.multiAz,
    backupRetentionPeriod: c.backupDays,
    backupWindow: c.backupWindow,
    maintenanceWindow: c.maintenanceWindow,
    copyTagsToSnapshot: true,
    deleteAutomatedBackups: false,
    deletionProtection: c.deletionProtection,
    skipFinalSnapshot: c.skipFinalSnapshot,
    ...(c.skipFinalSnapshot ? {} : { finalSnapshotIdentifier: `${c.identifier}-final` }),
    iamDatabaseAuthenticationEnabled: c.iamAuthentication,
    ...monitoring(c),
    performanceInsightsEnabled: pi,
    ...(pi ? { performanceInsightsRetentionPeriod: 7, ...(c.kmsKeyArn ? { performanceInsightsKmsKeyId: c.kmsKeyArn } : {}) } : {}),
    enabledCloudwatchLogsExports: c.cloudwatchLogs ? ["postgresql", "upgrade"] : [],
    lifecycle: c.lifecycle,
  });
}
