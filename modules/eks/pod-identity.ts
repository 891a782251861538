/**
 * EKS Pod Identity, beside IRSA: a role trusted by pods.eks.amazonaws.com (no OIDC provider in the trust policy)
 * and an association that binds it to one namespace/service account of one cluster. The eks-pod-identity-agent
 * add-on hands the credentials to the pods.
 */
import { Fn } from "cdktf";

/** Trust of a Pod Identity role: the EKS pods service, from this account only (confused-deputy guard). */
export function podIdentityTrustPolicy(account: string, clusterArn: string): string {
  return Fn.jsonencode({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        // TagSession: EKS passes the cluster, namespace and service account as session tags.
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:SourceAccount": account }, ArnEquals: { "aws:SourceArn": clusterArn } },
      },
    ],
  });
}
