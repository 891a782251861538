/**
 * bootstrap's disaster-recovery region (BootstrapSettings.replica): a key of that region, the region's access-log
 * bucket (the replication destination of the primary log bucket, and the log target of every replica bucket there)
 * and the destination buckets of the state and trail buckets. Built before the primary buckets, which replicate here.
 */
import type { BootstrapSettings } from "../environments/bootstrap";
import { fail, region as checkRegion } from "../modules/core";
import { KmsKey } from "../modules/kms-key";
import { S3Bucket } from "../modules/s3-bucket";
import { accessLogBucket } from "../modules/s3-bucket/access-logs";
import type { BaseStack } from "./system-stack";

/** What the primary side replicates to. */
export interface BootstrapReplica {
  readonly region: string;
  readonly key: KmsKey;
  readonly accessLogs: S3Bucket;
  readonly state: S3Bucket;
  readonly trail: S3Bucket;
}

export function bootstrapReplica(stack: BaseStack, s: BootstrapSettings, noncurrentDays: number): BootstrapReplica | undefined {
  const r = s.replica;
  if (!r) return undefined;
  checkRegion(stack, "replica.region", r.region);
  if (r.region === s.region) fail(stack, "replica.region", r.region, `expected a region other than bootstrap's own (${s.region}): the copies are for disaster recovery`);
  const names = [r.accessLogsBucket, r.stateBucket, r.trailBucket];
  const taken = [s.backend.bucket, s.audit.accessLogsBucket, s.audit.trailBucket];
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i || taken.includes(n)) fail(stack, "replica", n, "expected bucket names of their own: not another replica's, nor a primary bucket's");
  });
  const provider = stack.regionalProvider("replica", r.region);
  const key = new KmsKey(stack, "ReplicaKey", {
    name: `${s.project}-terraform-state-replica`,
    description: `Encrypts the ${r.region} copies of Terraform state and of the audit trail's log files`,
    allowCloudWatchLogs: false,
    preventDestroy: true,
    provider,
  });
  const accessLogs = accessLogBucket(stack, { accessLogsBucket: r.accessLogsBucket, retentionDays: s.audit.retentionDays }, { idPrefix: "ReplicaAccessLogs", provider, albLogs: false });
  const state = new S3Bucket(stack, "StateReplicaBucket", {
    bucketName: r.stateBucket,
    accessLogsBucket: accessLogs,
    versioned: true,
    kmsKeyArn: key.keyArn,
    lifecycleRules: [{ id: "expire-superseded-state", noncurrentExpirationDays: noncurrentDays }],
    preventDestroy: true,
    provider,
  });
  const trail = new S3Bucket(stack, "AuditTrailReplicaBucket", {
    bucketName: r.trailBucket,
    accessLogsBucket: accessLogs,
    kmsKeyArn: key.keyArn,
    // Trail files age out as in the primary bucket.
    lifecycleRules: [{ id: "expire-trail-files", expirationDays: s.audit.retentionDays, noncurrentExpirationDays: 30 }],
    preventDestroy: true,
    provider,
  });
  return { region: r.region, key, accessLogs, state, trail };
}
