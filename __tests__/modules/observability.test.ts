import {
  Alarms, AlarmTopic, albAlarms, ecsServiceAlarms, MetricAlarmSpec, mskConsumerLagAlarm, rdsAlarms, XraySamplingRule, grantTraceWrite,
} from "../../modules/observability";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { XraySamplingRule as XraySamplingRuleResource } from "@cdktf/provider-aws/lib/xray-sampling-rule";
import { grantee, only, resources, synthWith } from "../support/synth";
import { deniesInsecureTransport, principalServices, statementsOfPolicy } from "../support/stacks";

const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:alarms";
/** `${aws_sns_topic.<logical id>.arn}` of the only topic in a synthesized stack. */
const topicRef = (s: ReturnType<typeof synthWith>) => `\${aws_sns_topic.${Object.keys(resources(s, "aws_sns_topic"))[0]}.arn}`;

/** Alarms by name. */
function alarmsByName(s: ReturnType<typeof synthWith>): Record<string, any> {
  return Object.fromEntries(Object.values(resources(s, "aws_cloudwatch_metric_alarm")).map((a) => [a.alarm_name, a]));
}

const cpuSpec: MetricAlarmSpec = {
  id: "ServiceCpu", name: "sys-dev-api-cpu-high", description: "CPU", namespace: "AWS/ECS", metricName: "CPUUtilization",
  dimensions: { ClusterName: "c", ServiceName: "s" }, statistic: "Average", comparison: ">", threshold: 80,
};

describe("AlarmTopic", () => {
  describe("with defaults", () => {
    const s = synthWith((scope) => new AlarmTopic(scope, "Topic", { name: "tvmaze-ingestion-dev-alarms" }));

    it("is encrypted with its own customer-managed key that CloudWatch may use (aws/sns would drop alarms)", () => {
      const keyId = Object.keys(resources(s, "aws_kms_key"))[0];
      expect(s.json).toHaveResourceWithProperties(SnsTopic, { name: "tvmaze-ingestion-dev-alarms", kms_master_key_id: `\${aws_kms_key.${keyId}.arn}` });
      const key = only(s, "aws_kms_key");
      expect(key.enable_key_rotation).toBe(true);
      const forCloudWatch = statementsOfPolicy(key.policy).filter((st) => principalServices(st).includes("cloudwatch.amazonaws.com"));
      expect(forCloudWatch.flatMap((st) => st.Action)).toContain("kms:GenerateDataKey*");
    });

    it("lets CloudWatch alarms of this account publish, over TLS only", () => {
      const policy = only(s, "aws_sns_topic_policy").policy as string;
      const publish = statementsOfPolicy(policy).find((st) => st.Effect === "Allow");
      expect(Object.values(publish?.Condition ?? {}).map((c) => c["aws:SourceAccount"])).toEqual([expect.stringMatching(/^<ref:data\.aws_caller_identity\.Topic_Account_\w+\.account_id>$/)]);
      expect(deniesInsecureTransport(policy)).toBe(true);
    });

    it("has no subscriptions", () => {
      expect(Object.keys(resources(s, "aws_sns_topic_subscription"))).toHaveLength(0);
    });
  });

  describe("with a key and e-mail subscriptions", () => {
    const KEY = "arn:aws:kms:eu-west-1:123456789012:key/abc";
    const s = synthWith((scope) => new AlarmTopic(scope, "Topic", { name: "sys-prod-alarms", kmsKeyArn: KEY, emailSubscriptions: ["ops@example.com", "oncall@example.com"] }));

    it("uses the given key and creates none", () => {
      expect(only(s, "aws_sns_topic").kms_master_key_id).toBe(KEY);
      expect(Object.keys(resources(s, "aws_kms_key"))).toHaveLength(0);
    });

    it("subscribes every address by e-mail", () => {
      expect(s.json).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: "email", endpoint: "ops@example.com" });
      expect(Object.keys(resources(s, "aws_sns_topic_subscription"))).toHaveLength(2);
    });
  });

  describe("refuses", () => {
    const build = (props: Partial<ConstructorParameters<typeof AlarmTopic>[2]>) => () =>
      synthWith((scope) => new AlarmTopic(scope, "Topic", { name: "sys-dev-alarms", ...props }));

    it("an address that is not an e-mail", () => {
      expect(build({ emailSubscriptions: ["ops.example.com"] })).toThrow(/test\/Topic: emailSubscriptions\[0\] = "ops.example.com" is not allowed; expected an e-mail address/);
    });
    it("the same address twice", () => {
      expect(build({ emailSubscriptions: ["ops@example.com", "OPS@example.com"] })).toThrow(/emailSubscriptions\[1\] = "OPS@example.com" is not allowed; expected each address once/);
    });
    it("a topic name with dots", () => {
      expect(build({ name: "sys.dev.alarms" })).toThrow(/name = "sys.dev.alarms" is not allowed; expected letters, digits/);
    });
    it("a key that is not a KMS ARN", () => {
      expect(build({ kmsKeyArn: "alias/aws/sns" })).toThrow(/kmsKeyArn = "alias\/aws\/sns" is not allowed; expected an ARN of the kms service/);
    });
  });
});

describe("Alarms", () => {
  describe("TV7: the plan's alarms, all to the SNS topic", () => {
    const s = synthWith((scope) => {
      const topic = new AlarmTopic(scope, "Topic", { name: "tvmaze-ingestion-prod-alarms" });
      new Alarms(scope, "Alarms", {
        topic,
        alarms: [
          ...ecsServiceAlarms({ name: "tvmaze-ingestion-prod-api", clusterName: "tvmaze-ingestion-prod", serviceName: "api" }),
          ...albAlarms({ name: "tvmaze-ingestion-prod-alb", albArnSuffix: "app/tvmaze/50dc6c495c0c9188", targetGroupArnSuffix: "targetgroup/api/73e2d6bc24d8a067" }),
          ...rdsAlarms({ name: "tvmaze-ingestion-prod", identifier: "tvmaze-ingestion-prod-db", maxConnections: 200 }),
        ],
      });
    });
    const alarms = alarmsByName(s);

    it("TV7: CPU above 80 % of the service", () => {
      expect(alarms["tvmaze-ingestion-prod-api-cpu-high"]).toMatchObject({
        namespace: "AWS/ECS", metric_name: "CPUUtilization", statistic: "Average", comparison_operator: "GreaterThanThreshold", threshold: 80,
        dimensions: { ClusterName: "tvmaze-ingestion-prod", ServiceName: "api" }, period: 60, evaluation_periods: 5, treat_missing_data: "notBreaching",
      });
    });

    it("TV7: memory above 85 %", () => {
      expect(alarms["tvmaze-ingestion-prod-api-memory-high"]).toMatchObject({ metric_name: "MemoryUtilization", threshold: 85 });
    });

    it("TV7: database connections above 80 % of the instance's maximum", () => {
      expect(alarms["tvmaze-ingestion-prod-db-connections-high"]).toMatchObject({
        namespace: "AWS/RDS", metric_name: "DatabaseConnections", statistic: "Maximum", threshold: 160, dimensions: { DBInstanceIdentifier: "tvmaze-ingestion-prod-db" },
      });
    });

    it("TV7: 5xx error RATE above 5 %, computed by metric math from 5xx count and request count", () => {
      const rate = alarms["tvmaze-ingestion-prod-alb-5xx-rate"];
      expect(rate).toMatchObject({ comparison_operator: "GreaterThanThreshold", threshold: 5 });
      expect(rate.metric_name).toBeUndefined();
      const queries: any[] = rate.metric_query;
      const result = queries.find((q) => q.return_data === true);
      expect(result.expression).toBe("100 * FILL(errors, 0) / requests");
      const metrics = Object.fromEntries(queries.filter((q) => q.metric).map((q) => [q.id, q.metric]));
      expect(metrics.errors).toMatchObject({ namespace: "AWS/ApplicationELB", metric_name: "HTTPCode_Target_5XX_Count", stat: "Sum", period: 60 });
      expect(metrics.requests).toMatchObject({ metric_name: "RequestCount", stat: "Sum" });
      expect(metrics.requests.dimensions).toEqual({ LoadBalancer: "app/tvmaze/50dc6c495c0c9188", TargetGroup: "targetgroup/api/73e2d6bc24d8a067" });
    });

    it("TV7: target response time above 2 seconds", () => {
      expect(alarms["tvmaze-ingestion-prod-alb-response-time"]).toMatchObject({ metric_name: "TargetResponseTime", statistic: "Average", threshold: 2 });
    });

    it("TV7: every alarm notifies the topic when it fires and when it recovers", () => {
      const all = Object.values(alarms);
      expect(all.length).toBe(7);
      for (const a of all) {
        expect(a.alarm_actions).toEqual([topicRef(s)]);
        expect(a.ok_actions).toEqual([topicRef(s)]);
      }
    });
  });

  describe("DA7: Kafka consumer lag, 5xx and unhealthy hosts", () => {
    const s = synthWith((scope) =>
      new Alarms(scope, "Alarms", {
        topic: { topicArn: TOPIC_ARN },
        alarms: [
          mskConsumerLagAlarm({ name: "dotnet-api-prod", clusterName: "dotnet-api-prod", consumerGroup: "api", topic: "orders.created", maxOffsetLag: 1000 }),
          ...albAlarms({ name: "dotnet-api-prod-alb", albArnSuffix: "app/dotnet/50dc6c495c0c9188", targetGroupArnSuffix: "targetgroup/api/73e2d6bc24d8a067" }),
        ],
      }),
    );
    const alarms = alarmsByName(s);

    it("DA7: alarms on MSK MaxOffsetLag of the consumer group on its topic", () => {
      expect(alarms["dotnet-api-prod-kafka-lag-api-orders.created"]).toMatchObject({
        namespace: "AWS/Kafka", metric_name: "MaxOffsetLag", statistic: "Maximum", threshold: 1000, comparison_operator: "GreaterThanThreshold",
        dimensions: { "Cluster Name": "dotnet-api-prod", "Consumer Group": "api", Topic: "orders.created" },
      });
    });

    it("DA7: alarms on the 5xx rate", () => {
      expect(alarms["dotnet-api-prod-alb-5xx-rate"].metric_query).toBeDefined();
    });

    it("DA7: alarms when any target is unhealthy", () => {
      expect(alarms["dotnet-api-prod-alb-unhealthy-hosts"]).toMatchObject({
        metric_name: "UnHealthyHostCount", statistic: "Maximum", comparison_operator: "GreaterThanThreshold", threshold: 0,
        dimensions: { LoadBalancer: "app/dotnet/50dc6c495c0c9188", TargetGroup: "targetgroup/api/73e2d6bc24d8a067" },
      });
    });

    it("exposes alarm ARNs and names by spec id", () => {
      let alarmsConstruct: Alarms | undefined;
      synthWith((scope) => {
        alarmsConstruct = new Alarms(scope, "A", { topic: { topicArn: TOPIC_ARN }, alarms: [cpuSpec] });
      });
      expect(Object.keys(alarmsConstruct!.alarmArns)).toEqual(["ServiceCpu"]);
      expect(alarmsConstruct!.alarmNames.ServiceCpu).toMatch(/TfToken/);
    });
  });

  describe("ready-made specs", () => {
    it("use the given thresholds", () => {
      const [cpu, memory] = ecsServiceAlarms({ name: "n", clusterName: "c", serviceName: "s", cpuPercent: 70, memoryPercent: 90, idPrefix: "RuleService" });
      expect([cpu.threshold, memory.threshold]).toEqual([70, 90]);
      expect(cpu.id).toBe("RuleServiceServiceCpu");
    });
    it("skip the unhealthy-hosts alarm without a target group, and the connections alarm without max_connections", () => {
      expect(albAlarms({ name: "n", albArnSuffix: "app/x/1a" }).map((a) => a.id)).toEqual(["Alb5xxRate", "AlbResponseTime"]);
      expect(rdsAlarms({ name: "n", identifier: "db" }).map((a) => a.id)).toEqual(["DbCpu"]);
    });
    it("add a free-storage alarm when asked", () => {
      const storage = rdsAlarms({ name: "n", identifier: "db", freeStorageBytes: 2_000_000_000 }).find((a) => a.id === "DbFreeStorage");
      expect(storage).toMatchObject({ metricName: "FreeStorageSpace", comparison: "<", threshold: 2_000_000_000 });
    });
  });

  describe("with one spec's options", () => {
    const s = synthWith((scope) =>
      new Alarms(scope, "Alarms", {
        topic: { topicArn: TOPIC_ARN },
        alarms: [{ ...cpuSpec, comparison: "<=", periodSeconds: 300, evaluationPeriods: 2, treatMissingData: "breaching" }],
      }),
    );
    it("maps comparison, period, evaluation periods and missing data", () => {
      expect(only(s, "aws_cloudwatch_metric_alarm")).toMatchObject({
        comparison_operator: "LessThanOrEqualToThreshold", period: 300, evaluation_periods: 2, treat_missing_data: "breaching", alarm_actions: [TOPIC_ARN],
      });
    });
  });

  describe("refuses", () => {
    const build = (alarms: MetricAlarmSpec[]) => () => synthWith((scope) => new Alarms(scope, "Alarms", { topic: { topicArn: TOPIC_ARN }, alarms }));

    it("a negative threshold", () => {
      expect(build([{ ...cpuSpec, threshold: -1 }])).toThrow(/test\/Alarms: alarms\[0\]\.threshold = -1 is not allowed; expected a number of at least 0/);
    });
    it("a percentage above 100", () => {
      expect(() => ecsServiceAlarms({ name: "n", clusterName: "c", serviceName: "s", cpuPercent: 120 })).toThrow(/ecsServiceAlarms\(n\): cpuPercent = 120 is not allowed; expected a number from 0 to 100/);
    });
    it("a period that is not 10, 30 or a multiple of 60", () => {
      expect(build([{ ...cpuSpec, periodSeconds: 45 }])).toThrow(/alarms\[0\]\.periodSeconds = 45 is not allowed; expected 10, 30 or a multiple of 60/);
    });
    it("zero evaluation periods", () => {
      expect(build([{ ...cpuSpec, evaluationPeriods: 0 }])).toThrow(/alarms\[0\]\.evaluationPeriods = 0 is not allowed; expected a whole number from 1/);
    });
    it("an evaluation window longer than a day", () => {
      expect(build([{ ...cpuSpec, periodSeconds: 3600, evaluationPeriods: 25 }])).toThrow(/alarms\[0\]\.evaluationPeriods = 25 is not allowed; expected periodSeconds x evaluationPeriods within one day/);
    });
    it("two alarms with the same id", () => {
      expect(build([cpuSpec, { ...cpuSpec, name: "other" }])).toThrow(/alarms\[1\]\.id = "ServiceCpu" is not allowed; expected alarm ids unique/);
    });
    it("an unknown treatMissingData", () => {
      expect(build([{ ...cpuSpec, treatMissingData: "zero" as never }])).toThrow(/alarms\[0\]\.treatMissingData = "zero" is not allowed; expected one of "notBreaching"/);
    });
    it("an alarm name longer than 255 characters", () => {
      const name = "x".repeat(256);
      expect(build([{ ...cpuSpec, name }])).toThrow(/alarms\[0\]\.name = "x{256}" is not allowed; expected at most 255 characters/);
    });
    it("an id that is not PascalCase", () => {
      expect(build([{ ...cpuSpec, id: "service-cpu" }])).toThrow(/alarms\[0\]\.id = "service-cpu" is not allowed; expected a PascalCase construct id/);
    });
    it("an expression without metrics", () => {
      const { namespace: _n, metricName: _m, dimensions: _d, statistic: _s, ...base } = cpuSpec as Extract<MetricAlarmSpec, { namespace: string }>;
      expect(build([{ ...base, expression: "m1 * 2", label: "x", metrics: {} }])).toThrow(/alarms\[0\]\.metrics = \{\} is not allowed; expected at least one metric/);
    });
    it("the unhealthy-hosts alarm without a target group", () => {
      expect(() => albAlarms({ name: "n", albArnSuffix: "app/x/1a", unhealthyHosts: true })).toThrow(/albAlarms\(n\): unhealthyHosts = true is not allowed; .* set targetGroupArnSuffix/);
    });
    it("a load balancer ARN instead of its suffix", () => {
      expect(() => albAlarms({ name: "n", albArnSuffix: "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/x/1a" })).toThrow(/albArnSuffix = "arn:aws:.*" is not allowed; expected an ALB ARN suffix/);
    });
    it("a topic that is not an SNS ARN", () => {
      expect(() => synthWith((scope) => new Alarms(scope, "Alarms", { topic: { topicArn: "alarms" }, alarms: [] }))).toThrow(/topic\.topicArn = "alarms" is not allowed; expected an ARN of the sns service/);
    });
  });
});

describe("XraySamplingRule", () => {
  describe("TV8: at 10 %", () => {
    const s = synthWith((scope) => new XraySamplingRule(scope, "Sampling", { name: "tvmaze-ingestion-prod", fixedRate: 0.1 }));

    it("TV8: samples 10 % of requests beyond one per second, for every service", () => {
      expect(s.json).toHaveResourceWithProperties(XraySamplingRuleResource, {
        rule_name: "tvmaze-ingestion-prod", fixed_rate: 0.1, reservoir_size: 1, priority: 1000, version: 1,
        service_name: "*", service_type: "*", host: "*", http_method: "*", url_path: "*", resource_arn: "*",
      });
    });
  });

  it("shortens the rule name to 32 characters", () => {
    const s = synthWith((scope) => new XraySamplingRule(scope, "Sampling", { name: "alerting-platform-staging-rule-service", fixedRate: 0.05 }));
    expect((only(s, "aws_xray_sampling_rule").rule_name as string).length).toBeLessThanOrEqual(32);
  });

  it("CA8: gives task roles the statements to send traces", () => {
    expect(grantTraceWrite(grantee())[0].actions).toEqual(expect.arrayContaining(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules"]));
  });

  describe("refuses", () => {
    const build = (props: Partial<ConstructorParameters<typeof XraySamplingRule>[2]>) => () =>
      synthWith((scope) => new XraySamplingRule(scope, "Sampling", { name: "sys-dev", fixedRate: 0.1, ...props }));

    it("a fixed rate above 1", () => {
      expect(build({ fixedRate: 10 })).toThrow(/test\/Sampling: fixedRate = 10 is not allowed; expected a number from 0 to 1/);
    });
    it("a negative fixed rate", () => {
      expect(build({ fixedRate: -0.1 })).toThrow(/fixedRate = -0.1 is not allowed/);
    });
    it("a priority outside 1-9999", () => {
      expect(build({ priority: 0 })).toThrow(/priority = 0 is not allowed; expected a whole number from 1 to 9999/);
    });
  });
});
