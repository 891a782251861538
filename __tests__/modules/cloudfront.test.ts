import { Lazy } from "cdktf";
import { CACHING_OPTIMIZED_POLICY_ID, cloudFrontReadStatement, FAILOVER_STATUS_CODES, S3Distribution } from "../../modules/cloudfront";
import { S3Bucket } from "../../modules/s3-bucket";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { only, resources, synthWith } from "../support/synth";
import { statementsOfPolicy } from "../support/stacks";

const BUCKET = { bucketName: "chat-app-dev-attachments", bucketArn: "arn:aws:s3:::chat-app-dev-attachments", bucketRegionalDomainName: "chat-app-dev-attachments.s3.eu-west-1.amazonaws.com" };
const REPLICA = { bucketName: "chat-app-dev-attachments-replica", bucketArn: "arn:aws:s3:::chat-app-dev-attachments-replica", bucketRegionalDomainName: "chat-app-dev-attachments-replica.s3.us-east-1.amazonaws.com" };
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";
const WAF = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/chat-app-prod-cdn/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

describe("S3Distribution", () => {
  describe("CA5: in front of a private S3Bucket", () => {
    let cdn: S3Distribution | undefined;
    const s = synthWith((scope) => {
      const bucket = new S3Bucket(scope, "Attachments", {
        bucketName: "chat-app-dev-attachments",
        policyStatements: [cloudFrontReadStatement("arn:aws:s3:::chat-app-dev-attachments", Lazy.stringValue({ produce: () => cdn!.distributionArn }))],
      });
      cdn = new S3Distribution(scope, "Cdn", { name: "chat-app-dev-attachments", bucket });
    });
    const distribution = only(s, "aws_cloudfront_distribution");

    it("CA5: reads the bucket through an origin access control that signs every request with SigV4", () => {
      expect(s.json).toHaveResourceWithProperties(CloudfrontOriginAccessControl, {
        origin_access_control_origin_type: "s3", signing_behavior: "always", signing_protocol: "sigv4",
      });
      expect(distribution.origin).toEqual([{
        origin_id: "s3",
        domain_name: "${aws_s3_bucket.Attachments_Bucket_D1E2D654.bucket_regional_domain_name}",
        origin_access_control_id: "${aws_cloudfront_origin_access_control.Cdn_OriginAccessControl_7EF5A9CD.id}",
      }]);
    });

    it("CA5: leaves the bucket private: public access blocked, read granted to this distribution only", () => {
      expect(s.json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, { block_public_policy: true, restrict_public_buckets: true });
      const policy = only(s, "aws_s3_bucket_policy").policy as string;
      const reads = statementsOfPolicy(policy).filter((st) => st.Effect === "Allow" && st.Action.includes("s3:GetObject"));
      expect(reads).toHaveLength(1);
      expect(reads[0].Principal).toEqual({ Service: "cloudfront.amazonaws.com" });
      expect(Object.values(reads[0].Condition ?? {}).map((c) => c["AWS:SourceArn"])).toContain("<ref:aws_cloudfront_distribution.Cdn_Distribution_FF4F7041.arn>");
    });

    it("CA5: serves viewers over HTTPS only (HTTP redirects), HTTP/2 and 3, IPv6", () => {
      expect(distribution.default_cache_behavior.viewer_protocol_policy).toBe("redirect-to-https");
      expect(distribution).toMatchObject({ enabled: true, is_ipv6_enabled: true, http_version: "http2and3", price_class: "PriceClass_100" });
    });

    it("uses the managed CachingOptimized policy and its own security-headers policy for read-only methods", () => {
      expect(distribution.default_cache_behavior).toMatchObject({
        cache_policy_id: CACHING_OPTIMIZED_POLICY_ID,
        response_headers_policy_id: `\${aws_cloudfront_response_headers_policy.${Object.keys(resources(s, "aws_cloudfront_response_headers_policy"))[0]}.id}`,
        allowed_methods: ["GET", "HEAD", "OPTIONS"], cached_methods: ["GET", "HEAD"], compress: true,
      });
    });

    it("sends HSTS (1 year, subdomains, preload), nosniff, DENY framing, strict-origin-when-cross-origin and XSS protection, overriding the origin", () => {
      expect(s.json).toHaveResourceWithProperties(CloudfrontResponseHeadersPolicy, {
        name: "chat-app-dev-attachments-security-headers",
        security_headers_config: {
          strict_transport_security: { access_control_max_age_sec: 31536000, include_subdomains: true, preload: true, override: true },
          content_type_options: { override: true },
          frame_options: { frame_option: "DENY", override: true },
          referrer_policy: { referrer_policy: "strict-origin-when-cross-origin", override: true },
          xss_protection: { protection: true, mode_block: true, override: true },
        },
      });
    });

    it("answers \"/\" with the key index.html (else 403), never a listing", () => {
      expect(distribution.default_root_object).toBe("index.html");
    });

    it("uses one origin and no origin group without a failover bucket", () => {
      expect(distribution.origin_group).toBeUndefined();
      expect(distribution.default_cache_behavior.target_origin_id).toBe("s3");
    });

    it("uses the CloudFront certificate, no geo restriction, no WAF and no logs by default", () => {
      expect(distribution.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
      expect(distribution.restrictions.geo_restriction).toEqual({ restriction_type: "none", locations: [] });
      expect(distribution.web_acl_id).toBeUndefined();
      expect(distribution.logging_config).toBeUndefined();
    });
  });

  describe("CA5: with a failover bucket", () => {
    let cdn: S3Distribution | undefined;
    const s = synthWith((scope) => {
      cdn = new S3Distribution(scope, "Cdn", { name: "chat-app-dev-attachments", bucket: BUCKET, failoverBucket: REPLICA });
    });
    const distribution = only(s, "aws_cloudfront_distribution");
    const oac = `\${aws_cloudfront_origin_access_control.${Object.keys(resources(s, "aws_cloudfront_origin_access_control"))[0]}.id}`;

    it("CA5: reads both buckets through the origin access control", () => {
      expect(distribution.origin).toEqual([
        { origin_id: "s3", domain_name: BUCKET.bucketRegionalDomainName, origin_access_control_id: oac },
        { origin_id: "s3-failover", domain_name: REPLICA.bucketRegionalDomainName, origin_access_control_id: oac },
      ]);
    });

    it("CA5: the default behaviour targets an origin group that retries on the replica after 403, 404 or 5xx", () => {
      expect(distribution.origin_group).toEqual([{
        origin_id: "s3-with-failover",
        failover_criteria: { status_codes: [403, 404, 500, 502, 503, 504] },
        member: [{ origin_id: "s3" }, { origin_id: "s3-failover" }],
      }]);
      expect(FAILOVER_STATUS_CODES).toEqual([403, 404, 500, 502, 503, 504]);
      expect(distribution.default_cache_behavior.target_origin_id).toBe("s3-with-failover");
    });

    it("failoverBucketPolicyStatement() lets this distribution read the replica's objects", () => {
      const statement = cdn!.failoverBucketPolicyStatement();
      expect(statement).toMatchObject({ sid: "AllowCloudFrontRead", principal: { Service: "cloudfront.amazonaws.com" }, actions: ["s3:GetObject"], resources: [`${REPLICA.bucketArn}/*`] });
      expect(statement.conditions!.StringEquals["AWS:SourceArn"]).toBe(cdn!.distributionArn);
      expect(cdn!.bucketPolicyStatement().resources).toEqual([`${BUCKET.bucketArn}/*`]);
    });
  });

  describe("with a custom domain, WAF, logs and geo blocking", () => {
    const s = synthWith((scope) =>
      new S3Distribution(scope, "Cdn", {
        name: "chat-app-prod-attachments",
        bucket: BUCKET,
        priceClass: "PriceClass_All",
        certificateArn: CERT,
        aliases: ["files.example.com"],
        webAclArn: WAF,
        accessLogsBucketDomainName: "chat-app-prod-logs.s3.amazonaws.com",
        defaultRootObject: "download.html",
        blockedCountries: ["KP", "IR"],
      }),
    );
    const distribution = only(s, "aws_cloudfront_distribution");

    it("serves the aliases with the ACM certificate over SNI, TLS 1.2 (2021 ciphers) at least", () => {
      expect(distribution.aliases).toEqual(["files.example.com"]);
      expect(distribution.viewer_certificate).toEqual({ acm_certificate_arn: CERT, ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" });
    });

    it("attaches the web ACL and writes access logs under <name>/", () => {
      expect(distribution.web_acl_id).toBe(WAF);
      expect(distribution.logging_config).toEqual({ bucket: "chat-app-prod-logs.s3.amazonaws.com", prefix: "chat-app-prod-attachments/", include_cookies: false });
    });

    it("blocks viewers from the listed countries", () => {
      expect(distribution.restrictions.geo_restriction).toEqual({ restriction_type: "blacklist", locations: ["KP", "IR"] });
    });

    it("sets the price class and root object", () => {
      expect(distribution).toMatchObject({ price_class: "PriceClass_All", default_root_object: "download.html" });
    });
  });

  describe("bucketPolicyStatement()", () => {
    it("grants s3:GetObject on the bucket's objects to CloudFront for this distribution only", () => {
      let statement: ReturnType<S3Distribution["bucketPolicyStatement"]> | undefined;
      synthWith((scope) => {
        statement = new S3Distribution(scope, "Cdn", { name: "n", bucket: BUCKET }).bucketPolicyStatement();
      });
      expect(statement).toMatchObject({
        sid: "AllowCloudFrontRead",
        principal: { Service: "cloudfront.amazonaws.com" },
        actions: ["s3:GetObject"],
        resources: ["arn:aws:s3:::chat-app-dev-attachments/*"],
      });
      expect(statement!.conditions!.StringEquals["AWS:SourceArn"]).toMatch(/TfToken/);
    });
  });

  it("shortens origin access control names beyond 64 and response headers policy names beyond 128 characters", () => {
    const s = synthWith((scope) => new S3Distribution(scope, "Cdn", { name: `sys.${"x".repeat(140)}`, bucket: BUCKET }));
    expect((only(s, "aws_cloudfront_origin_access_control").name as string).length).toBeLessThanOrEqual(64);
    const policyName = only(s, "aws_cloudfront_response_headers_policy").name as string;
    expect(policyName.length).toBeLessThanOrEqual(128);
    expect(policyName).toMatch(/^sys-x+-[0-9a-f]{6}$/); // dots become hyphens
  });

  describe("refuses", () => {
    const build = (props: Partial<ConstructorParameters<typeof S3Distribution>[2]>) => () =>
      synthWith((scope) => new S3Distribution(scope, "Cdn", { name: "sys-dev-cdn", bucket: BUCKET, ...props }));

    it("aliases without a certificate", () => {
      expect(build({ aliases: ["files.example.com"] })).toThrow(/test\/Cdn: aliases = \["files.example.com"\] is not allowed; custom domain names need a certificate/);
    });
    it("a certificate outside us-east-1", () => {
      expect(build({ certificateArn: CERT.replace("us-east-1", "eu-west-1") })).toThrow(/certificateArn = "arn:aws:acm:eu-west-1:.*" is not allowed; expected an ACM certificate in us-east-1/);
    });
    it("a country code that is not two upper-case letters", () => {
      expect(build({ blockedCountries: ["North Korea"] })).toThrow(/blockedCountries\[0\] = "North Korea" is not allowed; expected an ISO 3166-1 alpha-2/);
    });
    it("a default root object with a leading slash", () => {
      expect(build({ defaultRootObject: "/index.html" })).toThrow(/defaultRootObject = "\/index.html" is not allowed; expected an object key without a leading "\/"/);
    });
    it("a regional web ACL", () => {
      const regional = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/a1b2c3d4";
      expect(build({ webAclArn: regional })).toThrow(/webAclArn = ".*regional.*" is not allowed; expected a WAF \(v2\) web ACL ARN with CLOUDFRONT scope/);
    });
    it("a WAF Classic web ACL id", () => {
      expect(build({ webAclArn: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" })).toThrow(/webAclArn = "a1b2c3d4-.*" is not allowed/);
    });
    it("an unknown price class", () => {
      expect(build({ priceClass: "PriceClass_300" as never })).toThrow(/priceClass = "PriceClass_300" is not allowed; expected one of "PriceClass_100"/);
    });
    it("an alias that is not a domain name", () => {
      expect(build({ certificateArn: CERT, aliases: ["https://files.example.com"] })).toThrow(/aliases\[0\] = "https:\/\/files.example.com" is not allowed/);
    });
    it("CA5: the bucket itself as failover bucket", () => {
      expect(build({ failoverBucket: BUCKET })).toThrow(/test\/Cdn: failoverBucket = "chat-app-dev-attachments" is not allowed; expected a bucket other than `bucket`/);
    });
    it("a failover bucket ARN of another service", () => {
      expect(build({ failoverBucket: { ...REPLICA, bucketArn: "arn:aws:sns:us-east-1:123456789012:t" } })).toThrow(/failoverBucket\.bucketArn = "arn:aws:sns:.*" is not allowed; expected an ARN of the s3 service/);
    });
    it("a failover bucket policy statement without a failover bucket", () => {
      let cdn: S3Distribution | undefined;
      synthWith((scope) => { cdn = new S3Distribution(scope, "Cdn", { name: "n", bucket: BUCKET }); });
      expect(() => cdn!.failoverBucketPolicyStatement()).toThrow(/test\/Cdn: failoverBucket = undefined is not allowed; set failoverBucket/);
    });
    it("a bucket ARN of another service", () => {
      expect(build({ bucket: { ...BUCKET, bucketArn: "arn:aws:sqs:eu-west-1:123456789012:q" } })).toThrow(/bucket\.bucketArn = "arn:aws:sqs:.*" is not allowed; expected an ARN of the s3 service/);
    });
  });
});
