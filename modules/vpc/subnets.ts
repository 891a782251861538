/**
 * Subnet CIDRs carved in TypeScript, so a plan shows literal ranges and a bad network fails at synth.
 * Every AZ has a fixed slot whatever azCount is: 6 slots per tier (the most AZs this module takes), public subnet
 * of AZ i = block i, private subnet of AZ i = block 6 + i. Going from 2 to 3 AZs therefore only adds subnets;
 * no existing subnet is renumbered (and replaced). Blocks are /24 when the network is /20 or larger, otherwise the
 * largest size that still fits 12 blocks, never smaller than /27 (what a load balancer subnet needs).
 */
import { fail, parseCidr, Subject } from "../core";

/** Smallest subnet this module carves: an ALB needs a /27 with 8 free addresses per subnet. */
export const MIN_SUBNET_PREFIX = 27;
/** Preferred subnet size when the network is large enough. */
const PREFERRED_SUBNET_PREFIX = 24;
/** Slots reserved per tier: one per possible AZ. */
export const SLOTS_PER_TIER = 6;
/** 12 blocks (2 tiers x 6 slots) round up to 16: 4 bits of the network. */
const SLOT_BITS = Math.ceil(Math.log2(2 * SLOTS_PER_TIER));
/** Smallest network (largest prefix) that holds 12 blocks of /27. */
export const MAX_NETWORK_PREFIX = MIN_SUBNET_PREFIX - SLOT_BITS;

export interface SubnetPlan {
  readonly subnetPrefix: number;
  readonly publicCidrs: readonly string[];
  readonly privateCidrs: readonly string[];
  /** Isolated database tier, block 12 + i (after both tiers' slots); empty unless asked for. */
  readonly databaseCidrs: readonly string[];
}

/** Database subnets of AZ i sit at block 2 x SLOTS_PER_TIER + i, after every public and private slot. */
const DATABASE_BASE_SLOT = 2 * SLOTS_PER_TIER;

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Splits `network` (already validated as a CIDR) into azCount public and azCount private subnets at fixed slots. */
export function planSubnets(subject: Subject, setting: string, network: string, azCount: number, databaseTier = false): SubnetPlan {
  const parsed = parseCidr(network);
  if (!parsed) return fail(subject, setting, network, "expected an IPv4 network in CIDR form, e.g. \"10.0.0.0/16\"");
  const subnetPrefix = Math.max(PREFERRED_SUBNET_PREFIX, parsed.prefix + SLOT_BITS);
  if (subnetPrefix > MIN_SUBNET_PREFIX) {
    fail(subject, setting, network, `expected room for ${2 * SLOTS_PER_TIER} subnets of at least /${MIN_SUBNET_PREFIX} (${SLOTS_PER_TIER} public + ${SLOTS_PER_TIER} private slots, one per possible AZ, so adding an AZ never renumbers a subnet); use a network of /${MAX_NETWORK_PREFIX} or larger`);
  }
  const size = 2 ** (32 - subnetPrefix);
  const block = (i: number): string => `${intToIpv4(parsed.base + i * size)}/${subnetPrefix}`;
  const blocks = 2 ** (subnetPrefix - parsed.prefix);
  if (databaseTier && DATABASE_BASE_SLOT + azCount > blocks) {
    fail(subject, setting, network, `expected room for ${DATABASE_BASE_SLOT + azCount} subnets of /${subnetPrefix} with the database tier on (${azCount} database subnets after the ${DATABASE_BASE_SLOT} public and private slots); use a larger network or turn databaseSubnets off`);
  }
  return {
    subnetPrefix,
    databaseCidrs: databaseTier ? Array.from({ length: azCount }, (_, i) => block(DATABASE_BASE_SLOT + i)) : [],
    publicCidrs: Array.from({ length: azCount }, (_, i) => block(i)),
    privateCidrs: Array.from({ length: azCount }, (_, i) => block(SLOTS_PER_TIER + i)),
  };
}
