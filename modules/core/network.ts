/** What a module needs to know about the network it is placed in. The `Vpc` module implements it. */
export interface INetwork {
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Subnets for load balancers and NAT gateways. */
  readonly publicSubnetIds: string[];
  /** Subnets for tasks, nodes, databases, caches and brokers (G4). */
  readonly privateSubnetIds: string[];
  /** Availability zones, in subnet order. */
  readonly availabilityZones: string[];
}

/** The naming and safety context a stack hands to every module it builds. */
export interface SystemContext {
  /** `<system>-<env>`: the prefix of every physical name. */
  readonly prefix: string;
  readonly system: string;
  readonly environment: string;
  readonly region: string;
}
