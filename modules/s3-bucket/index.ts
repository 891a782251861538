/**
 * A private S3 bucket, secure by default: versioning, SSE-KMS, public access blocked, bucket-owner-enforced
 * ownership, a TLS-only bucket policy, object events to EventBridge, lifecycle rules, optional CORS and
 * cross-region replication.
 */
import { Construct } from "constructs";
import { Fn, Lazy, TerraformProvider, TerraformResourceLifecycle } from "cdktf";
import { S3Bucket as S3BucketResource } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import {
  createRole, fail, grant, IGrantee, inRange, keyStatements, matches, nonEmpty, oneOf, PolicyStatement, Protection, serviceTrustPolicy,
} from "../core";

export type StorageClass = "STANDARD_IA" | "ONEZONE_IA" | "INTELLIGENT_TIERING" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";

export interface LifecycleRule {
  /** Rule id, unique within the bucket. */
  readonly id: string;
  /** Only objects under this key prefix. @default all objects */
  readonly prefix?: string;
  /** Only objects carrying this tag. */
  readonly tag?: { readonly key: string; readonly value: string };
  readonly transitions?: readonly { readonly days: number; readonly storageClass: StorageClass }[];
  /** Delete current versions this many days after creation. */
  readonly expirationDays?: number;
  /** Delete superseded versions this many days after they became noncurrent. */
  readonly noncurrentExpirationDays?: number;
}

export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  /** @default ["PUT", "POST", "GET"] */
  readonly allowedMethods?: readonly ("GET" | "PUT" | "POST" | "DELETE" | "HEAD")[];
  /** @default ["*"] */
  readonly allowedHeaders?: readonly string[];
  /** @default ["ETag"] */
  readonly exposeHeaders?: readonly string[];
  /** @default 3000 */
  readonly maxAgeSeconds?: number;
}

/** An Allow statement for the bucket policy (e.g. CloudFront reading through origin access control). */
export interface BucketPolicyStatement {
  readonly sid: string;
  readonly principal: Record<string, string | string[]>;
  readonly actions: readonly string[];
  /** One ARN as a plain string is written as a string (some policy readers, e.g. log-delivery checks, compare it so). */
  readonly resources: readonly string[] | string;
  readonly conditions?: Record<string, Record<string, string | string[]>>;
}

export interface S3BucketProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Globally unique bucket name; the stack prefixes it with `<system>-<env>`. */
  readonly bucketName: string;
  /** Keep every version of every object. @default true */
  readonly versioned?: boolean;
  /** Customer-managed KMS key; the AWS-managed `aws/s3` key when unset. @default aws/s3 */
  readonly kmsKeyArn?: string;
  /**
   * Default encryption: "kms" (SSE-KMS with `kmsKeyArn` or aws/s3) or "s3-managed" (SSE-S3), for the one kind of
   * bucket that cannot take KMS: a log bucket that ALB access logs and S3 server access logs are written to.
   * @default "kms"
   */
  readonly encryption?: "kms" | "s3-managed";
  /** @default [] */
  readonly lifecycleRules?: readonly LifecycleRule[];
  /** Abort incomplete multipart uploads after this many days (0 turns it off). @default 7 */
  readonly abortIncompleteUploadDays?: number;
  /** CORS rules, e.g. for pre-signed browser uploads. @default none */
  readonly cors?: readonly CorsRule[];
  /** Replicate every object to a bucket in another region (disaster recovery). @default none */
  readonly replicateTo?: { readonly destinationBucketArn: string; readonly destinationKmsKeyArn?: string };
  /**
   * Server access logs to this bucket, under `<bucketName>/`: its name, or the S3Bucket itself (then logging is
   * configured only once that bucket's policy, which admits log delivery, exists). @default none
   */
  readonly accessLogsBucket?: string | S3Bucket;
  /** Extra bucket-policy statements (e.g. CloudFront origin access). */
  readonly policyStatements?: readonly BucketPolicyStatement[];
  /** Let `terraform destroy` delete a bucket that still holds objects (loses them). @default false */
  readonly forceDestroy?: boolean;
  /** Terraform `prevent_destroy`. @default false */
  readonly preventDestroy?: boolean;
  /** Provider for another region or account (e.g. the replica of a disaster-recovery pair). @default the stack's */
  readonly provider?: TerraformProvider;
  /**
   * Send every object event (created, deleted, restored, ...) to the account's default EventBridge bus, where rules
   * can react to or audit them. The module owns the bucket's one notification configuration: route events with
   * EventBridge rules rather than adding SNS, SQS or Lambda notifications. false turns it off and loses those events.
   * @default true
   */
  readonly eventBridgeNotifications?: boolean;
}

const STORAGE_CLASS_MIN_DAYS: Record<StorageClass, number> = {
  STANDARD_IA: 30, ONEZONE_IA: 30, INTELLIGENT_TIERING: 0, GLACIER_IR: 0, GLACIER: 0, DEEP_ARCHIVE: 0,
};

export class S3Bucket extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucketId: string;
  readonly bucketRegionalDomainName: string;
  /** The bucket policy (a bucket logging here waits for it: it admits log delivery). */
  readonly policy: S3BucketPolicy;
  readonly resource: S3BucketResource;
  /** The customer key objects are encrypted with, when one was given. */
  readonly kmsKeyArn?: string;
  private readonly policyStatements: Record<string, unknown>[] = [];
  private readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: S3BucketProps) {
    super(scope, id);
    this.provider = props.provider;
    this.kmsKeyArn = props.kmsKeyArn;
    matches(this, "bucketName", props.bucketName, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, "3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit (dots are refused: they break TLS on virtual-hosted URLs)");
    const abortDays = inRange(this, "abortIncompleteUploadDays", props.abortIncompleteUploadDays ?? 7, 0, 365);
    const rules = props.lifecycleRules ?? [];
    this.checkLifecycle(rules);
    const versioned = props.versioned ?? true;
    const encryption = oneOf(this, "encryption", props.encryption ?? "kms", ["kms", "s3-managed"]);
    if (encryption === "s3-managed" && props.kmsKeyArn) fail(this, "kmsKeyArn", props.kmsKeyArn, "not allowed with encryption \"s3-managed\" (SSE-S3 uses no KMS key)");
    if (props.replicateTo && !versioned) fail(this, "versioned", false, "replication requires versioning; set versioned: true or drop replicateTo");
    const lifecycle: TerraformResourceLifecycle = { preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy) ?? false };

    this.resource = new S3BucketResource(this, "Bucket", { provider: this.provider,
      bucket: props.bucketName,
      forceDestroy: (props.forceDestroy ?? props.protection?.forceDestroy) ?? false,
      lifecycle,
    });
    this.bucketName = this.resource.bucket;
    this.bucketArn = this.resource.arn;
    this.bucketId = this.resource.id;
    this.bucketRegionalDomainName = this.resource.bucketRegionalDomainName;

    new S3BucketOwnershipControls(this, "Ownership", { provider: this.provider,
      bucket: this.resource.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketPublicAccessBlock(this, "PublicAccessBlock", { provider: this.provider,
      bucket: this.resource.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const versioning = new S3BucketVersioningA(this, "Versioning", { provider: this.provider,
      bucket: this.resource.id,
      versioningConfiguration: { status: versioned ? "Enabled" : "Suspended" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", { provider: this.provider,
      bucket: this.resource.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: encryption === "s3-managed"
            ? { sseAlgorithm: "AES256" }
            : { sseAlgorithm: "aws:kms", ...(props.kmsKeyArn ? { kmsMasterKeyId: props.kmsKeyArn } : {}) },
          ...(encryption === "kms" ? { bucketKeyEnabled: true } : {}),
        },
      ],
    });
    if (props.eventBridgeNotifications ?? true) {
      new S3BucketNotification(this, "EventBridge", { provider: this.provider, bucket: this.resource.id, eventbridge: true });
    }
    if (props.accessLogsBucket) {
      const target = props.accessLogsBucket;
      new S3BucketLoggingA(this, "AccessLogs", { provider: this.provider, bucket: this.resource.id, targetPrefix: `${props.bucketName}/`,
        ...(typeof target === "string" ? { targetBucket: target } : { targetBucket: target.bucketName, dependsOn: [target.policy] }) });
    }

    const lifecycleRules: S3BucketLifecycleConfigurationRule[] = rules.map((r) => this.renderRule(r));
    if (abortDays > 0) {
      lifecycleRules.push({ id: "abort-incomplete-uploads", status: "Enabled", filter: [{ prefix: "" }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }] });
    }
    if (lifecycleRules.length > 0) {
      new S3BucketLifecycleConfiguration(this, "Lifecycle", { provider: this.provider, bucket: this.resource.id, rule: lifecycleRules, dependsOn: [versioning] });
    }

    if (props.cors && props.cors.length > 0) {
      nonEmpty(this, "cors[0].allowedOrigins", props.cors[0].allowedOrigins);
      props.cors.forEach((c, i) => {
        nonEmpty(this, `cors[${i}].allowedOrigins`, c.allowedOrigins);
        c.allowedOrigins.forEach((o) => {
          if (o === "*") fail(this, `cors[${i}].allowedOrigins`, c.allowedOrigins, "expected explicit origins such as \"https://app.example.com\"; \"*\" lets any site use pre-signed URLs from a browser");
        });
        inRange(this, `cors[${i}].maxAgeSeconds`, c.maxAgeSeconds ?? 3000, 0, 86400);
      });
      new S3BucketCorsConfiguration(this, "Cors", { provider: this.provider,
        bucket: this.resource.id,
        corsRule: props.cors.map((c) => ({
          allowedOrigins: [...c.allowedOrigins],
          allowedMethods: [...(c.allowedMethods ?? ["PUT", "POST", "GET"])],
          allowedHeaders: [...(c.allowedHeaders ?? ["*"])],
          exposeHeaders: [...(c.exposeHeaders ?? ["ETag"])],
          maxAgeSeconds: c.maxAgeSeconds ?? 3000,
        })),
      });
    }

    if (props.replicateTo) this.addReplication(props.bucketName, props.replicateTo, props.kmsKeyArn, versioning);

    // TLS only (G6): refuse any request not made over HTTPS.
    this.policyStatements.push({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [this.resource.arn, `${this.resource.arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    for (const s of props.policyStatements ?? []) this.addPolicyStatement(s);
    // Lazy: statements added after construction (addPolicyStatement) still land in the one policy.
    this.policy = new S3BucketPolicy(this, "Policy", { provider: this.provider,
      bucket: this.resource.id,
      policy: Lazy.stringValue({ produce: () => Fn.jsonencode({ Version: "2012-10-17", Statement: this.policyStatements }) }),
    });
  }

  /** Read objects (matching `objectsKeyPattern`) and list the bucket; decrypt with its key. */
  grantRead(grantee: IGrantee, objectsKeyPattern = "*"): PolicyStatement[] {
    return grant(grantee, [
      { actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: [`${this.bucketArn}/${objectsKeyPattern}`] },
      { actions: ["s3:ListBucket"], resources: [this.bucketArn] },
      ...keyStatements(this.kmsKeyArn, "decrypt"),
    ]);
  }

  /** Put objects only (e.g. pre-signed uploads): no read, no delete; encrypt with its key. */
  grantPut(grantee: IGrantee, objectsKeyPattern = "*"): PolicyStatement[] {
    return grant(grantee, [
      { actions: ["s3:PutObject", "s3:AbortMultipartUpload"], resources: [`${this.bucketArn}/${objectsKeyPattern}`] },
      ...keyStatements(this.kmsKeyArn, "encryptDecrypt"),
    ]);
  }

  /** Put and delete objects; encrypt with its key. */
  grantWrite(grantee: IGrantee, objectsKeyPattern = "*"): PolicyStatement[] {
    return grant(grantee, [
      { actions: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"], resources: [`${this.bucketArn}/${objectsKeyPattern}`] },
      ...keyStatements(this.kmsKeyArn, "encryptDecrypt"),
    ]);
  }

  /** Read, put and delete objects and list the bucket; use its key both ways. */
  grantReadWrite(grantee: IGrantee, objectsKeyPattern = "*"): PolicyStatement[] {
    return grant(grantee, [
      { actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"], resources: [`${this.bucketArn}/${objectsKeyPattern}`] },
      { actions: ["s3:ListBucket"], resources: [this.bucketArn] },
      ...keyStatements(this.kmsKeyArn, "encryptDecrypt"),
    ]);
  }

  /** Adds an Allow statement to the bucket policy, e.g. for a CloudFront distribution created after the bucket. */
  addPolicyStatement(s: BucketPolicyStatement): void {
    if (this.policyStatements.some((p) => p.Sid === s.sid)) fail(this, "policyStatements", s.sid, "expected statement ids (sid) unique within the bucket policy");
    this.policyStatements.push({ Sid: s.sid, Effect: "Allow", Principal: s.principal, Action: [...s.actions], Resource: typeof s.resources === "string" ? s.resources : [...s.resources], ...(s.conditions ? { Condition: s.conditions } : {}) });
  }

  private checkLifecycle(rules: readonly LifecycleRule[]): void {
    const ids = new Set<string>();
    rules.forEach((r, i) => {
      const at = `lifecycleRules[${i}]`;
      matches(this, `${at}.id`, r.id, /^[A-Za-z0-9._-]{1,255}$/, "1-255 letters, digits, dots, hyphens and underscores");
      if (ids.has(r.id)) fail(this, `${at}.id`, r.id, "expected ids unique within the bucket");
      ids.add(r.id);
      let last = 0;
      (r.transitions ?? []).forEach((t, j) => {
        inRange(this, `${at}.transitions[${j}].days`, t.days, STORAGE_CLASS_MIN_DAYS[t.storageClass], 36500);
        if (t.days <= last && j > 0) fail(this, `${at}.transitions[${j}].days`, t.days, `expected more days than the previous transition (${last})`);
        last = t.days;
      });
      if (r.expirationDays !== undefined) {
        inRange(this, `${at}.expirationDays`, r.expirationDays, Math.max(1, last + 1), 36500);
      }
      if (r.noncurrentExpirationDays !== undefined) inRange(this, `${at}.noncurrentExpirationDays`, r.noncurrentExpirationDays, 1, 36500);
      if (!r.transitions?.length && r.expirationDays === undefined && r.noncurrentExpirationDays === undefined) {
        fail(this, at, r.id, "expected at least one of transitions, expirationDays or noncurrentExpirationDays");
      }
    });
  }

  private renderRule(r: LifecycleRule): S3BucketLifecycleConfigurationRule {
    const filter = r.tag
      ? r.prefix
        ? [{ and: [{ prefix: r.prefix, tags: { [r.tag.key]: r.tag.value } }] }]
        : [{ tag: [{ key: r.tag.key, value: r.tag.value }] }]
      : [{ prefix: r.prefix ?? "" }];
    return {
      id: r.id,
      status: "Enabled",
      filter,
      ...(r.transitions?.length ? { transition: r.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })) } : {}),
      ...(r.expirationDays !== undefined ? { expiration: [{ days: r.expirationDays }] } : {}),
      ...(r.noncurrentExpirationDays !== undefined ? { noncurrentVersionExpiration: [{ noncurrentDays: r.noncurrentExpirationDays }] } : {}),
    };
  }

  private addReplication(
    bucketName: string,
    target: NonNullable<S3BucketProps["replicateTo"]>,
    sourceKmsKeyArn: string | undefined,
    versioning: S3BucketVersioningA,
  ): void {
    const statements: PolicyStatement[] = [
      { actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"], resources: [this.resource.arn] },
      { actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], resources: [`${this.resource.arn}/*`] },
      { actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], resources: [`${target.destinationBucketArn}/*`] },
    ];
    if (sourceKmsKeyArn) statements.push({ actions: ["kms:Decrypt"], resources: [sourceKmsKeyArn] });
    if (target.destinationKmsKeyArn) statements.push({ actions: ["kms:Encrypt"], resources: [target.destinationKmsKeyArn] });
    const role = createRole(this, "ReplicationRole", {
      name: `${bucketName}-replication`.slice(0, 64),
      description: `Replicates ${bucketName} to its disaster-recovery bucket`,
      assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com"),
      statements,
    });
    new S3BucketReplicationConfigurationA(this, "Replication", { provider: this.provider,
      bucket: this.resource.id,
      role: role.arn,
      dependsOn: [versioning],
      rule: [
        {
          id: "disaster-recovery",
          status: "Enabled",
          filter: { prefix: "" },
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: target.destinationBucketArn,
            storageClass: "STANDARD",
            ...(target.destinationKmsKeyArn ? { encryptionConfiguration: { replicaKmsKeyId: target.destinationKmsKeyArn } } : {}),
          },
        },
      ],
    });
  }
}
