/**
 * Engine choice (Redis OSS or Valkey), cluster mode (shards x replicas) and a custom parameter group, checked at synth.
 */
import { Construct } from "constructs";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { fail, inRange, matches, oneOf, refuse, Subject } from "../core";

export type CacheEngine = "redis" | "valkey";

export const DEFAULT_VERSIONS: Readonly<Record<CacheEngine, string>> = { redis: "7.1", valkey: "8.0" };
const VERSIONS: Readonly<Record<CacheEngine, { pattern: RegExp; description: string }>> = {
  redis: { pattern: /^(6\.(x|\d+)|7\.\d+)$/, description: "a Redis 6.x or 7.x version such as \"7.1\" or \"6.2\"" },
  valkey: { pattern: /^(7\.2|8\.\d+)$/, description: "a Valkey version: \"7.2\" or 8.x such as \"8.0\"" },
};
const PARAMETER_NAME = /^[a-z][a-z0-9-]{0,127}$/;
/** Parameters the module owns: cluster mode follows `shards`. */
const OWNED = ["cluster-enabled"];

export function checkEngine(subject: Subject, engine: CacheEngine | undefined, version: string | undefined): { engine: CacheEngine; version: string } {
  const e = oneOf<CacheEngine>(subject, "engine", engine ?? "redis", ["redis", "valkey"]);
  const v = matches(subject, "engineVersion", version ?? DEFAULT_VERSIONS[e], VERSIONS[e].pattern, VERSIONS[e].description);
  return { engine: e, version: v };
}

/** The parameter-group family of an engine version: redis6.x, redis7, valkey7, valkey8. */
export function parameterFamily(engine: CacheEngine, version: string): string {
  const major = version.split(".")[0];
  return engine === "redis" && major === "6" ? "redis6.x" : `${engine}${major}`;
}

/** Checks cluster mode: shards 1-500; undefined means cluster mode off. */
export function checkShards(subject: Subject, shards: number | undefined, replicas: number): number | undefined {
  if (shards === undefined) return undefined;
  const n = inRange(subject, "shards", shards, 1, 500);
  // ElastiCache caps a cluster-mode group at 500 nodes.
  refuse(subject, "shards", n, n * (1 + replicas) > 500, `expected shards x (1 + replicas) <= 500 nodes (got ${n * (1 + replicas)})`);
  return n;
}

/** Checks custom parameters (name -> value). */
export function checkParameters(subject: Subject, params: Readonly<Record<string, string | number>> | undefined): [string, string][] {
  if (params === undefined) return [];
  if (typeof params !== "object" || params === null || Array.isArray(params)) fail(subject, "parameters", params, "expected an object of parameter name -> value");
  return Object.entries(params).map(([name, value]) => {
    matches(subject, "parameters", name, PARAMETER_NAME, "ElastiCache parameter names (lowercase letters, digits and \"-\", e.g. \"maxmemory-policy\")");
    if (OWNED.includes(name)) fail(subject, `parameters.${name}`, value, "expected no value: the module sets it from shards (cluster mode)");
    if (!["string", "number"].includes(typeof value) || String(value).length === 0) fail(subject, `parameters.${name}`, value, "expected a non-empty string or number");
    return [name, String(value)];
  });
}

/** A parameter group of the engine's family with the custom parameters (and cluster-enabled with cluster mode). */
export function parameterGroup(scope: Construct, name: string, family: string, params: [string, string][], clusterMode: boolean): ElasticacheParameterGroup {
  const parameter = [...params, ...(clusterMode ? [["cluster-enabled", "yes"] as [string, string]] : [])].map(([n, value]) => ({ name: n, value }));
  return new ElasticacheParameterGroup(scope, "ParameterGroup", {
    name: `${name}-${family.replace(/\./g, "-")}`,
    family,
    description: `Parameters of ${name} (${family})`,
    parameter,
    // The name carries the family: an engine upgrade creates the new group before dropping the old one.
    lifecycle: { createBeforeDestroy: true },
  });
}
