import { App } from "cdktf";
import { BootstrapStack, GITHUB_OIDC_URL } from "../../stacks/bootstrap";
import { bootstrap } from "../../environments";
import { resources } from "../support/synth";
import { deniesInsecureTransport, synthCustom, synthSystem } from "../support/stacks";

const s = synthSystem("bootstrap", "dev");
/** The one resource of `type` (below construct `prefix`, when the stack has several: the state bucket and key vs. the audit ones). */
const one = (type: string, prefix = ""): any => {
  const all = Object.entries(resources(s, type)).filter(([id]) => id.startsWith(prefix)).map(([, r]) => r);
  expect(all, type).toHaveLength(1);
  return all[0];
};

describe("bootstrap", () => {
  it("BS1: the state bucket is versioned, KMS-encrypted, private, TLS-only and kept from destroy", () => {
    const bucket = one("aws_s3_bucket", "StateBucket_");
    expect(bucket.bucket).toBe(bootstrap.backend.bucket);
    expect(bucket.lifecycle.prevent_destroy).toBe(true);
    expect(one("aws_s3_bucket_versioning", "StateBucket_").versioning_configuration.status).toBe("Enabled");
    const sse = one("aws_s3_bucket_server_side_encryption_configuration", "StateBucket_").rule[0].apply_server_side_encryption_by_default;
    expect(sse.sse_algorithm).toBe("aws:kms");
    expect(sse.kms_master_key_id).toMatch(/aws_kms_key\./);
    expect(one("aws_s3_bucket_public_access_block", "StateBucket_")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(deniesInsecureTransport(one("aws_s3_bucket_policy", "StateBucket_").policy)).toBe(true);
  });

  it("BS1: superseded state versions expire after the configured days", () => {
    const rules = one("aws_s3_bucket_lifecycle_configuration", "StateBucket_").rule as any[];
    const expire = rules.find((r) => r.noncurrent_version_expiration);
    expect(expire.noncurrent_version_expiration[0].noncurrent_days).toBe(bootstrap.noncurrentStateVersionDays);
  });

  it("BS2: the lock table has a LockID string key, on-demand billing, PITR, KMS encryption and prevent_destroy", () => {
    const t = one("aws_dynamodb_table");
    expect(t.name).toBe(bootstrap.backend.lockTable);
    expect(t.hash_key).toBe("LockID");
    expect(t.attribute).toEqual([{ name: "LockID", type: "S" }]);
    expect(t.billing_mode).toBe("PAY_PER_REQUEST");
    expect(t.point_in_time_recovery.enabled).toBe(true);
    expect(t.server_side_encryption.enabled).toBe(true);
    expect(t.server_side_encryption.kms_key_arn).toMatch(/aws_kms_key\./);
    expect(t.lifecycle.prevent_destroy).toBe(true);
  });

  it("BS2: the state key rotates, has an explicit policy and is kept from destroy", () => {
    const k = one("aws_kms_key", "StateKey_");
    expect(k.enable_key_rotation).toBe(true);
    expect(k.policy).toBeTruthy();
    expect(k.lifecycle.prevent_destroy).toBe(true);
  });

  it("BS3: the bootstrap stack keeps its own state in a local backend (it creates the bucket the others use)", () => {
    expect(s.parsed.terraform.backend.local.path).toMatch(/bootstrap\.tfstate$/);
    expect(s.parsed.terraform.backend.s3).toBeUndefined();
  });

  it("G10: creates the account's GitHub Actions OIDC provider that deploy roles trust", () => {
    expect(one("aws_iam_openid_connect_provider")).toMatchObject({ url: GITHUB_OIDC_URL, client_id_list: ["sts.amazonaws.com"] });
  });

  it("G3: tags everything it creates", () => {
    expect(s.parsed.provider.aws[0].default_tags[0].tags).toMatchObject({ System: "bootstrap", ManagedBy: "cdktf" });
  });

  it("refuses a noncurrent-version expiry outside 1-3650 days", () => {
    expect(() => synthCustom((app: App) => new BootstrapStack(app, { settings: { ...bootstrap, noncurrentStateVersionDays: 0 } }))).toThrow(
      /bootstrap: noncurrentStateVersionDays = 0 is not allowed; expected a whole number from 1 to 3650/,
    );
  });

  it("leaves the OIDC provider out when another stack or account owns it", () => {
    const t = synthCustom((app: App) => new BootstrapStack(app, { settings: { ...bootstrap, githubOidcProvider: false } }));
    expect(Object.keys(resources(t, "aws_iam_openid_connect_provider"))).toHaveLength(0);
  });
});
