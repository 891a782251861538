/**
 * IAM in one shape: a role with an inline least-privilege policy built from statements.
 * Policies are rendered with Terraform's jsonencode so that references (ARNs of resources in the same stack)
 * resolve at plan time.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { fail, subjectName } from "./errors";

export interface PolicyStatement {
  readonly sid?: string;
  /** @default "Allow" */
  readonly effect?: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** IAM condition block, e.g. `{ StringEquals: { "aws:SourceAccount": "123" } }`. */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

function renderStatement(s: PolicyStatement): Record<string, unknown> {
  return {
    ...(s.sid ? { Sid: s.sid } : {}),
    Effect: s.effect ?? "Allow",
    Action: [...s.actions],
    Resource: [...s.resources],
    ...(s.conditions ? { Condition: s.conditions } : {}),
  };
}

/** A policy document as a Terraform expression. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return Fn.jsonencode({ Version: "2012-10-17", Statement: statements.map(renderStatement) });
}

/** Trust policy for an AWS service principal, e.g. "ecs-tasks.amazonaws.com". */
export function serviceTrustPolicy(service: string, conditions?: PolicyStatement["conditions"]): string {
  return Fn.jsonencode({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: ["sts:AssumeRole"],
        ...(conditions ? { Condition: conditions } : {}),
      },
    ],
  });
}

export interface RoleProps {
  readonly name: string;
  readonly description: string;
  /** Trust policy JSON (see serviceTrustPolicy). */
  readonly assumeRolePolicy: string;
  /** Inline least-privilege statements; empty means the role can do nothing beyond its managed policies. */
  readonly statements?: readonly PolicyStatement[];
  /** AWS-managed policies, only where AWS requires one (e.g. EKS node and cluster roles). */
  readonly managedPolicyArns?: readonly string[];
  /** @default 3600 */
  readonly maxSessionDurationSeconds?: number;
}

export interface Role {
  readonly role: IamRole;
  readonly arn: string;
  readonly name: string;
}

/** IAM refuses a policy whose statements share a Sid; say so at synth, naming the role and the sid. */
function checkUniqueSids(role: string, statements: readonly PolicyStatement[]): void {
  const seen = new Set<string>();
  statements.forEach((s, i) => {
    if (s.sid === undefined) return;
    if (seen.has(s.sid)) fail(role, `statements[${i}].sid`, s.sid, "expected each statement id (Sid) once in the role's policy; rename or merge the statements");
    seen.add(s.sid);
  });
}

/** An IAM role with one inline policy (when statements are given) and the listed managed policies. */
export function createRole(scope: Construct, id: string, props: RoleProps): Role {
  const duration = props.maxSessionDurationSeconds ?? 3600;
  if (duration < 3600 || duration > 43200) fail(scope, "maxSessionDurationSeconds", duration, "expected a whole number of seconds from 3600 to 43200");
  const statements = props.statements ?? [];
  checkUniqueSids(`${subjectName(scope)}/${id}`, statements);
  const role = new IamRole(scope, id, {
    name: props.name,
    description: props.description,
    assumeRolePolicy: props.assumeRolePolicy,
    maxSessionDuration: duration,
  });
  if (statements.length > 0) {
    new IamRolePolicy(scope, `${id}Policy`, {
      name: "least-privilege",
      role: role.id,
      policy: policyDocument(statements),
    });
  }
  (props.managedPolicyArns ?? []).forEach((policyArn, i) => {
    const label = policyArn.includes("${") ? `${i}` : policyArn.split("/").pop()!.replace(/[^A-Za-z0-9]/g, "");
    new IamRolePolicyAttachment(scope, `${id}${label}`, { role: role.name, policyArn });
  });
  return { role, arn: role.arn, name: role.name };
}
