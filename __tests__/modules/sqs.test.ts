import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy";
import { Queue, QueueProps } from "../../modules/sqs";
import { grantee, resources, synthWith } from "../support/synth";
import { decodeJsonencode, deniesInsecureTransport } from "../support/stacks";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const queueNamed = (s: ReturnType<typeof synthWith>, name: string) => Object.values(resources(s, "aws_sqs_queue")).find((q) => q.name === name);

describe("Queue", () => {
  describe("with defaults", () => {
    let queue!: Queue;
    const s = synthWith((scope) => {
      queue = new Queue(scope, "ParseJobs", { name: "upload-pipeline-dev-parse-jobs" });
    });
    const main = () => queueNamed(s, "upload-pipeline-dev-parse-jobs");
    const dlq = () => queueNamed(s, "upload-pipeline-dev-parse-jobs-dlq");

    it("UP2: redrives to a dead-letter queue after 5 receives, through a separate redrive resource", () => {
      expect(dlq()).toBeDefined();
      expect(main().redrive_policy).toBeUndefined();
      const redrive = Object.values(resources(s, "aws_sqs_queue_redrive_policy"));
      expect(redrive).toHaveLength(1);
      expect(redrive[0].queue_url).toMatch(/aws_sqs_queue\.ParseJobs_Queue_[A-Z0-9]+\.url/);
      expect(redrive[0].redrive_policy).toMatch(/"maxReceiveCount" = 5/);
      expect(redrive[0].redrive_policy).toMatch(/"deadLetterTargetArn" = aws_sqs_queue\.ParseJobs_DeadLetterQueue_[A-Z0-9]+\.arn/);
    });

    it("UP2: lets only this queue dead-letter into the DLQ", () => {
      const allow = Object.values(resources(s, "aws_sqs_queue_redrive_allow_policy"));
      expect(allow).toHaveLength(1);
      expect(allow[0].queue_url).toMatch(/DeadLetterQueue_[A-Z0-9]+\.url/);
      expect(allow[0].redrive_allow_policy).toMatch(/"redrivePermission" = "byQueue", "sourceQueueArns" = \[aws_sqs_queue\.ParseJobs_Queue_[A-Z0-9]+\.arn\]/);
    });

    it("UP2: encrypts both queues with SQS-managed keys", () => {
      expect(main().sqs_managed_sse_enabled).toBe(true);
      expect(dlq().sqs_managed_sse_enabled).toBe(true);
      expect(main().kms_master_key_id).toBeUndefined();
    });

    it("UP2: hides a received message for 300 seconds and long-polls for 20", () => {
      expect(main().visibility_timeout_seconds).toBe(300);
      expect(main().receive_wait_time_seconds).toBe(20);
    });

    it("keeps messages 4 days and dead letters 14 days", () => {
      expect(main().message_retention_seconds).toBe(345600);
      expect(dlq().message_retention_seconds).toBe(1209600);
    });

    it("denies requests not over TLS on both queues", () => {
      const policies = Object.values(resources(s, "aws_sqs_queue_policy"));
      expect(policies).toHaveLength(2);
      for (const p of policies) {
        expect(deniesInsecureTransport(p.policy)).toBe(true);
      }
    });

    it("grants producers send and consumers receive/delete/extend, without KMS statements", () => {
      expect(queue.grantSendMessages(grantee())).toEqual([{ sid: "SendToQueue", actions: ["sqs:SendMessage", "sqs:GetQueueAttributes"], resources: [queue.queueArn] }]);
      const consume = queue.grantConsumeMessages(grantee());
      expect(consume).toHaveLength(1);
      expect(consume[0].actions).toEqual(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]);
      expect(queue.deadLetterQueueUrl).toBeDefined();
      expect(queue.deadLetterQueueArn).toBeDefined();
    });
  });

  describe("as a FIFO queue with a customer KMS key", () => {
    let queue!: Queue;
    const s = synthWith((scope) => {
      queue = new Queue(scope, "Orders", {
        name: "sys-dev-orders",
        fifo: true,
        kmsKeyArn: KEY,
        visibilityTimeoutSeconds: 900,
        deadLetter: { maxReceiveCount: 3, retentionSeconds: 604800 },
        receiveWaitSeconds: 0,
      });
    });

    it("appends .fifo to both names and makes both FIFO", () => {
      expect(queueNamed(s, "sys-dev-orders.fifo").fifo_queue).toBe(true);
      expect(queueNamed(s, "sys-dev-orders-dlq.fifo").fifo_queue).toBe(true);
    });

    it("encrypts both queues with the key instead of SSE-SQS", () => {
      for (const q of Object.values(resources(s, "aws_sqs_queue"))) {
        expect(q.kms_master_key_id).toBe(KEY);
        expect(q.sqs_managed_sse_enabled).toBeUndefined();
      }
    });

    it("applies the given visibility, wait, receive count and DLQ retention", () => {
      const main = queueNamed(s, "sys-dev-orders.fifo");
      expect(main.visibility_timeout_seconds).toBe(900);
      expect(main.receive_wait_time_seconds).toBe(0);
      expect(queueNamed(s, "sys-dev-orders-dlq.fifo").message_retention_seconds).toBe(604800);
      expect(decodeJsonencode(Object.values(resources(s, "aws_sqs_queue_redrive_policy"))[0].redrive_policy).maxReceiveCount).toBe(3);
    });

    it("adds the key to producer and consumer statements", () => {
      expect(queue.grantSendMessages(grantee())[1]).toEqual({ sid: "EncryptQueueMessages", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [KEY] });
      expect(queue.grantConsumeMessages(grantee())[1]).toEqual({ sid: "DecryptQueueMessages", actions: ["kms:Decrypt"], resources: [KEY] });
    });
  });

  describe("without a dead-letter queue", () => {
    let queue!: Queue;
    const s = synthWith((scope) => {
      queue = new Queue(scope, "Events", { name: "sys-dev-events", deadLetter: false });
    });

    it("creates one queue and no redrive resources", () => {
      expect(Object.keys(resources(s, "aws_sqs_queue"))).toHaveLength(1);
      expect(s.json).not.toHaveResource(SqsQueueRedriveAllowPolicy);
      expect(resources(s, "aws_sqs_queue_redrive_policy")).toEqual({});
      expect(queue.deadLetterQueueArn).toBeUndefined();
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<QueueProps>) => () => synthWith((scope) => new Queue(scope, "Q", { name: "sys-dev-q", ...props }));

    it("a visibility timeout above 12 hours", () => {
      expect(build({ visibilityTimeoutSeconds: 43201 })).toThrow(/test\/Q: visibilityTimeoutSeconds = 43201 is not allowed; expected a whole number from 0 to 43200/);
    });
    it("a retention under a minute", () => {
      expect(build({ messageRetentionSeconds: 59 })).toThrow(/messageRetentionSeconds = 59 is not allowed; expected a whole number from 60 to 1209600/);
    });
    it("a long-polling wait above 20 seconds", () => {
      expect(build({ receiveWaitSeconds: 21 })).toThrow(/receiveWaitSeconds = 21 is not allowed; expected a whole number from 0 to 20/);
    });
    it("a max receive count of 0", () => {
      expect(build({ deadLetter: { maxReceiveCount: 0 } })).toThrow(/deadLetter\.maxReceiveCount = 0 is not allowed; expected a whole number from 1 to 1000/);
    });
    it("a max receive count above 1000", () => {
      expect(build({ deadLetter: { maxReceiveCount: 1001 } })).toThrow(/deadLetter\.maxReceiveCount = 1001 is not allowed/);
    });
    it("a DLQ retention shorter than the queue's", () => {
      expect(build({ messageRetentionSeconds: 604800, deadLetter: { maxReceiveCount: 5, retentionSeconds: 86400 } })).toThrow(
        /deadLetter\.retentionSeconds = 86400 is not allowed; expected at least messageRetentionSeconds \(604800\); messages would expire in the dead-letter queue/,
      );
    });
    it("a name that already ends in .fifo", () => {
      expect(build({ name: "sys-dev-q.fifo", fifo: true })).toThrow(/name = "sys-dev-q.fifo" is not allowed; expected the name without ".fifo"/);
    });
    it("a name with characters SQS does not allow", () => {
      expect(build({ name: "sys dev q" })).toThrow(/name = "sys dev q" is not allowed; expected letters, digits/);
    });
    it("a FIFO name too long once -dlq.fifo is added", () => {
      const name = "q".repeat(72);
      expect(build({ name, fifo: true })).toThrow(/name = "q+" is not allowed; "q+-dlq\.fifo" is 81 characters; the sqsQueueName limit is 80, so the name may have at most 71 characters/);
    });
    it("a key that is not a KMS ARN", () => {
      expect(build({ kmsKeyArn: "alias/my-key" })).toThrow(/kmsKeyArn = "alias\/my-key" is not allowed; expected an ARN of the kms service/);
    });
  });
});
