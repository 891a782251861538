/**
 * Who may use the cluster: the IRSA trust policy (UP4: only pods running as one Kubernetes service account assume a
 * role) and stable construct ids for access entries.
 */
import { Fn, Tokenization } from "cdktf";
import { isToken } from "../core";
import { pascal } from "./checks";

export function irsaTrustPolicy(oidcProviderArn: string, oidcIssuerHost: string, namespace: string, serviceAccount: string): string {
  return Fn.jsonencode({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        // zipmap: the condition keys hold the issuer host, a reference, which cannot be an object key in cdktf.
        Condition: {
          StringEquals: Fn.zipmap(
            [Fn.format("%s:sub", [oidcIssuerHost]), Fn.format("%s:aud", [oidcIssuerHost])],
            [`system:serviceaccount:${namespace}:${serviceAccount}`, "sts.amazonaws.com"],
          ),
        },
      },
    ],
  });
}

/**
 * A stable construct-id label for a principal: the role name of a literal ARN, or the Terraform address of the
 * resource a reference points to (so reordering accessEntries does not recreate entries); the position otherwise.
 */
export function principalLabel(principalArn: string, index: number): string {
  if (!isToken(principalArn)) return pascal(principalArn.split("/").pop() ?? `${index}`) || `${index}`;
  const tokens = Tokenization.reverseString(principalArn).tokens;
  const identifier: unknown = tokens.length === 1 ? (tokens[0] as unknown as { identifier?: unknown }).identifier : undefined;
  if (typeof identifier === "string") return pascal(identifier.replace(/\.arn$/, "").split(".").pop() ?? "") || `${index}`;
  return `${index}`;
}
