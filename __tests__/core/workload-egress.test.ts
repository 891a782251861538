/** Issue 10 item 2: a stack's workload egress replaces all-protocol egress to 0.0.0.0/0 with listed TCP flows. */
import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { createSecurityGroup, setWorkloadEgress, workloadEgress } from "../../modules/core";

function synth(build: (stack: TerraformStack) => void): Record<string, any> {
  const app = Testing.app();
  const stack = new TerraformStack(app, "s");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  build(stack);
  return JSON.parse(Testing.synth(stack)).resource.aws_vpc_security_group_egress_rule ?? {};
}

const SPEC = {
  vpcCidr: "10.0.0.0/16",
  endpointsSecurityGroupId: "sg-endpoints",
  s3PrefixListId: "pl-s3",
  vpcPorts: [5432, 6379, 5432, { from: 8080, to: 8081 }],
  outside: [{ cidr: "0.0.0.0/0", port: 443, description: "HTTPS to a partner API with no fixed range" }],
};

describe("workload egress", () => {
  it("without a stack spec, a workload keeps all outbound (modules built alone)", () => {
    const rules = Object.values(synth((s) => createSecurityGroup(s, "Sg", { name: "a", description: "a", vpcId: "vpc-1", egress: "all" })));
    expect(rules).toEqual([expect.objectContaining({ ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" })]);
  });

  it("with a spec: HTTPS to the endpoints and S3 prefix list, each VPC port once, the listed outside destinations, nothing all-protocol", () => {
    const rules = Object.values(synth((s) => {
      setWorkloadEgress(s, SPEC);
      createSecurityGroup(s, "Sg", { name: "a", description: "a", vpcId: "vpc-1", egress: "all" });
    })) as Record<string, unknown>[];
    const flows = rules.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id ?? r.prefix_list_id ?? r.cidr_ipv4]);
    expect(flows.map(String).sort()).toEqual([
      ["tcp", 443, 443, "sg-endpoints"],
      ["tcp", 443, 443, "pl-s3"],
      ["tcp", 5432, 5432, "10.0.0.0/16"],
      ["tcp", 6379, 6379, "10.0.0.0/16"],
      ["tcp", 8080, 8081, "10.0.0.0/16"],
      ["tcp", 443, 443, "0.0.0.0/0"],
    ].map(String).sort());
    expect(rules.find((r) => r.cidr_ipv4 === "0.0.0.0/0")?.description).toBe("HTTPS to a partner API with no fixed range");
  });

  it("leaves data stores (egress none) and VPC-only groups as they were", () => {
    const rules = Object.values(synth((s) => {
      setWorkloadEgress(s, SPEC);
      createSecurityGroup(s, "Db", { name: "d", description: "d", vpcId: "vpc-1", egress: "none" });
      createSecurityGroup(s, "Lb", { name: "l", description: "l", vpcId: "vpc-1", egress: "vpc", vpcCidr: "10.0.0.0/16" });
    })) as Record<string, unknown>[];
    expect(rules.map((r) => [r.ip_protocol, r.cidr_ipv4])).toEqual([["-1", "10.0.0.0/16"]]);
  });

  it("gives an outside destination with appliesTo only to the workloads under those top-level constructs", () => {
    const rules = Object.entries(synth((s) => {
      setWorkloadEgress(s, { vpcCidr: "10.0.0.0/16", vpcPorts: [], outside: [{ cidr: "0.0.0.0/0", port: 443, description: "images from Docker Hub", appliesTo: ["Cluster"] }] });
      createSecurityGroup(new Construct(s, "Cluster"), "Instances", { name: "c", description: "c", vpcId: "vpc-1", egress: "all" });
      createSecurityGroup(new Construct(s, "Service"), "Tasks", { name: "t", description: "t", vpcId: "vpc-1", egress: "all" });
    }));
    expect(rules.map(([id, r]) => [id.split("_")[0], r.cidr_ipv4])).toEqual([["Cluster", "0.0.0.0/0"]]);
  });

  it("is per stack", () => {
    const app = Testing.app();
    const a = new TerraformStack(app, "a");
    const b = new TerraformStack(app, "b");
    setWorkloadEgress(a, SPEC);
    expect([workloadEgress(a)?.vpcCidr, workloadEgress(b)]).toEqual(["10.0.0.0/16", undefined]);
  });

  describe("refuses", () => {
    const set = (patch: object) => () => setWorkloadEgress(new TerraformStack(Testing.app(), "x"), { ...SPEC, ...patch });
    it("an outside destination without a reason", () => {
      expect(set({ outside: [{ cidr: "0.0.0.0/0", port: 443, description: " " }] })).toThrow(/egress\.outside\[0\]\.description = " " is not allowed; expected a reason/);
    });
    it("an outside destination that is not a CIDR", () => {
      expect(set({ outside: [{ cidr: "example.com", port: 443, description: "x" }] })).toThrow(/egress\.outside\[0\]\.cidr = "example\.com" is not allowed/);
    });
    it("a VPC port out of range", () => {
      expect(set({ vpcPorts: [70000] })).toThrow(/egress\.vpcPorts\[0\] = 70000 is not allowed/);
    });
  });
});
