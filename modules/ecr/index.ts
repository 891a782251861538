/**
 * A private ECR repository for one service's images (G9, AP11): KMS-encrypted, scanned on push, immutable tags,
 * and a lifecycle policy that keeps the last N images and expires untagged ones after a week.
 */
import { Construct } from "constructs";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import {
  arn, fail, grant, IGrantee, inRange, keyStatements, matches, NAME_LIMITS, PolicyStatement, Protection,
} from "../core";

export interface EcrRepositoryProps {
  /** The environment's protection profile (G8): its forceDestroy becomes forceDelete (a repository is not stateful: no prevent_destroy from here). @default none */
  readonly protection?: Protection;
  /** Full repository name, e.g. "alerting-platform/rule-service": lowercase letters, digits, ".", "_", "-" and "/" separators. */
  readonly name: string;
  /** Scan every pushed image for vulnerabilities. @default true */
  readonly scanOnPush?: boolean;
  /** Tags cannot be overwritten, so a deployed tag always means the same image. @default true */
  readonly immutableTags?: boolean;
  /** Customer-managed KMS key. @default the AWS-managed aws/ecr key (encryption type KMS either way) */
  readonly kmsKeyArn?: string;
  /** Lifecycle policy: keep this many most recent images (1-1000); untagged images expire after 7 days. @default 30 */
  readonly keepLastImages?: number;
  /** Let `terraform destroy` delete the repository while it still holds images (loses them). @default false */
  readonly forceDelete?: boolean;
  /** Terraform `prevent_destroy`. @default false */
  readonly preventDestroy?: boolean;
}

/** ECR's own rule: path components of lowercase alphanumerics joined by single ".", "_" or "-", separated by "/". */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** Days after which untagged images (superseded builds, failed pushes) are removed. */
const UNTAGGED_EXPIRY_DAYS = 7;

export class EcrRepository extends Construct {
  readonly repositoryName: string;
  readonly repositoryArn: string;
  readonly repositoryUrl: string;
  readonly resource: EcrRepositoryResource;
  private readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    const name = matches(this, "name", props.name, REPOSITORY_NAME, "lowercase letters and digits, with single \".\", \"_\" or \"-\" between them and \"/\" between path components, e.g. \"alerting-platform/rule-service\"");
    const limit = NAME_LIMITS.ecrRepository;
    if (name.length < 2 || name.length > limit) fail(this, "name", name, `expected 2 to ${limit} characters (got ${name.length})`);
    const keepLast = inRange(this, "keepLastImages", props.keepLastImages ?? 30, 1, 1000);
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    this.kmsKeyArn = props.kmsKeyArn;

    this.resource = new EcrRepositoryResource(this, "Repository", {
      name,
      imageTagMutability: (props.immutableTags ?? true) ? "IMMUTABLE" : "MUTABLE",
      imageScanningConfiguration: { scanOnPush: props.scanOnPush ?? true },
      encryptionConfiguration: [{ encryptionType: "KMS", ...(props.kmsKeyArn ? { kmsKey: props.kmsKeyArn } : {}) }],
      forceDelete: (props.forceDelete ?? props.protection?.forceDestroy) ?? false,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    this.repositoryName = this.resource.name;
    this.repositoryArn = this.resource.arn;
    this.repositoryUrl = this.resource.repositoryUrl;

    new EcrLifecyclePolicy(this, "LifecyclePolicy", {
      repository: this.resource.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${UNTAGGED_EXPIRY_DAYS} days`,
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_EXPIRY_DAYS },
            action: { type: "expire" },
          },
          {
            // A rule on "any" must have the lowest priority (highest number).
            rulePriority: 2,
            description: `Keep the last ${keepLast} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keepLast },
            action: { type: "expire" },
          },
        ],
      }),
    });
  }

  /** Pull images: log in to the registry (no resource-level permission) and read this repository's layers. */
  grantPull(grantee: IGrantee): PolicyStatement[] {
    return grant(grantee, [
      { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      { actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], resources: [this.repositoryArn] },
      ...keyStatements(this.kmsKeyArn, "decrypt"),
    ]);
  }

  /** Push images (and pull them: a push checks which layers exist). */
  grantPush(grantee: IGrantee): PolicyStatement[] {
    return grant(grantee, [
      ...this.grantPull(grantee),
      { actions: ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"], resources: [this.repositoryArn] },
      ...keyStatements(this.kmsKeyArn, "encryptDecrypt"),
    ]);
  }
}
