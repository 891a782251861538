/**
 * An account's access-log bucket (the bootstrap stack creates one): S3 server access logs of every bucket and
 * ALB access logs of every load balancer that name it. SSE-S3, because ALB cannot write to SSE-KMS buckets (and S3
 * server access logging does not support a KMS default key either); logs expire after the audit retention.
 */
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { S3Bucket } from "./index";

/** The access-log bucket's name and how long its logs are kept. */
export interface AccessLogBucketProps {
  readonly accessLogsBucket: string;
  /** Days before a log object expires. */
  readonly retentionDays: number;
}

/** Builds the bucket in `scope` (construct ids LogsAccount, ElbAccount, AccessLogsBucket). */
export function accessLogBucket(scope: Construct, audit: AccessLogBucketProps): S3Bucket {
  const account = new DataAwsCallerIdentity(scope, "LogsAccount");
  // Regions opened before August 2022 deliver ALB logs from the regional ELB account; newer ones from the service.
  const elb = new DataAwsElbServiceAccount(scope, "ElbAccount");
  const objects = `arn:aws:s3:::${audit.accessLogsBucket}/*`;
  const fromThisAccount = { StringEquals: { "aws:SourceAccount": account.accountId } };
  return new S3Bucket(scope, "AccessLogsBucket", {
    bucketName: audit.accessLogsBucket,
    encryption: "s3-managed",
    // Versioned, so an overwritten or deleted log object can be recovered for a day (then it expires).
    versioned: true,
    lifecycleRules: [{ id: "expire-access-logs", expirationDays: audit.retentionDays, noncurrentExpirationDays: 1 }],
    preventDestroy: true,
    policyStatements: [
      { sid: "S3ServerAccessLogs", principal: { Service: "logging.s3.amazonaws.com" }, actions: ["s3:PutObject"], resources: objects, conditions: fromThisAccount },
      { sid: "AlbAccessLogsRegionalAccount", principal: { AWS: elb.arn }, actions: ["s3:PutObject"], resources: [`arn:aws:s3:::${audit.accessLogsBucket}/*/AWSLogs/${account.accountId}/*`] },
      { sid: "AlbAccessLogsService", principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, actions: ["s3:PutObject"], resources: [`arn:aws:s3:::${audit.accessLogsBucket}/*/AWSLogs/${account.accountId}/*`] },
    ],
  });
}
