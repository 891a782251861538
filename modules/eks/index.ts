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
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import {
  arn, createRole, createSecurityGroup, fail, fitName, IConnectable, INetwork, logRetentionDays, matches, NAME_LIMITS, nonEmpty,
  PolicyStatement, Role, serviceTrustPolicy,
} from "../core";
import { isArm, kubernetesVersion, NodeTaint, pascal } from "./checks";
import { irsaTrustPolicy, principalLabel } from "./irsa";
import { ManagedNodeGroup } from "./node-group";
import { addonVersions, AddonName, createAddons, EksAddonsSpec } from "./addons";
import { loadBalancerControllerStatements } from "./lb-controller";
import { podIdentityTrustPolicy } from "./pod-identity";
import { checkAccessEntries, checkLoadBalancerController, checkLogTypes, checkNodeGroups, checkPublicEndpoint, checkRoleProps, LOG_TYPES } from "./props";

export { ADDON_NAMES, ADDON_VERSIONS } from "./addons";
export type { AddonName, EksAddonsSpec } from "./addons";
export type { NodeTaint, TaintEffect } from "./checks";
export { loadBalancerControllerStatements } from "./lb-controller";

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
  /** Kubernetes taints on every node (only pods that tolerate them are scheduled there). @default [] */
  readonly taints?: readonly NodeTaint[];
}

export interface LoadBalancerControllerSpec {
  /** How the controller's pods get the role: IRSA (the controller's documented setup) or EKS Pod Identity. @default "irsa" */
  readonly identity?: "irsa" | "podIdentity";
  /** @default "kube-system" */
  readonly namespace?: string;
  /** @default "aws-load-balancer-controller" */
  readonly serviceAccount?: string;
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
  /**
   * The managed add-ons vpc-cni, coredns, kube-proxy, aws-ebs-csi-driver (with its own IRSA role) and
   * eks-pod-identity-agent, always installed. @default the ADDON_VERSIONS row of kubernetesVersion
   */
  readonly addons?: EksAddonsSpec;
  /**
   * An IAM role for the AWS Load Balancer Controller (the controller's documented policy, scoped to this region
   * and account), so Ingress objects get an ALB. @default { identity: "irsa", namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" }
   */
  readonly loadBalancerController?: LoadBalancerControllerSpec;
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

/** A Pod Identity role takes the same props as an IRSA role; the association binds it to the service account. */
export type PodIdentityRoleProps = ServiceAccountRoleProps;

const DEFAULT_NODE_GROUP: NodeGroupSpec = { name: "default", instanceTypes: ["t3.medium"], minSize: 1, desiredSize: 2, maxSize: 3 };
const CLUSTER_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
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
  /** The managed add-ons by name (aws_eks_addon). */
  readonly addons: Readonly<Record<AddonName, EksAddon>>;
  /** IRSA role of the EBS CSI controller. */
  readonly ebsCsiRoleArn: string;
  /** The AWS Load Balancer Controller's role (a grantee); give its ARN to the controller's Helm chart. */
  readonly loadBalancerControllerRole: Role;
  private readonly partition: string;
  private readonly account: string;
  private readonly name: string;
  /** Construct ids taken by access entries and service-account roles added through methods. */
  private readonly usedIds = new Set<string>();

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const name = matches(this, "name", props.name, CLUSTER_NAME, "letters, digits, \"-\" and \"_\", starting with a letter");
    if (name.length > NAME_LIMITS.eksClusterName) fail(this, "name", name, `expected at most ${NAME_LIMITS.eksClusterName} characters, the eksClusterName limit (got ${name.length})`);
    this.name = name;
    const version = kubernetesVersion(this, "kubernetesVersion", props.kubernetesVersion ?? "1.33");
    const publicCidrs = checkPublicEndpoint(this, props.publicEndpoint ?? false);
    const logTypes = checkLogTypes(this, props.controlPlaneLogs ?? LOG_TYPES);
    const retentionDays = logRetentionDays(this, "logRetentionDays", props.logRetentionDays ?? 30);
    if (props.logKmsKeyArn !== undefined) arn(this, "logKmsKeyArn", props.logKmsKeyArn, "kms");
    if (props.secretsKmsKeyArn !== undefined) arn(this, "secretsKmsKeyArn", props.secretsKmsKeyArn, "kms");
    const groups = checkNodeGroups(this, props.nodeGroups ?? [DEFAULT_NODE_GROUP]);
    const entries = checkAccessEntries(this, props.accessEntries ?? []);
    const versions = addonVersions(this, version, props.addons ?? {});
    const lbc = checkLoadBalancerController(this, props.loadBalancerController ?? {});
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
        taints: g.taints ?? [],
        minSize: g.minSize,
        desiredSize: g.desiredSize,
        maxSize: g.maxSize,
        dependsOn: nodeRoleDeps,
      });
    }
    this.nodeGroups = nodeGroups;

    this.partition = partition;
    this.account = new DataAwsCallerIdentity(this, "Account").accountId;
    entries.forEach((e, i) => this.addAccessEntry(e, principalLabel(e.principalArn, i), partition));

    // The EBS CSI controller's own role (IRSA), with the AWS-managed policy the driver documents.
    const ebsCsi = createRole(this, "EbsCsiRole", {
      name: fitName(this, "name", name, "ebs-csi", "iamRoleName"),
      description: `IRSA: the EBS CSI controller (kube-system/ebs-csi-controller-sa) in EKS cluster ${name}`,
      assumeRolePolicy: irsaTrustPolicy(this.oidcProviderArn, this.oidcIssuerHost, "kube-system", "ebs-csi-controller-sa"),
      managedPolicyArns: [`arn:${partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`],
    });
    this.ebsCsiRoleArn = ebsCsi.arn;
    this.addons = createAddons(this, {
      clusterName: this.resource.name,
      versions,
      ebsCsiRoleArn: ebsCsi.arn,
      nodeGroups: Object.values(nodeGroups).map((g) => g.resource),
    });

    const region = new DataAwsRegion(this, "Region").name;
    const lbcProps = { name: fitName(this, "name", name, "lb-controller", "iamRoleName"), namespace: lbc.namespace, serviceAccount: lbc.serviceAccount, statements: loadBalancerControllerStatements({ partition, region, account: this.account }) };
    this.loadBalancerControllerRole = lbc.identity === "irsa" ? this.serviceAccountRole("LoadBalancerControllerRole", lbcProps) : this.podIdentityRole("LoadBalancerControllerRole", lbcProps);
  }

  /**
   * An IAM role for one Kubernetes service account through EKS Pod Identity (beside IRSA): trusted by
   * pods.eks.amazonaws.com from this account and cluster, bound by an aws_eks_pod_identity_association (construct
   * `<id>Association`). No annotation needed; the eks-pod-identity-agent add-on serves the credentials.
   */
  podIdentityRole(id: string, props: PodIdentityRoleProps): Role {
    const at = `podIdentityRole(${JSON.stringify(id)})`;
    const { roleName, namespace, serviceAccount } = checkRoleProps(this, this.usedIds, at, id, props);
    const role = createRole(this, id, {
      name: roleName,
      description: `Pod Identity: service account ${namespace}/${serviceAccount} in EKS cluster ${this.name}`,
      assumeRolePolicy: podIdentityTrustPolicy(this.account, this.clusterArn),
      statements: props.statements,
    });
    new EksPodIdentityAssociation(this, `${id}Association`, {
      clusterName: this.resource.name,
      namespace,
      serviceAccount,
      roleArn: role.arn,
      // The agent must run before a pod can use the association.
      dependsOn: [this.addons["eks-pod-identity-agent"]],
    });
    return role;
  }

  /**
   * Grants an IAM principal access to the cluster after construction (e.g. a deploy role that itself needs the
   * cluster's ARN). `id` names the entry's constructs (AccessEntry<id>, AccessPolicy<id>); keep it stable.
   */
  grantAccess(id: string, spec: AccessEntrySpec): void {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(id)) fail(this, "grantAccess id", id, "expected a PascalCase construct id");
    if (this.usedIds.has(`AccessEntry${id}`)) fail(this, "grantAccess id", id, "expected an id not already used in this cluster");
    checkAccessEntries(this, [spec]);
    this.addAccessEntry(spec, id, this.partition);
  }

  /**
   * An IAM role for one Kubernetes service account (IRSA, UP4): only pods running as `namespace/serviceAccount`
   * in this cluster can assume it.
   */
  serviceAccountRole(id: string, props: ServiceAccountRoleProps): Role {
    const { roleName, namespace, serviceAccount } = checkRoleProps(this, this.usedIds, `serviceAccountRole(${JSON.stringify(id)})`, id, props);
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
}
