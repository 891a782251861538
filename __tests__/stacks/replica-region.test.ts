/**
 * Issue 10 item 3: the disaster-recovery copies of the system stacks (TV5 assets and backups, CA5/CA6 attachments and
 * Redis backups, UP9 uploads) and their access logs to the DR region's log bucket (`replicaAccessLogs`).
 */
import { EnvironmentName, environments } from "../../environments";
import { REPLICATED_BUCKETS } from "../../stacks/tvmaze-ingestion";
import { resources, Synthesized } from "../support/synth";
import { synthesizedInBeforeAll } from "../support/stacks";

const ENVS: EnvironmentName[] = ["dev", "staging", "prod"];
const all = (s: Synthesized, type: string): any[] => Object.values(resources(s, type));
const bucketRef = (s: Synthesized, name: string): string => {
  const ids = Object.entries(resources(s, "aws_s3_bucket")).filter(([, b]: any) => b.bucket === name).map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one bucket ${name}, found ${ids.length}`);
  return `\${aws_s3_bucket.${ids[0]}`;
};
/** Where the environment's replica buckets in `region` send their access logs: none unless replicaAccessLogs names that region. */
const replicaLogTarget = (env: EnvironmentName, region: string | undefined): string[] => {
  const named = environments[env].replicaAccessLogs;
  return region !== undefined && named?.region === region ? [named.bucket] : [];
};

describe.each(ENVS)("replica region, %s", (env) => {
  describe("tvmaze-ingestion", () => {
    const s = synthesizedInBeforeAll("tvmaze-ingestion", env);
    const cfg = environments[env].systems.tvmazeIngestion;

    it(`TV5 / issue 10 item 3: ${cfg.replicaRegion ? `assets and backups replicate to ${cfg.replicaRegion} (temp does not), the copies logging there` : "no replica region: no bucket replicates"}`, () => {
      const replication = all(s, "aws_s3_bucket_replication_configuration").map((r) => [r.bucket, r.rule[0].destination.bucket]);
      const expected = cfg.replicaRegion
        ? REPLICATED_BUCKETS.map((b) => [`${bucketRef(s, `tvmaze-ingestion-${env}-${b}`)}.id}`, `${bucketRef(s, `tvmaze-ingestion-${env}-${b}-replica`)}.arn}`])
        : [];
      expect(replication.sort()).toEqual(expected.sort());
      if (!cfg.replicaRegion) return;
      expect(s.parsed.provider.aws.map((p: any) => [p.alias, p.region])).toContainEqual(["replica", cfg.replicaRegion]);
      const logs = all(s, "aws_s3_bucket_logging").filter((l) => l.provider === "aws.replica").map((l) => l.target_bucket);
      const target = replicaLogTarget(env, cfg.replicaRegion);
      expect(logs).toEqual(target.length ? REPLICATED_BUCKETS.map(() => target[0]) : []);
    });
  });

  describe("chat-app", () => {
    const s = synthesizedInBeforeAll("chat-app", env);
    const cfg = environments[env].systems.chatApp;
    const prefix = `chat-app-${env}`;
    const replicaProvider = cfg.attachmentsReplicaRegion ? "aws.replica" : "aws.us_east_1";

    it(`CA5 / issue 10 item 3: the attachments replica logs to the DR region's log bucket ${cfg.attachmentsReplicaRegion ? `(${cfg.attachmentsReplicaRegion})` : "only when it is in that region (here us-east-1: none)"}`, () => {
      const replica = bucketRef(s, `${prefix}-attachments-replica`);
      const logs = all(s, "aws_s3_bucket_logging").filter((l) => l.bucket === `${replica}.id}`).map((l) => l.target_bucket);
      expect(logs).toEqual(replicaLogTarget(env, cfg.attachmentsReplicaRegion));
    });

    it(`CA6 / issue 10 item 3: the Redis backups ${cfg.redisCluster.replicateBackups ? "replicate to the attachments replica's region, aging alike and logging there" : "stay in one region, as the environment says"}`, () => {
      const source = `${bucketRef(s, `${prefix}-redis-backups`)}.id}`;
      const replication = all(s, "aws_s3_bucket_replication_configuration").filter((r) => r.bucket === source);
      if (!cfg.redisCluster.replicateBackups) {
        expect(replication).toEqual([]);
        return;
      }
      const copy = bucketRef(s, `${prefix}-redis-backups-replica`);
      expect(replication.map((r) => r.rule[0].destination.bucket)).toEqual([`${copy}.arn}`]);
      expect(all(s, "aws_s3_bucket").find((b) => b.bucket === `${prefix}-redis-backups-replica`).provider).toBe(replicaProvider);
      const rules = all(s, "aws_s3_bucket_lifecycle_configuration").find((l) => l.bucket === `${copy}.id}`).rule.map((r: any) => [r.id, r.expiration?.[0]?.days]);
      expect(rules.filter(([id]: [string]) => id !== "abort-incomplete-uploads")).toEqual([["daily-7", 7], ["weekly-4", 28], ["monthly-3", 90]]);
      const logs = all(s, "aws_s3_bucket_logging").filter((l) => l.bucket === `${copy}.id}`).map((l) => l.target_bucket);
      expect(logs).toEqual(replicaLogTarget(env, cfg.attachmentsReplicaRegion));
    });
  });

  describe("upload-pipeline", () => {
    const s = synthesizedInBeforeAll("upload-pipeline", env);
    const cfg = environments[env].systems.uploadPipeline;

    it("UP9 / issue 10 item 3: the replica logs access to the DR region's log bucket when the environment names one there", () => {
      const logs = all(s, "aws_s3_bucket_logging").filter((l) => l.provider === "aws.replica").map((l) => l.target_bucket);
      expect(logs).toEqual(replicaLogTarget(env, cfg.replicaRegion));
    });
  });
});
