import { S3Bucket } from "../../modules/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { only, resources, synthWith } from "../support/synth";
import { deniesInsecureTransport, statementsOfPolicy } from "../support/stacks";

describe("S3Bucket", () => {
  describe("with defaults", () => {
    const s = synthWith((scope) => new S3Bucket(scope, "Files", { bucketName: "sys-dev-files" }));

    it("is versioned, KMS-encrypted and blocks all public access", () => {
      expect(only(s, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
      expect(only(s, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
      expect(s.json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
        block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      });
      expect(only(s, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
    });

    it("denies requests that are not over TLS", () => {
      const policy = only(s, "aws_s3_bucket_policy").policy as string;
      expect(deniesInsecureTransport(policy)).toBe(true);
      expect(statementsOfPolicy(policy).map((st) => st.Sid)).toContain("DenyInsecureTransport");
    });

    it("sends object events to EventBridge (CKV2_AWS_62) and nowhere else", () => {
      expect(s.json).toHaveResourceWithProperties(S3BucketNotification, { eventbridge: true });
      const notification = only(s, "aws_s3_bucket_notification");
      expect(notification.bucket).toMatch(/^\$\{aws_s3_bucket\.Files_Bucket_\w+\.id\}$/);
      expect(notification.topic ?? notification.queue ?? notification.lambda_function).toBeUndefined();
      expect(notification.provider).toBeUndefined();
    });

    it("aborts incomplete multipart uploads after 7 days and keeps objects on destroy", () => {
      const rule = only(s, "aws_s3_bucket_lifecycle_configuration").rule[0];
      expect(rule.abort_incomplete_multipart_upload[0].days_after_initiation).toBe(7);
      expect(only(s, "aws_s3_bucket").force_destroy).toBe(false);
    });
  });

  describe("with lifecycle, CORS and replication", () => {
    const s = synthWith((scope) =>
      new S3Bucket(scope, "Uploads", {
        bucketName: "sys-dev-uploads",
        lifecycleRules: [{ id: "archive", transitions: [{ days: 30, storageClass: "STANDARD_IA" }, { days: 90, storageClass: "GLACIER" }] }],
        cors: [{ allowedOrigins: ["https://app.example.com"] }],
        replicateTo: { destinationBucketArn: "arn:aws:s3:::sys-dev-uploads-dr" },
        preventDestroy: true,
      }),
    );

    it("moves objects to Standard-IA at 30 days and Glacier at 90", () => {
      const rules = only(s, "aws_s3_bucket_lifecycle_configuration").rule;
      expect(rules[0].transition).toEqual([{ days: 30, storage_class: "STANDARD_IA" }, { days: 90, storage_class: "GLACIER" }]);
    });

    it("allows browser uploads from the listed origin only", () => {
      expect(only(s, "aws_s3_bucket_cors_configuration").cors_rule[0].allowed_origins).toEqual(["https://app.example.com"]);
    });

    it("replicates with a role scoped to the two buckets", () => {
      expect(s.json).toHaveResource(S3BucketReplicationConfigurationA);
      expect(Object.keys(resources(s, "aws_iam_role"))).toHaveLength(1);
    });

    it("carries prevent_destroy", () => {
      expect(only(s, "aws_s3_bucket").lifecycle.prevent_destroy).toBe(true);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<ConstructorParameters<typeof S3Bucket>[2]>) => () =>
      synthWith((scope) => new S3Bucket(scope, "B", { bucketName: "sys-dev-b", ...props }));

    it("a bucket name with upper case or dots", () => {
      expect(build({ bucketName: "My.Bucket" })).toThrow(/test\/B: bucketName = "My.Bucket" is not allowed; expected 3-63 lowercase/);
    });
    it("a transition to Standard-IA before 30 days", () => {
      expect(build({ lifecycleRules: [{ id: "x", transitions: [{ days: 10, storageClass: "STANDARD_IA" }] }] })).toThrow(/lifecycleRules\[0\]\.transitions\[0\]\.days = 10 .* from 30 to 36500/);
    });
    it("a CORS rule open to every origin", () => {
      expect(build({ cors: [{ allowedOrigins: ["*"] }] })).toThrow(/cors\[0\]\.allowedOrigins = \["\*"\] is not allowed; expected explicit origins/);
    });
    it("replication without versioning", () => {
      expect(build({ versioned: false, replicateTo: { destinationBucketArn: "arn:aws:s3:::x" } })).toThrow(/versioned = false .* replication requires versioning/);
    });
    it("duplicate lifecycle rule ids", () => {
      expect(build({ lifecycleRules: [{ id: "a", expirationDays: 5 }, { id: "a", expirationDays: 6 }] })).toThrow(/lifecycleRules\[1\]\.id = "a" .* unique/);
    });
  });
});

describe("S3Bucket EventBridge notifications", () => {
  it("are off when asked", () => {
    const s = synthWith((scope) => new S3Bucket(scope, "Files", { bucketName: "sys-dev-files", eventBridgeNotifications: false }));
    expect(resources(s, "aws_s3_bucket_notification")).toEqual({});
    expect(only(s, "aws_s3_bucket").bucket).toBe("sys-dev-files");
  });

  it("go through the bucket's own provider (e.g. the disaster-recovery region)", () => {
    const s = synthWith((scope) => {
      const replica = new AwsProvider(scope, "replica", { region: "eu-central-1", alias: "replica" });
      new S3Bucket(scope, "Replica", { bucketName: "sys-dev-files-dr", provider: replica });
    });
    expect(only(s, "aws_s3_bucket_notification").provider).toBe("aws.replica");
    expect(only(s, "aws_s3_bucket").provider).toBe("aws.replica");
  });
});

describe("S3Bucket policy statements added later", () => {
  it("land in the single bucket policy beside the TLS-only statement", () => {
    const s = synthWith((scope) => {
      const b = new S3Bucket(scope, "Files", { bucketName: "sys-dev-files" });
      b.addPolicyStatement({ sid: "AllowCloudFrontRead", principal: { Service: "cloudfront.amazonaws.com" }, actions: ["s3:GetObject"], resources: ["arn:aws:s3:::sys-dev-files/*"] });
    });
    const policy = only(s, "aws_s3_bucket_policy").policy as string;
    expect(statementsOfPolicy(policy).map((st) => st.Sid)).toEqual(["DenyInsecureTransport", "AllowCloudFrontRead"]);
  });
  it("refuses two statements with the same sid", () => {
    expect(() =>
      synthWith((scope) => {
        const b = new S3Bucket(scope, "Files", { bucketName: "sys-dev-files" });
        const st = { sid: "Same", principal: { AWS: "arn:aws:iam::123456789012:root" }, actions: ["s3:GetObject"], resources: ["*"] };
        b.addPolicyStatement(st);
        b.addPolicyStatement(st);
      }),
    ).toThrow(/test\/Files: policyStatements = "Same" is not allowed; expected statement ids \(sid\) unique/);
  });
});
