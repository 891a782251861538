/**
 * A CloudFront distribution in front of a private S3 bucket (CA5): origin access control signs every request
 * (SigV4), so the bucket stays private and only this distribution may read it (see bucketPolicyStatement()).
 * HTTPS only for viewers, HTTP/2 and HTTP/3, IPv6, the AWS managed caching policy, its own security-headers
 * policy (HSTS, nosniff, DENY framing, referrer policy, XSS protection), a default root object, optional origin
 * failover to a replica bucket, custom domain, WAF web ACL, access logs and geo blocking.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import { arn, fail, isToken, matches, oneOf, refuse } from "../core";
import type { S3BucketProps } from "../s3-bucket";
import { standardLogging, StandardLoggingProps } from "./logging";

export type PriceClass = "PriceClass_100" | "PriceClass_200" | "PriceClass_All";

/** The bucket-policy statement shape that S3Bucket's `policyStatements` prop takes. */
export type BucketPolicyStatement = NonNullable<S3BucketProps["policyStatements"]>[number];

/** A private bucket CloudFront reads through origin access control (an S3Bucket fits). */
export interface OriginBucket {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucketRegionalDomainName: string;
}

export interface S3DistributionProps {
  /** Base name: the origin access control's name (shortened to 64 characters) and the distribution's comment. */
  readonly name: string;
  /** The private bucket to serve (an S3Bucket fits): its name, ARN and regional domain name. */
  readonly bucket: OriginBucket;
  /**
   * A copy of `bucket` in another region (e.g. its replication target): the default behaviour targets an origin
   * group that retries a request on this bucket when `bucket` answers 403, 404 or 5xx (FAILOVER_STATUS_CODES).
   * Its policy needs failoverBucketPolicyStatement(), and its KMS key must let cloudfront.amazonaws.com decrypt.
   * @default none (no origin failover)
   */
  readonly failoverBucket?: OriginBucket;
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
  /**
   * Standard logging v2: access logs delivered by CloudWatch Logs to the log group `/aws/vendedlogs/cloudfront/<name>`
   * (delivery source, destination and delivery in us-east-1: give that region's provider). No ACL-enabled bucket
   * needed. @default none
   */
  readonly standardLogging?: StandardLoggingProps;
  /**
   * Object returned for requests to "/" (no leading "/"). With the default, "/" asks the bucket for the key
   * "index.html": served when it exists, else 403 (the bucket grants no s3:ListBucket), so "/" never lists the
   * bucket. Harmless for a bucket that holds no such key, such as an attachments CDN. @default "index.html"
   */
  readonly defaultRootObject?: string;
  /** Refuse viewers from these ISO 3166-1 alpha-2 country codes. @default none */
  readonly blockedCountries?: readonly string[];
}

/** AWS managed cache policy "CachingOptimized". */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/** Origin responses on which an origin group retries the request on the failover bucket. */
export const FAILOVER_STATUS_CODES: readonly number[] = [403, 404, 500, 502, 503, 504];
/** Strict-Transport-Security max-age: one year. */
export const HSTS_MAX_AGE_SECONDS = 31_536_000;

const ORIGIN_ID = "s3";
const FAILOVER_ORIGIN_ID = "s3-failover";
const ORIGIN_GROUP_ID = "s3-with-failover";
const DEFAULT_ROOT_OBJECT = "index.html";
const POLICY_NAME_LIMIT = 128;
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

export type { StandardLoggingProps } from "./logging";

export class S3Distribution extends Construct {
  readonly distributionId: string;
  readonly distributionArn: string;
  /** The *.cloudfront.net name (point the aliases' DNS records here). */
  readonly domainName: string;
  /** Route 53 zone id for alias records to the distribution. */
  readonly hostedZoneId: string;
  readonly originAccessControlId: string;
  /** The security-headers policy attached to the default behaviour. */
  readonly responseHeadersPolicyId: string;
  readonly resource: CloudfrontDistribution;
  /** The log group of standard logging v2, when standardLogging is set. */
  readonly accessLogGroupName?: string;
  private readonly bucketArn: string;
  private readonly failoverBucketArn?: string;

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
    const defaultRootObject = matches(this, "defaultRootObject", props.defaultRootObject ?? DEFAULT_ROOT_OBJECT, /^[^/\s][^\s]{0,254}$/,
      "an object key without a leading \"/\", e.g. \"index.html\"");
    const failover = props.failoverBucket;
    if (failover !== undefined) {
      arn(this, "failoverBucket.bucketArn", failover.bucketArn, "s3");
      refuse(this, "failoverBucket", failover.bucketName, failover.bucketArn === props.bucket.bucketArn || failover.bucketName === props.bucket.bucketName,
        "expected a bucket other than `bucket` (e.g. its replica in another region): failing over to the same bucket survives nothing");
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

    // A resource rather than the managed SecurityHeadersPolicy: its settings are reviewed here, not in AWS's console.
    const headers = new CloudfrontResponseHeadersPolicy(this, "SecurityHeaders", {
      name: shorten(`${props.name.replace(/\./g, "-")}-security-headers`, POLICY_NAME_LIMIT),
      comment: `Security headers of ${props.name.slice(0, COMMENT_LIMIT - 32)}`,
      securityHeadersConfig: {
        // "preload" only consents to the browsers' HSTS preload lists: nothing is listed until the registrable
        // domain's owner submits it (hstspreload.org), which also needs this header on the apex domain.
        strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });
    this.responseHeadersPolicyId = headers.id;

    const origins = [{ originId: ORIGIN_ID, domainName: props.bucket.bucketRegionalDomainName, originAccessControlId: oac.id }];
    if (failover) origins.push({ originId: FAILOVER_ORIGIN_ID, domainName: failover.bucketRegionalDomainName, originAccessControlId: oac.id });

    this.resource = new CloudfrontDistribution(this, "Distribution", {
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass,
      comment: props.name.slice(0, COMMENT_LIMIT),
      ...(aliases.length ? { aliases: [...aliases] } : {}),
      defaultRootObject,
      ...(props.webAclArn !== undefined ? { webAclId: props.webAclArn } : {}),
      origin: origins,
      // Failover applies to GET, HEAD and OPTIONS, the only methods the default behaviour allows.
      ...(failover
        ? {
            originGroup: [{
              originId: ORIGIN_GROUP_ID,
              failoverCriteria: { statusCodes: [...FAILOVER_STATUS_CODES] },
              member: [{ originId: ORIGIN_ID }, { originId: FAILOVER_ORIGIN_ID }],
            }],
          }
        : {}),
      defaultCacheBehavior: {
        targetOriginId: failover ? ORIGIN_GROUP_ID : ORIGIN_ID,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: headers.id,
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
    this.failoverBucketArn = failover?.bucketArn;
    if (props.standardLogging) this.accessLogGroupName = standardLogging(this, props.name, this.resource.arn, props.standardLogging).logGroupName;
  }

  /** The statement to add to the bucket's policy (S3Bucket `policyStatements`) so this distribution, and only it, reads objects. */
  bucketPolicyStatement(): BucketPolicyStatement {
    return cloudFrontReadStatement(this.bucketArn, this.distributionArn);
  }

  /** The same statement for the failover bucket's policy; refused when there is no failoverBucket. */
  failoverBucketPolicyStatement(): BucketPolicyStatement {
    if (this.failoverBucketArn === undefined) {
      return fail(this, "failoverBucket", undefined, "set failoverBucket to have a failover bucket policy statement");
    }
    return cloudFrontReadStatement(this.failoverBucketArn, this.distributionArn);
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
