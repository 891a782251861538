/**
 * Subnet CIDRs carved in TypeScript, so a plan shows literal ranges and a bad network fails at synth.
 * Public subnets take the first `azCount` blocks, private subnets the next `azCount`; blocks are /24 when the
 * network has room for them, smaller otherwise, never smaller than /27 (what a load balancer subnet needs).
 */
import { fail, parseCidr, Subject } from "../core";

/** Smallest subnet this module carves: an ALB needs a /27 with 8 free addresses per subnet. */
export const MIN_SUBNET_PREFIX = 27;
/** Preferred subnet size when the network is large enough. */
const PREFERRED_SUBNET_PREFIX = 24;

export interface SubnetPlan {
  readonly subnetPrefix: number;
  readonly publicCidrs: readonly string[];
  readonly privateCidrs: readonly string[];
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Splits `network` (already validated as a CIDR) into azCount public and azCount private subnets. */
export function planSubnets(subject: Subject, setting: string, network: string, azCount: number): SubnetPlan {
  const parsed = parseCidr(network);
  if (!parsed) return fail(subject, setting, network, "expected an IPv4 network in CIDR form, e.g. \"10.0.0.0/16\"");
  const needed = 2 * azCount;
  const bitsForCount = Math.ceil(Math.log2(needed));
  const subnetPrefix = Math.max(PREFERRED_SUBNET_PREFIX, parsed.prefix) - parsed.prefix >= bitsForCount
    ? Math.max(PREFERRED_SUBNET_PREFIX, parsed.prefix)
    : parsed.prefix + bitsForCount;
  if (subnetPrefix > MIN_SUBNET_PREFIX) {
    fail(subject, setting, network, `expected room for ${needed} subnets (${azCount} public + ${azCount} private) of at least /${MIN_SUBNET_PREFIX}; use a network of /${MIN_SUBNET_PREFIX - bitsForCount} or larger, or fewer AZs`);
  }
  const size = 2 ** (32 - subnetPrefix);
  const block = (i: number): string => `${intToIpv4(parsed.base + i * size)}/${subnetPrefix}`;
  return {
    subnetPrefix,
    publicCidrs: Array.from({ length: azCount }, (_, i) => block(i)),
    privateCidrs: Array.from({ length: azCount }, (_, i) => block(azCount + i)),
  };
}
