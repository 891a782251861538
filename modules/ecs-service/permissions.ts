/**
 * What the execution role may read, derived from the image and the secrets a service names, and the check that
 * keeps secret values out of plain environment variables (G7).
 */
import { Construct } from "constructs";
import { Fn, Token, Tokenization } from "cdktf";
import { fail, isToken, matches, PolicyStatement } from "../core";

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)/;
// The repository URL for Terraform's regex: "[.]" instead of "\." (a backslash is an invalid escape in HCL strings).
const ECR_URL_RE2 = "^([0-9]{12})[.]dkr[.]ecr[.]([a-z0-9-]+)[.]amazonaws[.]com(?:[.]cn)?/(.+)$";

/**
 * The ECR repository an image is pulled from: an ARN for a literal ECR image, undefined for an image from another
 * registry, and a Terraform expression when the image is a reference (`${repository.repositoryUrl}:tag`), which
 * falls back to "*" when the reference turns out not to be an ECR repository URL.
 */
export function ecrRepositoryArn(image: string, partition: string): string | undefined {
  if (!isToken(image)) {
    const m = ECR_IMAGE.exec(image);
    return m ? `arn:${m[3] ? "aws-cn" : "aws"}:ecr:${m[2]}:${m[1]}:repository/${m[4]}` : undefined;
  }
  // Only "<reference>" or "<reference>:<tag>" / "<reference>@<digest>" name the repository by one reference.
  const fragments = Tokenization.reverseString(image);
  const tail = image.slice(image.lastIndexOf("}") + 1);
  if (fragments.tokens.length !== 1 || !image.startsWith("${") || !/^([:@][^${}]*)?$/.test(tail)) return "*";
  const url = Token.asString(fragments.tokens[0]);
  const parts = Fn.regex(ECR_URL_RE2, url);
  const repositoryArn = Fn.format("arn:%s:ecr:%s:%s:repository/%s", [partition, Fn.element(parts, 1), Fn.element(parts, 0), Fn.element(parts, 2)]);
  return Token.asString(Fn.try([repositoryArn, "*"]));
}

/** Statements letting the execution role pull the image. */
export function imagePullStatements(image: string, partition: string): PolicyStatement[] {
  const repositoryArn = ecrRepositoryArn(image, partition);
  if (repositoryArn === undefined) return [];
  return [
    { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
    { sid: "EcrPull", actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], resources: [repositoryArn] },
  ];
}

/** `${token}:json-key:version-stage:version-id` -> `${token}`: IAM grants on the secret, not on a key inside it. */
function stripJsonKey(value: string): string {
  if (isToken(value)) {
    const end = value.lastIndexOf("}") + 1;
    return /^:[^:]*:[^:]*:[^:]*$/.test(value.slice(end)) ? value.slice(0, end) : value;
  }
  return value.split(":").slice(0, 7).join(":");
}

/**
 * Read access to exactly the named secrets and parameters. A literal ARN gets its own service's action; a
 * reference (unknown service at synth time) gets both read actions, still on that one resource.
 */
export function secretReadStatements(scope: Construct, secrets: Readonly<Record<string, string>>, kmsKeyArn: string | undefined): PolicyStatement[] {
  const ssm: string[] = [];
  const secretsManager: string[] = [];
  for (const [name, valueFrom] of Object.entries(secrets)) {
    const setting = `secrets.${name}`;
    if (isToken(valueFrom)) {
      const target = stripJsonKey(valueFrom);
      // A JSON key (":username::") exists only on Secrets Manager; a bare ARN token may be either service.
      if (target === valueFrom) ssm.push(target);
      secretsManager.push(target);
      continue;
    }
    matches(scope, setting, valueFrom, /^arn:aws[a-z-]*:(ssm|secretsmanager):[a-z0-9-]+:\d{12}:(parameter\/.+|secret:.+)$/, "the ARN of an SSM parameter (arn:aws:ssm:...:parameter/...) or a Secrets Manager secret (arn:aws:secretsmanager:...:secret:...)");
    if (valueFrom.includes(":ssm:")) {
      ssm.push(valueFrom);
    } else {
      const secretArn = stripJsonKey(valueFrom);
      secretsManager.push(secretArn);
      // A partial ARN (no random 6-character suffix) matches the real secret only with the suffix wildcard.
      if (!/-[A-Za-z0-9]{6}$/.test(secretArn)) secretsManager.push(`${secretArn}-??????`);
    }
  }
  const statements: PolicyStatement[] = [];
  if (ssm.length > 0) statements.push({ sid: "ReadParameters", actions: ["ssm:GetParameters"], resources: unique(ssm) });
  if (secretsManager.length > 0) statements.push({ sid: "ReadSecrets", actions: ["secretsmanager:GetSecretValue"], resources: unique(secretsManager) });
  if (kmsKeyArn && statements.length > 0) statements.push({ sid: "DecryptSecrets", actions: ["kms:Decrypt"], resources: [kmsKeyArn] });
  return statements;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

const SECRET_LOOKING_KEY = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|(^|_)KEY$)/i;
// Keys that say where a secret lives (its ARN, name or path), not what it is.
const REFERENCE_KEY = /_(ARN|NAME|ID|PATH|FILE)$/i;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Refuses environment variables that look like secrets given as literal values; they belong in `secrets`. */
export function checkEnvironment(scope: Construct, environment: Readonly<Record<string, string>>, secrets: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(environment)) {
    matches(scope, "environment", key, ENV_NAME, "variable names of letters, digits and underscores, not starting with a digit");
    if (SECRET_LOOKING_KEY.test(key) && !REFERENCE_KEY.test(key) && !isToken(value) && !/^arn:/.test(value)) {
      fail(scope, `environment.${key}`, value, "a value that looks like a secret must not be a literal in the task definition (G7); pass its SSM parameter or Secrets Manager ARN in `secrets` instead");
    }
    if (key in secrets) fail(scope, `environment.${key}`, value, "the same name is also in `secrets`; keep one");
  }
  for (const key of Object.keys(secrets)) matches(scope, "secrets", key, ENV_NAME, "variable names of letters, digits and underscores, not starting with a digit");
}
