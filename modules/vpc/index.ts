/**
 * The network of one system in one environment (G4): public subnets for load balancers and NAT, private subnets
 * for everything else, in 2-6 AZs. Secure by default: no public IPs on launch, the default security group
 * emptied, flow logs on, S3 reached through a free gateway endpoint. Optionally an isolated database tier.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { arn, cidr, dnsLabel, fail, INetwork, inRange, isToken, logRetentionDays, matches, oneOf } from "../core";
import { MAX_NETWORK_PREFIX, planSubnets, SLOTS_PER_TIER } from "./subnets";
import { checkInterfaceEndpoints, InterfaceEndpoints } from "./endpoints";
import { FlowLogs } from "./flow-logs";

export type NatGateways = "none" | "single" | "perAz";

export interface VpcProps {
  /** Base name of every resource, e.g. "alerting-platform-dev". */
  readonly name: string;
  /** IPv4 network, /16 to /23 (room for 12 subnet slots of at least /27), e.g. "10.0.0.0/16". */
  readonly cidr: string;
  /** Availability zones, 2-6; one public and one private subnet in each. @default 2, or the number of availabilityZones given */
  readonly azCount?: number;
  /** NAT for the private subnets: "none" (no internet egress), "single" (one, cheapest) or "perAz" (survives an AZ loss). @default "single" */
  readonly natGateways?: NatGateways;
  /** Explicit AZ names, exactly azCount of them. @default the first azCount available AZs of the region */
  readonly availabilityZones?: string[];
  /** Flow logs to a CloudWatch log group; false turns them off (loses the traffic audit). @default { retentionDays: 30 } */
  readonly flowLogs?: false | { readonly retentionDays: number; readonly kmsKeyArn?: string };
  /**
   * An isolated database tier: one subnet per AZ on a route table with no default route (no NAT, no internet
   * gateway; only the VPC-local route and the S3 gateway endpoint). Databases, caches and brokers placed through
   * `dataSubnetIds(network)` land there. @default false
   */
  readonly databaseSubnets?: boolean;
  /** Interface endpoints in the private subnets ("ecr.api", "ecr.dkr", "logs", "sts", ...), HTTPS from the VPC only. @default [] */
  readonly interfaceEndpoints?: readonly string[];
}

const AZ_LETTERS = ["A", "B", "C", "D", "E", "F"] as const;
// Each possible AZ has a fixed subnet slot per tier (see subnets.ts).
const MAX_AZ_COUNT: number = Math.min(AZ_LETTERS.length, SLOTS_PER_TIER);

export class Vpc extends Construct implements INetwork {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  /** The isolated database tier's subnets; empty unless databaseSubnets is on. */
  readonly databaseSubnetIds: string[];
  /** Route tables, for transit gateway or VPN routes: the public one, the private one(s) (one per AZ with perAz NAT), the isolated one. */
  readonly publicRouteTableIds: string[];
  readonly privateRouteTableIds: string[];
  readonly databaseRouteTableIds: string[];
  readonly availabilityZones: string[];
  readonly natGatewayIds: string[];
  /** The S3 gateway endpoint's prefix list, for HTTPS egress rules to S3 without a CIDR. */
  readonly s3PrefixListId: string;
  /** The security group of the interface endpoints; undefined when the VPC has none. */
  readonly interfaceEndpointsSecurityGroupId?: string;
  readonly resource: VpcResource;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const name = dnsLabel(this, "name", props.name, 100);
    cidr(this, "cidr", props.cidr, 16, MAX_NETWORK_PREFIX);
    const azCount = inRange(this, "azCount", props.azCount ?? props.availabilityZones?.length ?? 2, 2, MAX_AZ_COUNT);
    const nat = oneOf<NatGateways>(this, "natGateways", props.natGateways ?? "single", ["none", "single", "perAz"]);
    const databaseTier = props.databaseSubnets ?? false;
    if (typeof databaseTier !== "boolean") fail(this, "databaseSubnets", databaseTier, "expected true or false");
    const plan = planSubnets(this, "cidr", props.cidr, azCount, databaseTier);
    if (props.availabilityZones) this.checkZones(props.availabilityZones, azCount);
    const flowLogs = props.flowLogs === false ? undefined : (props.flowLogs ?? { retentionDays: 30 });
    if (flowLogs) {
      logRetentionDays(this, "flowLogs.retentionDays", flowLogs.retentionDays);
      if (flowLogs.kmsKeyArn !== undefined) arn(this, "flowLogs.kmsKeyArn", flowLogs.kmsKeyArn, "kms");
    }
    const endpointServices = props.interfaceEndpoints ?? [];
    checkInterfaceEndpoints(this, endpointServices);

    const region = new DataAwsRegion(this, "Region");
    const zones = props.availabilityZones
      ? [...props.availabilityZones]
      : this.lookUpZones(azCount, region.name);

    this.resource = new VpcResource(this, "Vpc", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: name },
    });
    this.vpcId = this.resource.id;
    this.vpcCidr = props.cidr;
    this.availabilityZones = zones;

    // The default security group is what an ENI gets when nobody chooses one: make it allow nothing.
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", {
      vpcId: this.vpcId,
      ingress: [],
      egress: [],
      tags: { Name: `${name}-default-deny-all` },
    });

    const igw = new InternetGateway(this, "InternetGateway", { vpcId: this.vpcId, tags: { Name: name } });
    const publicRouteTable = new RouteTable(this, "PublicRouteTable", { vpcId: this.vpcId, tags: { Name: `${name}-public` } });
    new Route(this, "PublicDefaultRoute", { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });

    const publicSubnets = zones.map((zone, i) => {
      const letter = AZ_LETTERS[i];
      const subnet = new Subnet(this, `PublicSubnet${letter}`, {
        vpcId: this.vpcId,
        cidrBlock: plan.publicCidrs[i],
        availabilityZone: zone,
        // Load balancers and NAT gateways get their own addresses; nothing else should be reachable.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-${letter.toLowerCase()}`, Tier: "public", "kubernetes.io/role/elb": "1" },
      });
      new RouteTableAssociation(this, `PublicSubnet${letter}RouteTable`, { subnetId: subnet.id, routeTableId: publicRouteTable.id });
      return subnet;
    });
    this.publicSubnetIds = publicSubnets.map((s) => s.id);

    const natCount = nat === "none" ? 0 : nat === "single" ? 1 : azCount;
    const natGateways = publicSubnets.slice(0, natCount).map((subnet, i) => {
      const letter = AZ_LETTERS[i];
      const eip = new Eip(this, `NatEip${letter}`, { domain: "vpc", tags: { Name: `${name}-nat-${letter.toLowerCase()}` } });
      return new NatGateway(this, `NatGateway${letter}`, {
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        connectivityType: "public",
        tags: { Name: `${name}-nat-${letter.toLowerCase()}` },
        dependsOn: [igw],
      });
    });
    this.natGatewayIds = natGateways.map((n) => n.id);

    // One private route table per AZ when each AZ has its own NAT gateway; one shared table otherwise.
    const privateRouteTables = nat === "perAz"
      ? zones.map((_, i) => new RouteTable(this, `PrivateRouteTable${AZ_LETTERS[i]}`, { vpcId: this.vpcId, tags: { Name: `${name}-private-${AZ_LETTERS[i].toLowerCase()}` } }))
      : [new RouteTable(this, "PrivateRouteTable", { vpcId: this.vpcId, tags: { Name: `${name}-private` } })];
    privateRouteTables.forEach((table, i) => {
      if (natGateways.length === 0) return;
      const suffix = nat === "perAz" ? AZ_LETTERS[i] : "";
      new Route(this, `PrivateDefaultRoute${suffix}`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: natGateways[i].id });
    });

    const privateSubnets = zones.map((zone, i) => {
      const letter = AZ_LETTERS[i];
      const subnet = new Subnet(this, `PrivateSubnet${letter}`, {
        vpcId: this.vpcId,
        cidrBlock: plan.privateCidrs[i],
        availabilityZone: zone,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-private-${letter.toLowerCase()}`, Tier: "private", "kubernetes.io/role/internal-elb": "1" },
      });
      const table = privateRouteTables[nat === "perAz" ? i : 0];
      new RouteTableAssociation(this, `PrivateSubnet${letter}RouteTable`, { subnetId: subnet.id, routeTableId: table.id });
      return subnet;
    });
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.publicRouteTableIds = [publicRouteTable.id];
    this.privateRouteTableIds = privateRouteTables.map((t) => t.id);

    // The isolated tier: a route table with no routes of its own, so nothing in it reaches beyond the VPC.
    const databaseRouteTables = databaseTier ? [new RouteTable(this, "DatabaseRouteTable", { vpcId: this.vpcId, tags: { Name: `${name}-database` } })] : [];
    this.databaseRouteTableIds = databaseRouteTables.map((t) => t.id);
    this.databaseSubnetIds = plan.databaseCidrs.map((block, i) => {
      const letter = AZ_LETTERS[i];
      const subnet = new Subnet(this, `DatabaseSubnet${letter}`, {
        vpcId: this.vpcId,
        cidrBlock: block,
        availabilityZone: zones[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-database-${letter.toLowerCase()}`, Tier: "database" },
      });
      new RouteTableAssociation(this, `DatabaseSubnet${letter}RouteTable`, { subnetId: subnet.id, routeTableId: databaseRouteTables[0].id });
      return subnet.id;
    });

    // S3 through a gateway endpoint is free and keeps image layers and bucket traffic off the NAT gateway.
    const s3Endpoint = new VpcEndpoint(this, "S3Endpoint", {
      vpcId: this.vpcId,
      serviceName: `com.amazonaws.${region.name}.s3`,
      vpcEndpointType: "Gateway",
      // The database tier too: backups to S3 and packages from S3-hosted repositories without a NAT.
      routeTableIds: [...this.privateRouteTableIds, ...this.databaseRouteTableIds],
      tags: { Name: `${name}-s3` },
    });
    this.s3PrefixListId = s3Endpoint.prefixListId;

    if (endpointServices.length > 0) {
      const interfaceEndpoints = new InterfaceEndpoints(this, "InterfaceEndpoints", {
        name,
        vpcId: this.vpcId,
        vpcCidr: props.cidr,
        region: region.name,
        subnetIds: this.privateSubnetIds,
        services: endpointServices,
        owner: this,
      });
      this.interfaceEndpointsSecurityGroupId = interfaceEndpoints.securityGroupId;
    }

    if (flowLogs) {
      const account = new DataAwsCallerIdentity(this, "Account");
      new FlowLogs(this, "FlowLogs", {
        name,
        vpcId: this.vpcId,
        accountId: account.accountId,
        retentionDays: flowLogs.retentionDays,
        kmsKeyArn: flowLogs.kmsKeyArn,
        owner: this,
      });
    }
  }

  private checkZones(zones: readonly string[], azCount: number): void {
    if (!Array.isArray(zones) || zones.length !== azCount) {
      fail(this, "availabilityZones", zones, `expected exactly azCount (${azCount}) zone names`);
    }
    const seen = new Set<string>();
    zones.forEach((zone, i) => {
      if (isToken(zone)) return;
      matches(this, `availabilityZones[${i}]`, zone, /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d[a-z]$/, "an availability zone name such as \"eu-west-1a\"");
      if (seen.has(zone)) fail(this, `availabilityZones[${i}]`, zone, "expected each zone once");
      seen.add(zone);
    });
  }

  /** The first azCount zones the region reports available (opt-in Local Zones are excluded by the data source). */
  private lookUpZones(azCount: number, region: string): string[] {
    // The zones of this region named <region>a-f, available now: an allow-list, so the set cannot grow under a
    // running stack when AWS opens another zone (checkov CKV_AWS_394).
    const available = new DataAwsAvailabilityZones(this, "AvailabilityZones", {
      state: "available",
      filter: [{ name: "zone-name", values: ["a", "b", "c", "d", "e", "f"].map((letter) => `${region}${letter}`) }],
    });
    return Array.from({ length: azCount }, (_, i) => Fn.element(available.names, i) as string);
  }
}
