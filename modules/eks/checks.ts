/** Input checks specific to EKS: Kubernetes versions, instance types, Kubernetes names and labels. */
import { fail, Subject } from "../core";

/** The oldest Kubernetes minor version in EKS standard support; older ones bill extended support. */
export const MIN_KUBERNETES_MINOR = 30;

export function kubernetesVersion(subject: Subject, setting: string, value: string): string {
  const m = typeof value === "string" ? /^1\.(\d{1,2})$/.exec(value) : null;
  if (!m) fail(subject, setting, value, `expected a Kubernetes minor version such as "1.33"`);
  if (Number(m[1]) < MIN_KUBERNETES_MINOR) {
    fail(subject, setting, value, `expected 1.${MIN_KUBERNETES_MINOR} or newer; older versions are out of EKS standard support`);
  }
  return value;
}

/** EC2 instance type shape: family + generation (+ attributes), a dot, a size. */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;

export function instanceType(subject: Subject, setting: string, value: string): string {
  if (typeof value !== "string" || !INSTANCE_TYPE.test(value)) {
    fail(subject, setting, value, `expected an EC2 instance type such as "t3.medium" or "m7g.large"`);
  }
  return value;
}

/** Graviton (arm64) families carry a "g" among the attributes after the generation: m7g, c6gn, t4g, r8gd. */
export function isArm(instance: string): boolean {
  return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(instance);
}

/** A Kubernetes DNS-1123 label: namespaces and service-account names. */
export function kubernetesLabel(subject: Subject, setting: string, value: string): string {
  if (typeof value !== "string" || value.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
    fail(subject, setting, value, "expected a Kubernetes DNS-1123 label: 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit");
  }
  return value;
}

const LABEL_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

/** Kubernetes node labels: `[prefix/]name` keys and values of at most 63 characters. */
export function nodeLabels(subject: Subject, setting: string, labels: Readonly<Record<string, string>>): Record<string, string> {
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((prefix !== undefined && !LABEL_PREFIX.test(prefix)) || !LABEL_NAME.test(name)) {
      fail(subject, `${setting}.key`, key, "expected a Kubernetes label key: an optional DNS prefix and \"/\", then 1-63 letters, digits, \".\", \"_\" or \"-\"");
    }
    if (typeof value !== "string" || !LABEL_VALUE.test(value)) {
      fail(subject, `${setting}[${JSON.stringify(key)}]`, value, "expected a Kubernetes label value: at most 63 letters, digits, \".\", \"_\" or \"-\", starting and ending with a letter or digit");
    }
  }
  return { ...labels };
}

export const TAINT_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];
export interface NodeTaint {
  /** A Kubernetes label key, e.g. "dedicated" or "example.com/gpu". */
  readonly key: string;
  /** @default "" (no value) */
  readonly value?: string;
  readonly effect: TaintEffect;
}

/** Node-group taints: label-shaped keys and values, an EKS effect, each key/effect once, at most 50 (EKS's limit). */
export function nodeTaints(subject: Subject, setting: string, taints: readonly NodeTaint[]): NodeTaint[] {
  if (!Array.isArray(taints)) fail(subject, setting, taints, "expected a list of { key, value?, effect }");
  if (taints.length > 50) fail(subject, setting, taints.length, "expected at most 50 taints per node group (the EKS limit)");
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    nodeLabels(subject, `${setting}[${i}]`, { [t.key]: t.value ?? "" });
    if (!(TAINT_EFFECTS as readonly string[]).includes(t.effect)) fail(subject, `${setting}[${i}].effect`, t.effect, `expected one of ${TAINT_EFFECTS.join(", ")}`);
    const id = `${t.key}:${t.effect}`;
    if (seen.has(id)) fail(subject, `${setting}[${i}]`, id, "expected each key and effect once");
    seen.add(id);
  });
  return [...taints];
}

/** "spot-workers" -> "SpotWorkers": construct ids from user-chosen names. */
export function pascal(name: string): string {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("");
}
