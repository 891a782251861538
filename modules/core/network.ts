/** What a module needs to know about the network it is placed in. The `Vpc` module implements it. */
export interface INetwork {
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Subnets for load balancers and NAT gateways. */
  readonly publicSubnetIds: string[];
  /** Subnets for tasks, nodes, databases, caches and brokers (G4). */
  readonly privateSubnetIds: string[];
  /**
   * Isolated subnets (no route to a NAT or internet gateway) for databases, caches and brokers, in AZ order; absent
   * or empty when the network has no such tier, and data stores then use privateSubnetIds.
   */
  readonly databaseSubnetIds?: string[];
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

/** Where a database, cache or broker goes: the isolated database tier when the network has one, else the private subnets. */
export function dataSubnetIds(network: INetwork): string[] {
  return network.databaseSubnetIds && network.databaseSubnetIds.length > 0 ? network.databaseSubnetIds : network.privateSubnetIds;
}
