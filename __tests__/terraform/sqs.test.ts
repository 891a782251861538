import { Queue } from "../../modules/sqs";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

describe("Queue under terraform validate", () => {
  it("validates a KMS-encrypted FIFO queue and an SSE-SQS standard queue, both with DLQs", async () => {
    const r = await validateConstructs((stack) => {
      new Queue(stack, "Orders", {
        name: "upload-pipeline-prod-orders",
        fifo: true,
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
        visibilityTimeoutSeconds: 900,
        messageRetentionSeconds: 604800,
        deadLetter: { maxReceiveCount: 3, retentionSeconds: 1209600 },
        receiveWaitSeconds: 10,
      });
      new Queue(stack, "ParseJobs", { name: "upload-pipeline-prod-parse-jobs" });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
