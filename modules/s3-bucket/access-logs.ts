/**
 * An account's access-log bucket (the bootstrap stack creates one per region it logs in): S3 server access logs of
 * every bucket and ALB access logs of every load balancer that name it. SSE-S3, because ALB cannot write to SSE-KMS
 * buckets (and S3 server access logging does not support a KMS default key either); logs expire after the audit
 * retention. The primary region's bucket can replicate to the disaster-recovery region's one, which is then both
 * that copy and the log target of the replica buckets there (S3 logs only to a bucket in the same region).
 */
import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { BucketPolicyStatement, S3Bucket } from "./index";

/** The access-log bucket's name and how long its logs are kept. */
export interface AccessLogBucketProps {
  readonly accessLogsBucket: string;
  /** Days before a log object expires. */
  readonly retentionDays: number;
}

/** Where the bucket lives and what else it does. */
export interface AccessLogBucketOptions {
  /** Construct id prefix: ids `<prefix>Account`, `<prefix>ElbAccount`, `<prefix>Bucket`. @default "" (LogsAccount, ElbAccount, AccessLogsBucket) */
  readonly idPrefix?: string;
  /** Provider of another region (the disaster-recovery one). @default the stack's */
  readonly provider?: TerraformProvider;
  /** Admit ALB access-log delivery (load balancers of this region write here). @default true */
  readonly albLogs?: boolean;
  /** Replicate every log object to this bucket (the disaster-recovery region's log bucket, SSE-S3 too). @default none */
  readonly replicateTo?: S3Bucket;
}

/** Builds the bucket in `scope` (construct ids LogsAccount, ElbAccount, AccessLogsBucket, or with `idPrefix`). */
export function accessLogBucket(scope: Construct, audit: AccessLogBucketProps, options: AccessLogBucketOptions = {}): S3Bucket {
  const prefix = options.idPrefix ?? "";
  const provider = options.provider;
  const account = new DataAwsCallerIdentity(scope, prefix ? `${prefix}Account` : "LogsAccount", { provider });
  const objects = `arn:aws:s3:::${audit.accessLogsBucket}/*`;
  const fromThisAccount = { StringEquals: { "aws:SourceAccount": account.accountId } };
  const statements: BucketPolicyStatement[] = [
    { sid: "S3ServerAccessLogs", principal: { Service: "logging.s3.amazonaws.com" }, actions: ["s3:PutObject"], resources: objects, conditions: fromThisAccount },
  ];
  if (options.albLogs ?? true) {
    // Regions opened before August 2022 deliver ALB logs from the regional ELB account; newer ones from the service.
    const elb = new DataAwsElbServiceAccount(scope, `${prefix}ElbAccount`, { provider });
    const albObjects = [`arn:aws:s3:::${audit.accessLogsBucket}/*/AWSLogs/${account.accountId}/*`];
    statements.push(
      { sid: "AlbAccessLogsRegionalAccount", principal: { AWS: elb.arn }, actions: ["s3:PutObject"], resources: albObjects },
      { sid: "AlbAccessLogsService", principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, actions: ["s3:PutObject"], resources: albObjects },
    );
  }
  return new S3Bucket(scope, prefix ? `${prefix}Bucket` : "AccessLogsBucket", {
    bucketName: audit.accessLogsBucket,
    encryption: "s3-managed",
    // Versioned, so an overwritten or deleted log object can be recovered for a day (then it expires); replication needs it too.
    versioned: true,
    lifecycleRules: [{ id: "expire-access-logs", expirationDays: audit.retentionDays, noncurrentExpirationDays: 1 }],
    preventDestroy: true,
    ...(provider ? { provider } : {}),
    ...(options.replicateTo ? { replicateTo: { destinationBucketArn: options.replicateTo.bucketArn } } : {}),
    policyStatements: statements,
  });
}
