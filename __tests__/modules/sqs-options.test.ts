import { Queue, QueueProps } from "../../modules/sqs";
import { resources, synthWith } from "../support/synth";
import { decodeJsonencode } from "../support/stacks";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:uploads";
const RULE = "arn:aws:events:eu-west-1:123456789012:rule/object-created";
const queueNamed = (s: ReturnType<typeof synthWith>, name: string) => Object.values(resources(s, "aws_sqs_queue")).find((q) => q.name === name);
const policyOf = (s: ReturnType<typeof synthWith>, id: string) => {
  const entry = Object.entries(resources(s, "aws_sqs_queue_policy")).find(([k]) => k.startsWith(`Q_${id}_`));
  return decodeJsonencode(entry![1].policy);
};

describe("Queue options (issue 8.3)", () => {
  describe("extra queue-policy statements", () => {
    const s = synthWith((scope) => new Queue(scope, "Q", {
      name: "sys-dev-q",
      policyStatements: [
        { sid: "SnsDelivers", service: "sns.amazonaws.com", sourceArns: [TOPIC] },
        { sid: "EventBridgeDelivers", service: "events.amazonaws.com", sourceArns: [RULE] },
        { sid: "PartnerAccount", awsPrincipals: ["210987654321"], actions: ["sqs:SendMessage", "sqs:GetQueueAttributes"] },
      ],
    }));

    it("issue 8.3: adds the statements to the queue's policy after the TLS-only deny, with the source-ARN guard", () => {
      const statements = policyOf(s, "Policy").Statement;
      expect(statements.map((x: any) => x.Sid)).toEqual(["DenyInsecureTransport", "SnsDelivers", "EventBridgeDelivers", "PartnerAccount"]);
      expect(statements[1]).toMatchObject({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: ["sqs:SendMessage"], Condition: { ArnLike: { "aws:SourceArn": [TOPIC] } } });
      expect(statements[2].Principal).toEqual({ Service: "events.amazonaws.com" });
      expect(statements[3]).toMatchObject({ Principal: { AWS: ["210987654321"] }, Action: ["sqs:SendMessage", "sqs:GetQueueAttributes"] });
      expect(statements[3].Condition).toBeUndefined();
    });

    it("issue 8.3: leaves the dead-letter queue's policy at the TLS-only deny", () => {
      expect(policyOf(s, "DeadLetterQueuePolicy").Statement.map((x: any) => x.Sid)).toEqual(["DenyInsecureTransport"]);
    });
  });

  describe("delay, size and FIFO settings", () => {
    const s = synthWith((scope) => new Queue(scope, "Q", {
      name: "sys-dev-q",
      fifo: true,
      delaySeconds: 30,
      maxMessageSizeBytes: 65536,
      fifoSettings: { contentBasedDeduplication: true, deduplicationScope: "messageGroup", throughputLimit: "perMessageGroupId" },
    }));

    it("issue 8.3: sets delay, maximum size and high-throughput FIFO on the queue", () => {
      expect(queueNamed(s, "sys-dev-q.fifo")).toMatchObject({
        delay_seconds: 30, max_message_size: 65536, fifo_queue: true,
        content_based_deduplication: true, deduplication_scope: "messageGroup", fifo_throughput_limit: "perMessageGroupId",
      });
      expect(queueNamed(s, "sys-dev-q-dlq.fifo").fifo_queue).toBe(true);
    });

    it("issue 8.3: defaults to no delay, 256 KiB and queue-scoped deduplication", () => {
      const d = synthWith((scope) => new Queue(scope, "Q", { name: "sys-dev-q", fifo: true }));
      expect(queueNamed(d, "sys-dev-q.fifo")).toMatchObject({ delay_seconds: 0, max_message_size: 262144, content_based_deduplication: false, deduplication_scope: "queue", fifo_throughput_limit: "perQueue" });
    });
  });

  describe("dead-letter-queue depth alarm", () => {
    let queue!: Queue;
    const s = synthWith((scope) => { queue = new Queue(scope, "Q", { name: "sys-dev-q", deadLetterAlarm: { topicArn: TOPIC, threshold: 2 } }); });

    it("issue 8.3: alarms when the DLQ holds more than the threshold, notifying the topic on alarm and recovery", () => {
      const alarms = Object.values(resources(s, "aws_cloudwatch_metric_alarm"));
      expect(alarms).toHaveLength(1);
      expect(alarms[0]).toMatchObject({
        alarm_name: "sys-dev-q-dlq-depth", namespace: "AWS/SQS", metric_name: "ApproximateNumberOfMessagesVisible",
        statistic: "Maximum", period: 300, evaluation_periods: 1, comparison_operator: "GreaterThanThreshold", threshold: 2,
        treat_missing_data: "notBreaching", alarm_actions: [TOPIC], ok_actions: [TOPIC],
      });
      expect(alarms[0].dimensions.QueueName).toMatch(/^\$\{aws_sqs_queue\.Q_DeadLetterQueue_[A-Z0-9]+\.name\}$/);
      expect(queue.deadLetterAlarm).toBeDefined();
    });

    it("issue 8.3: has no alarm unless asked", () => {
      const d = synthWith((scope) => new Queue(scope, "Q", { name: "sys-dev-q" }));
      expect(resources(d, "aws_cloudwatch_metric_alarm")).toEqual({});
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<QueueProps>) => () => synthWith((scope) => new Queue(scope, "Q", { name: "sys-dev-q", ...props }));

    it("a delay above 15 minutes and a message size outside 1 KiB-256 KiB", () => {
      expect(build({ delaySeconds: 901 })).toThrow(/^test\/Q: delaySeconds = 901 is not allowed; expected a whole number from 0 to 900$/);
      expect(build({ maxMessageSizeBytes: 1023 })).toThrow(/^test\/Q: maxMessageSizeBytes = 1023 is not allowed; expected a whole number from 1024 to 262144$/);
    });

    it("FIFO settings on a standard queue, and per-message-group throughput with queue-scoped deduplication", () => {
      expect(build({ fifoSettings: { contentBasedDeduplication: true } })).toThrow(/^test\/Q: fifoSettings = \{"contentBasedDeduplication":true\} is not allowed; expected no fifoSettings on a standard queue/);
      expect(build({ fifo: true, fifoSettings: { throughputLimit: "perMessageGroupId" } })).toThrow(/^test\/Q: fifoSettings\.throughputLimit = "perMessageGroupId" is not allowed; expected deduplicationScope "messageGroup"/);
      expect(build({ fifo: true, fifoSettings: { deduplicationScope: "group" as never } })).toThrow(/fifoSettings\.deduplicationScope = "group" is not allowed; expected one of "queue", "messageGroup"/);
    });

    it("a service statement without a source guard, a bad principal, action or duplicate sid", () => {
      expect(build({ policyStatements: [{ sid: "Sns", service: "sns.amazonaws.com" }] })).toThrow(/^test\/Q: policyStatements\[0\]\.sourceArns = undefined is not allowed; expected sourceArns or sourceAccount/);
      expect(build({ policyStatements: [{ sid: "Sns", service: "sns" , sourceArns: [TOPIC] }] })).toThrow(/policyStatements\[0\]\.service = "sns" is not allowed; expected a service principal/);
      expect(build({ policyStatements: [{ sid: "Both", service: "sns.amazonaws.com", awsPrincipals: ["210987654321"], sourceArns: [TOPIC] }] })).toThrow(/policyStatements\[0\]\.service = "sns.amazonaws.com" is not allowed; expected exactly one of service or awsPrincipals/);
      expect(build({ policyStatements: [{ sid: "X", awsPrincipals: ["210987654321"], actions: ["s3:PutObject"] }] })).toThrow(/policyStatements\[0\]\.actions\[0\] = "s3:PutObject" is not allowed; expected an SQS action/);
      expect(build({ policyStatements: [{ sid: "DenyInsecureTransport", awsPrincipals: ["210987654321"] }] })).toThrow(/policyStatements\[0\]\.sid = "DenyInsecureTransport" is not allowed/);
      expect(build({ policyStatements: [{ sid: "bad-sid", awsPrincipals: ["210987654321"] }] })).toThrow(/policyStatements\[0\]\.sid = "bad-sid" is not allowed; expected letters and digits only/);
    });

    it("a DLQ alarm without a DLQ, with a non-SNS target or a bad threshold", () => {
      expect(build({ deadLetter: false, deadLetterAlarm: { topicArn: TOPIC } })).toThrow(/^test\/Q: deadLetterAlarm = .* is not allowed; expected a dead-letter queue/);
      expect(build({ deadLetterAlarm: { topicArn: "arn:aws:sqs:eu-west-1:123456789012:x" } })).toThrow(/deadLetterAlarm\.topicArn = "arn:aws:sqs:eu-west-1:123456789012:x" is not allowed; expected an ARN of the sns service/);
      expect(build({ deadLetterAlarm: { topicArn: TOPIC, threshold: -1 } })).toThrow(/deadLetterAlarm\.threshold = -1 is not allowed; expected a whole number from 0 to 100000/);
      expect(build({ deadLetterAlarm: { topicArn: TOPIC, periodSeconds: 90 } })).toThrow(/deadLetterAlarm\.periodSeconds = 90 is not allowed; expected a multiple of 60/);
    });
  });
});
