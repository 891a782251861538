/**
 * Issue 10 item 3 (BS1 disaster recovery): bootstrap's second region. The state, trail and access-log buckets
 * replicate there; the region's access-log bucket is the log target of every replica bucket in it.
 */
import { App } from "cdktf";
import { BootstrapStack } from "../../stacks/bootstrap";
import { bootstrap, environments } from "../../environments";
import { resources } from "../support/synth";
import { statementsOfPolicy, synthCustom, synthSystem } from "../support/stacks";

const s = synthSystem("bootstrap", "dev");
const replica = bootstrap.replica!;
const bucketId = (name: string): string => Object.entries(resources(s, "aws_s3_bucket")).find(([, b]: any) => b.bucket === name)![0];
const ofBucket = (type: string, name: string): any[] =>
  Object.values(resources(s, type)).filter((r: any) => r.bucket === `\${aws_s3_bucket.${bucketId(name)}.id}`);

describe("bootstrap replica region (issue 10 item 3, BS1)", () => {
  it("BS1: has a provider and a KMS key in the replica region, another region than bootstrap's", () => {
    expect(replica.region).not.toBe(bootstrap.region);
    expect(s.parsed.provider.aws.map((p: any) => [p.alias, p.region])).toEqual([[undefined, bootstrap.region], ["replica", replica.region]]);
    const keys = Object.entries(resources(s, "aws_kms_key")).filter(([, k]: any) => k.provider === "aws.replica").map(([id]) => id);
    expect(keys).toEqual([expect.stringMatching(/^ReplicaKey_/)]);
  });

  it("BS1: replicates the state bucket and the trail bucket there, re-encrypted with the replica key", () => {
    const replicaKey = `\${aws_kms_key.${Object.keys(resources(s, "aws_kms_key")).find((id) => id.startsWith("ReplicaKey_"))}.arn}`;
    for (const [source, copy] of [[bootstrap.backend.bucket, replica.stateBucket], [bootstrap.audit.trailBucket, replica.trailBucket]]) {
      const [rule] = ofBucket("aws_s3_bucket_replication_configuration", source).map((r) => r.rule[0]);
      expect(rule, source).toMatchObject({
        status: "Enabled", filter: { prefix: "" },
        destination: { bucket: `\${aws_s3_bucket.${bucketId(copy)}.arn}`, encryption_configuration: { replica_kms_key_id: replicaKey } },
      });
      expect((resources(s, "aws_s3_bucket")[bucketId(copy)] as any).provider).toBe("aws.replica");
      expect(ofBucket("aws_s3_bucket_server_side_encryption_configuration", copy)[0].rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: replicaKey });
    }
  });

  it("replicates the access-log bucket to the replica region's log bucket: SSE-S3, S3 log delivery only (no ALB there)", () => {
    const [rule] = ofBucket("aws_s3_bucket_replication_configuration", bootstrap.audit.accessLogsBucket).map((r) => r.rule[0]);
    expect(rule.destination).toEqual({ bucket: `\${aws_s3_bucket.${bucketId(replica.accessLogsBucket)}.arn}`, storage_class: "STANDARD" });
    expect(ofBucket("aws_s3_bucket_server_side_encryption_configuration", replica.accessLogsBucket)[0].rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "AES256" });
    const allows = statementsOfPolicy(ofBucket("aws_s3_bucket_policy", replica.accessLogsBucket)[0].policy).filter((x: any) => x.Effect === "Allow").map((x: any) => x.Principal);
    expect(allows).toEqual([{ Service: "logging.s3.amazonaws.com" }]);
    const expiry = ofBucket("aws_s3_bucket_lifecycle_configuration", replica.accessLogsBucket)[0].rule.find((r: any) => r.id === "expire-access-logs");
    expect(expiry.expiration).toEqual([{ days: bootstrap.audit.retentionDays }]);
  });

  it("the state and trail copies log access to the replica region's log bucket", () => {
    const target = `\${aws_s3_bucket.${bucketId(replica.accessLogsBucket)}.bucket}`;
    const logging = (Object.values(resources(s, "aws_s3_bucket_logging")) as any[]).filter((l) => l.provider === "aws.replica");
    expect(logging.map((l) => [l.bucket, l.target_bucket]).sort()).toEqual(
      [replica.stateBucket, replica.trailBucket].map((b) => [`\${aws_s3_bucket.${bucketId(b)}.id}`, target]).sort(),
    );
    expect(s.parsed.output!.replica_access_logs_bucket.value).toBe(target);
  });

  it("prod names the replica region's log bucket for its replica buckets", () => {
    expect(environments.prod.replicaAccessLogs).toEqual({ region: replica.region, bucket: replica.accessLogsBucket });
  });

  it("without replica settings creates no second region", () => {
    const t = synthCustom((app: App) => new BootstrapStack(app, { settings: { ...bootstrap, replica: undefined } }));
    expect(t.parsed.provider.aws).toHaveLength(1);
    expect(Object.keys(resources(t, "aws_s3_bucket_replication_configuration"))).toEqual([]);
  });

  describe("refuses", () => {
    const build = (r: Partial<typeof replica>) => () => synthCustom((app: App) => new BootstrapStack(app, { settings: { ...bootstrap, replica: { ...replica, ...r } } }));

    it("the bootstrap region itself, or no region", () => {
      expect(build({ region: bootstrap.region })).toThrow(/^bootstrap: replica\.region = "eu-west-1" is not allowed; expected a region other than bootstrap's own \(eu-west-1\)/);
      expect(build({ region: "europe" })).toThrow(/^bootstrap: replica\.region = "europe" is not allowed/);
    });

    it("a bucket name another bucket has", () => {
      expect(build({ stateBucket: bootstrap.backend.bucket })).toThrow(/^bootstrap: replica = "platform-terraform-state-eu-west-1" is not allowed; expected bucket names of their own/);
      expect(build({ trailBucket: replica.accessLogsBucket })).toThrow(/^bootstrap: replica = "platform-access-logs-eu-central-1" is not allowed; expected bucket names of their own/);
    });
  });
});
