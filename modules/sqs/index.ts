/**
 * An SQS queue (UP2): encrypted (SSE-SQS, or a customer KMS key), TLS-only, long polling, and a dead-letter queue
 * that catches messages after a number of failed receives, with a redrive allow-policy naming only this queue.
 * Options: extra queue-policy statements (SNS, EventBridge, S3 delivering), delay, maximum message size, FIFO
 * deduplication and throughput, and an alarm on the dead-letter queue's depth.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedrivePolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-policy";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { arn, fail, grant, IGrantee, inRange, keyStatements, matches, NAME_LIMITS, PolicyStatement } from "../core";
import { DeadLetterAlarm, deadLetterAlarmSettings, fifoAttributes, FifoSettings, policyStatements, QueuePolicyStatement } from "./options";

export type { DeadLetterAlarm, FifoSettings, QueuePolicyStatement } from "./options";

export interface QueueProps {
  /** Queue name, e.g. "upload-pipeline-dev-parse-jobs" (".fifo" is appended for FIFO queues; the DLQ adds "-dlq"). */
  readonly name: string;
  /** Seconds a received message stays hidden, 0-43200; set above the consumer's maximum processing time. @default 300 */
  readonly visibilityTimeoutSeconds?: number;
  /** Seconds a message is kept, 60-1209600. @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /**
   * Move a message to a dead-letter queue after maxReceiveCount receives (1-1000); false = no DLQ, so a poison
   * message is retried until it expires. @default { maxReceiveCount: 5 }
   */
  readonly deadLetter?: false | { readonly maxReceiveCount: number; /** DLQ retention, at least the queue's. @default 1209600 (14 days) */ readonly retentionSeconds?: number };
  /** FIFO queue (exactly-once, ordered per message group). @default false */
  readonly fifo?: boolean;
  /** Customer KMS key (ARN) for both queues. @default SQS-managed encryption (SSE-SQS) */
  readonly kmsKeyArn?: string;
  /** Long-polling wait of ReceiveMessage, 0-20 seconds. @default 20 */
  readonly receiveWaitSeconds?: number;
  /** Seconds every new message stays invisible before its first delivery, 0-900. @default 0 */
  readonly delaySeconds?: number;
  /** Largest message accepted, 1024-262144 bytes. @default 262144 (256 KiB) */
  readonly maxMessageSizeBytes?: number;
  /** FIFO deduplication and throughput (fifo: true only). @default { contentBasedDeduplication: false, deduplicationScope: "queue", throughputLimit: "perQueue" } */
  readonly fifoSettings?: FifoSettings;
  /**
   * Extra statements of the queue's policy, beside the TLS-only deny: who else may send (an SNS topic, an
   * EventBridge rule, S3 notifications). With a customer KMS key the service also needs kms:GenerateDataKey and
   * kms:Decrypt in the key's policy. @default []
   */
  readonly policyStatements?: readonly QueuePolicyStatement[];
  /** Alarm when the dead-letter queue holds more than `threshold` messages, notifying `topicArn`. @default none */
  readonly deadLetterAlarm?: DeadLetterAlarm;
}

const NAME = /^[A-Za-z0-9_-]+$/;
const DLQ_SUFFIX = "-dlq";
const FIFO_SUFFIX = ".fifo";

export class Queue extends Construct {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly queueName: string;
  readonly deadLetterQueueUrl?: string;
  readonly deadLetterQueueArn?: string;
  readonly deadLetterQueueName?: string;
  readonly resource: SqsQueue;
  /** The dead-letter-queue depth alarm, when deadLetterAlarm is set. */
  readonly deadLetterAlarm?: CloudwatchMetricAlarm;
  private readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: QueueProps) {
    super(scope, id);
    const fifo = props.fifo ?? false;
    const deadLetter = props.deadLetter ?? { maxReceiveCount: 5 };
    if (typeof props.name === "string" && props.name.endsWith(FIFO_SUFFIX)) {
      fail(this, "name", props.name, "expected the name without \".fifo\"; set fifo: true and the suffix is added");
    }
    matches(this, "name", props.name, NAME, "letters, digits, \"-\" and \"_\" only");
    const suffix = fifo ? FIFO_SUFFIX : "";
    const longest = `${props.name}${deadLetter ? DLQ_SUFFIX : ""}${suffix}`;
    if (longest.length > NAME_LIMITS.sqsQueueName) {
      fail(this, "name", props.name, `"${longest}" is ${longest.length} characters; the sqsQueueName limit is ${NAME_LIMITS.sqsQueueName}, so the name may have at most ${NAME_LIMITS.sqsQueueName - (longest.length - props.name.length)} characters`);
    }
    const visibility = inRange(this, "visibilityTimeoutSeconds", props.visibilityTimeoutSeconds ?? 300, 0, 43200);
    const retention = inRange(this, "messageRetentionSeconds", props.messageRetentionSeconds ?? 345600, 60, 1209600);
    const receiveWait = inRange(this, "receiveWaitSeconds", props.receiveWaitSeconds ?? 20, 0, 20);
    const delay = inRange(this, "delaySeconds", props.delaySeconds ?? 0, 0, 900);
    const maxMessageSize = inRange(this, "maxMessageSizeBytes", props.maxMessageSizeBytes ?? 262144, 1024, 262144);
    const fifoQueueSettings = fifoAttributes(this, fifo, props.fifoSettings);
    const alarm = props.deadLetterAlarm === undefined ? undefined : deadLetterAlarmSettings(this, props.deadLetterAlarm, deadLetter !== false);
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    this.kmsKeyArn = props.kmsKeyArn;
    let dlqRetention = 0;
    let maxReceiveCount = 0;
    if (deadLetter) {
      maxReceiveCount = inRange(this, "deadLetter.maxReceiveCount", deadLetter.maxReceiveCount, 1, 1000);
      dlqRetention = inRange(this, "deadLetter.retentionSeconds", deadLetter.retentionSeconds ?? 1209600, 60, 1209600);
      // A standard queue's message keeps its original enqueue time in the DLQ: a shorter retention there deletes it unseen.
      if (dlqRetention < retention) {
        fail(this, "deadLetter.retentionSeconds", dlqRetention, `expected at least messageRetentionSeconds (${retention}); messages would expire in the dead-letter queue before in the source queue`);
      }
    }

    const encryption = props.kmsKeyArn
      ? { kmsMasterKeyId: props.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 }
      : { sqsManagedSseEnabled: true };

    this.resource = new SqsQueue(this, "Queue", {
      name: `${props.name}${suffix}`,
      visibilityTimeoutSeconds: visibility,
      messageRetentionSeconds: retention,
      receiveWaitTimeSeconds: receiveWait,
      delaySeconds: delay,
      maxMessageSize,
      ...fifoQueueSettings,
      ...encryption,
    });
    this.queueUrl = this.resource.url;
    this.queueArn = this.resource.arn;
    this.queueName = this.resource.name;
    this.denyInsecureTransport("Policy", this.resource, policyStatements(this, props.policyStatements, this.resource.arn));

    if (deadLetter) {
      const dlq = new SqsQueue(this, "DeadLetterQueue", {
        name: `${props.name}${DLQ_SUFFIX}${suffix}`,
        messageRetentionSeconds: dlqRetention,
        // Same visibility as the source, so a redrive back to it behaves the same.
        visibilityTimeoutSeconds: visibility,
        receiveWaitTimeSeconds: receiveWait,
        ...(fifo ? { fifoQueue: true } : {}),
        ...encryption,
      });
      this.deadLetterQueueUrl = dlq.url;
      this.deadLetterQueueArn = dlq.arn;
      this.deadLetterQueueName = dlq.name;
      this.denyInsecureTransport("DeadLetterQueuePolicy", dlq);
      new SqsQueueRedrivePolicy(this, "RedrivePolicy", {
        queueUrl: this.resource.url,
        redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: dlq.arn, maxReceiveCount }),
      });
      // Only this queue may dead-letter into the DLQ.
      new SqsQueueRedriveAllowPolicy(this, "RedriveAllowPolicy", {
        queueUrl: dlq.url,
        redriveAllowPolicy: Fn.jsonencode({ redrivePermission: "byQueue", sourceQueueArns: [this.resource.arn] }),
      });
      if (alarm) {
        this.deadLetterAlarm = new CloudwatchMetricAlarm(this, "DeadLetterAlarm", {
          alarmName: `${props.name}${DLQ_SUFFIX}${suffix}-depth`,
          alarmDescription: `Messages are waiting in the dead-letter queue of ${props.name}${suffix}: failed ${maxReceiveCount} times; inspect and redrive`,
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: dlq.name },
          statistic: "Maximum",
          period: alarm.periodSeconds,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: alarm.threshold,
          treatMissingData: "notBreaching",
          alarmActions: [alarm.topicArn],
          okActions: [alarm.topicArn],
        });
      }
    }
  }

  /** A producer: send to the queue (and encrypt with its key). */
  grantSendMessages(grantee: IGrantee): PolicyStatement[] {
    return grant(grantee, [
      { sid: "SendToQueue", actions: ["sqs:SendMessage", "sqs:GetQueueAttributes"], resources: [this.queueArn] },
      ...keyStatements(this.kmsKeyArn, "encryptDecrypt", "EncryptQueueMessages"),
    ]);
  }

  /** A consumer: receive, delete and extend visibility (and decrypt with its key). */
  grantConsumeMessages(grantee: IGrantee): PolicyStatement[] {
    return grant(grantee, [
      {
        sid: "ConsumeFromQueue",
        actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        resources: [this.queueArn],
      },
      ...keyStatements(this.kmsKeyArn, "decrypt", "DecryptQueueMessages"),
    ]);
  }

  /** TLS only (G6): refuse any request not made over HTTPS. */
  private denyInsecureTransport(id: string, queue: SqsQueue, extra: Record<string, unknown>[] = []): void {
    new SqsQueuePolicy(this, id, {
      queueUrl: queue.url,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:*",
            Resource: queue.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
          ...extra,
        ],
      }),
    });
  }
}
