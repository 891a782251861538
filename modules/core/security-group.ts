/**
 * Security-group wiring: the one way modules say "who may talk to whom" (G5).
 *
 * Every module with a security group exposes it as `IConnectable`; a stack writes
 * `allowFrom(database, service, 5432)` and reads like the plan's table of flows. Rules are separate
 * `aws_vpc_security_group_ingress_rule` resources (one rule, one resource), never inline blocks, so adding
 * a flow never rewrites the group.
 */
import { Construct, IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { cidr as checkCidr, port as checkPort } from "./validate";
import { fail } from "./errors";

/** Anything that owns a security group and can be the target or source of a flow. */
export interface IConnectable extends IConstruct {
  readonly securityGroupId: string;
}

/** A port, or an inclusive range of ports. */
export type PortSpec = number | { readonly from: number; readonly to: number };

function portRange(subject: IConstruct, setting: string, spec: PortSpec): { from: number; to: number } {
  if (typeof spec === "number") {
    checkPort(subject, setting, spec);
    return { from: spec, to: spec };
  }
  checkPort(subject, `${setting}.from`, spec.from);
  checkPort(subject, `${setting}.to`, spec.to);
  if (spec.from > spec.to) fail(subject, setting, spec, "expected from <= to");
  return { from: spec.from, to: spec.to };
}

/** A construct's path below its stack, without separators: stable across environments. */
function pathInStack(c: IConstruct): string {
  const stack = TerraformStack.of(c);
  const parts = c.node.scopes.slice(stack.node.scopes.length).map((s) => s.node.id);
  return parts.join("").replace(/[^A-Za-z0-9]/g, "");
}

function portLabel(p: { from: number; to: number }): string {
  return p.from === p.to ? `${p.from}` : `${p.from}to${p.to}`;
}

/** The rules allowFrom made, per target and rule id. */
const ALLOWED = new WeakMap<IConnectable, Map<string, VpcSecurityGroupIngressRule>>();

/** Lets `source` reach `target` on `port` (TCP). Returns the rule. */
export function allowFrom(target: IConnectable, source: IConnectable, port: PortSpec, description?: string): VpcSecurityGroupIngressRule {
  const p = portRange(target, "port", port);
  const id = `From${pathInStack(source)}Port${portLabel(p)}`;
  // Allowing the same flow twice is the same flow: return the rule that already says so.
  const rules = ALLOWED.get(target) ?? new Map<string, VpcSecurityGroupIngressRule>();
  ALLOWED.set(target, rules);
  const existing = rules.get(id);
  if (existing) return existing;
  const rule = new VpcSecurityGroupIngressRule(target, id, {
    securityGroupId: target.securityGroupId,
    referencedSecurityGroupId: source.securityGroupId,
    ipProtocol: "tcp",
    fromPort: p.from,
    toPort: p.to,
    description: description ?? `from ${source.node.id} on ${portLabel(p)}`,
  });
  rules.set(id, rule);
  return rule;
}

/** Lets a CIDR block reach `target` on `port` (TCP): the internet for a load balancer, the VPC for a cluster bus. */
export function allowCidr(target: IConnectable, cidrBlock: string, port: PortSpec, description: string): VpcSecurityGroupIngressRule {
  const p = portRange(target, "port", port);
  if (!cidrBlock.includes("${")) checkCidr(target, "cidr", cidrBlock);
  const label = cidrBlock.includes("${") ? "Network" : cidrBlock === "0.0.0.0/0" ? "Anywhere" : cidrBlock.replace(/[^0-9]/g, "x");
  return new VpcSecurityGroupIngressRule(target, `From${label}Port${portLabel(p)}`, {
    securityGroupId: target.securityGroupId,
    cidrIpv4: cidrBlock,
    ipProtocol: "tcp",
    fromPort: p.from,
    toPort: p.to,
    description,
  });
}

/** Lets members of one security group reach each other on `port` (brokers, cluster buses). */
export function allowSelf(target: IConnectable, port: PortSpec, description: string): VpcSecurityGroupIngressRule {
  const p = portRange(target, "port", port);
  return new VpcSecurityGroupIngressRule(target, `FromSelfPort${portLabel(p)}`, {
    securityGroupId: target.securityGroupId,
    referencedSecurityGroupId: target.securityGroupId,
    ipProtocol: "tcp",
    fromPort: p.from,
    toPort: p.to,
    description,
  });
}

/** One destination outside the VPC a workload may reach (TCP), with why: a documented, settable exception. */
export interface OutsideDestination {
  readonly cidr: string;
  readonly port: PortSpec;
  readonly description: string;
  /**
   * Only the workloads under these top-level constructs of the stack (e.g. "Cluster" for the ECS instances that pull
   * task images) get the rule. @default every workload of the stack
   */
  readonly appliesTo?: readonly string[];
}

/**
 * Where workloads of a stack may connect (issue 10 item 2), instead of all protocols to 0.0.0.0/0: TCP 443 to the
 * interface endpoints' security group and to the S3 gateway endpoint's prefix list, the listed TCP ports inside
 * the VPC (data stores, sibling services), and the listed outside destinations. DNS (the VPC resolver) and the
 * instance metadata service are link-local and need no rule.
 */
export interface WorkloadEgress {
  readonly vpcCidr: string;
  /** Security group of the VPC's interface endpoints: HTTPS to AWS APIs without NAT. */
  readonly endpointsSecurityGroupId?: string;
  /** `prefix_list_id` of the S3 gateway endpoint: HTTPS to S3 (images layers, buckets) without NAT. */
  readonly s3PrefixListId?: string;
  /** TCP ports inside the VPC: the data stores' and the services' ports. */
  readonly vpcPorts: readonly PortSpec[];
  /** Outside destinations, each with its reason. */
  readonly outside: readonly OutsideDestination[];
}

const WORKLOAD_EGRESS = new WeakMap<TerraformStack, WorkloadEgress>();

/**
 * Narrows egress of every workload security group (egress "all") created in `scope`'s stack from now on to `spec`.
 * A stack calls it right after building its network, before any workload.
 */
export function setWorkloadEgress(scope: IConstruct, spec: WorkloadEgress): void {
  if (!spec.vpcCidr.includes("${")) checkCidr(scope, "egress.vpcCidr", spec.vpcCidr);
  spec.vpcPorts.forEach((p, i) => portRange(scope, `egress.vpcPorts[${i}]`, p));
  spec.outside.forEach((d, i) => {
    checkCidr(scope, `egress.outside[${i}].cidr`, d.cidr);
    portRange(scope, `egress.outside[${i}].port`, d.port);
    if (!d.description.trim()) fail(scope, `egress.outside[${i}].description`, d.description, "expected a reason for the destination");
  });
  WORKLOAD_EGRESS.set(TerraformStack.of(scope), spec);
}

/** The workload egress set for `scope`'s stack, if any. */
export function workloadEgress(scope: IConstruct): WorkloadEgress | undefined {
  return WORKLOAD_EGRESS.get(TerraformStack.of(scope));
}

function cidrLabel(cidrBlock: string): string {
  return cidrBlock === "0.0.0.0/0" ? "Anywhere" : cidrBlock.replace(/[^0-9]/g, "x");
}

function addWorkloadEgress(scope: Construct, id: string, groupId: string, spec: WorkloadEgress): void {
  const tcp = (suffix: string, p: { from: number; to: number }, target: { cidrIpv4?: string; referencedSecurityGroupId?: string; prefixListId?: string }, description: string) =>
    new VpcSecurityGroupEgressRule(scope, `${id}Egress${suffix}Port${portLabel(p)}`, { securityGroupId: groupId, ipProtocol: "tcp", fromPort: p.from, toPort: p.to, ...target, description });
  const https = { from: 443, to: 443 };
  if (spec.endpointsSecurityGroupId) tcp("Endpoints", https, { referencedSecurityGroupId: spec.endpointsSecurityGroupId }, "HTTPS to AWS APIs through the VPC's interface endpoints");
  if (spec.s3PrefixListId) tcp("S3", https, { prefixListId: spec.s3PrefixListId }, "HTTPS to S3 through the gateway endpoint");
  const seen = new Set<string>();
  for (const port of spec.vpcPorts) {
    const p = portRange(scope, "egress.vpcPorts", port);
    if (seen.has(portLabel(p))) continue;
    seen.add(portLabel(p));
    tcp("Vpc", p, { cidrIpv4: spec.vpcCidr }, `TCP ${portLabel(p)} inside the VPC (data stores, services)`);
  }
  const top = scope.node.scopes[TerraformStack.of(scope).node.scopes.length]?.node.id;
  for (const d of spec.outside.filter((o) => !o.appliesTo || (top !== undefined && o.appliesTo.includes(top)))) tcp(cidrLabel(d.cidr), portRange(scope, "egress.outside.port", d.port), { cidrIpv4: d.cidr }, d.description);
}

export interface SecurityGroupProps {
  readonly name: string;
  readonly description: string;
  readonly vpcId: string;
  /**
   * Outbound traffic. "all": a workload (tasks, nodes, instances that call AWS APIs and the internet): what the
   * stack's {@link setWorkloadEgress} allows, or all outbound when the stack set none;
   * "vpc": only inside the VPC; "none": no egress (data stores answer, they never call out).
   */
  readonly egress: "all" | "vpc" | "none";
  /** Required when egress is "vpc". */
  readonly vpcCidr?: string;
}

/** A security group with no inline rules; flows are added with allowFrom / allowCidr / allowSelf. */
export function createSecurityGroup(scope: Construct, id: string, props: SecurityGroupProps): SecurityGroup {
  const sg = new SecurityGroup(scope, id, {
    name: props.name,
    description: props.description,
    vpcId: props.vpcId,
    revokeRulesOnDelete: true,
    lifecycle: { createBeforeDestroy: true },
  });
  const narrowed = props.egress === "all" ? workloadEgress(scope) : undefined;
  if (narrowed) {
    addWorkloadEgress(scope, id, sg.id, narrowed);
  } else if (props.egress === "all") {
    new VpcSecurityGroupEgressRule(scope, `${id}EgressAll`, {
      securityGroupId: sg.id,
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
      description: "outbound to AWS APIs and the internet (through NAT in private subnets)",
    });
  } else if (props.egress === "vpc") {
    if (!props.vpcCidr) fail(scope, "vpcCidr", props.vpcCidr, "required when egress is \"vpc\"");
    new VpcSecurityGroupEgressRule(scope, `${id}EgressVpc`, {
      securityGroupId: sg.id,
      ipProtocol: "-1",
      cidrIpv4: props.vpcCidr,
      description: "outbound inside the VPC only",
    });
  }
  return sg;
}
