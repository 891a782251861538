/**
 * Issue 8 item 4, over systems x environments: every database, cache and broker sits in subnets whose route table
 * has no default route (no NAT, no internet gateway), and the route-table ids are stack outputs.
 */
import { ENVIRONMENT_NAMES } from "../../environments";
import { SYSTEMS } from "../../stacks";
import { synthesizedInBeforeAll } from "../support/stacks";
import type { Synthesized } from "../support/synth";

const CASES = SYSTEMS.flatMap((system) => ENVIRONMENT_NAMES.map((env) => [system.name, env] as const));

type Json = Record<string, any>;
const byType = (s: Synthesized, type: string): Record<string, Json> => s.parsed.resource?.[type] ?? {};
const refId = (ref: string): string => /^\$\{aws_subnet\.([^.]+)\.id\}$/.exec(ref)?.[1] ?? ref;

/** Subnet construct name -> whether its route table has a 0.0.0.0/0 route. */
function subnetsWithDefaultRoute(s: Synthesized): Map<string, boolean> {
  const tablesWithDefault = new Set(
    Object.values(byType(s, "aws_route")).filter((r) => r.destination_cidr_block === "0.0.0.0/0").map((r) => r.route_table_id as string),
  );
  for (const [id, table] of Object.entries(byType(s, "aws_route_table"))) {
    if ((table.route ?? []).some((r: Json) => r.cidr_block === "0.0.0.0/0")) tablesWithDefault.add(`\${aws_route_table.${id}.id}`);
  }
  const out = new Map<string, boolean>();
  for (const assoc of Object.values(byType(s, "aws_route_table_association"))) {
    out.set(refId(assoc.subnet_id), tablesWithDefault.has(assoc.route_table_id));
  }
  return out;
}

/** Every subnet list a database, cache or broker is placed in, by "type.name". */
function dataStoreSubnets(s: Synthesized): [string, string[]][] {
  const found: [string, string[]][] = [];
  const add = (type: string, pick: (r: Json) => string[] | string | undefined) => {
    for (const [name, r] of Object.entries(byType(s, type))) {
      const v = pick(r);
      if (v !== undefined) found.push([`${type}.${name}`, Array.isArray(v) ? v : [v]]);
    }
  };
  add("aws_db_subnet_group", (r) => r.subnet_ids);
  add("aws_docdb_subnet_group", (r) => r.subnet_ids);
  add("aws_elasticache_subnet_group", (r) => r.subnet_ids);
  add("aws_msk_cluster", (r) => r.broker_node_group_info.client_subnets);
  // Self-hosted brokers and caches: the Kafka ECS service, the Redis nodes on EC2.
  add("aws_ecs_service", (r) => (/kafka/i.test(String(r.name)) ? r.network_configuration.subnets : undefined));
  add("aws_instance", (r) => (/redis/i.test(JSON.stringify(r.tags ?? {})) ? r.subnet_id : undefined));
  add("aws_network_interface", (r) => (/redis/i.test(JSON.stringify(r.tags ?? {})) ? r.subnet_id : undefined));
  return found;
}

describe.each(CASES)("%s-%s", (system, env) => {
  const s = synthesizedInBeforeAll(system, env);

  it("issue 8.4: every database, cache and broker is in subnets whose route table has no default route", () => {
    const routes = subnetsWithDefaultRoute(s);
    const stores = dataStoreSubnets(s);
    expect(stores.length).toBeGreaterThan(0);
    for (const [store, subnets] of stores) {
      expect(subnets.length, store).toBeGreaterThan(0);
      for (const subnet of subnets.map(refId)) {
        expect(routes.get(subnet), `${store} in ${subnet}`).toBe(false);
      }
    }
  });

  it("issue 8.4: the route-table ids of every tier and the database subnets are outputs", () => {
    const outputs = s.parsed.output as Json;
    expect(Object.keys(outputs.route_table_ids.value).sort()).toEqual(["database", "private", "public"]);
    const databaseTables = Object.entries(byType(s, "aws_route_table")).filter(([, t]) => String(t.tags?.Name).endsWith("-database")).map(([id]) => `\${aws_route_table.${id}.id}`);
    expect(databaseTables).toHaveLength(1);
    expect(outputs.route_table_ids.value.database).toEqual(databaseTables);
    const databaseSubnets = Object.entries(byType(s, "aws_subnet")).filter(([, x]) => x.tags?.Tier === "database").map(([id]) => `\${aws_subnet.${id}.id}`);
    expect(outputs.database_subnet_ids.value).toEqual(databaseSubnets);
  });
});
