import { Lazy } from "cdktf";
import { S3Distribution, cloudFrontReadStatement } from "../../modules/cloudfront";
import { S3Bucket } from "../../modules/s3-bucket";
import { WebAcl } from "../../modules/waf";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

describe("cloudfront: S3Distribution (terraform validate)", () => {
  it("validates a distribution with origin failover whose bucket policies let only it read (bucket -> distribution -> bucket policy)", async () => {
    const r = await validateConstructs((stack) => {
      let cdn: S3Distribution | undefined;
      const bucketName = "chat-app-prod-attachments";
      // The bucket is built first; its policy reads the distribution's ARN lazily, at synth time.
      const bucket = new S3Bucket(stack, "Attachments", {
        bucketName,
        policyStatements: [cloudFrontReadStatement(`arn:aws:s3:::${bucketName}`, Lazy.stringValue({ produce: () => cdn!.distributionArn }))],
      });
      const replica = new S3Bucket(stack, "Replica", { bucketName: `${bucketName}-replica` });
      const waf = new WebAcl(stack, "Waf", { name: "chat-app-prod-cdn", scope: "CLOUDFRONT", logging: false });
      cdn = new S3Distribution(stack, "Cdn", {
        name: "chat-app-prod-attachments",
        bucket,
        failoverBucket: replica,
        priceClass: "PriceClass_200",
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666",
        aliases: ["files.example.com"],
        webAclArn: waf.webAclArn,
        accessLogsBucketDomainName: "chat-app-prod-logs.s3.amazonaws.com",
        defaultRootObject: "index.html",
        blockedCountries: ["KP"],
      });
      replica.addPolicyStatement(cdn.failoverBucketPolicyStatement());
      new S3Distribution(stack, "Plain", { name: "chat-app-dev-attachments", bucket });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
