/**
 * IAM in one shape: a role with an inline least-privilege policy built from statements.
 * Policies are rendered with Terraform's jsonencode so that references (ARNs of resources in the same stack)
 * resolve at plan time.
 */
import { Construct } from "constructs";
import { Fn, Lazy } from "cdktf";
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

/**
 * Anything that holds a role and can be granted permissions: an ECS service (its task role), an IRSA role, a
 * deploy role, an EC2 instance role. Resource modules' `grant*` methods add statements through `addToPolicy`.
 */
export interface IGrantee {
  readonly roleName: string;
  readonly roleArn: string;
  /** Adds least-privilege statements to the role's inline policy (rendered lazily, at synth). */
  addToPolicy(...statements: readonly PolicyStatement[]): void;
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

/** Two statements are the same grant when they render to the same JSON (what `addToPolicy` keeps once). */
function statementKey(s: PolicyStatement): string {
  return JSON.stringify(renderStatement(s));
}

/**
 * An IAM role with one inline least-privilege policy. The policy resource exists from the first statement on; its
 * document is built from the structured statements when the stack is synthesized, so grants made after the role
 * still land in it. A grant repeated on the same role is kept once; a grant whose Sid is taken gets a numbered Sid.
 */
export class Role implements IGrantee {
  readonly role: IamRole;
  readonly arn: string;
  readonly name: string;
  private readonly list: PolicyStatement[] = [];
  private readonly keys = new Set<string>();
  private inline?: IamRolePolicy;

  constructor(private readonly scope: Construct, private readonly id: string, role: IamRole) {
    this.role = role;
    this.arn = role.arn;
    this.name = role.name;
  }

  get roleArn(): string {
    return this.arn;
  }

  get roleName(): string {
    return this.name;
  }

  /** The inline policy, once the role has a statement. */
  get policy(): IamRolePolicy | undefined {
    return this.inline;
  }

  /** The statements of the inline policy, as data (what tests assert). */
  get statements(): readonly PolicyStatement[] {
    return [...this.list];
  }

  addToPolicy(...statements: readonly PolicyStatement[]): void {
    for (const statement of statements) {
      const key = statementKey(statement);
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      let added = statement;
      if (statement.sid !== undefined && this.list.some((s) => s.sid === statement.sid)) {
        let n = 2;
        while (this.list.some((s) => s.sid === `${statement.sid}${n}`)) n++;
        added = { ...statement, sid: `${statement.sid}${n}` };
      }
      this.list.push(added);
    }
    if (!this.inline && this.list.length > 0) {
      this.inline = new IamRolePolicy(this.scope, `${this.id}Policy`, {
        name: "least-privilege",
        role: this.role.id,
        policy: Lazy.stringValue({ produce: () => policyDocument(this.list) }),
      });
    }
  }
}

/** An IAM role with one inline policy (when statements are given or granted later) and the listed managed policies. */
export function createRole(scope: Construct, id: string, props: RoleProps): Role {
  const duration = props.maxSessionDurationSeconds ?? 3600;
  if (duration < 3600 || duration > 43200) fail(scope, "maxSessionDurationSeconds", duration, "expected a whole number of seconds from 3600 to 43200");
  const statements = props.statements ?? [];
  checkUniqueSids(`${subjectName(scope)}/${id}`, statements);
  const iamRole = new IamRole(scope, id, {
    name: props.name,
    description: props.description,
    assumeRolePolicy: props.assumeRolePolicy,
    maxSessionDuration: duration,
  });
  const role = new Role(scope, id, iamRole);
  role.addToPolicy(...statements);
  (props.managedPolicyArns ?? []).forEach((policyArn, i) => {
    const label = policyArn.includes("${") ? `${i}` : policyArn.split("/").pop()!.replace(/[^A-Za-z0-9]/g, "");
    new IamRolePolicyAttachment(scope, `${id}${label}`, { role: iamRole.name, policyArn });
  });
  return role;
}
