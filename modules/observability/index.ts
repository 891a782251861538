/**
 * Observability building blocks: an encrypted SNS topic for alarms, alarms from plain specs (with ready-made
 * specs for ECS services, ALBs, RDS and MSK consumer lag) and X-Ray sampling (TV7, TV8, DA7, CA8).
 */
export { AlarmTopic } from "./topic";
export type { AlarmTopicProps } from "./topic";
export { Alarms, checkAlarmSpec } from "./alarms";
export type {
  AlarmComparison, AlarmsProps, AlarmStatistic, ExpressionAlarmSpec, MetricAlarmSpec, MetricSpec, SingleMetricAlarmSpec, TreatMissingData,
} from "./alarms";
export { albAlarms, ecsServiceAlarms, mskConsumerLagAlarm, rdsAlarms } from "./specs";
export type { AlbAlarmsOptions, EcsServiceAlarmsOptions, MskConsumerLagAlarmOptions, RdsAlarmsOptions, SpecIdPrefix } from "./specs";
export { grantTraceWrite, XraySamplingRule } from "./xray";
export type { XraySamplingRuleProps } from "./xray";
