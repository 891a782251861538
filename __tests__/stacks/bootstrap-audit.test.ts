/** Issue 10 item 3: bootstrap creates the account's CloudTrail trail (S3 data events) and the SSE-S3 access-log bucket. */
import { bootstrap, environments } from "../../environments";
import { S3Bucket } from "../../modules/s3-bucket";
import { resources, synthWith } from "../support/synth";
import { decodeJsonencode, statementsOfPolicy, synthSystem } from "../support/stacks";

const s = synthSystem("bootstrap", "dev");
const byPrefix = (type: string, prefix: string): any[] => Object.entries(resources(s, type)).filter(([id]) => id.startsWith(prefix)).map(([, r]) => r);

describe("bootstrap audit trail (issue 10 item 3)", () => {
  const trail = () => Object.values(resources(s, "aws_cloudtrail"))[0] as any;

  it("is one multi-region trail with log-file validation, its own KMS key, a log group and a topic", () => {
    expect(Object.keys(resources(s, "aws_cloudtrail"))).toHaveLength(1);
    expect(trail()).toMatchObject({ name: bootstrap.audit.trailName, is_multi_region_trail: true, include_global_service_events: true, enable_log_file_validation: true, enable_logging: true });
    expect(trail().kms_key_id).toMatch(/^\$\{aws_kms_key\.AuditTrail_Key_\w+\.arn\}$/);
    expect(trail().cloud_watch_logs_group_arn).toMatch(/^\$\{aws_cloudwatch_log_group\.AuditTrail_LogGroup_\w+\.arn\}:\*$/);
    expect(trail().sns_topic_name).toMatch(/aws_sns_topic\.AuditTrail_Topic_\w+\.name/);
    expect(byPrefix("aws_cloudwatch_log_group", "AuditTrail_")[0].retention_in_days).toBe(bootstrap.audit.retentionDays);
  });

  it("records S3 data events of the state, upload and attachment buckets", () => {
    const selectors = trail().event_selector as any[];
    expect(selectors).toHaveLength(1);
    expect(selectors[0].read_write_type).toBe("All");
    const values: string[] = selectors[0].data_resource[0].values;
    expect(selectors[0].data_resource[0].type).toBe("AWS::S3::Object");
    expect(values[0]).toMatch(/^\$\{aws_s3_bucket\.StateBucket_\w+\.arn\}\/$/);
    expect(values.slice(1)).toEqual(["arn:aws:s3:::upload-pipeline-prod-uploads/", "arn:aws:s3:::chat-app-prod-attachments/"]);
  });

  it("names the data-event buckets as the prod stacks name them", () => {
    expect(bootstrap.audit.dataEventBuckets).toEqual([`upload-pipeline-${environments.prod.name}-uploads`, `chat-app-${environments.prod.name}-attachments`]);
  });

  it("writes to its own KMS-encrypted bucket that only this trail may write", () => {
    const bucket = byPrefix("aws_s3_bucket", "AuditTrail_Bucket_")[0];
    expect(bucket.bucket).toBe(bootstrap.audit.trailBucket);
    const sse = byPrefix("aws_s3_bucket_server_side_encryption_configuration", "AuditTrail_")[0].rule[0].apply_server_side_encryption_by_default;
    expect(sse).toEqual({ sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/aws_kms_key\.AuditTrail_Key/) });
    const writes = statementsOfPolicy(byPrefix("aws_s3_bucket_policy", "AuditTrail_")[0].policy).find((x: any) => x.Sid === "CloudTrailWrites") as any;
    expect(writes.Principal).toEqual({ Service: "cloudtrail.amazonaws.com" });
    expect(Object.keys(writes.Condition.StringEquals)).toEqual(["aws:SourceArn"]);
  });

  it("the key lets CloudTrail encrypt only for trails of this account", () => {
    const key = byPrefix("aws_kms_key", "AuditTrail_")[0];
    expect(key.enable_key_rotation).toBe(true);
    const sids = statementsOfPolicy(key.policy).map((x: any) => x.Sid);
    expect(sids).toEqual(["AccountAdministers", "CloudTrailEncryptsLogFiles", "CloudTrailDescribesKey", "CloudTrailPublishes", "CloudWatchLogsEncrypt", "AccountReadsLogFiles"]);
  });

  it("the access-log bucket is SSE-S3 (ALB cannot write to SSE-KMS), expires logs, and admits S3 logging and ELB only", () => {
    const bucket = byPrefix("aws_s3_bucket", "AccessLogsBucket_")[0];
    expect(bucket.bucket).toBe(bootstrap.audit.accessLogsBucket);
    expect(byPrefix("aws_s3_bucket_server_side_encryption_configuration", "AccessLogsBucket_")[0].rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "AES256" });
    const rules = byPrefix("aws_s3_bucket_lifecycle_configuration", "AccessLogsBucket_")[0].rule as any[];
    expect(rules.find((r) => r.id === "expire-access-logs").expiration).toEqual([{ days: bootstrap.audit.retentionDays }]);
    const allows = statementsOfPolicy(byPrefix("aws_s3_bucket_policy", "AccessLogsBucket_")[0].policy).filter((x: any) => x.Effect === "Allow").map((x: any) => x.Principal);
    expect(allows).toEqual([{ Service: "logging.s3.amazonaws.com" }, { AWS: expect.stringMatching(/data\.aws_elb_service_account/) }, { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }]);
  });

  it("the state and trail buckets log access to it (their DR copies to the replica region's log bucket)", () => {
    const logging = (Object.values(resources(s, "aws_s3_bucket_logging")) as any[]).filter((l) => l.provider === undefined);
    expect(logging).toHaveLength(2);
    // After the log bucket's policy, so logging is configured only once log delivery is admitted.
    for (const l of logging) {
      expect(l.target_bucket).toMatch(/^\$\{aws_s3_bucket\.AccessLogsBucket_\w+\.bucket\}$/);
      expect(l.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.AccessLogsBucket_Policy_\w+$/)]);
    }
  });

  it("admits S3 log delivery with a single-ARN Resource string (as log-delivery permission checks read it)", () => {
    const doc = decodeJsonencode(byPrefix("aws_s3_bucket_policy", "AccessLogsBucket_")[0].policy) as { Statement: { Sid: string; Action: string[]; Resource: unknown }[] };
    const stmt = doc.Statement.find((x) => x.Sid === "S3ServerAccessLogs")!;
    expect([stmt.Action, stmt.Resource]).toEqual([["s3:PutObject"], `arn:aws:s3:::${bootstrap.audit.accessLogsBucket}/*`]);
  });
});

describe("S3Bucket encryption (issue 10 item 3)", () => {
  it("s3-managed writes SSE-S3 with no bucket key", () => {
    const t = synthWith((scope) => new S3Bucket(scope, "Logs", { bucketName: "some-logs", encryption: "s3-managed" }));
    expect((Object.values(resources(t, "aws_s3_bucket_server_side_encryption_configuration"))[0] as any).rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
  });
  it("refuses a KMS key with s3-managed", () => {
    expect(() => synthWith((scope) => new S3Bucket(scope, "Logs", { bucketName: "some-logs", encryption: "s3-managed", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/x" })))
      .toThrow(/kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key\/x" is not allowed; not allowed with encryption "s3-managed"/);
  });
  it("refuses an unknown encryption", () => {
    expect(() => synthWith((scope) => new S3Bucket(scope, "Logs", { bucketName: "some-logs", encryption: "sse-c" as never }))).toThrow(/encryption = "sse-c" is not allowed/);
  });
});
