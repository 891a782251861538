/** An SSM Parameter Store parameter for a non-secret value known at plan time (endpoints, hostnames, ports). */
import { Construct } from "constructs";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { arn, fail, grant, IGrantee, isToken, keyStatements, matches, NAME_LIMITS, oneOf, PolicyStatement } from "../core";

export interface ParameterProps {
  /** Full hierarchical name, e.g. "/upload-pipeline/dev/database/endpoint" (starts with "/", at most 15 levels). */
  readonly name: string;
  /** The value (a literal or a reference such as a database endpoint). Never a secret: use Secret for those. */
  readonly value: string;
  /** @default none */
  readonly description?: string;
  /** Store as SecureString encrypted with this key (ARN). @default a plain "String" parameter */
  readonly kmsKeyArn?: string;
  /** @default "Standard" */
  readonly tier?: "Standard";
}

const PARAMETER_NAME = /^(\/[A-Za-z0-9_.-]+)+$/;
const MAX_LEVELS = 15;
const STANDARD_VALUE_LIMIT = 4096;
/** Names that say the value is a credential. */
const SECRET_LIKE = /(password|passwd|secret|token|api[-_]?key|credential)/i;

export class Parameter extends Construct {
  readonly parameterArn: string;
  readonly parameterName: string;
  readonly resource: SsmParameter;
  private readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: ParameterProps) {
    super(scope, id);
    const name = matches(this, "name", props.name, PARAMETER_NAME, "a path starting with \"/\": segments of letters, digits, \"_\", \".\" and \"-\" separated by single \"/\"");
    if (name.length > NAME_LIMITS.ssmParameterName) fail(this, "name", name, `expected at most ${NAME_LIMITS.ssmParameterName} characters (got ${name.length})`);
    if (/^\/(aws|ssm)/i.test(name)) fail(this, "name", name, "expected a name not starting with \"aws\" or \"ssm\", which AWS reserves");
    const levels = name.split("/").length - 1;
    if (levels > MAX_LEVELS) fail(this, "name", name, `expected at most ${MAX_LEVELS} levels (got ${levels})`);
    const tier = oneOf(this, "tier", props.tier ?? "Standard", ["Standard"]);
    if (props.kmsKeyArn !== undefined) arn(this, "kmsKeyArn", props.kmsKeyArn, "kms");
    if (typeof props.value !== "string" || props.value === "") fail(this, "value", props.value, "expected a non-empty string");
    if (!isToken(props.value) && props.value.length > STANDARD_VALUE_LIMIT) {
      fail(this, "value", `${props.value.slice(0, 20)}...`, `expected at most ${STANDARD_VALUE_LIMIT} characters in a Standard parameter (got ${props.value.length})`);
    }
    if (SECRET_LIKE.test(name)) {
      // Never echo the value: it may be the secret.
      if (!props.kmsKeyArn) {
        fail(this, "name", name, "expected a non-secret parameter; this name says it holds a credential: use Secret (Secrets Manager, value set out of band) instead, or give kmsKeyArn for a SecureString");
      }
      if (!isToken(props.value)) {
        fail(this, "value", "(literal, not shown)", "expected a reference, not a literal, for a credential-named parameter: a literal lands in the synthesized JSON (G7); use Secret instead");
      }
    }
    if (props.description !== undefined && props.description.length > 1024) {
      fail(this, "description", props.description, `expected at most 1024 characters (got ${props.description.length})`);
    }
    this.kmsKeyArn = props.kmsKeyArn;

    this.resource = new SsmParameter(this, "Parameter", {
      name,
      type: props.kmsKeyArn ? "SecureString" : "String",
      value: props.value,
      tier,
      dataType: "text",
      ...(props.description !== undefined ? { description: props.description } : {}),
      ...(props.kmsKeyArn ? { keyId: props.kmsKeyArn } : {}),
    });
    this.parameterArn = this.resource.arn;
    this.parameterName = this.resource.name;
  }

  /** Read the value (task execution role for ECS `secrets`, or the task role), and decrypt it with its key. */
  grantRead(grantee: IGrantee): PolicyStatement[] {
    return grant(grantee, [
      { sid: "ReadParameter", actions: ["ssm:GetParameters", "ssm:GetParameter"], resources: [this.parameterArn] },
      ...keyStatements(this.kmsKeyArn, "decrypt", "DecryptParameter"),
    ]);
  }
}
