/**
 * Issue 10 item 2: workloads reach AWS APIs through interface endpoints in prod and no workload security group
 * allows all protocols to 0.0.0.0/0 in any environment: egress is TCP to the VPC's data-store and service ports,
 * HTTPS to the endpoints and the S3 prefix list, and the listed outside destinations.
 */
import { environments, ENVIRONMENT_NAMES } from "../../environments";
import { SYSTEMS } from "../../stacks";
import { HTTPS_THROUGH_NAT } from "../../stacks/system-stack";
import { resources } from "../support/synth";
import { synthesizedInBeforeAll } from "../support/stacks";

const CASES = SYSTEMS.flatMap((system) => ENVIRONMENT_NAMES.map((env) => [system.name, env] as const));
type Rule = { ip_protocol: string; cidr_ipv4?: string; from_port?: number; to_port?: number; referenced_security_group_id?: string; prefix_list_id?: string; description: string };

describe.each(CASES)("%s-%s egress", (system, env) => {
  const s = synthesizedInBeforeAll(system, env);
  const rules = (): Rule[] => Object.values(resources(s, "aws_vpc_security_group_egress_rule"));

  it("has no all-protocol egress rule to 0.0.0.0/0, and every rule to 0.0.0.0/0 is TCP 443 with its reason", () => {
    const anywhere = rules().filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(anywhere.filter((r) => r.ip_protocol === "-1")).toEqual([]);
    for (const r of anywhere) expect({ protocol: r.ip_protocol, from: r.from_port, to: r.to_port, why: r.description.length > 10 }).toEqual({ protocol: "tcp", from: 443, to: 443, why: true });
  });
});

describe.each(SYSTEMS.map((x) => x.name))("%s-prod interface endpoints", (system) => {
  const s = synthesizedInBeforeAll(system, "prod");
  const key = Object.keys(environments.prod.systems).find((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) === system) as keyof typeof environments.prod.systems;
  const settings = environments.prod.systems[key].egress;

  it("creates the interface endpoints the prod settings list, in the private subnets with private DNS", () => {
    const endpoints = Object.values(resources(s, "aws_vpc_endpoint")).filter((e: any) => e.vpc_endpoint_type === "Interface") as any[];
    expect(settings?.interfaceEndpoints.length).toBeGreaterThanOrEqual(7);
    expect(endpoints.map((e) => e.service_name.replace(/^com\.amazonaws\.\$\{data\.aws_region\.[^}]+\}\./, "")).sort()).toEqual([...settings!.interfaceEndpoints].sort());
    for (const e of endpoints) expect(e.private_dns_enabled).toBe(true);
  });

  it("sends workloads' HTTPS to the endpoints' security group and the S3 prefix list, never through NAT to anywhere unless listed", () => {
    const all = Object.values(resources(s, "aws_vpc_security_group_egress_rule")) as Rule[];
    const toEndpoints = all.filter((r) => /aws_security_group\.Network_InterfaceEndpoints_SecurityGroup/.test(r.referenced_security_group_id ?? ""));
    const toS3 = all.filter((r) => /aws_vpc_endpoint\.Network_S3Endpoint_\w+\.prefix_list_id/.test(r.prefix_list_id ?? ""));
    expect(toEndpoints.length).toBe(toS3.length);
    for (const r of [...toEndpoints, ...toS3]) expect([r.ip_protocol, r.from_port, r.to_port]).toEqual(["tcp", 443, 443]);
    const anywhere = all.filter((r) => r.cidr_ipv4 === "0.0.0.0/0").map((r) => r.description);
    expect(anywhere.every((d) => d !== HTTPS_THROUGH_NAT.description)).toBe(true);
    expect([...new Set(anywhere)]).toEqual(settings!.outside.map((o) => o.description));
  });
});
