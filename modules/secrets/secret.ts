/** A Secrets Manager secret with no value in Terraform: the value is put out of band, so it never reaches the JSON or the state (G7). */
import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { arn, fail, grant, IGrantee, keyStatements, matches, NAME_LIMITS, PolicyStatement, Protection } from "../core";

export interface SecretProps {
  /** The environment's protection profile (G8); each prop of the same name given here wins. @default each prop's own default */
  readonly protection?: Protection;
  /** Secret name, path-like, e.g. "upload-pipeline/dev/confluent-kafka" (letters, digits and /_+=.@-, at most 512). */
  readonly name: string;
  /** What the secret holds and who sets it, shown in the console. */
  readonly description: string;
  /** Customer KMS key (ARN). @default the AWS-managed key aws/secretsmanager */
  readonly kmsKeyArn?: string;
  /** Days a deleted secret can be restored: 7-30, or 0 to delete at once (refused with preventDestroy). @default 30 */
  readonly recoveryWindowDays?: number;
  /** Terraform `prevent_destroy`. @default false */
  readonly preventDestroy?: boolean;
  /** Keys of the secret's JSON value, e.g. ["bootstrap_servers", "api_key", "api_secret"]; valueFrom(key) accepts only these. @default [] (a plain-string secret) */
  readonly jsonKeys?: readonly string[];
}

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]+$/;
/** ECS splits valueFrom on ":", so a key must not contain one. */
const JSON_KEY = /^[A-Za-z0-9_.-]+$/;

export class Secret extends Construct {
  readonly secretArn: string;
  readonly secretName: string;
  readonly jsonKeys: readonly string[];
  readonly resource: SecretsmanagerSecret;
  private readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: SecretProps) {
    super(scope, id);
    const name = matches(this, "name", props.name, SECRET_NAME, "letters, digits and /_+=.@- only");
    if (name.length > NAME_LIMITS.secretName) fail(this, "name", name, `expected at most ${NAME_LIMITS.secretName} characters, the secretName limit (got ${name.length})`);
    if (typeof props.description !== "string" || props.description.trim() === "" || props.description.length > 2048) {
      fail(this, "description", props.description, "expected 1 to 2048 characters saying what the secret holds and who sets its value");
    }
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    const recoveryWindowDays = props.recoveryWindowDays ?? 30;
    if (!Number.isInteger(recoveryWindowDays) || (recoveryWindowDays !== 0 && (recoveryWindowDays < 7 || recoveryWindowDays > 30))) {
      fail(this, "recoveryWindowDays", recoveryWindowDays, "expected 0 (delete at once) or a whole number from 7 to 30");
    }
    const preventDestroy = (props.preventDestroy ?? props.protection?.preventDestroy) ?? false;
    if (preventDestroy && recoveryWindowDays === 0) {
      fail(this, "recoveryWindowDays", 0, "expected 7 to 30 with preventDestroy: a protected secret must stay recoverable after deletion");
    }
    const keys = props.jsonKeys ?? [];
    keys.forEach((k, i) => {
      matches(this, `jsonKeys[${i}]`, k, JSON_KEY, "letters, digits, \"_\", \".\" and \"-\" (ECS valueFrom splits on \":\")");
      if (keys.indexOf(k) !== i) fail(this, `jsonKeys[${i}]`, k, "expected each key once");
    });
    this.jsonKeys = [...keys];
    this.kmsKeyArn = props.kmsKeyArn;

    this.resource = new SecretsmanagerSecret(this, "Secret", {
      name,
      description: props.description,
      recoveryWindowInDays: recoveryWindowDays,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
      lifecycle: { preventDestroy },
    });
    this.secretArn = this.resource.arn;
    this.secretName = this.resource.name;
  }

  /** Read the value (task execution role for ECS `secrets`, or an IRSA role), and decrypt it with its key. */
  grantRead(grantee: IGrantee): PolicyStatement[] {
    return grant(grantee, [
      { sid: "ReadSecret", actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], resources: [this.secretArn] },
      ...keyStatements(this.kmsKeyArn, "decrypt", "DecryptSecret"),
    ]);
  }

  /** One key of the JSON value, for ECS `secrets[].valueFrom`: `field("username")` is `<arn>:username::`. */
  field(jsonKey: string): string {
    return this.valueFrom(jsonKey);
  }

  /** The ECS container `secrets[].valueFrom`: the ARN, or `<arn>:<jsonKey>::` for one key of the JSON value. */
  valueFrom(jsonKey?: string): string {
    if (jsonKey === undefined) return this.secretArn;
    if (!this.jsonKeys.includes(jsonKey)) {
      fail(this, "valueFrom(jsonKey)", jsonKey, this.jsonKeys.length > 0
        ? `expected one of the secret's jsonKeys: ${this.jsonKeys.map((k) => JSON.stringify(k)).join(", ")}`
        : "expected no key: this secret declares no jsonKeys (add them to the props)");
    }
    return `${this.secretArn}:${jsonKey}::`;
  }
}
