import { Redis, RedisProps } from "../../modules/redis";
import { parameterFamily } from "../../modules/redis/options";
import { INetwork } from "../../modules/core";
import { only, resources, synthWith } from "../support/synth";
import { twoAzNetwork, withDatabaseTier } from "../support/networks";

const network: INetwork = withDatabaseTier(twoAzNetwork);
const build = (props: Partial<RedisProps> = {}) => synthWith((scope) => new Redis(scope, "Cache", { name: "sys-dev-cache", network, nodeType: "cache.t3.micro", ...props }));

describe("Redis options (issue 8.7)", () => {
  it("issue 8.4: the subnet group uses the network's isolated database subnets", () => {
    expect(only(build(), "aws_elasticache_subnet_group").subnet_ids).toEqual(["subnet-db-a", "subnet-db-b"]);
  });

  it("issue 8.7: Valkey as the engine, version 8.0 by default, its RBAC users on the same engine", () => {
    const s = build({ engine: "valkey" });
    expect(only(s, "aws_elasticache_replication_group")).toMatchObject({ engine: "valkey", engine_version: "8.0", transit_encryption_enabled: true });
    const users = Object.values(resources(s, "aws_elasticache_user"));
    expect(users.map((u: any) => u.engine)).toEqual(["valkey", "valkey"]);
    expect(only(s, "aws_elasticache_user_group").engine).toBe("valkey");
  });

  it("issue 8.7: Redis stays the default engine, with no parameter group of its own", () => {
    const s = build();
    expect(only(s, "aws_elasticache_replication_group")).toMatchObject({ engine: "redis", engine_version: "7.1", cluster_mode: "disabled", num_cache_clusters: 1 });
    expect(resources(s, "aws_elasticache_parameter_group")).toEqual({});
  });

  it("issue 8.7: cluster mode spreads the key space over shards x replicas with failover and a cluster-enabled group", () => {
    const s = build({ engine: "valkey", shards: 3, replicas: 1, multiAz: true });
    const group = only(s, "aws_elasticache_replication_group");
    expect(group).toMatchObject({ cluster_mode: "enabled", num_node_groups: 3, replicas_per_node_group: 1, automatic_failover_enabled: true, multi_az_enabled: true });
    expect(group.num_cache_clusters).toBeUndefined();
    const params = only(s, "aws_elasticache_parameter_group");
    expect(params.family).toBe("valkey8");
    expect(params.parameter).toEqual([{ name: "cluster-enabled", value: "yes" }]);
    expect(group.parameter_group_name).toMatch(/^\$\{aws_elasticache_parameter_group\.Cache_ParameterGroup_[A-Z0-9]+\.name\}$/);
  });

  it("issue 8.7: a custom parameter group with a custom parameter, in the engine version's family", () => {
    const s = build({ parameters: { "maxmemory-policy": "allkeys-lru", timeout: 300 } });
    const params = only(s, "aws_elasticache_parameter_group");
    expect(params).toMatchObject({ name: "sys-dev-cache-redis7", family: "redis7", lifecycle: { create_before_destroy: true } });
    expect(params.parameter).toEqual([{ name: "maxmemory-policy", value: "allkeys-lru" }, { name: "timeout", value: "300" }]);
    expect(parameterFamily("redis", "6.2")).toBe("redis6.x");
    expect(parameterFamily("valkey", "7.2")).toBe("valkey7");
  });

  describe("refuses", () => {
    const refuse = (props: Partial<RedisProps>) => () => build(props);
    it("an unknown engine or a version of the other engine", () => {
      expect(refuse({ engine: "memcached" as never })).toThrow(/^test\/Cache: engine = "memcached" is not allowed; expected one of "redis", "valkey"$/);
      expect(refuse({ engine: "valkey", engineVersion: "7.1" })).toThrow(/^test\/Cache: engineVersion = "7\.1" is not allowed; expected a Valkey version/);
    });
    it("cluster mode without replicas, too many shards or nodes", () => {
      expect(refuse({ shards: 2 })).toThrow(/^test\/Cache: replicas = 0 is not allowed; expected at least 1 replica per shard with cluster mode/);
      expect(refuse({ shards: 501, replicas: 1 })).toThrow(/shards = 501 is not allowed; expected a whole number from 1 to 500/);
      expect(refuse({ shards: 200, replicas: 5 })).toThrow(/shards = 200 is not allowed; expected shards x \(1 \+ replicas\) <= 500 nodes \(got 1200\)/);
    });
    it("a parameter the module owns, a bad name or an empty value", () => {
      expect(refuse({ parameters: { "cluster-enabled": "yes" } })).toThrow(/parameters\.cluster-enabled = "yes" is not allowed; expected no value: the module sets it from shards/);
      expect(refuse({ parameters: { MaxMemory: "1" } })).toThrow(/^test\/Cache: parameters = "MaxMemory" is not allowed; expected ElastiCache parameter names/);
      expect(refuse({ parameters: { timeout: "" } })).toThrow(/parameters\.timeout = "" is not allowed; expected a non-empty string or number/);
    });
  });
});
