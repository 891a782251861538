/**
 * An EKS cluster (UP3, CA1 with EKS): private API endpoint, control plane and managed node groups in the private
 * subnets, all control-plane logs to a managed log group, Kubernetes secrets envelope-encrypted with KMS, access
 * through EKS access entries, and an IAM OIDC provider so pods get their own IAM roles (IRSA, UP4).
 */
import { Construct } from "constructs";
import { Fn, ITerraformDependable } from "cdktf";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import {
  arn, capacity, cidr, createRole, createSecurityGroup, dnsLabel, fail, fitName, IConnectable, INetwork,
  inRange, isToken, logRetentionDays, matches, NAME_LIMITS, nonEmpty, oneOf, PolicyStatement, Role, serviceTrustPolicy,
} from "../core";
import { instanceType, isArm, kubernetesLabel, kubernetesVersion, nodeLabels, pascal } from "./checks";
import { irsaTrustPolicy, principalLabel } from "./irsa";
import { ManagedNodeGroup } from "./node-group";

export type ControlPlaneLogType = "api" | "audit" | "authenticator" | "controllerManager" | "scheduler";
export type EksAccessPolicy = "AmazonEKSClusterAdminPolicy" | "AmazonEKSAdminPolicy" | "AmazonEKSEditPolicy" | "AmazonEKSViewPolicy";

export interface NodeGroupSpec {
  /** Node group name, unique in the cluster (lowercase DNS label, at most 63 characters). */
  readonly name: string;
  /** One architecture per group: all x86_64 or all Graviton (arm64). */
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  /** Initial size; the cluster autoscaler owns it afterwards (Terraform ignores later drift). */
  readonly desiredSize: number;
  readonly maxSize: number;
  /** @default "ON_DEMAND" */
  readonly capacityType?: "ON_DEMAND" | "SPOT";
  /** Encrypted gp3 root volume size, 20-16384 GiB. @default 50 */
  readonly diskGiB?: number;
  /** Kubernetes labels on every node. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AccessEntrySpec {
  /** IAM role (or user) ARN given access, e.g. the CI deploy role. */
  readonly principalArn: string;
  readonly policy: EksAccessPolicy;
  /** Limit the policy to these namespaces. @default the whole cluster */
  readonly namespaces?: readonly string[];
}

export interface EksClusterProps {
  /** Cluster name, e.g. "upload-pipeline-dev" (letters, digits, "-" and "_", starting with a letter, at most 100). */
  readonly name: string;
  /** Control-plane ENIs and nodes go into its private subnets. */
  readonly network: INetwork;
  /** Kubernetes minor version, 1.30 or newer. @default "1.33" */
  readonly kubernetesVersion?: string;
  /** Public API endpoint reachable from these CIDRs (besides the private one). @default false: private endpoint only */
  readonly publicEndpoint?: false | { readonly allowedCidrs: readonly string[] };
  /** @default [{ name: "default", instanceTypes: ["t3.medium"], minSize: 1, desiredSize: 2, maxSize: 3 }] */
  readonly nodeGroups?: readonly NodeGroupSpec[];
  /** Control-plane log types. @default all five: api, audit, authenticator, controllerManager, scheduler */
  readonly controlPlaneLogs?: readonly ControlPlaneLogType[];
  /** Days the control-plane log group keeps events. @default 30 */
  readonly logRetentionDays?: number;
  /** KMS key for the control-plane log group (its policy must allow CloudWatch Logs). @default CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
  /** KMS key for secrets envelope encryption. @default a dedicated key with yearly rotation */
  readonly secretsKmsKeyArn?: string;
  /**
   * IAM principals given cluster access through access entries. The cluster creator gets no implicit admin
   * rights, so administrators (and the CI deploy role) come only from here. @default []
   */
  readonly accessEntries?: readonly AccessEntrySpec[];
}

export interface ServiceAccountRoleProps {
  /** IAM role name, e.g. "upload-pipeline-dev-parser" (at most 64 characters). */
  readonly name: string;
  /** Kubernetes namespace of the service account. */
  readonly namespace: string;
  /** Kubernetes service account name; annotate it with `eks.amazonaws.com/role-arn: <roleArn>`. */
  readonly serviceAccount: string;
  /** What the pods may do (least privilege). */
  readonly statements?: readonly PolicyStatement[];
}

const LOG_TYPES: readonly ControlPlaneLogType[] = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const ACCESS_POLICIES: readonly EksAccessPolicy[] = ["AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy"];
const DEFAULT_NODE_GROUP: NodeGroupSpec = { name: "default", instanceTypes: ["t3.medium"], minSize: 1, desiredSize: 2, maxSize: 3 };
const CLUSTER_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ROLE_NAME = /^[\w+=,.@-]+$/;
/**
 * Thumbprint of the root CA behind oidc.eks.<region>.amazonaws.com (Amazon Root CA 1 via Starfield). There is no
 * tls provider here to read it with data "tls_certificate"; IAM no longer checks thumbprints for EKS issuers
 * (it trusts its own CA library), but the API still wants one.
 */
export const EKS_OIDC_ROOT_CA_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

export class EksCluster extends Construct implements IConnectable {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly oidcProviderArn: string;
  /** The issuer URL, "https://oidc.eks.<region>.amazonaws.com/id/<id>". */
  readonly oidcIssuerUrl: string;
  /** The issuer without "https://", as IAM condition keys name it ("<host>:sub"). */
  readonly oidcIssuerHost: string;
  /** The module's group, on the control-plane ENIs and on every node: allowFrom(database, cluster, 5432) lets pods in. */
  readonly securityGroupId: string;
  /** The group EKS creates for control plane <-> node traffic (also on every node). */
  readonly clusterSecurityGroupId: string;
  readonly nodeRoleArn: string;
  readonly nodeRoleName: string;
  readonly secretsKmsKeyArn: string;
  readonly logGroupName: string;
  readonly nodeGroups: Readonly<Record<string, ManagedNodeGroup>>;
  readonly resource: EksClusterResource;
  private readonly partition: string;
  private readonly name: string;
  /** Construct ids taken by access entries and service-account roles added through methods. */
  private readonly usedIds = new Set<string>();

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const name = matches(this, "name", props.name, CLUSTER_NAME, "letters, digits, \"-\" and \"_\", starting with a letter");
    if (name.length > NAME_LIMITS.eksClusterName) fail(this, "name", name, `expected at most ${NAME_LIMITS.eksClusterName} characters, the eksClusterName limit (got ${name.length})`);
    this.name = name;
    const version = kubernetesVersion(this, "kubernetesVersion", props.kubernetesVersion ?? "1.33");
    const publicCidrs = this.checkPublicEndpoint(props.publicEndpoint ?? false);
    const logTypes = this.checkLogTypes(props.controlPlaneLogs ?? LOG_TYPES);
    const retentionDays = logRetentionDays(this, "logRetentionDays", props.logRetentionDays ?? 30);
    if (props.logKmsKeyArn !== undefined) arn(this, "logKmsKeyArn", props.logKmsKeyArn, "kms");
    if (props.secretsKmsKeyArn !== undefined) arn(this, "secretsKmsKeyArn", props.secretsKmsKeyArn, "kms");
    const groups = this.checkNodeGroups(props.nodeGroups ?? [DEFAULT_NODE_GROUP]);
    const entries = this.checkAccessEntries(props.accessEntries ?? []);
    nonEmpty(this, "network.privateSubnetIds", props.network.privateSubnetIds);

    const partition = new DataAwsPartition(this, "Partition").partition;

    let secretsKeyArn = props.secretsKmsKeyArn;
    if (secretsKeyArn === undefined) {
      const key = new KmsKey(this, "SecretsKey", {
        description: `Envelope encryption of Kubernetes secrets in EKS cluster ${name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      });
      new KmsAlias(this, "SecretsKeyAlias", { name: fitName(this, "name", `alias/${name}`, "eks-secrets", "kmsAlias"), targetKeyId: key.keyId });
      secretsKeyArn = key.arn;
    }
    this.secretsKmsKeyArn = secretsKeyArn;

    // Created before the cluster, so EKS writes into a group with retention instead of creating an unmanaged one.
    const logGroup = new CloudwatchLogGroup(this, "ControlPlaneLogs", {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: retentionDays,
      ...(props.logKmsKeyArn ? { kmsKeyId: props.logKmsKeyArn } : {}),
    });
    this.logGroupName = logGroup.name;

    const clusterRole = createRole(this, "ClusterRole", {
      name: fitName(this, "name", name, "eks-cluster", "iamRoleName"),
      description: `Control plane of EKS cluster ${name}`,
      assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com"),
      statements: [
        { sid: "SecretsEncryption", actions: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], resources: [secretsKeyArn] },
      ],
    });
    const clusterRoleDeps = this.attachManaged("ClusterRole", clusterRole.name, partition, ["AmazonEKSClusterPolicy"]);
    if (clusterRole.policy) clusterRoleDeps.push(clusterRole.policy);

    const sg = createSecurityGroup(this, "SecurityGroup", {
      name: fitName(this, "name", name, "eks-cluster", "securityGroupName"),
      description: `EKS cluster ${name}: control-plane ENIs and nodes`,
      vpcId: props.network.vpcId,
      egress: "vpc",
      vpcCidr: props.network.vpcCidr,
    });
    this.securityGroupId = sg.id;

    this.resource = new EksClusterResource(this, "Cluster", {
      name,
      version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: props.network.privateSubnetIds,
        securityGroupIds: [sg.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs !== undefined,
        ...(publicCidrs ? { publicAccessCidrs: publicCidrs } : {}),
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKeyArn } },
      enabledClusterLogTypes: [...logTypes],
      accessConfig: {
        authenticationMode: "API",
        // No hidden admin: whoever runs Terraform gets access only through an explicit access entry.
        bootstrapClusterCreatorAdminPermissions: false,
      },
      dependsOn: [logGroup, ...clusterRoleDeps],
    });
    this.clusterName = this.resource.name;
    this.clusterArn = this.resource.arn;
    this.endpoint = this.resource.endpoint;
    this.certificateAuthorityData = this.resource.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = this.resource.vpcConfig.clusterSecurityGroupId;
    this.oidcIssuerUrl = this.resource.identity.get(0).oidc.get(0).issuer;
    this.oidcIssuerHost = Fn.replace(this.oidcIssuerUrl, "https://", "");

    const oidc = new IamOpenidConnectProvider(this, "OidcProvider", {
      url: this.oidcIssuerUrl,
      clientIdList: ["sts.amazonaws.com"],
      thumbprintList: [EKS_OIDC_ROOT_CA_THUMBPRINT],
    });
    this.oidcProviderArn = oidc.arn;

    const nodeRole = createRole(this, "NodeRole", {
      name: fitName(this, "name", name, "eks-nodes", "iamRoleName"),
      description: `Nodes of EKS cluster ${name}`,
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    const nodeRoleDeps = this.attachManaged("NodeRole", nodeRole.name, partition, [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
      "AmazonEC2ContainerRegistryReadOnly",
      "AmazonSSMManagedInstanceCore",
    ]);
    this.nodeRoleArn = nodeRole.arn;
    this.nodeRoleName = nodeRole.name;

    const nodeGroups: Record<string, ManagedNodeGroup> = {};
    for (const g of groups) {
      nodeGroups[g.name] = new ManagedNodeGroup(this, `NodeGroup${pascal(g.name)}`, {
        clusterName: this.resource.name,
        kubernetesVersion: this.resource.version,
        nodeGroupName: g.name,
        launchTemplateName: fitName(this, "nodeGroups.name", name, `${g.name}-nodes`, "launchTemplateName"),
        nodeRoleArn: nodeRole.arn,
        subnetIds: props.network.privateSubnetIds,
        securityGroupIds: [this.clusterSecurityGroupId, sg.id],
        instanceTypes: [...g.instanceTypes],
        amiType: isArm(g.instanceTypes[0]) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
        capacityType: g.capacityType ?? "ON_DEMAND",
        diskGiB: g.diskGiB ?? 50,
        labels: { ...(g.labels ?? {}) },
        minSize: g.minSize,
        desiredSize: g.desiredSize,
        maxSize: g.maxSize,
        dependsOn: nodeRoleDeps,
      });
    }
    this.nodeGroups = nodeGroups;

    this.partition = partition;
    entries.forEach((e, i) => this.addAccessEntry(e, principalLabel(e.principalArn, i), partition));
  }

  /**
   * Grants an IAM principal access to the cluster after construction (e.g. a deploy role that itself needs the
   * cluster's ARN). `id` names the entry's constructs (AccessEntry<id>, AccessPolicy<id>); keep it stable.
   */
  grantAccess(id: string, spec: AccessEntrySpec): void {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(id)) fail(this, "grantAccess id", id, "expected a PascalCase construct id");
    if (this.usedIds.has(`AccessEntry${id}`)) fail(this, "grantAccess id", id, "expected an id not already used in this cluster");
    this.checkAccessEntries([spec]);
    this.addAccessEntry(spec, id, this.partition);
  }

  /**
   * An IAM role for one Kubernetes service account (IRSA, UP4): only pods running as `namespace/serviceAccount`
   * in this cluster can assume it.
   */
  serviceAccountRole(id: string, props: ServiceAccountRoleProps): Role {
    const at = `serviceAccountRole(${JSON.stringify(id)})`;
    if (this.usedIds.has(id)) fail(this, `${at} id`, id, "expected an id not already used in this cluster");
    this.usedIds.add(id);
    const roleName = matches(this, `${at}.name`, props.name, ROLE_NAME, "an IAM role name: letters, digits and +=,.@_- only");
    if (roleName.length > NAME_LIMITS.iamRoleName) fail(this, `${at}.name`, roleName, `expected at most ${NAME_LIMITS.iamRoleName} characters (got ${roleName.length})`);
    const namespace = kubernetesLabel(this, `${at}.namespace`, props.namespace);
    const serviceAccount = kubernetesLabel(this, `${at}.serviceAccount`, props.serviceAccount);
    if (props.statements !== undefined && (!Array.isArray(props.statements) || props.statements.length === 0)) {
      fail(this, `${at}.statements`, props.statements, "expected at least one statement; a role that may do nothing has no use");
    }
    const role = createRole(this, id, {
      name: roleName,
      description: `IRSA: service account ${namespace}/${serviceAccount} in EKS cluster ${this.name}`,
      assumeRolePolicy: irsaTrustPolicy(this.oidcProviderArn, this.oidcIssuerHost, namespace, serviceAccount),
      statements: props.statements,
    });
    return role;
  }

  private attachManaged(id: string, roleName: string, partition: string, policies: readonly string[]): ITerraformDependable[] {
    return policies.map((policy) =>
      new IamRolePolicyAttachment(this, `${id}${policy.replace(/[^A-Za-z0-9]/g, "")}`, {
        role: roleName,
        policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
      }),
    );
  }

  private addAccessEntry(e: AccessEntrySpec, label: string, partition: string): void {
    this.usedIds.add(`AccessEntry${label}`);
    const entry = new EksAccessEntry(this, `AccessEntry${label}`, {
      clusterName: this.resource.name,
      principalArn: e.principalArn,
      type: "STANDARD",
    });
    new EksAccessPolicyAssociation(this, `AccessPolicy${label}`, {
      clusterName: this.resource.name,
      principalArn: entry.principalArn,
      policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${e.policy}`,
      accessScope: e.namespaces ? { type: "namespace", namespaces: [...e.namespaces] } : { type: "cluster" },
    });
  }

  private checkPublicEndpoint(value: false | { readonly allowedCidrs: readonly string[] }): string[] | undefined {
    if (value === false) return undefined;
    const cidrs = value?.allowedCidrs;
    if (!Array.isArray(cidrs) || cidrs.length === 0) {
      fail(this, "publicEndpoint.allowedCidrs", cidrs, "expected at least one CIDR allowed to reach the public API endpoint; use publicEndpoint: false for a private cluster");
    }
    cidrs.forEach((c, i) => {
      if (isToken(c)) return;
      cidr(this, `publicEndpoint.allowedCidrs[${i}]`, c);
      if (c.endsWith("/0")) fail(this, `publicEndpoint.allowedCidrs[${i}]`, c, "expected specific networks (office, VPN, CI); \"0.0.0.0/0\" opens the Kubernetes API to the internet");
    });
    return [...cidrs];
  }

  private checkLogTypes(types: readonly ControlPlaneLogType[]): readonly ControlPlaneLogType[] {
    if (!Array.isArray(types) || types.length === 0) {
      fail(this, "controlPlaneLogs", types, `expected at least one of ${LOG_TYPES.map((t) => `"${t}"`).join(", ")}; control-plane logging is required (UP3)`);
    }
    types.forEach((t, i) => {
      oneOf(this, `controlPlaneLogs[${i}]`, t, LOG_TYPES);
      if (types.indexOf(t) !== i) fail(this, `controlPlaneLogs[${i}]`, t, "expected each log type once");
    });
    return types;
  }

  private checkNodeGroups(groups: readonly NodeGroupSpec[]): readonly NodeGroupSpec[] {
    if (!Array.isArray(groups) || groups.length === 0) {
      fail(this, "nodeGroups", groups, "expected at least one node group; a cluster without nodes cannot run pods");
    }
    const ids = new Set<string>();
    groups.forEach((g: NodeGroupSpec, i: number) => {
      const at = `nodeGroups[${i}]`;
      dnsLabel(this, `${at}.name`, g.name, 63);
      if (ids.has(pascal(g.name))) fail(this, `${at}.name`, g.name, "expected node group names unique in the cluster");
      ids.add(pascal(g.name));
      nonEmpty(this, `${at}.instanceTypes`, g.instanceTypes);
      g.instanceTypes.forEach((t, j) => {
        instanceType(this, `${at}.instanceTypes[${j}]`, t);
        if (g.instanceTypes.indexOf(t) !== j) fail(this, `${at}.instanceTypes[${j}]`, t, "expected each instance type once");
        if (isArm(t) !== isArm(g.instanceTypes[0])) {
          fail(this, `${at}.instanceTypes[${j}]`, t, `expected the same CPU architecture as "${g.instanceTypes[0]}"; a node group runs one AMI type (all x86_64 or all Graviton)`);
        }
      });
      capacity(this, { min: `${at}.minSize`, desired: `${at}.desiredSize`, max: `${at}.maxSize` }, { min: g.minSize, desired: g.desiredSize, max: g.maxSize });
      if (g.maxSize < 1) fail(this, `${at}.maxSize`, g.maxSize, "expected at least 1");
      oneOf(this, `${at}.capacityType`, g.capacityType ?? "ON_DEMAND", ["ON_DEMAND", "SPOT"]);
      inRange(this, `${at}.diskGiB`, g.diskGiB ?? 50, 20, 16384);
      nodeLabels(this, `${at}.labels`, g.labels ?? {});
    });
    return groups;
  }

  private checkAccessEntries(entries: readonly AccessEntrySpec[]): readonly AccessEntrySpec[] {
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      const at = `accessEntries[${i}]`;
      arn(this, `${at}.principalArn`, e.principalArn, "iam");
      if (!isToken(e.principalArn) && !/:(role|user)\//.test(e.principalArn)) {
        fail(this, `${at}.principalArn`, e.principalArn, "expected an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)");
      }
      if (seen.has(e.principalArn)) fail(this, `${at}.principalArn`, e.principalArn, "expected each principal once; an access entry holds one policy here");
      seen.add(e.principalArn);
      oneOf(this, `${at}.policy`, e.policy, ACCESS_POLICIES);
      if (e.namespaces !== undefined) {
        nonEmpty(this, `${at}.namespaces`, e.namespaces);
        if (e.policy === "AmazonEKSClusterAdminPolicy") {
          fail(this, `${at}.namespaces`, e.namespaces, "expected no namespaces with AmazonEKSClusterAdminPolicy, which is cluster-wide; use AmazonEKSAdminPolicy or AmazonEKSEditPolicy for one namespace");
        }
        e.namespaces.forEach((n, j) => kubernetesLabel(this, `${at}.namespaces[${j}]`, n));
      }
    });
    return entries;
  }
}
