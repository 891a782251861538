/**
 * CloudWatch metric alarms from plain specs, each notifying one SNS topic when it fires and when it recovers.
 * A spec watches one metric, or a metric-math expression over several (e.g. a 5xx rate in percent).
 */
import { Construct } from "constructs";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { arn, fail, inRange, matches, NAME_LIMITS, oneOf, Subject } from "../core";

export type AlarmStatistic = "Average" | "Sum" | "Maximum" | "Minimum" | "SampleCount";
export type AlarmComparison = ">" | ">=" | "<" | "<=";
export type TreatMissingData = "notBreaching" | "breaching" | "ignore" | "missing";

/** One CloudWatch metric. */
export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: AlarmStatistic;
}

interface AlarmSpecBase {
  /** Construct id of the alarm, PascalCase, unique within one Alarms construct. */
  readonly id: string;
  /** Alarm name, 255 characters at most. */
  readonly name: string;
  readonly description: string;
  /** Fires when the value is `comparison` `threshold`. */
  readonly comparison: AlarmComparison;
  readonly threshold: number;
  /** Seconds per data point: 10, 30 or a multiple of 60. @default 60 */
  readonly periodSeconds?: number;
  /** Consecutive breaching periods before the alarm fires. @default 5 */
  readonly evaluationPeriods?: number;
  /** @default "notBreaching" */
  readonly treatMissingData?: TreatMissingData;
}

/** An alarm on one metric. */
export interface SingleMetricAlarmSpec extends AlarmSpecBase, MetricSpec {
  readonly expression?: undefined;
}

/** An alarm on a metric-math expression, e.g. `100 * errors / requests` over metrics keyed by their query id. */
export interface ExpressionAlarmSpec extends AlarmSpecBase {
  /** Metric-math expression over the keys of `metrics`. */
  readonly expression: string;
  /** Label of the computed series, e.g. "5xx rate (%)". */
  readonly label: string;
  /** Query id (lowercase first letter, e.g. "errors") to metric. */
  readonly metrics: Readonly<Record<string, MetricSpec>>;
}

export type MetricAlarmSpec = SingleMetricAlarmSpec | ExpressionAlarmSpec;

export interface AlarmsProps {
  /** Where alarms and recoveries are sent (an AlarmTopic fits). */
  readonly topic: { readonly topicArn: string };
  readonly alarms: readonly MetricAlarmSpec[];
}

const COMPARISON_OPERATORS: Record<AlarmComparison, string> = {
  ">": "GreaterThanThreshold",
  ">=": "GreaterThanOrEqualToThreshold",
  "<": "LessThanThreshold",
  "<=": "LessThanOrEqualToThreshold",
};
const STATISTICS: readonly AlarmStatistic[] = ["Average", "Sum", "Maximum", "Minimum", "SampleCount"];
const TREAT_MISSING: readonly TreatMissingData[] = ["notBreaching", "breaching", "ignore", "missing"];
const QUERY_ID = /^[a-z][A-Za-z0-9_]*$/;
const EXPRESSION_ID = "result";
const ONE_DAY_SECONDS = 86_400;

/** Checks one spec; `at` names it in messages (e.g. "alarms[2]"). Exported for the ready-made spec builders. */
export function checkAlarmSpec(subject: Subject, at: string, spec: MetricAlarmSpec): void {
  matches(subject, `${at}.id`, spec.id, /^[A-Z][A-Za-z0-9]*$/, "a PascalCase construct id such as \"ServiceCpu\"");
  matches(subject, `${at}.name`, spec.name, /^[^\s:][^:]*$/, "an alarm name without \":\" and not starting with a space");
  const limit = NAME_LIMITS.cloudwatchAlarmName;
  if (spec.name.length > limit) fail(subject, `${at}.name`, spec.name, `expected at most ${limit} characters (got ${spec.name.length})`);
  if (spec.description.length > 1024) fail(subject, `${at}.description`, spec.description, "expected at most 1024 characters");
  oneOf<AlarmComparison>(subject, `${at}.comparison`, spec.comparison, [">", ">=", "<", "<="]);
  if (typeof spec.threshold !== "number" || !Number.isFinite(spec.threshold) || spec.threshold < 0) {
    fail(subject, `${at}.threshold`, spec.threshold, "expected a number of at least 0");
  }
  const period = spec.periodSeconds ?? 60;
  if (!(period === 10 || period === 30 || (Number.isInteger(period) && period >= 60 && period % 60 === 0))) {
    fail(subject, `${at}.periodSeconds`, period, "expected 10, 30 or a multiple of 60");
  }
  const evaluations = inRange(subject, `${at}.evaluationPeriods`, spec.evaluationPeriods ?? 5, 1, ONE_DAY_SECONDS / 10);
  if (period * evaluations > ONE_DAY_SECONDS) {
    fail(subject, `${at}.evaluationPeriods`, evaluations, `expected periodSeconds x evaluationPeriods within one day (${ONE_DAY_SECONDS} s); ${period} x ${evaluations} = ${period * evaluations}`);
  }
  oneOf<TreatMissingData>(subject, `${at}.treatMissingData`, spec.treatMissingData ?? "notBreaching", TREAT_MISSING);
  if (spec.expression === undefined) {
    checkMetric(subject, at, spec);
  } else {
    if (typeof spec.expression !== "string" || spec.expression.trim() === "") fail(subject, `${at}.expression`, spec.expression, "expected a metric-math expression");
    const ids = Object.keys(spec.metrics);
    if (ids.length === 0) fail(subject, `${at}.metrics`, spec.metrics, "expected at least one metric for the expression");
    for (const queryId of ids) {
      matches(subject, `${at}.metrics`, queryId, QUERY_ID, "query ids starting with a lowercase letter, then letters, digits and \"_\"");
      if (queryId === EXPRESSION_ID) fail(subject, `${at}.metrics`, queryId, `expected a query id other than "${EXPRESSION_ID}" (the expression's own id)`);
      checkMetric(subject, `${at}.metrics.${queryId}`, spec.metrics[queryId]);
    }
  }
}

function checkMetric(subject: Subject, at: string, metric: MetricSpec): void {
  matches(subject, `${at}.namespace`, metric.namespace, /^[^:].{0,254}$/, "a CloudWatch namespace such as \"AWS/ECS\"");
  matches(subject, `${at}.metricName`, metric.metricName, /^.{1,255}$/, "a metric name of 1 to 255 characters");
  oneOf<AlarmStatistic>(subject, `${at}.statistic`, metric.statistic, STATISTICS);
  const dims = Object.keys(metric.dimensions);
  if (dims.length > 30) fail(subject, `${at}.dimensions`, metric.dimensions, "expected at most 30 dimensions");
}

export class Alarms extends Construct {
  /** Alarm ARN by spec id. */
  readonly alarmArns: Record<string, string> = {};
  /** Alarm name by spec id. */
  readonly alarmNames: Record<string, string> = {};
  readonly resources: Record<string, CloudwatchMetricAlarm> = {};

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    arn(this, "topic.topicArn", props.topic.topicArn, "sns");
    const ids = new Set<string>();
    const names = new Set<string>();
    props.alarms.forEach((spec, i) => {
      checkAlarmSpec(this, `alarms[${i}]`, spec);
      if (ids.has(spec.id)) fail(this, `alarms[${i}].id`, spec.id, "expected alarm ids unique within the Alarms construct");
      if (names.has(spec.name)) fail(this, `alarms[${i}].name`, spec.name, "expected alarm names unique (a second alarm would overwrite the first)");
      ids.add(spec.id);
      names.add(spec.name);
    });

    for (const spec of props.alarms) {
      const period = spec.periodSeconds ?? 60;
      const alarm = new CloudwatchMetricAlarm(this, spec.id, {
        alarmName: spec.name,
        alarmDescription: spec.description,
        comparisonOperator: COMPARISON_OPERATORS[spec.comparison],
        threshold: spec.threshold,
        evaluationPeriods: spec.evaluationPeriods ?? 5,
        treatMissingData: spec.treatMissingData ?? "notBreaching",
        alarmActions: [props.topic.topicArn],
        okActions: [props.topic.topicArn],
        ...(spec.expression === undefined
          ? {
              namespace: spec.namespace,
              metricName: spec.metricName,
              dimensions: { ...spec.dimensions },
              statistic: spec.statistic,
              period,
            }
          : { metricQuery: expressionQueries(spec, period) }),
      });
      this.resources[spec.id] = alarm;
      this.alarmArns[spec.id] = alarm.arn;
      this.alarmNames[spec.id] = alarm.alarmName;
    }
  }
}

function expressionQueries(spec: ExpressionAlarmSpec, period: number): CloudwatchMetricAlarmMetricQuery[] {
  return [
    { id: EXPRESSION_ID, expression: spec.expression, label: spec.label, returnData: true },
    ...Object.entries(spec.metrics).map(([queryId, m]) => ({
      id: queryId,
      returnData: false,
      metric: { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, stat: m.statistic, period },
    })),
  ];
}
