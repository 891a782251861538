/**
 * A customer-managed KMS key with yearly rotation and an alias, for one stack's logs, secrets, queues and topics
 * (G6). The key policy keeps the account in control (root) and lets only the named AWS services use it.
 */
import { Construct } from "constructs";
import { Fn, TerraformProvider } from "cdktf";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { fail, grant, IGrantee, inRange, keyStatements, matches, NAME_LIMITS, PolicyStatement, Protection } from "../core";

export interface KmsKeyProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** The alias becomes alias/<name>, e.g. "alerting-platform-prod". */
  readonly name: string;
  /** What the key protects, shown in the console. */
  readonly description: string;
  /** Days a scheduled deletion waits, 7-30. @default 30 */
  readonly deletionWindowDays?: number;
  /** Let CloudWatch Logs in this region encrypt this account's log groups with the key. @default true */
  readonly allowCloudWatchLogs?: boolean;
  /** AWS service principals that may use the key through their integration, e.g. "sns.amazonaws.com". @default [] */
  readonly allowServices?: readonly string[];
  /** Terraform `prevent_destroy`. @default false */
  readonly preventDestroy?: boolean;
  /** Provider for another region (e.g. a disaster-recovery copy). @default the stack's */
  readonly provider?: TerraformProvider;
}

const SERVICE_PRINCIPAL = /^[a-z0-9]+([.-][a-z0-9]+)*\.amazonaws\.com$/;

export class KmsKey extends Construct {
  readonly keyArn: string;
  readonly keyId: string;
  readonly aliasName: string;
  readonly resource: KmsKeyResource;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    matches(this, "name", props.name, /^[A-Za-z0-9/_-]+$/, "letters, digits, \"/\", \"_\" and \"-\" (the alias becomes alias/<name>)");
    if (props.name.startsWith("alias/")) fail(this, "name", props.name, "expected the name without \"alias/\"; the module adds it");
    if (props.name.startsWith("aws/")) fail(this, "name", props.name, "expected a name outside \"aws/\", which AWS reserves for its managed keys");
    const aliasName = `alias/${props.name}`;
    if (aliasName.length > NAME_LIMITS.kmsAlias) fail(this, "name", props.name, `expected "alias/<name>" within ${NAME_LIMITS.kmsAlias} characters (got ${aliasName.length})`);
    if (typeof props.description !== "string" || props.description.trim() === "" || props.description.length > 8192) {
      fail(this, "description", props.description, "expected 1 to 8192 characters saying what the key protects");
    }
    const deletionWindowDays = inRange(this, "deletionWindowDays", props.deletionWindowDays ?? 30, 7, 30);
    const services = props.allowServices ?? [];
    services.forEach((service, i) => {
      matches(this, `allowServices[${i}]`, service, SERVICE_PRINCIPAL, "an AWS service principal such as \"sns.amazonaws.com\"");
      if (services.indexOf(service) !== i) fail(this, `allowServices[${i}]`, service, "expected each service once");
    });

    const account = new DataAwsCallerIdentity(this, "Account", { provider: props.provider });
    const partition = new DataAwsPartition(this, "Partition", { provider: props.provider });
    const region = new DataAwsRegion(this, "Region", { provider: props.provider });

    const statements: Record<string, unknown>[] = [
      {
        // Without this the key could become unmanageable; IAM policies in the account decide who else may use it.
        Sid: "AccountAdministers",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition.partition}:iam::${account.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ];
    if (props.allowCloudWatchLogs ?? true) {
      statements.push({
        Sid: "CloudWatchLogsEncrypt",
        Effect: "Allow",
        Principal: { Service: `logs.${region.name}.${partition.dnsSuffix}` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        // Only for log groups of this account in this region.
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition.partition}:logs:${region.name}:${account.accountId}:*` } },
      });
    }
    if (services.length > 0) {
      statements.push({
        Sid: "ServiceIntegrations",
        Effect: "Allow",
        Principal: { Service: [...services] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
      });
    }

    this.resource = new KmsKeyResource(this, "Key", {
      provider: props.provider,
      description: props.description,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: deletionWindowDays,
      policy: Fn.jsonencode({ Version: "2012-10-17", Statement: statements }),
      tags: { Name: props.name },
      lifecycle: { preventDestroy: (props.preventDestroy ?? props.protection?.preventDestroy) ?? false },
    });
    const alias = new KmsAlias(this, "Alias", { provider: props.provider, name: aliasName, targetKeyId: this.resource.keyId });
    this.keyArn = this.resource.arn;
    this.keyId = this.resource.keyId;
    this.aliasName = alias.name;
  }

  /** Decrypt with the key (read what it protects). */
  grantDecrypt(grantee: IGrantee): PolicyStatement[] {
    return grant(grantee, keyStatements(this.keyArn, "decrypt"));
  }

  /** Generate data keys and decrypt (envelope encryption: write and read what it protects). */
  grantEncryptDecrypt(grantee: IGrantee): PolicyStatement[] {
    return grant(grantee, keyStatements(this.keyArn, "encryptDecrypt"));
  }
}
