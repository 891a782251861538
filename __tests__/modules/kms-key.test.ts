import { TerraformOutput } from "cdktf";
import { KmsKey, KmsKeyProps } from "../../modules/kms-key";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { only, synthWith } from "../support/synth";
import { statementsOfPolicy } from "../support/stacks";

const base: KmsKeyProps = { name: "tvmaze-ingestion-prod", description: "Logs, secrets and topics of tvmaze-ingestion-prod" };
const keyPolicy = (s: ReturnType<typeof synthWith>): string => only(s, "aws_kms_key").policy;

describe("KmsKey", () => {
  describe("with defaults", () => {
    const s = synthWith((scope) => {
      const key = new KmsKey(scope, "Key", base);
      new TerraformOutput(scope, "alias", { value: key.aliasName });
      new TerraformOutput(scope, "arn", { value: key.keyArn });
    });

    it("G6: is a rotating symmetric key with a 30-day deletion window", () => {
      expect(s.json).toHaveResourceWithProperties(KmsKeyResource, {
        enable_key_rotation: true,
        deletion_window_in_days: 30,
        key_usage: "ENCRYPT_DECRYPT",
        customer_master_key_spec: "SYMMETRIC_DEFAULT",
        description: base.description,
      });
      expect(only(s, "aws_kms_key").lifecycle.prevent_destroy).toBe(false);
    });

    it("is reachable as alias/<name>", () => {
      expect(s.json).toHaveResourceWithProperties(KmsAlias, { name: "alias/tvmaze-ingestion-prod" });
      expect(s.parsed.output?.alias.value).toMatch(/^\$\{aws_kms_alias\.\w+\.name\}$/);
      expect(s.parsed.output?.arn.value).toMatch(/^\$\{aws_kms_key\.\w+\.arn\}$/);
    });

    it("lets the account root administer the key", () => {
      expect(keyPolicy(s)).toMatch(/"Principal" = \{"AWS" = "arn:\$\{data\.aws_partition\.\w+\.partition\}:iam::\$\{data\.aws_caller_identity\.\w+\.account_id\}:root"\}, "Action" = "kms:\*"/);
    });

    it("G6: lets CloudWatch Logs of this account and region use it, and nothing else", () => {
      expect(keyPolicy(s)).toMatch(/"Service" = "logs\.\$\{data\.aws_region\.\w+\.name\}\.\$\{data\.aws_partition\.\w+\.dns_suffix\}"/);
      expect(keyPolicy(s)).toMatch(/"ArnLike" = \{"kms:EncryptionContext:aws:logs:arn" = "arn:\$\{data\.aws_partition\.\w+\.partition\}:logs:\$\{data\.aws_region\.\w+\.name\}:\$\{data\.aws_caller_identity\.\w+\.account_id\}:\*"\}/);
      expect(statementsOfPolicy(keyPolicy(s)).map((st) => st.Sid)).not.toContain("ServiceIntegrations");
    });
  });

  describe("with services, a short window and prevent_destroy", () => {
    const s = synthWith((scope) =>
      new KmsKey(scope, "Key", { ...base, deletionWindowDays: 7, allowCloudWatchLogs: false, allowServices: ["sns.amazonaws.com", "events.amazonaws.com"], preventDestroy: true }),
    );

    it("lets the listed services encrypt and decrypt through their integration", () => {
      expect(statementsOfPolicy(keyPolicy(s)).find((st) => st.Sid === "ServiceIntegrations")).toMatchObject({
        Effect: "Allow",
        Principal: { Service: ["sns.amazonaws.com", "events.amazonaws.com"] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      });
    });

    it("drops the CloudWatch Logs statement when asked", () => {
      expect(statementsOfPolicy(keyPolicy(s)).map((st) => st.Sid)).not.toContain("CloudWatchLogsEncrypt");
    });

    it("carries the deletion window and prevent_destroy", () => {
      const key = only(s, "aws_kms_key");
      expect(key.deletion_window_in_days).toBe(7);
      expect(key.lifecycle.prevent_destroy).toBe(true);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<KmsKeyProps>) => () => synthWith((scope) => new KmsKey(scope, "Key", { ...base, ...props }));

    it("a deletion window under 7 days", () => {
      expect(build({ deletionWindowDays: 6 })).toThrow(/test\/Key: deletionWindowDays = 6 is not allowed; expected a whole number from 7 to 30/);
    });
    it("a deletion window over 30 days", () => {
      expect(build({ deletionWindowDays: 31 })).toThrow(/deletionWindowDays = 31 .* from 7 to 30/);
    });
    it("a name with a colon or a space", () => {
      expect(build({ name: "prod:logs key" })).toThrow(/name = "prod:logs key" .* letters, digits/);
    });
    it("a name already prefixed with alias/", () => {
      expect(build({ name: "alias/prod" })).toThrow(/name = "alias\/prod" .* without "alias\/"/);
    });
    it("a name in the aws/ namespace", () => {
      expect(build({ name: "aws/logs" })).toThrow(/name = "aws\/logs" .* AWS reserves/);
    });
    it("an alias over 256 characters", () => {
      expect(build({ name: "k".repeat(251) })).toThrow(/name = "k{251}" .* within 256 characters \(got 257\)/);
    });
    it("an empty description", () => {
      expect(build({ description: " " })).toThrow(/description = " " .* 1 to 8192 characters/);
    });
    it("a service that is not a service principal", () => {
      expect(build({ allowServices: ["sns"] })).toThrow(/allowServices\[0\] = "sns" .* AWS service principal/);
    });
    it("a service listed twice", () => {
      expect(build({ allowServices: ["sns.amazonaws.com", "sns.amazonaws.com"] })).toThrow(/allowServices\[1\] = "sns\.amazonaws\.com" .* each service once/);
    });
  });
});
