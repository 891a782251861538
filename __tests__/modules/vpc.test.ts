import { Vpc, VpcProps } from "../../modules/vpc";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { planSubnets } from "../../modules/vpc/subnets";
import { only, resources, synthWith } from "../support/synth";
import { allowedActions, namedResources, statementsOfPolicy, trustedServices } from "../support/stacks";

const base: VpcProps = { name: "alerting-platform-dev", cidr: "10.0.0.0/16" };

function subnets(s: ReturnType<typeof synthWith>, tier: "public" | "private"): any[] {
  return Object.values(resources(s, "aws_subnet")).filter((x) => x.tags.Tier === tier);
}

describe("Vpc", () => {
  describe("with defaults", () => {
    let vpc!: Vpc;
    const s = synthWith((scope) => { vpc = new Vpc(scope, "Network", base); });

    it("AP1: has DNS support and hostnames on the given CIDR", () => {
      expect(s.json).toHaveResourceWithProperties(VpcResource, { cidr_block: "10.0.0.0/16", enable_dns_hostnames: true, enable_dns_support: true });
    });

    it("AP1/G4: carves 2 public and 2 private /24 subnets at their AZ's fixed slots (public 0-5, private 6-11)", () => {
      expect(subnets(s, "public").map((x) => x.cidr_block)).toEqual(["10.0.0.0/24", "10.0.1.0/24"]);
      expect(subnets(s, "private").map((x) => x.cidr_block)).toEqual(["10.0.6.0/24", "10.0.7.0/24"]);
      expect(vpc.publicSubnetIds).toHaveLength(2);
      expect(vpc.privateSubnetIds).toHaveLength(2);
    });

    it("G4: gives no subnet public IPs on launch", () => {
      expect(Object.values(resources(s, "aws_subnet")).every((x) => x.map_public_ip_on_launch === false)).toBe(true);
    });

    it("tags subnets for EKS load balancer discovery", () => {
      expect(subnets(s, "public").every((x) => x.tags["kubernetes.io/role/elb"] === "1")).toBe(true);
      expect(subnets(s, "private").every((x) => x.tags["kubernetes.io/role/internal-elb"] === "1")).toBe(true);
    });

    it("spreads subnets over the first two available AZs", () => {
      expect(s.json).toHaveDataSourceWithProperties(DataAwsAvailabilityZones, { state: "available" });
      const zones = subnets(s, "public").map((x) => x.availability_zone as string);
      expect(zones[0]).toMatch(/element\(data\.aws_availability_zones\.\w+\.names, 0\)/);
      expect(zones[1]).toMatch(/element\(data\.aws_availability_zones\.\w+\.names, 1\)/);
      expect(vpc.availabilityZones).toHaveLength(2);
    });

    it("routes the public subnets to an internet gateway and the private ones through one NAT gateway", () => {
      expect(Object.keys(resources(s, "aws_nat_gateway"))).toHaveLength(1);
      expect(Object.keys(resources(s, "aws_eip"))).toHaveLength(1);
      expect(Object.keys(resources(s, "aws_route_table"))).toHaveLength(2);
      const routes = Object.values(resources(s, "aws_route"));
      expect(routes.filter((r) => r.gateway_id?.includes("aws_internet_gateway"))).toHaveLength(1);
      expect(routes.filter((r) => r.nat_gateway_id?.includes("aws_nat_gateway"))).toHaveLength(1);
      expect(vpc.natGatewayIds).toHaveLength(1);
    });

    it("empties the default security group", () => {
      expect(s.json).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
    });

    it("adds a free S3 gateway endpoint on the private route table", () => {
      const endpoint = only(s, "aws_vpc_endpoint");
      expect(endpoint.vpc_endpoint_type).toBe("Gateway");
      expect(endpoint.service_name).toMatch(/^com\.amazonaws\..*\.s3$/);
      expect(endpoint.route_table_ids).toHaveLength(1);
      expect(endpoint.route_table_ids[0]).toContain("PrivateRouteTable");
    });

    it("logs all traffic to /vpc/<name>/flow-logs for 30 days", () => {
      expect(s.json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/vpc/alerting-platform-dev/flow-logs", retention_in_days: 30 });
      expect(s.json).toHaveResourceWithProperties(FlowLog, { traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    });

    it("writes flow logs with a role scoped to its log group", () => {
      const role = only(s, "aws_iam_role");
      expect(trustedServices(role.assume_role_policy)).toContain("vpc-flow-logs.amazonaws.com");
      const policy = only(s, "aws_iam_role_policy").policy as string;
      const statements = statementsOfPolicy(policy);
      expect(allowedActions(statements)).toContain("logs:PutLogEvents");
      expect(namedResources(statements).filter((r) => r === "*")).toEqual([]);
      expect(namedResources(statements).every((r) => r.includes("aws_cloudwatch_log_group."))).toBe(true);
    });

    it("exposes the CIDR as a literal for security-group rules", () => {
      expect(vpc.vpcCidr).toBe("10.0.0.0/16");
    });
  });

  describe("with a NAT gateway per AZ in 3 AZs", () => {
    const s = synthWith((scope) => new Vpc(scope, "Network", { ...base, azCount: 3, natGateways: "perAz" }));

    it("CA10: creates three NAT gateways, one in each public subnet", () => {
      expect(Object.keys(resources(s, "aws_nat_gateway"))).toHaveLength(3);
      expect(subnets(s, "public")).toHaveLength(3);
    });

    it("gives each AZ its own private route table through its own NAT gateway", () => {
      const tables = Object.keys(resources(s, "aws_route_table"));
      expect(tables.filter((t) => t.includes("PrivateRouteTable"))).toHaveLength(3);
      const natRoutes = Object.values(resources(s, "aws_route")).filter((r) => r.nat_gateway_id);
      expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(3);
      expect(only(s, "aws_vpc_endpoint").route_table_ids).toHaveLength(3);
    });
  });

  describe("without NAT", () => {
    let vpc!: Vpc;
    const s = synthWith((scope) => { vpc = new Vpc(scope, "Network", { ...base, natGateways: "none" }); });

    it("AP1: creates no NAT gateway, no EIP and no private default route", () => {
      expect(resources(s, "aws_nat_gateway")).toEqual({});
      expect(resources(s, "aws_eip")).toEqual({});
      expect(Object.values(resources(s, "aws_route")).filter((r) => r.nat_gateway_id)).toHaveLength(0);
      expect(vpc.natGatewayIds).toEqual([]);
    });
  });

  describe("with explicit AZs, a small network and interface endpoints", () => {
    let vpc!: Vpc;
    const s = synthWith((scope) => {
      vpc = new Vpc(scope, "Network", {
        ...base,
        cidr: "10.1.0.0/23",
        azCount: 3,
        availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
      });
    });

    it("uses the given zones and looks none up", () => {
      expect(vpc.availabilityZones).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
      expect(subnets(s, "private").map((x) => x.availability_zone)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
      expect(s.parsed.data?.aws_availability_zones).toBeUndefined();
    });

    it("carves /27 subnets when /24 blocks do not fit, still at fixed slots", () => {
      expect(subnets(s, "public").map((x) => x.cidr_block)).toEqual(["10.1.0.0/27", "10.1.0.32/27", "10.1.0.64/27"]);
      expect(subnets(s, "private").map((x) => x.cidr_block)).toEqual(["10.1.0.192/27", "10.1.0.224/27", "10.1.1.0/27"]);
    });

    it("puts interface endpoints with private DNS in the private subnets", () => {
      const endpoints = Object.values(resources(s, "aws_vpc_endpoint")).filter((e) => e.vpc_endpoint_type === "Interface");
      expect(endpoints.map((e) => e.service_name.replace(/^com\.amazonaws\.\$\{[^}]+\}\./, ""))).toEqual(["ecr.api", "ecr.dkr", "logs"]);
      expect(endpoints.every((e) => e.private_dns_enabled === true && e.subnet_ids.length === 3)).toBe(true);
      expect(endpoints[0].subnet_ids.every((id: string) => id.includes("PrivateSubnet"))).toBe(true);
    });

    it("lets only HTTPS from the VPC reach the endpoints", () => {
      const rule = only(s, "aws_vpc_security_group_ingress_rule");
      expect(rule).toMatchObject({ cidr_ipv4: "10.1.0.0/23", from_port: 443, to_port: 443, ip_protocol: "tcp" });
      expect(resources(s, "aws_vpc_security_group_egress_rule")).toEqual({});
    });
  });

  describe("with explicit AZs and no azCount", () => {
    it("takes azCount from the zones given", () => {
      const s = synthWith((scope) => new Vpc(scope, "Network", { ...base, availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }));
      expect(subnets(s, "private").map((x) => x.cidr_block)).toEqual(["10.0.6.0/24", "10.0.7.0/24", "10.0.8.0/24"]);
    });
  });

  describe("with fixed subnet slots per AZ", () => {
    const cidrsOf = (azCount: number, cidr = "10.0.0.0/16") => {
      const s = synthWith((scope) => new Vpc(scope, "Network", { ...base, cidr, azCount }));
      return Object.fromEntries(Object.entries(resources(s, "aws_subnet")).map(([id, x]) => [id, x.cidr_block as string]));
    };

    it("going from 2 to 3 AZs only adds subnets: every existing subnet keeps its id and CIDR", () => {
      const two = cidrsOf(2);
      const three = cidrsOf(3);
      expect(three).toMatchObject(two);
      expect(Object.keys(three).filter((id) => !(id in two)).map((id) => three[id]).sort()).toEqual(["10.0.2.0/24", "10.0.8.0/24"]);
    });

    it("puts 6 AZs in blocks 0-5 (public) and 6-11 (private)", () => {
      const all = Object.values(cidrsOf(6)).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      expect(all).toEqual(Array.from({ length: 12 }, (_, i) => `10.0.${i}.0/24`));
    });

    it.each([
      ["10.0.0.0/20", 24, "10.0.6.0/24"],
      ["10.0.0.0/21", 25, "10.0.3.0/25"],
      ["10.0.0.0/22", 26, "10.0.1.128/26"],
      ["10.0.0.0/23", 27, "10.0.0.192/27"],
    ])("sizes the blocks of a %s network as /%i (first private subnet %s)", (cidr, prefix, firstPrivate) => {
      const plan = planSubnets("test", "cidr", cidr, 2);
      expect(plan.subnetPrefix).toBe(prefix);
      expect(plan.privateCidrs[0]).toBe(firstPrivate);
    });
  });

  describe("with flow logs tuned or off", () => {
    it("keeps flow logs for the given days, encrypted with the given key", () => {
      const s = synthWith((scope) => new Vpc(scope, "Network", { ...base, flowLogs: { retentionDays: 365, kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc" } }));
      expect(s.json).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 365, kms_key_id: "arn:aws:kms:eu-west-1:123456789012:key/abc" });
    });

    it("creates no flow log, log group or role when turned off", () => {
      const s = synthWith((scope) => new Vpc(scope, "Network", { ...base, flowLogs: false }));
      expect(s.json).not.toHaveResource(FlowLog);
      expect(s.json).not.toHaveResource(CloudwatchLogGroup);
      expect(resources(s, "aws_iam_role")).toEqual({});
      expect(s.json).toHaveResource(VpcEndpoint);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<VpcProps>) => () => synthWith((scope) => new Vpc(scope, "Net", { ...base, ...props }));

    it("a CIDR that is not a network address", () => {
      expect(build({ cidr: "10.0.0.1/16" })).toThrow(/test\/Net: cidr = "10\.0\.0\.1\/16" is not allowed; expected an IPv4 network/);
    });
    it("a CIDR that is not a CIDR at all", () => {
      expect(build({ cidr: "vpc-main" })).toThrow(/cidr = "vpc-main" is not allowed/);
    });
    it("a network larger than /16", () => {
      expect(build({ cidr: "10.0.0.0/8" })).toThrow(/cidr = "10\.0\.0\.0\/8" .* prefix length from \/16 to \/23/);
    });
    it("a network smaller than /23", () => {
      expect(build({ cidr: "10.0.0.0/26" })).toThrow(/cidr = "10\.0\.0\.0\/26" .* prefix length from \/16 to \/23/);
    });
    it("a /24 network: too small for 12 subnet slots of /27, even with 2 AZs", () => {
      expect(build({ cidr: "10.0.0.0/24" })).toThrow(/test\/Net: cidr = "10\.0\.0\.0\/24" is not allowed; expected a prefix length from \/16 to \/23/);
    });
    it("a network too small for 12 subnet slots (planning the subnets directly)", () => {
      expect(() => planSubnets("test/Net", "cidr", "10.0.0.0/24", 2)).toThrow(/cidr = "10\.0\.0\.0\/24" .* room for 12 subnets of at least \/27 .* use a network of \/23 or larger/);
    });
    it("a single AZ", () => {
      expect(build({ azCount: 1 })).toThrow(/azCount = 1 .* from 2 to 6/);
    });
    it("more than 6 AZs", () => {
      expect(build({ azCount: 7 })).toThrow(/azCount = 7 .* from 2 to 6/);
    });
    it("explicit AZs that do not match azCount", () => {
      expect(build({ azCount: 3, availabilityZones: ["eu-west-1a", "eu-west-1b"] })).toThrow(/availabilityZones = \["eu-west-1a","eu-west-1b"\] .* exactly azCount \(3\)/);
    });
    it("an AZ given twice", () => {
      expect(build({ availabilityZones: ["eu-west-1a", "eu-west-1a"] })).toThrow(/availabilityZones\[1\] = "eu-west-1a" .* each zone once/);
    });
    it("a region name where an AZ is expected", () => {
      expect(build({ availabilityZones: ["eu-west-1", "eu-west-1b"] })).toThrow(/availabilityZones\[0\] = "eu-west-1" .* availability zone name/);
    });
    it("an unknown NAT setting", () => {
      expect(build({ natGateways: "two" as VpcProps["natGateways"] })).toThrow(/natGateways = "two" .* one of "none", "single", "perAz"/);
    });
    it("a flow log retention CloudWatch does not offer", () => {
      expect(build({ flowLogs: { retentionDays: 10 } })).toThrow(/flowLogs\.retentionDays = 10 .* retention value/);
    });
    it("a flow log key that is not a KMS ARN", () => {
      expect(build({ flowLogs: { retentionDays: 30, kmsKeyArn: "alias/logs" } })).toThrow(/flowLogs\.kmsKeyArn = "alias\/logs" .* ARN of the kms service/);
    });
    it("an S3 interface endpoint (the gateway endpoint is always there)", () => {
      expect(build({ interfaceEndpoints: ["logs", "s3"] })).toThrow(/interfaceEndpoints\[1\] = "s3" .* gateway endpoint/);
    });
    it("an interface endpoint listed twice", () => {
      expect(build({ interfaceEndpoints: ["logs", "logs"] })).toThrow(/interfaceEndpoints\[1\] = "logs" .* each service once/);
    });
    it("a full service name where a short one is expected", () => {
      expect(build({ interfaceEndpoints: ["com.amazonaws.eu-west-1.logs"] })).toThrow(/interfaceEndpoints\[0\] = "com\.amazonaws\.eu-west-1\.logs" .* short service name/);
    });
    it("a name that is not a DNS label", () => {
      expect(build({ name: "Alerting_Platform" })).toThrow(/name = "Alerting_Platform" .* lowercase letters, digits and hyphens/);
    });
  });
});

describe("zone lookup", () => {
  it("allow-lists the region's zones a-f by name, so the set cannot grow under a running stack", () => {
    const s = synthWith((scope) => new Vpc(scope, "Network", { name: "sys-dev", cidr: "10.0.0.0/16" }));
    const zones = Object.values(s.parsed.data!.aws_availability_zones) as any[];
    expect(zones).toHaveLength(1);
    expect(zones[0].state).toBe("available");
    expect(zones[0].filter[0].name).toBe("zone-name");
    expect(zones[0].filter[0].values).toHaveLength(6);
    expect(zones[0].filter[0].values[0]).toMatch(/data\.aws_region\..*\.name\}a$/);
  });
});
