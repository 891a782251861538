import { Alarms, AlarmTopic, albAlarms, ecsServiceAlarms, mskConsumerLagAlarm, rdsAlarms, XraySamplingRule } from "../../modules/observability";
import { describeDiagnostics, validateConstructs } from "../support/terraform";

describe("observability (terraform validate)", () => {
  it("validates a topic, every ready-made alarm (metric math included) and a sampling rule", async () => {
    const r = await validateConstructs((stack) => {
      const topic = new AlarmTopic(stack, "AlarmTopic", { name: "tvmaze-ingestion-prod-alarms", emailSubscriptions: ["ops@example.com"] });
      new AlarmTopic(stack, "OwnKeyTopic", { name: "dotnet-api-prod-alarms", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666" });
      new Alarms(stack, "Alarms", {
        topic,
        alarms: [
          ...ecsServiceAlarms({ name: "tvmaze-ingestion-prod-api", clusterName: "tvmaze-ingestion-prod", serviceName: "api" }),
          ...albAlarms({ name: "tvmaze-ingestion-prod-alb", albArnSuffix: "app/tvmaze-prod/50dc6c495c0c9188", targetGroupArnSuffix: "targetgroup/api/73e2d6bc24d8a067" }),
          ...rdsAlarms({ name: "tvmaze-ingestion-prod", identifier: "tvmaze-ingestion-prod-db", maxConnections: 112, freeStorageBytes: 2 * 1024 ** 3 }),
          mskConsumerLagAlarm({ name: "dotnet-api-prod", clusterName: "dotnet-api-prod", consumerGroup: "api", topic: "orders.created", maxOffsetLag: 1000 }),
        ],
      });
      new XraySamplingRule(stack, "Sampling", { name: "tvmaze-ingestion-prod", fixedRate: 0.1 });
    });
    expect(r.valid, describeDiagnostics(r)).toBe(true);
  });
});
