import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "../../modules/s3-bucket";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const KMS = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666";

describe("S3Bucket (terraform validate)", () => {
  it("validates a bucket with every option on, its replica in another region, and one with EventBridge off", async () => {
    const r = await validateConstructs((stack) => {
      const dr = new AwsProvider(stack, "DisasterRecovery", { region: "eu-central-1", alias: "dr" });
      const replica = new S3Bucket(stack, "Replica", { bucketName: "upload-pipeline-prod-uploads-dr", provider: dr, preventDestroy: true });
      const uploads = new S3Bucket(stack, "Uploads", {
        bucketName: "upload-pipeline-prod-uploads",
        kmsKeyArn: KMS,
        lifecycleRules: [
          { id: "archive", transitions: [{ days: 30, storageClass: "STANDARD_IA" }, { days: 90, storageClass: "GLACIER" }], noncurrentExpirationDays: 30 },
          { id: "tmp", prefix: "tmp/", tag: { key: "temporary", value: "true" }, expirationDays: 1 },
        ],
        cors: [{ allowedOrigins: ["https://uploads.example.com"] }],
        replicateTo: { destinationBucketArn: replica.bucketArn },
        accessLogsBucket: "upload-pipeline-prod-access-logs",
        preventDestroy: true,
      });
      uploads.addPolicyStatement({ sid: "AllowCloudFrontRead", principal: { Service: "cloudfront.amazonaws.com" }, actions: ["s3:GetObject"], resources: [`${uploads.bucketArn}/*`] });
      new S3Bucket(stack, "Scratch", { bucketName: "upload-pipeline-dev-scratch", versioned: false, eventBridgeNotifications: false, forceDestroy: true, abortIncompleteUploadDays: 0 });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
