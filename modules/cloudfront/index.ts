/**
 * A CloudFront distribution in front of a private S3 bucket (CA5): origin access control signs every request
 * (SigV4), so the bucket stays private and only this distribution may read it (see bucketPolicyStatement()).
 * HTTPS only for viewers, HTTP/2 and HTTP/3, IPv6, AWS managed caching and security-headers policies,
 * optional custom domain, WAF web ACL, access logs and geo blocking.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { arn, fail, isToken, matches, oneOf, refuse } from "../core";
import type { S3BucketProps } from "../s3-bucket";

export type PriceClass = "PriceClass_100" | "PriceClass_200" | "PriceClass_All";

/** The bucket-policy statement shape that S3Bucket's `policyStatements` prop takes. */
export type BucketPolicyStatement = NonNullable<S3BucketProps["policyStatements"]>[number];

export interface S3DistributionProps {
  /** Base name: the origin access control's name (shortened to 64 characters) and the distribution's comment. */
  readonly name: string;
  /** The private bucket to serve (an S3Bucket fits): its name, ARN and regional domain name. */
  readonly bucket: { readonly bucketName: string; readonly bucketArn: string; readonly bucketRegionalDomainName: string };
  /** Edge locations used: "PriceClass_100" (North America, Europe), "PriceClass_200" (+ Asia, Middle East, Africa) or "PriceClass_All". @default "PriceClass_100" */
  readonly priceClass?: PriceClass;
  /** ACM certificate for `aliases`; must be in us-east-1. @default the *.cloudfront.net certificate (no aliases) */
  readonly certificateArn?: string;
  /** Custom domain names served by the distribution; requires certificateArn. @default [] */
  readonly aliases?: readonly string[];
  /** WAF (v2) web ACL with CLOUDFRONT scope (arn:aws:wafv2:us-east-1:...:global/webacl/...). @default none */
  readonly webAclArn?: string;
  /** Standard access logs to this bucket's domain name ("<bucket>.s3.amazonaws.com"; the bucket needs ACLs enabled). @default none */
  readonly accessLogsBucketDomainName?: string;
  /** Object returned for requests to "/", e.g. "index.html" (no leading "/"). @default none */
  readonly defaultRootObject?: string;
  /** Refuse viewers from these ISO 3166-1 alpha-2 country codes. @default none */
  readonly blockedCountries?: readonly string[];
}

/** AWS managed cache policy "CachingOptimized". */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/** AWS managed response headers policy "SecurityHeadersPolicy" (HSTS, X-Content-Type-Options, X-Frame-Options, ...). */
export const SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03";

const ORIGIN_ID = "s3";
const OAC_NAME_LIMIT = 64;
const COMMENT_LIMIT = 128;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const ALIAS = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The statement a bucket's policy needs so that only `distributionArn` reads its objects. `distributionArn` may be
 * a lazy token when the bucket is built before the distribution (its policy is a separate resource, so no cycle).
 */
export function cloudFrontReadStatement(bucketArn: string, distributionArn: string): BucketPolicyStatement {
  return {
    sid: "AllowCloudFrontRead",
    principal: { Service: "cloudfront.amazonaws.com" },
    actions: ["s3:GetObject"],
    resources: [`${bucketArn}/*`],
    conditions: { StringEquals: { "AWS:SourceArn": distributionArn } },
  };
}

export class S3Distribution extends Construct {
  readonly distributionId: string;
  readonly distributionArn: string;
  /** The *.cloudfront.net name (point the aliases' DNS records here). */
  readonly domainName: string;
  /** Route 53 zone id for alias records to the distribution. */
  readonly hostedZoneId: string;
  readonly originAccessControlId: string;
  readonly resource: CloudfrontDistribution;
  private readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: S3DistributionProps) {
    super(scope, id);
    matches(this, "name", props.name, /^[A-Za-z0-9_.-]+$/, "letters, digits, \".\", \"_\" and \"-\"");
    const priceClass = oneOf<PriceClass>(this, "priceClass", props.priceClass ?? "PriceClass_100", ["PriceClass_100", "PriceClass_200", "PriceClass_All"]);
    arn(this, "bucket.bucketArn", props.bucket.bucketArn, "s3");
    const aliases = props.aliases ?? [];
    this.checkAliases(aliases, props.certificateArn);
    if (props.certificateArn !== undefined) {
      arn(this, "certificateArn", props.certificateArn, "acm");
      if (!isToken(props.certificateArn)) {
        matches(this, "certificateArn", props.certificateArn, /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\//,
          "an ACM certificate in us-east-1 (CloudFront reads certificates only from there)");
      }
    }
    if (props.webAclArn !== undefined && !isToken(props.webAclArn)) {
      matches(this, "webAclArn", props.webAclArn, /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[^/]+$/,
        "a WAF (v2) web ACL ARN with CLOUDFRONT scope (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)");
    }
    if (props.defaultRootObject !== undefined) {
      matches(this, "defaultRootObject", props.defaultRootObject, /^[^/\s][^\s]{0,254}$/, "an object key without a leading \"/\", e.g. \"index.html\"");
    }
    if (props.accessLogsBucketDomainName !== undefined && !isToken(props.accessLogsBucketDomainName)) {
      matches(this, "accessLogsBucketDomainName", props.accessLogsBucketDomainName, /^[a-z0-9][a-z0-9.-]*\.s3(\.[a-z0-9-]+)?\.amazonaws\.com$/,
        "a bucket domain name such as \"my-logs.s3.amazonaws.com\"");
    }
    const countries = this.checkCountries(props.blockedCountries ?? []);

    const oac = new CloudfrontOriginAccessControl(this, "OriginAccessControl", {
      name: shorten(props.name, OAC_NAME_LIMIT),
      description: `Signed reads of ${props.bucket.bucketName} by CloudFront`,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    this.originAccessControlId = oac.id;

    this.resource = new CloudfrontDistribution(this, "Distribution", {
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass,
      comment: props.name.slice(0, COMMENT_LIMIT),
      ...(aliases.length ? { aliases: [...aliases] } : {}),
      ...(props.defaultRootObject !== undefined ? { defaultRootObject: props.defaultRootObject } : {}),
      ...(props.webAclArn !== undefined ? { webAclId: props.webAclArn } : {}),
      origin: [{ originId: ORIGIN_ID, domainName: props.bucket.bucketRegionalDomainName, originAccessControlId: oac.id }],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: SECURITY_HEADERS_POLICY_ID,
      },
      restrictions: {
        geoRestriction: countries.length
          ? { restrictionType: "blacklist", locations: [...countries] }
          : { restrictionType: "none", locations: [] },
      },
      viewerCertificate: props.certificateArn
        ? { acmCertificateArn: props.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }
        : { cloudfrontDefaultCertificate: true },
      ...(props.accessLogsBucketDomainName !== undefined
        ? { loggingConfig: { bucket: props.accessLogsBucketDomainName, prefix: `${props.name}/`, includeCookies: false } }
        : {}),
    });
    this.distributionId = this.resource.id;
    this.distributionArn = this.resource.arn;
    this.domainName = this.resource.domainName;
    this.hostedZoneId = this.resource.hostedZoneId;
    this.bucketArn = props.bucket.bucketArn;
  }

  /** The statement to add to the bucket's policy (S3Bucket `policyStatements`) so this distribution, and only it, reads objects. */
  bucketPolicyStatement(): BucketPolicyStatement {
    return cloudFrontReadStatement(this.bucketArn, this.distributionArn);
  }

  private checkAliases(aliases: readonly string[], certificateArn: string | undefined): void {
    refuse(this, "aliases", aliases, aliases.length > 0 && certificateArn === undefined,
      "custom domain names need a certificate: set certificateArn (an ACM certificate in us-east-1 covering them)");
    const seen = new Set<string>();
    aliases.forEach((a, i) => {
      if (isToken(a)) return;
      matches(this, `aliases[${i}]`, a, ALIAS, "a lowercase domain name such as \"cdn.example.com\"");
      if (seen.has(a)) fail(this, `aliases[${i}]`, a, "expected each domain name once");
      seen.add(a);
    });
  }

  private checkCountries(codes: readonly string[]): readonly string[] {
    const seen = new Set<string>();
    codes.forEach((c, i) => {
      matches(this, `blockedCountries[${i}]`, c, COUNTRY_CODE, "an ISO 3166-1 alpha-2 country code in upper case, e.g. \"KP\"");
      if (seen.has(c)) fail(this, `blockedCountries[${i}]`, c, "expected each country once");
      seen.add(c);
    });
    return codes;
  }
}

/** The name itself when it fits, else its head plus a 6-character hash (same scheme as core's fitName). */
function shorten(name: string, limit: number): string {
  if (name.length <= limit) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
  return `${name.slice(0, limit - hash.length - 1).replace(/[-_.]+$/, "")}-${hash}`;
}
