import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { Parameter, ParameterProps, Secret, SecretProps } from "../../modules/secrets";
import { grantee, only, resources, synthWith } from "../support/synth";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const kafkaProps: SecretProps = {
  name: "upload-pipeline/dev/confluent-kafka",
  description: "Confluent Cloud bootstrap servers and API key, set by the platform team",
  jsonKeys: ["bootstrap_servers", "api_key", "api_secret"],
};

describe("Secret", () => {
  describe("holding the Confluent Kafka connection (UP5)", () => {
    let kafka!: Secret;
    const s = synthWith((scope) => {
      kafka = new Secret(scope, "Kafka", kafkaProps);
    });

    it("UP5: keeps the Kafka bootstrap servers and API key in Secrets Manager, and provisions nothing Kafka on AWS", () => {
      expect(s.json).toHaveResourceWithProperties(SecretsmanagerSecret, { name: "upload-pipeline/dev/confluent-kafka", recovery_window_in_days: 30 });
      expect(kafka.valueFrom("bootstrap_servers")).toBe(`${kafka.secretArn}:bootstrap_servers::`);
      expect(kafka.valueFrom("api_key")).toBe(`${kafka.secretArn}:api_key::`);
      expect(Object.keys(s.parsed.resource ?? {})).toEqual(["aws_secretsmanager_secret"]);
    });

    it("G7: puts no secret value in the synthesized JSON", () => {
      expect(resources(s, "aws_secretsmanager_secret_version")).toEqual({});
      expect(s.json).not.toMatch(/secret_string|secret_binary/);
    });

    it("returns the bare ARN as valueFrom without a key", () => {
      expect(kafka.valueFrom()).toBe(kafka.secretArn);
    });

    it("grants read on this secret only, with no KMS statement for the AWS-managed key", () => {
      expect(kafka.grantRead(grantee())).toEqual([
        { sid: "ReadSecret", actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], resources: [kafka.secretArn] },
      ]);
    });

    it("is not protected from destroy unless asked", () => {
      expect(only(s, "aws_secretsmanager_secret").lifecycle.prevent_destroy).toBe(false);
      expect(only(s, "aws_secretsmanager_secret").kms_key_id).toBeUndefined();
    });
  });

  describe("with a customer key, a short recovery window and prevent_destroy", () => {
    let secret!: Secret;
    const s = synthWith((scope) => {
      secret = new Secret(scope, "Db", { name: "sys/prod/db", description: "Database password", kmsKeyArn: KEY, recoveryWindowDays: 7, preventDestroy: true });
    });

    it("encrypts with the key and carries prevent_destroy", () => {
      expect(only(s, "aws_secretsmanager_secret")).toMatchObject({ kms_key_id: KEY, recovery_window_in_days: 7, lifecycle: { prevent_destroy: true } });
    });

    it("adds kms:Decrypt on the key to the read statements", () => {
      expect(secret.grantRead(grantee())[1]).toEqual({ sid: "DecryptSecret", actions: ["kms:Decrypt"], resources: [KEY] });
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<SecretProps>) => () => synthWith((scope) => new Secret(scope, "S", { ...kafkaProps, ...props }));

    it("a name with characters Secrets Manager does not allow", () => {
      expect(build({ name: "kafka key!" })).toThrow(/test\/S: name = "kafka key!" is not allowed; expected letters, digits and \/_\+=\.@- only/);
    });
    it("a name longer than 512 characters", () => {
      expect(build({ name: "a".repeat(513) })).toThrow(/name = "a+" is not allowed; expected at most 512 characters/);
    });
    it("a recovery window between 1 and 6 days", () => {
      expect(build({ recoveryWindowDays: 3 })).toThrow(/recoveryWindowDays = 3 is not allowed; expected 0 \(delete at once\) or a whole number from 7 to 30/);
    });
    it("a recovery window above 30 days", () => {
      expect(build({ recoveryWindowDays: 31 })).toThrow(/recoveryWindowDays = 31 is not allowed/);
    });
    it("immediate deletion on a protected secret", () => {
      expect(build({ recoveryWindowDays: 0, preventDestroy: true })).toThrow(/recoveryWindowDays = 0 is not allowed; expected 7 to 30 with preventDestroy/);
    });
    it("an empty description", () => {
      expect(build({ description: " " })).toThrow(/description = " " is not allowed; expected 1 to 2048 characters/);
    });
    it("a JSON key with a colon", () => {
      expect(build({ jsonKeys: ["api:key"] })).toThrow(/jsonKeys\[0\] = "api:key" is not allowed/);
    });
    it("valueFrom with a key the secret does not declare", () => {
      expect(() => synthWith((scope) => new Secret(scope, "S", kafkaProps).valueFrom("password"))).toThrow(
        /test\/S: valueFrom\(jsonKey\) = "password" is not allowed; expected one of the secret's jsonKeys: "bootstrap_servers", "api_key", "api_secret"/,
      );
    });
  });
});

describe("Parameter", () => {
  describe("holding a database endpoint (DA5)", () => {
    let param!: Parameter;
    const s = synthWith((scope) => {
      const db = new DbInstance(scope, "Db", { instanceClass: "db.t3.micro", engine: "postgres" });
      param = new Parameter(scope, "DbEndpoint", { name: "/upload-pipeline/dev/database/endpoint", value: db.address, description: "Database host" });
    });

    it("DA5: stores the endpoint as a plain Standard String parameter referencing the database", () => {
      expect(s.json).toHaveResourceWithProperties(SsmParameter, { name: "/upload-pipeline/dev/database/endpoint", type: "String", tier: "Standard", data_type: "text" });
      expect(only(s, "aws_ssm_parameter").value).toMatch(/^\$\{aws_db_instance\.Db\.address\}$/);
    });

    it("grants GetParameter(s) on this parameter only", () => {
      expect(param.grantRead(grantee())).toEqual([{ sid: "ReadParameter", actions: ["ssm:GetParameters", "ssm:GetParameter"], resources: [param.parameterArn] }]);
    });
  });

  describe("as a SecureString", () => {
    let param!: Parameter;
    const s = synthWith((scope) => {
      const secret = new Secret(scope, "Kafka", kafkaProps);
      param = new Parameter(scope, "KafkaSecretRef", { name: "/sys/dev/kafka/secret", value: secret.secretArn, kmsKeyArn: KEY });
    });

    it("encrypts with the key and adds kms:Decrypt to the read statements", () => {
      expect(only(s, "aws_ssm_parameter")).toMatchObject({ type: "SecureString", key_id: KEY });
      expect(param.grantRead(grantee())[1]).toEqual({ sid: "DecryptParameter", actions: ["kms:Decrypt"], resources: [KEY] });
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<ParameterProps>) => () =>
      synthWith((scope) => new Parameter(scope, "P", { name: "/sys/dev/endpoint", value: "db.internal", ...props }));

    it("a name without a leading slash", () => {
      expect(build({ name: "sys/dev/endpoint" })).toThrow(/test\/P: name = "sys\/dev\/endpoint" is not allowed; expected a path starting with "\/"/);
    });
    it("a name with characters SSM does not allow", () => {
      expect(build({ name: "/sys/dev/end point" })).toThrow(/name = "\/sys\/dev\/end point" is not allowed/);
    });
    it("a name under the reserved aws prefix", () => {
      expect(build({ name: "/aws/service/x" })).toThrow(/name = "\/aws\/service\/x" is not allowed; expected a name not starting with "aws" or "ssm"/);
    });
    it("a name deeper than 15 levels", () => {
      expect(build({ name: "/a".repeat(16) })).toThrow(/is not allowed; expected at most 15 levels \(got 16\)/);
    });
    it("a name longer than 1011 characters", () => {
      expect(build({ name: `/${"a".repeat(1011)}` })).toThrow(/expected at most 1011 characters \(got 1012\)/);
    });
    it("G7: a credential-named parameter without a KMS key, with the hint to use Secret", () => {
      expect(build({ name: "/sys/dev/kafka/api-key", value: "abc" })).toThrow(/name = "\/sys\/dev\/kafka\/api-key" is not allowed; .*use Secret \(Secrets Manager/);
    });
    it("G7: a literal value in a credential-named SecureString, without echoing it", () => {
      const run = build({ name: "/sys/dev/db/password", value: "hunter2", kmsKeyArn: KEY });
      expect(run).toThrow(/value = "\(literal, not shown\)" is not allowed; expected a reference, not a literal/);
      expect(run).not.toThrow(/hunter2/);
    });
    it("an empty value", () => {
      expect(build({ value: "" })).toThrow(/value = "" is not allowed; expected a non-empty string/);
    });
  });
});
