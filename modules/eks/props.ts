/** The checks of EksCluster's props: every refusal happens before any resource exists. */
import { Construct } from "constructs";
import { arn, capacity, cidr, dnsLabel, fail, inRange, isToken, matches, NAME_LIMITS, nonEmpty, oneOf } from "../core";
import { instanceType, isArm, kubernetesLabel, nodeLabels, nodeTaints, pascal } from "./checks";
import type { AccessEntrySpec, ControlPlaneLogType, EksAccessPolicy, LoadBalancerControllerSpec, NodeGroupSpec, ServiceAccountRoleProps } from "./index";

const ROLE_NAME = /^[\w+=,.@-]+$/;

export const LOG_TYPES: readonly ControlPlaneLogType[] = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const ACCESS_POLICIES: readonly EksAccessPolicy[] = ["AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy"];

export function checkPublicEndpoint(scope: Construct, value: false | { readonly allowedCidrs: readonly string[] }): string[] | undefined {
  if (value === false) return undefined;
  const cidrs = value?.allowedCidrs;
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    fail(scope, "publicEndpoint.allowedCidrs", cidrs, "expected at least one CIDR allowed to reach the public API endpoint; use publicEndpoint: false for a private cluster");
  }
  cidrs.forEach((c, i) => {
    if (isToken(c)) return;
    cidr(scope, `publicEndpoint.allowedCidrs[${i}]`, c);
    if (c.endsWith("/0")) fail(scope, `publicEndpoint.allowedCidrs[${i}]`, c, "expected specific networks (office, VPN, CI); \"0.0.0.0/0\" opens the Kubernetes API to the internet");
  });
  return [...cidrs];
}

export function checkLogTypes(scope: Construct, types: readonly ControlPlaneLogType[]): readonly ControlPlaneLogType[] {
  if (!Array.isArray(types) || types.length === 0) {
    fail(scope, "controlPlaneLogs", types, `expected at least one of ${LOG_TYPES.map((t) => `"${t}"`).join(", ")}; control-plane logging is required (UP3)`);
  }
  types.forEach((t, i) => {
    oneOf(scope, `controlPlaneLogs[${i}]`, t, LOG_TYPES);
    if (types.indexOf(t) !== i) fail(scope, `controlPlaneLogs[${i}]`, t, "expected each log type once");
  });
  return types;
}

export function checkNodeGroups(scope: Construct, groups: readonly NodeGroupSpec[]): readonly NodeGroupSpec[] {
  if (!Array.isArray(groups) || groups.length === 0) {
    fail(scope, "nodeGroups", groups, "expected at least one node group; a cluster without nodes cannot run pods");
  }
  const ids = new Set<string>();
  groups.forEach((g: NodeGroupSpec, i: number) => {
    const at = `nodeGroups[${i}]`;
    dnsLabel(scope, `${at}.name`, g.name, 63);
    if (ids.has(pascal(g.name))) fail(scope, `${at}.name`, g.name, "expected node group names unique in the cluster");
    ids.add(pascal(g.name));
    nonEmpty(scope, `${at}.instanceTypes`, g.instanceTypes);
    g.instanceTypes.forEach((t, j) => {
      instanceType(scope, `${at}.instanceTypes[${j}]`, t);
      if (g.instanceTypes.indexOf(t) !== j) fail(scope, `${at}.instanceTypes[${j}]`, t, "expected each instance type once");
      if (isArm(t) !== isArm(g.instanceTypes[0])) {
        fail(scope, `${at}.instanceTypes[${j}]`, t, `expected the same CPU architecture as "${g.instanceTypes[0]}"; a node group runs one AMI type (all x86_64 or all Graviton)`);
      }
    });
    capacity(scope, { min: `${at}.minSize`, desired: `${at}.desiredSize`, max: `${at}.maxSize` }, { min: g.minSize, desired: g.desiredSize, max: g.maxSize });
    if (g.maxSize < 1) fail(scope, `${at}.maxSize`, g.maxSize, "expected at least 1");
    oneOf(scope, `${at}.capacityType`, g.capacityType ?? "ON_DEMAND", ["ON_DEMAND", "SPOT"]);
    inRange(scope, `${at}.diskGiB`, g.diskGiB ?? 50, 20, 16384);
    nodeLabels(scope, `${at}.labels`, g.labels ?? {});
    nodeTaints(scope, `${at}.taints`, g.taints ?? []);
  });
  return groups;
}

export function checkAccessEntries(scope: Construct, entries: readonly AccessEntrySpec[]): readonly AccessEntrySpec[] {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    const at = `accessEntries[${i}]`;
    arn(scope, `${at}.principalArn`, e.principalArn, "iam");
    if (!isToken(e.principalArn) && !/:(role|user)\//.test(e.principalArn)) {
      fail(scope, `${at}.principalArn`, e.principalArn, "expected an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)");
    }
    if (seen.has(e.principalArn)) fail(scope, `${at}.principalArn`, e.principalArn, "expected each principal once; an access entry holds one policy here");
    seen.add(e.principalArn);
    oneOf(scope, `${at}.policy`, e.policy, ACCESS_POLICIES);
    if (e.namespaces !== undefined) {
      nonEmpty(scope, `${at}.namespaces`, e.namespaces);
      if (e.policy === "AmazonEKSClusterAdminPolicy") {
        fail(scope, `${at}.namespaces`, e.namespaces, "expected no namespaces with AmazonEKSClusterAdminPolicy, which is cluster-wide; use AmazonEKSAdminPolicy or AmazonEKSEditPolicy for one namespace");
      }
      e.namespaces.forEach((n, j) => kubernetesLabel(scope, `${at}.namespaces[${j}]`, n));
    }
  });
  return entries;
}

export function checkRoleProps(scope: Construct, usedIds: Set<string>, at: string, id: string, props: ServiceAccountRoleProps): { roleName: string; namespace: string; serviceAccount: string } {
  if (usedIds.has(id)) fail(scope, `${at} id`, id, "expected an id not already used in this cluster");
  usedIds.add(id);
  const roleName = matches(scope, `${at}.name`, props.name, ROLE_NAME, "an IAM role name: letters, digits and +=,.@_- only");
  if (roleName.length > NAME_LIMITS.iamRoleName) fail(scope, `${at}.name`, roleName, `expected at most ${NAME_LIMITS.iamRoleName} characters (got ${roleName.length})`);
  const namespace = kubernetesLabel(scope, `${at}.namespace`, props.namespace);
  const serviceAccount = kubernetesLabel(scope, `${at}.serviceAccount`, props.serviceAccount);
  if (props.statements !== undefined && (!Array.isArray(props.statements) || props.statements.length === 0)) {
    fail(scope, `${at}.statements`, props.statements, "expected at least one statement; a role that may do nothing has no use");
  }
  return { roleName, namespace, serviceAccount };
}

export function checkLoadBalancerController(scope: Construct, spec: LoadBalancerControllerSpec): Required<LoadBalancerControllerSpec> {
  const identity = oneOf(scope, "loadBalancerController.identity", spec.identity ?? "irsa", ["irsa", "podIdentity"]);
  const namespace = kubernetesLabel(scope, "loadBalancerController.namespace", spec.namespace ?? "kube-system");
  const serviceAccount = kubernetesLabel(scope, "loadBalancerController.serviceAccount", spec.serviceAccount ?? "aws-load-balancer-controller");
  return { identity, namespace, serviceAccount };
}
