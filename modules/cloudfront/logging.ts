/**
 * CloudFront standard logging v2 (issue 10 item 3): the distribution's access logs delivered by CloudWatch Logs
 * ("vended logs") to a log group of its own, encrypted and kept as long as asked. The delivery source, destination
 * and delivery are CloudWatch Logs resources in us-east-1 (CloudFront's region), so they take that region's provider;
 * the log group's resource policy lets only this delivery source's service write to it. The legacy `logging_config`
 * needs an ACL-enabled bucket, which the s3-bucket module refuses.
 */
import { Construct } from "constructs";
import { Fn, TerraformProvider } from "cdktf";
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { arn, dnsLabel, logRetentionDays } from "../core";

export interface StandardLoggingProps {
  /** The us-east-1 provider (delivery sources of CloudFront live there). */
  readonly provider: TerraformProvider;
  /** Days the access logs are kept (a CloudWatch Logs retention value). */
  readonly retentionDays: number;
  /** Customer key of the log group, in us-east-1, that lets CloudWatch Logs encrypt. @default AWS-owned */
  readonly kmsKeyArn?: string;
}

/** What standardLogging creates; `logGroupName` holds the access logs (JSON). */
export interface StandardLogging {
  readonly logGroupName: string;
  readonly delivery: CloudwatchLogDelivery;
}

/** Wires logging v2 for the distribution `distributionArn`, names from `name` (construct ids under `scope`). */
export function standardLogging(scope: Construct, name: string, distributionArn: string, props: StandardLoggingProps): StandardLogging {
  const label = dnsLabel(scope, "name", name, 50);
  const retention = logRetentionDays(scope, "standardLogging.retentionDays", props.retentionDays);
  if (props.kmsKeyArn !== undefined) arn(scope, "standardLogging.kmsKeyArn", props.kmsKeyArn, "kms");
  const provider = props.provider;
  const account = new DataAwsCallerIdentity(scope, "LoggingAccount", { provider });
  const logGroup = new CloudwatchLogGroup(scope, "AccessLogGroup", {
    provider,
    // The /aws/vendedlogs/ prefix keeps the delivery's resource policy small (AWS's advice for vended logs).
    name: `/aws/vendedlogs/cloudfront/${label}`,
    retentionInDays: retention,
    ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
  });
  const source = new CloudwatchLogDeliverySource(scope, "LogDeliverySource", {
    provider, name: `${label}-access`, logType: "ACCESS_LOGS", resourceArn: distributionArn,
  });
  const policy = new CloudwatchLogResourcePolicy(scope, "LogDeliveryPolicy", {
    provider,
    policyName: `${label}-cloudfront-access-logs`,
    policyDocument: Fn.jsonencode({
      Version: "2012-10-17",
      Statement: [{
        Sid: "CloudFrontAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logGroup.arn}:log-stream:*`,
        Condition: { StringEquals: { "aws:SourceAccount": account.accountId }, ArnLike: { "aws:SourceArn": source.arn } },
      }],
    }),
  });
  const destination = new CloudwatchLogDeliveryDestination(scope, "LogDeliveryDestination", {
    provider, name: `${label}-access-logs`, outputFormat: "json", deliveryDestinationConfiguration: [{ destinationResourceArn: logGroup.arn }],
  });
  const delivery = new CloudwatchLogDelivery(scope, "LogDelivery", {
    provider, deliverySourceName: source.name, deliveryDestinationArn: destination.arn, dependsOn: [policy],
  });
  return { logGroupName: logGroup.name, delivery };
}
