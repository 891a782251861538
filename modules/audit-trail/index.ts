/**
 * The account's audit trail (issue 10 item 3): a multi-region CloudTrail trail with log-file validation, encrypted
 * with its own customer-managed key, written to its own bucket, also delivered to a CloudWatch log group (for metric
 * filters and alarms) and announcing each log file on an SNS topic; S3 data events (object reads and writes) for
 * the buckets listed.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { createRole, dnsLabel, fail, logRetentionDays, nonEmpty, serviceTrustPolicy } from "../core";
import { S3Bucket, S3BucketProps } from "../s3-bucket";

export interface AuditTrailProps {
  /** Trail, key alias, log group and topic name, e.g. "platform-audit". */
  readonly name: string;
  /** The trail's own bucket (globally unique). */
  readonly bucketName: string;
  /** ARNs of the buckets whose object reads and writes are recorded (S3 data events). */
  readonly dataEventBucketArns: readonly string[];
  /** Server access logs of the trail bucket go here (an SSE-S3 log bucket, or its S3Bucket). @default none */
  readonly accessLogsBucket?: string | S3Bucket;
  /** Days trail files are kept in the bucket, and log events in the log group. @default 365 */
  readonly retentionDays?: number;
  /** Replicate the trail bucket to this bucket of another region (disaster recovery), encrypted there with its key. @default none */
  readonly replicateTo?: S3BucketProps["replicateTo"];
  /** Terraform `prevent_destroy` on the key and bucket. @default true */
  readonly preventDestroy?: boolean;
}

export class AuditTrail extends Construct {
  readonly trailArn: string;
  readonly bucketName: string;
  readonly kmsKeyArn: string;
  readonly logGroupName: string;
  readonly topicArn: string;
  readonly resource: Cloudtrail;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const name = dnsLabel(this, "name", props.name, 64);
    nonEmpty(this, "dataEventBucketArns", props.dataEventBucketArns);
    props.dataEventBucketArns.forEach((a, i) => {
      if (!a.includes("${") && !/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(a)) fail(this, `dataEventBucketArns[${i}]`, a, "an S3 bucket ARN such as \"arn:aws:s3:::my-bucket\"");
    });
    const retention = logRetentionDays(this, "retentionDays", props.retentionDays ?? 365);
    const preventDestroy = props.preventDestroy ?? true;

    const account = new DataAwsCallerIdentity(this, "Account");
    const partition = new DataAwsPartition(this, "Partition");
    const region = new DataAwsRegion(this, "Region");
    const trailArn = `arn:${partition.partition}:cloudtrail:${region.name}:${account.accountId}:trail/${name}`;
    const onlyThisTrail = { StringEquals: { "aws:SourceArn": trailArn } };

    const key = new KmsKey(this, "Key", {
      description: `${name}: encrypts CloudTrail log files, their CloudWatch log group and notification topic`,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${partition.partition}:iam::${account.accountId}:root` }, Action: "kms:*", Resource: "*" },
          {
            Sid: "CloudTrailEncryptsLogFiles",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:GenerateDataKey*",
            Resource: "*",
            Condition: { ...onlyThisTrail, StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${partition.partition}:cloudtrail:*:${account.accountId}:trail/*` } },
          },
          { Sid: "CloudTrailDescribesKey", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*", Condition: onlyThisTrail },
          // The topic's messages: CloudTrail publishes, subscribers' services decrypt.
          { Sid: "CloudTrailPublishes", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*", Condition: onlyThisTrail },
          {
            Sid: "CloudWatchLogsEncrypt",
            Effect: "Allow",
            Principal: { Service: `logs.${region.name}.${partition.dnsSuffix}` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition.partition}:logs:${region.name}:${account.accountId}:*` } },
          },
          {
            // Reading the log files: principals of this account that IAM allows kms:Decrypt.
            Sid: "AccountReadsLogFiles",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": account.accountId }, StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${partition.partition}:cloudtrail:*:${account.accountId}:trail/*` } },
          },
        ],
      }),
      tags: { Name: name },
      lifecycle: { preventDestroy },
    });
    new KmsAlias(this, "Alias", { name: `alias/${name}`, targetKeyId: key.keyId });

    const bucket = new S3Bucket(this, "Bucket", {
      bucketName: props.bucketName,
      kmsKeyArn: key.arn,
      ...(props.accessLogsBucket ? { accessLogsBucket: props.accessLogsBucket } : {}),
      ...(props.replicateTo ? { replicateTo: props.replicateTo } : {}),
      lifecycleRules: [{ id: "expire-trail-files", expirationDays: retention, noncurrentExpirationDays: 30 }],
      preventDestroy,
      policyStatements: [
        { sid: "CloudTrailChecksAcl", principal: { Service: "cloudtrail.amazonaws.com" }, actions: ["s3:GetBucketAcl"], resources: [`arn:${partition.partition}:s3:::${props.bucketName}`], conditions: onlyThisTrail },
        { sid: "CloudTrailWrites", principal: { Service: "cloudtrail.amazonaws.com" }, actions: ["s3:PutObject"], resources: [`arn:${partition.partition}:s3:::${props.bucketName}/AWSLogs/${account.accountId}/*`], conditions: onlyThisTrail },
      ],
    });

    const logGroup = new CloudwatchLogGroup(this, "LogGroup", { name: `/aws/cloudtrail/${name}`, retentionInDays: retention, kmsKeyId: key.arn });
    const role = createRole(this, "LogsRole", {
      name: `${name}-cloudtrail-logs`,
      description: `CloudTrail ${name} delivers events to its log group`,
      assumeRolePolicy: serviceTrustPolicy("cloudtrail.amazonaws.com", onlyThisTrail),
      statements: [{ sid: "DeliverEvents", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logGroup.arn}:log-stream:*`] }],
    });

    const topic = new SnsTopic(this, "Topic", { name: `${name}-log-files`, kmsMasterKeyId: key.arn });
    new SnsTopicPolicy(this, "TopicPolicy", {
      arn: topic.arn,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [{ Sid: "CloudTrailPublishes", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "SNS:Publish", Resource: topic.arn, Condition: onlyThisTrail }],
      }),
    });

    this.resource = new Cloudtrail(this, "Trail", {
      name,
      s3BucketName: bucket.bucketName,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: key.arn,
      cloudWatchLogsGroupArn: `${logGroup.arn}:*`,
      cloudWatchLogsRoleArn: role.arn,
      snsTopicName: topic.name,
      eventSelector: [
        {
          readWriteType: "All",
          includeManagementEvents: true,
          dataResource: [{ type: "AWS::S3::Object", values: props.dataEventBucketArns.map((a) => `${a}/`) }],
        },
      ],
      // CloudTrail checks the bucket policy and the role when the trail is created.
      dependsOn: [bucket.policy, role.role],
    });
    this.trailArn = this.resource.arn;
    this.bucketName = bucket.bucketName;
    this.kmsKeyArn = key.arn;
    this.logGroupName = logGroup.name;
    this.topicArn = topic.arn;
  }
}
