/**
 * EKS managed add-ons: the five every cluster here runs (vpc-cni, coredns, kube-proxy, aws-ebs-csi-driver,
 * eks-pod-identity-agent), at versions pinned per Kubernetes minor version and overridable one by one.
 */
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { fail, isToken, Subject } from "../core";

export const ADDON_NAMES = ["vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver", "eks-pod-identity-agent"] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

/**
 * The pinned add-on versions per Kubernetes minor version (what `aws eks describe-addon-versions` lists as
 * compatible; kube-proxy and coredns follow the minor version, the other three run on all of them). A version
 * missing here must be given in `addons.versions`.
 */
export const ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<AddonName, string>>>> = {
  "1.30": { "vpc-cni": "v1.19.5-eksbuild.1", coredns: "v1.11.4-eksbuild.2", "kube-proxy": "v1.30.9-eksbuild.3", "aws-ebs-csi-driver": "v1.44.0-eksbuild.1", "eks-pod-identity-agent": "v1.3.7-eksbuild.2" },
  "1.31": { "vpc-cni": "v1.19.5-eksbuild.1", coredns: "v1.11.4-eksbuild.2", "kube-proxy": "v1.31.3-eksbuild.2", "aws-ebs-csi-driver": "v1.44.0-eksbuild.1", "eks-pod-identity-agent": "v1.3.7-eksbuild.2" },
  "1.32": { "vpc-cni": "v1.19.5-eksbuild.1", coredns: "v1.11.4-eksbuild.2", "kube-proxy": "v1.32.0-eksbuild.2", "aws-ebs-csi-driver": "v1.44.0-eksbuild.1", "eks-pod-identity-agent": "v1.3.7-eksbuild.2" },
  "1.33": { "vpc-cni": "v1.19.5-eksbuild.1", coredns: "v1.12.1-eksbuild.2", "kube-proxy": "v1.33.0-eksbuild.2", "aws-ebs-csi-driver": "v1.44.0-eksbuild.1", "eks-pod-identity-agent": "v1.3.7-eksbuild.2" },
};

export interface EksAddonsSpec {
  /** Add-on versions that replace the pinned ones, e.g. `{ coredns: "v1.12.2-eksbuild.4" }`. @default the ADDON_VERSIONS row of the cluster's Kubernetes version */
  readonly versions?: Readonly<Partial<Record<AddonName, string>>>;
}

const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** The version of every add-on: the pinned row, overridden by `versions`; refuses unknown names and odd versions. */
export function addonVersions(subject: Subject, kubernetesVersion: string, spec: EksAddonsSpec): Record<AddonName, string> {
  const given = spec.versions ?? {};
  if (typeof given !== "object" || given === null || Array.isArray(given)) fail(subject, "addons.versions", given, "expected a map of add-on name to version");
  for (const [name, version] of Object.entries(given)) {
    if (!(ADDON_NAMES as readonly string[]).includes(name)) fail(subject, `addons.versions.${name}`, version, `expected one of the managed add-ons: ${ADDON_NAMES.join(", ")}`);
    if (!isToken(version) && (typeof version !== "string" || !ADDON_VERSION.test(version))) {
      fail(subject, `addons.versions.${name}`, version, "expected an EKS add-on version such as \"v1.19.5-eksbuild.1\"");
    }
  }
  const pinned = ADDON_VERSIONS[kubernetesVersion];
  const out = {} as Record<AddonName, string>;
  for (const name of ADDON_NAMES) {
    const version = (given as Partial<Record<AddonName, string>>)[name] ?? pinned?.[name];
    if (version === undefined) {
      fail(subject, `addons.versions.${name}`, version, `expected a version: Kubernetes ${kubernetesVersion} has no pinned add-on versions (pinned: ${Object.keys(ADDON_VERSIONS).join(", ")})`);
    }
    out[name] = version;
  }
  return out;
}

export interface CreateAddonsProps {
  readonly clusterName: string;
  readonly versions: Record<AddonName, string>;
  /** IRSA role of the EBS CSI controller (kube-system/ebs-csi-controller-sa). */
  readonly ebsCsiRoleArn: string;
  /** The node groups: coredns and the EBS CSI controller are Deployments and need nodes to become ACTIVE. */
  readonly nodeGroups: ITerraformDependable[];
}

/** One aws_eks_addon per add-on (construct ids Addon<Name>); conflicts with self-managed copies are overwritten. */
export function createAddons(scope: Construct, props: CreateAddonsProps): Record<AddonName, EksAddon> {
  const out = {} as Record<AddonName, EksAddon>;
  for (const name of ADDON_NAMES) {
    const needsNodes = name === "coredns" || name === "aws-ebs-csi-driver";
    out[name] = new EksAddon(scope, `Addon${name.split("-").map((p) => p[0].toUpperCase() + p.slice(1)).join("")}`, {
      clusterName: props.clusterName,
      addonName: name,
      addonVersion: props.versions[name],
      // EKS bootstraps vpc-cni, coredns and kube-proxy itself; the managed add-on takes them over.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      ...(name === "aws-ebs-csi-driver" ? { serviceAccountRoleArn: props.ebsCsiRoleArn } : {}),
      ...(needsNodes ? { dependsOn: props.nodeGroups } : {}),
    });
  }
  return out;
}
