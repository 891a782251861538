/**
 * Ready-made alarm specs for the services in this repository (TV7, DA7): pure functions returning
 * MetricAlarmSpec[] for an Alarms construct. Thresholds are checked here, so a bad percentage fails with the
 * builder's name in the message.
 */
import { fail, inNumberRange, inRange, isToken, matches } from "../core";
import { MetricAlarmSpec, MetricSpec } from "./alarms";

/** Optional PascalCase prefix of the spec ids, to put several services' alarms in one Alarms construct. */
export interface SpecIdPrefix {
  /** @default "" */
  readonly idPrefix?: string;
}

function prefixOf(subject: string, p: SpecIdPrefix): string {
  return matches(subject, "idPrefix", p.idPrefix ?? "", /^([A-Z][A-Za-z0-9]*)?$/, "a PascalCase prefix such as \"RuleService\", or empty");
}

function percent(subject: string, setting: string, value: number): number {
  return inNumberRange(subject, setting, value, 0, 100);
}

function pascal(label: string): string {
  return label.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

export interface EcsServiceAlarmsOptions extends SpecIdPrefix {
  /** Base of the alarm names, e.g. "tvmaze-ingestion-prod-api". */
  readonly name: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** Average CPU of the service's tasks, in percent of what they reserve. @default 80 */
  readonly cpuPercent?: number;
  /** Average memory of the service's tasks, in percent of what they reserve. @default 85 */
  readonly memoryPercent?: number;
}

/** CPU and memory of an ECS service (AWS/ECS, average over the service's tasks). */
export function ecsServiceAlarms(p: EcsServiceAlarmsOptions): MetricAlarmSpec[] {
  const subject = `ecsServiceAlarms(${p.name})`;
  const prefix = prefixOf(subject, p);
  const cpu = percent(subject, "cpuPercent", p.cpuPercent ?? 80);
  const memory = percent(subject, "memoryPercent", p.memoryPercent ?? 85);
  const dimensions = { ClusterName: p.clusterName, ServiceName: p.serviceName };
  return [
    {
      id: `${prefix}ServiceCpu`, name: `${p.name}-cpu-high`, description: `CPU of ${p.serviceName} above ${cpu} %`,
      namespace: "AWS/ECS", metricName: "CPUUtilization", dimensions, statistic: "Average", comparison: ">", threshold: cpu,
    },
    {
      id: `${prefix}ServiceMemory`, name: `${p.name}-memory-high`, description: `Memory of ${p.serviceName} above ${memory} %`,
      namespace: "AWS/ECS", metricName: "MemoryUtilization", dimensions, statistic: "Average", comparison: ">", threshold: memory,
    },
  ];
}

export interface AlbAlarmsOptions extends SpecIdPrefix {
  readonly name: string;
  /** The load balancer's ARN suffix ("app/<name>/<id>", the `arnSuffix` attribute). */
  readonly albArnSuffix: string;
  /** A target group's ARN suffix ("targetgroup/<name>/<id>"): narrows the 5xx and latency alarms to it, and enables the unhealthy-hosts alarm. */
  readonly targetGroupArnSuffix?: string;
  /** Target 5xx responses in percent of requests. @default 5 */
  readonly error5xxPercent?: number;
  /** Average target response time in seconds. @default 2 */
  readonly responseTimeSeconds?: number;
  /** Alarm when any target is unhealthy (needs targetGroupArnSuffix). @default true when targetGroupArnSuffix is set */
  readonly unhealthyHosts?: boolean;
}

/** 5xx rate (metric math: 5xx count / request count x 100), response time and unhealthy hosts of an ALB. */
export function albAlarms(p: AlbAlarmsOptions): MetricAlarmSpec[] {
  const subject = `albAlarms(${p.name})`;
  const prefix = prefixOf(subject, p);
  if (!isToken(p.albArnSuffix)) matches(subject, "albArnSuffix", p.albArnSuffix, /^app\/[^/]+\/[0-9a-f]+$/, "an ALB ARN suffix such as \"app/my-alb/50dc6c495c0c9188\"");
  const tg = p.targetGroupArnSuffix;
  if (tg !== undefined && !isToken(tg)) matches(subject, "targetGroupArnSuffix", tg, /^targetgroup\/[^/]+\/[0-9a-f]+$/, "a target group ARN suffix such as \"targetgroup/my-tg/73e2d6bc24d8a067\"");
  const errorPercent = percent(subject, "error5xxPercent", p.error5xxPercent ?? 5);
  const responseSeconds = inNumberRange(subject, "responseTimeSeconds", p.responseTimeSeconds ?? 2, 0, 4000);
  if (p.unhealthyHosts === true && tg === undefined) {
    fail(subject, "unhealthyHosts", true, "the unhealthy-hosts alarm watches a target group; set targetGroupArnSuffix");
  }
  const unhealthy = (p.unhealthyHosts ?? true) && tg !== undefined;
  const dimensions: Record<string, string> = tg !== undefined ? { LoadBalancer: p.albArnSuffix, TargetGroup: tg } : { LoadBalancer: p.albArnSuffix };
  const metric = (metricName: string, statistic: MetricSpec["statistic"]): MetricSpec => ({ namespace: "AWS/ApplicationELB", metricName, dimensions, statistic });

  const specs: MetricAlarmSpec[] = [
    {
      id: `${prefix}Alb5xxRate`, name: `${p.name}-5xx-rate`, description: `Target 5xx responses above ${errorPercent} % of requests`,
      // No 5xx in a minute means no data point for the count: FILL keeps the rate at 0 instead of missing.
      expression: "100 * FILL(errors, 0) / requests", label: "Target 5xx rate (%)",
      metrics: { errors: metric("HTTPCode_Target_5XX_Count", "Sum"), requests: metric("RequestCount", "Sum") },
      comparison: ">", threshold: errorPercent,
    },
    {
      id: `${prefix}AlbResponseTime`, name: `${p.name}-response-time`, description: `Average target response time above ${responseSeconds} s`,
      ...metric("TargetResponseTime", "Average"), comparison: ">", threshold: responseSeconds,
    },
  ];
  if (unhealthy) {
    specs.push({
      id: `${prefix}AlbUnhealthyHosts`, name: `${p.name}-unhealthy-hosts`, description: "At least one target failing its health check",
      ...metric("UnHealthyHostCount", "Maximum"), comparison: ">", threshold: 0, evaluationPeriods: 3,
    });
  }
  return specs;
}

export interface RdsAlarmsOptions extends SpecIdPrefix {
  readonly name: string;
  /** DB instance identifier. */
  readonly identifier: string;
  /** The instance's max_connections; the connections alarm is created only when it is given. @default none */
  readonly maxConnections?: number;
  /** Connections in percent of maxConnections. @default 80 */
  readonly connectionsPercent?: number;
  /** @default 80 */
  readonly cpuPercent?: number;
  /** Alarm when free storage falls below this many bytes. @default none */
  readonly freeStorageBytes?: number;
}

/** CPU, connections (as a share of max_connections) and free storage of an RDS instance. */
export function rdsAlarms(p: RdsAlarmsOptions): MetricAlarmSpec[] {
  const subject = `rdsAlarms(${p.name})`;
  const prefix = prefixOf(subject, p);
  const cpu = percent(subject, "cpuPercent", p.cpuPercent ?? 80);
  const connectionsPercent = percent(subject, "connectionsPercent", p.connectionsPercent ?? 80);
  const dimensions = { DBInstanceIdentifier: p.identifier };
  const specs: MetricAlarmSpec[] = [
    {
      id: `${prefix}DbCpu`, name: `${p.name}-db-cpu-high`, description: `CPU of ${p.identifier} above ${cpu} %`,
      namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions, statistic: "Average", comparison: ">", threshold: cpu,
    },
  ];
  if (p.maxConnections !== undefined) {
    const max = inRange(subject, "maxConnections", p.maxConnections, 1, 262_143);
    const threshold = Math.floor((max * connectionsPercent) / 100);
    specs.push({
      id: `${prefix}DbConnections`, name: `${p.name}-db-connections-high`,
      description: `Connections to ${p.identifier} above ${connectionsPercent} % of ${max} (${threshold})`,
      namespace: "AWS/RDS", metricName: "DatabaseConnections", dimensions, statistic: "Maximum", comparison: ">", threshold,
    });
  }
  if (p.freeStorageBytes !== undefined) {
    const bytes = inRange(subject, "freeStorageBytes", p.freeStorageBytes, 1, Number.MAX_SAFE_INTEGER);
    specs.push({
      id: `${prefix}DbFreeStorage`, name: `${p.name}-db-free-storage-low`, description: `Free storage of ${p.identifier} below ${bytes} bytes`,
      namespace: "AWS/RDS", metricName: "FreeStorageSpace", dimensions, statistic: "Minimum", comparison: "<", threshold: bytes,
    });
  }
  return specs;
}

export interface MskConsumerLagAlarmOptions {
  readonly name: string;
  readonly clusterName: string;
  readonly consumerGroup: string;
  readonly topic: string;
  /** Largest offset lag of any partition of the topic tolerated for the consumer group. */
  readonly maxOffsetLag: number;
}

/** Consumer lag of one consumer group on one topic of an MSK cluster (AWS/Kafka MaxOffsetLag, DA7). */
export function mskConsumerLagAlarm(p: MskConsumerLagAlarmOptions): MetricAlarmSpec {
  const subject = `mskConsumerLagAlarm(${p.name})`;
  const lag = inRange(subject, "maxOffsetLag", p.maxOffsetLag, 0, Number.MAX_SAFE_INTEGER);
  // MSK emits no lag for consumer groups whose name holds ":"; CloudWatch dimension values are ASCII.
  matches(subject, "consumerGroup", p.consumerGroup, /^[\x20-\x39\x3b-\x7e]{1,255}$/, "an ASCII consumer group name without \":\"");
  matches(subject, "topic", p.topic, /^[A-Za-z0-9._-]{1,249}$/, "a Kafka topic name (letters, digits, \".\", \"_\", \"-\")");
  return {
    id: `KafkaLag${pascal(p.consumerGroup)}${pascal(p.topic)}`,
    name: `${p.name}-kafka-lag-${p.consumerGroup}-${p.topic}`,
    description: `Consumer group ${p.consumerGroup} more than ${lag} messages behind on ${p.topic}`,
    namespace: "AWS/Kafka",
    metricName: "MaxOffsetLag",
    dimensions: { "Cluster Name": p.clusterName, "Consumer Group": p.consumerGroup, Topic: p.topic },
    statistic: "Maximum",
    comparison: ">",
    threshold: lag,
  };
}
