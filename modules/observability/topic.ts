/**
 * The SNS topic alarms notify (TV7), encrypted with a customer-managed KMS key that CloudWatch may use:
 * CloudWatch cannot publish to a topic encrypted with the AWS-managed aws/sns key (its key policy, which nobody
 * can edit, does not let CloudWatch use it), so the module creates its own key unless one is given.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { arn, exactName, fail, matches } from "../core";

export interface AlarmTopicProps {
  /** Topic name, e.g. "tvmaze-ingestion-prod-alarms": letters, digits, "_" and "-", 256 characters at most. */
  readonly name: string;
  /**
   * Customer-managed KMS key for the topic; its key policy must let cloudwatch.amazonaws.com use kms:Decrypt and
   * kms:GenerateDataKey* (the KmsKey module: allowServices ["cloudwatch.amazonaws.com"]).
   * @default a key created for this topic (the AWS-managed aws/sns key would silently drop every alarm)
   */
  readonly kmsKeyArn?: string;
  /** E-mail addresses subscribed to the topic (each confirms by e-mail before it receives anything). @default [] */
  readonly emailSubscriptions?: readonly string[];
}

const TOPIC_NAME = /^[A-Za-z0-9_-]+$/;
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$/;

function pascal(label: string): string {
  return label.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

export class AlarmTopic extends Construct {
  readonly topicArn: string;
  readonly topicName: string;
  /** The key the topic is encrypted with (the one given, or the one created). */
  readonly kmsKeyArn: string;
  readonly resource: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    matches(this, "name", props.name, TOPIC_NAME, "letters, digits, \"_\" and \"-\"");
    const name = exactName(this, "name", props.name, "", "snsTopicName");
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    const emails = props.emailSubscriptions ?? [];
    const subscriptionIds = new Set<string>();
    emails.forEach((email, i) => {
      matches(this, `emailSubscriptions[${i}]`, email, EMAIL, "an e-mail address such as \"ops@example.com\"");
      const subscriptionId = `Email${pascal(email.toLowerCase())}`;
      if (subscriptionIds.has(subscriptionId)) fail(this, `emailSubscriptions[${i}]`, email, "expected each address once");
      subscriptionIds.add(subscriptionId);
    });

    const account = new DataAwsCallerIdentity(this, "Account");
    const partition = new DataAwsPartition(this, "Partition");
    this.kmsKeyArn = props.kmsKeyArn ?? this.createKey(name, account, partition).arn;

    this.resource = new SnsTopic(this, "Topic", { name, kmsMasterKeyId: this.kmsKeyArn });
    this.topicArn = this.resource.arn;
    this.topicName = this.resource.name;

    new SnsTopicPolicy(this, "Policy", {
      arn: this.resource.arn,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: this.resource.arn,
            // Only alarms of this account (confused-deputy guard).
            Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
          },
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: this.resource.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });

    for (const email of emails) {
      new SnsTopicSubscription(this, `Email${pascal(email.toLowerCase())}`, { topicArn: this.resource.arn, protocol: "email", endpoint: email });
    }
  }

  private createKey(name: string, account: DataAwsCallerIdentity, partition: DataAwsPartition): KmsKey {
    return new KmsKey(this, "Key", {
      description: `Encrypts the alarm topic ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministers",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition.partition}:iam::${account.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "CloudWatchAlarmsUse",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
          },
        ],
      }),
      tags: { Name: `${name}-topic` },
    });
  }
}
