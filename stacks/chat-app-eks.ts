/**
 * chat-app on EKS (CA1 "eks"): the cluster, one IRSA role per service (what it calls, X-Ray, its secrets) and the
 * deploy role with an access entry limited to the system's namespace.
 */
import { GithubDeployRole } from "../modules/github-oidc";
import { grantTraceWrite } from "../modules/observability";
import { CHAT_SERVICES } from "../environments";
import { pascal } from "./naming";
import { ChatAppParts, ComputeResult, SYSTEM } from "./chat-app-parts";

export function buildEksServices(parts: ChatAppParts): ComputeResult {
  const { stack, cfg, prefix, key, network, repositories, firewall, allow, grantUses, grantSecrets } = parts;
  const env = stack.env;
  const outputs: Record<string, string> = {};
  const repositoryArns = CHAT_SERVICES.map((n) => repositories[n].repositoryArn);
  // The load balancer controller creates the ALB of the system's Ingress and attaches the WAF ACL below to it (CA7).
  const cluster = stack.systemCluster(cfg.eks, network, key, cfg.logRetentionDays, "irsa");
  // On EKS the ingress controller creates the ALB; it attaches this ACL through its wafv2-acl-arn annotation.
  outputs.waf_acl_arn = firewall([]).webAclArn;
  // Pods share the cluster's security group; the data stores accept it for the services that use them.
  for (const name of CHAT_SERVICES) allow(cluster, name);
  for (const name of CHAT_SERVICES) {
    const role = cluster.serviceAccountRole(`${pascal(name)}Role`, {
      name: `${prefix}-${name}`,
      namespace: SYSTEM,
      serviceAccount: name,
    });
    grantUses(role, name);
    grantTraceWrite(role);
    grantSecrets(role, name);
    outputs[`${name.replace(/-/g, "_")}_role_arn`] = role.roleArn;
  }
  const deployRole = new GithubDeployRole(stack, "DeployRole", {
    name: `${prefix}-github-deploy`,
    repositories: [`${env.githubOrg}/${SYSTEM}`],
    ecrRepositoryArns: repositoryArns,
    eks: { clusterArn: cluster.clusterArn },
  });
  cluster.grantAccess("DeployAccess", { principalArn: deployRole.roleArn, policy: "AmazonEKSEditPolicy", namespaces: [SYSTEM] });
  outputs.cluster_name = cluster.clusterName;
  outputs.cluster_endpoint = cluster.endpoint;
  outputs.load_balancer_controller_role_arn = cluster.loadBalancerControllerRole.roleArn;
  return { outputs, deployRole };
}
