import { Vpc, VpcProps } from "../../modules/vpc";
import { planSubnets } from "../../modules/vpc/subnets";
import { resources, synthWith } from "../support/synth";

const base: VpcProps = { name: "sys-dev", cidr: "10.0.0.0/16", databaseSubnets: true };
const byTier = (s: ReturnType<typeof synthWith>, tier: string) => Object.entries(resources(s, "aws_subnet")).filter(([, x]) => x.tags.Tier === tier);

describe("Vpc database tier (issue 8.4)", () => {
  describe("on, with a NAT per AZ in 3 AZs", () => {
    let vpc!: Vpc;
    const s = synthWith((scope) => { vpc = new Vpc(scope, "Network", { ...base, azCount: 3, natGateways: "perAz" }); });

    it("issue 8.4: adds one database subnet per AZ at slots 12-17, beside the public and private ones", () => {
      const db = byTier(s, "database");
      expect(db.map(([, x]) => x.cidr_block)).toEqual(["10.0.12.0/24", "10.0.13.0/24", "10.0.14.0/24"]);
      expect(db.map(([id]) => id.replace(/_[A-Z0-9]+$/, ""))).toEqual(["Network_DatabaseSubnetA", "Network_DatabaseSubnetB", "Network_DatabaseSubnetC"]);
      expect(db.every(([, x]) => x.map_public_ip_on_launch === false)).toBe(true);
      expect(vpc.databaseSubnetIds).toHaveLength(3);
    });

    it("issue 8.4: puts them on one route table with no route of its own (no NAT, no internet gateway)", () => {
      const tables = Object.entries(resources(s, "aws_route_table")).filter(([, t]) => t.tags.Name === "sys-dev-database");
      expect(tables).toHaveLength(1);
      const tableRef = `\${aws_route_table.${tables[0][0]}.id}`;
      expect(Object.values(resources(s, "aws_route")).filter((r) => r.route_table_id === tableRef)).toEqual([]);
      expect(tables[0][1].route).toBeUndefined();
      const dbRefs = new Set(byTier(s, "database").map(([id]) => `\${aws_subnet.${id}.id}`));
      const assocs = Object.values(resources(s, "aws_route_table_association")).filter((a) => dbRefs.has(a.subnet_id));
      expect(assocs).toHaveLength(3);
      expect(assocs.every((a) => a.route_table_id === tableRef)).toBe(true);
      expect(vpc.databaseRouteTableIds).toHaveLength(1);
    });

    it("issue 8.4: reaches S3 through the gateway endpoint from the database tier too", () => {
      const s3 = Object.values(resources(s, "aws_vpc_endpoint")).find((e) => e.vpc_endpoint_type === "Gateway");
      expect(s3.route_table_ids).toHaveLength(4);
      const names = (s3.route_table_ids as string[]).map((r) => /aws_route_table\.(Network_[A-Za-z]+RouteTable[A-C]?)_/.exec(r)?.[1]);
      expect(names).toEqual(["Network_PrivateRouteTableA", "Network_PrivateRouteTableB", "Network_PrivateRouteTableC", "Network_DatabaseRouteTable"]);
    });

    it("issue 8.4: exposes the route-table ids of every tier", () => {
      expect(vpc.publicRouteTableIds).toHaveLength(1);
      expect(vpc.privateRouteTableIds).toHaveLength(3);
      expect(vpc.databaseRouteTableIds).toHaveLength(1);
    });
  });

  it("issue 8.4: is off by default, with no database subnets or route table", () => {
    let vpc!: Vpc;
    const s = synthWith((scope) => { vpc = new Vpc(scope, "Network", { name: "sys-dev", cidr: "10.0.0.0/16" }); });
    expect(byTier(s, "database")).toEqual([]);
    expect(vpc.databaseSubnetIds).toEqual([]);
    expect(vpc.databaseRouteTableIds).toEqual([]);
    expect(Object.keys(resources(s, "aws_route_table"))).toHaveLength(2);
  });

  it("issue 8.4: keeps public and private subnets where they were when the tier is turned on", () => {
    expect(planSubnets("t", "cidr", "10.0.0.0/16", 2, true)).toEqual({
      subnetPrefix: 24,
      publicCidrs: ["10.0.0.0/24", "10.0.1.0/24"],
      privateCidrs: ["10.0.6.0/24", "10.0.7.0/24"],
      databaseCidrs: ["10.0.12.0/24", "10.0.13.0/24"],
    });
    expect(planSubnets("t", "cidr", "10.0.0.0/16", 2).databaseCidrs).toEqual([]);
  });

  describe("refuses", () => {
    it("a network too small for the tier's slots", () => {
      expect(() => synthWith((scope) => new Vpc(scope, "Network", { ...base, cidr: "10.0.0.0/23", azCount: 6 }))).toThrow(/^test\/Network: cidr = "10\.0\.0\.0\/23" is not allowed; expected room for 18 subnets of \/27/);
    });
    it("a databaseSubnets value that is not a boolean", () => {
      expect(() => synthWith((scope) => new Vpc(scope, "Network", { ...base, databaseSubnets: "yes" as never }))).toThrow(/^test\/Network: databaseSubnets = "yes" is not allowed; expected true or false$/);
    });
  });
});
