/** The networks module tests build on: VPC ids and subnets as a vpc module would hand them over (no VPC is created). */
import type { INetwork } from "../../modules/core";

/** Two AZs, one public and one private subnet in each. */
export const twoAzNetwork: INetwork = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
};

/** Three AZs, one public and one private subnet in each. */
export const threeAzNetwork: INetwork = {
  vpcId: "vpc-123",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
  privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};

/** `network` with an isolated database tier: one `subnet-db-<a|b|c>` per AZ. */
export function withDatabaseTier(network: INetwork): INetwork {
  return { ...network, databaseSubnetIds: network.availabilityZones.map((_, i) => `subnet-db-${"abcdef"[i]}`) };
}
