import { Parameter, Secret } from "../../modules/secrets";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

const key = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";

describe("Secret and Parameter under terraform validate", () => {
  it("validates a KMS secret with prevent_destroy, a plain parameter and a SecureString parameter", async () => {
    const r = await validateConstructs((stack) => {
      const kafka = new Secret(stack, "Kafka", {
        name: "upload-pipeline/prod/confluent-kafka",
        description: "Confluent Cloud bootstrap servers and API key; set by the platform team",
        kmsKeyArn: key,
        recoveryWindowDays: 7,
        preventDestroy: true,
        jsonKeys: ["bootstrap_servers", "api_key", "api_secret"],
      });
      new Parameter(stack, "Endpoint", { name: "/upload-pipeline/prod/database/endpoint", value: "db.example.internal", description: "Database endpoint" });
      new Parameter(stack, "KafkaSecretArn", { name: "/upload-pipeline/prod/kafka/secret-arn", value: kafka.secretArn, kmsKeyArn: key });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
