/**
 * A role an AWS service assumes, with AWS-managed policies attached here (not through createRole) so that the
 * resource using the role can depend on the attachments: RDS checks the role's permissions when the instance is
 * created, and would otherwise race the attachment.
 */
import { Construct } from "constructs";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { createRole, serviceTrustPolicy } from "../core";

export interface ServiceRole {
  readonly arn: string;
  /** Depend on these before handing the role to the service. */
  readonly attachments: IamRolePolicyAttachment[];
}

export function serviceRole(
  scope: Construct,
  id: string,
  props: { readonly name: string; readonly description: string; readonly service: string; readonly managedPolicyArns: readonly string[] },
): ServiceRole {
  const role = createRole(scope, id, { name: props.name, description: props.description, assumeRolePolicy: serviceTrustPolicy(props.service) });
  const attachments = props.managedPolicyArns.map(
    (policyArn) => new IamRolePolicyAttachment(scope, `${id}${policyArn.split("/").pop()!}`, { role: role.name, policyArn }),
  );
  return { arn: role.arn, attachments };
}
