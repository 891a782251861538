/**
 * AP4: target-tracking auto scaling of a service on average CPU and (unless turned off) memory, and the checks of
 * its settings.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { AppautoscalingPolicy, AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { arn, capacity, dnsLabel, fail, inNumberRange, inRange, matches, oneOf } from "../core";

/** "peak-hours" -> "PeakHours": construct ids from user-chosen names. */
const pascal = (name: string): string => name.split("-").filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("");

/** Target tracking on requests per target of the service's ALB target group (ALBRequestCountPerTarget). */
export interface RequestCountScaling {
  /** Requests per target (per minute) to hold, 1-100000. */
  readonly perTarget: number;
  /** ARN of the ALB in front of the service's target group (loadBalancer.targetGroupArn). */
  readonly loadBalancerArn: string;
}

/** Target tracking on one CloudWatch metric the application publishes (customized metric specification). */
export interface CustomMetricScaling {
  /** Policy name suffix, a lowercase DNS label, unique among the service's metrics. */
  readonly name: string;
  readonly namespace: string;
  readonly metricName: string;
  /** @default {} */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** @default "Average" */
  readonly statistic?: "Average" | "Sum" | "Maximum" | "Minimum" | "SampleCount";
  readonly targetValue: number;
}

/** A scheduled change of the task range (aws_appautoscaling_scheduled_action). */
export interface ScheduledScaling {
  /** Action name suffix, a lowercase DNS label, unique among the service's schedules. */
  readonly name: string;
  /** "cron(0 7 ? * MON-FRI *)", "rate(1 day)" or "at(2026-12-24T18:00:00)". */
  readonly schedule: string;
  readonly minCount?: number;
  readonly maxCount?: number;
  /** IANA time zone of the schedule. @default "UTC" */
  readonly timezone?: string;
}

const CPU_METRIC = "ECSServiceAverageCPUUtilization";
const MEMORY_METRIC = "ECSServiceAverageMemoryUtilization";

export interface EcsServiceScaling {
  readonly minCount: number;
  readonly maxCount: number;
  /** Average CPU utilisation to hold, 10-95. @default 70 */
  readonly cpuTargetPercent?: number;
  /** Average memory utilisation to hold, 10-95; false scales on CPU only (no memory policy). @default 80 */
  readonly memoryTargetPercent?: number | false;
  /** @default 60 */
  readonly scaleOutCooldownSeconds?: number;
  /** @default 300 */
  readonly scaleInCooldownSeconds?: number;
  /** ALBRequestCountPerTarget target tracking; needs loadBalancer on the service. @default none */
  readonly requestCount?: RequestCountScaling;
  /** Target tracking on custom CloudWatch metrics. @default [] */
  readonly customMetrics?: readonly CustomMetricScaling[];
  /** Scheduled changes of minCount/maxCount (e.g. fewer tasks at night). @default [] */
  readonly schedules?: readonly ScheduledScaling[];
}

export function checkScaling(scope: Construct, props: { readonly scaling?: EcsServiceScaling; readonly desiredCount?: number; readonly loadBalancer?: unknown }): { min: number; desired: number; max: number } {
  const s = props.scaling;
  if (!s) {
    const desired = inRange(scope, "desiredCount", props.desiredCount ?? 1, 0, 5000);
    return { min: desired, desired, max: desired };
  }
  inRange(scope, "scaling.minCount", s.minCount, 0, 5000);
  inRange(scope, "scaling.maxCount", s.maxCount, 1, 5000);
  const sizes = capacity(
    scope,
    { min: "scaling.minCount", desired: "desiredCount", max: "scaling.maxCount" },
    { min: s.minCount, desired: props.desiredCount ?? s.minCount, max: s.maxCount },
  );
  inRange(scope, "scaling.cpuTargetPercent", s.cpuTargetPercent ?? 70, 10, 95);
  if (s.memoryTargetPercent !== false) inRange(scope, "scaling.memoryTargetPercent", s.memoryTargetPercent ?? 80, 10, 95);
  inRange(scope, "scaling.scaleOutCooldownSeconds", s.scaleOutCooldownSeconds ?? 60, 0, 3600);
  inRange(scope, "scaling.scaleInCooldownSeconds", s.scaleInCooldownSeconds ?? 300, 0, 3600);
  if (s.requestCount !== undefined) {
    if (!props.loadBalancer) fail(scope, "scaling.requestCount", s.requestCount, "expected loadBalancer on the service: requests are counted per target of its target group");
    inRange(scope, "scaling.requestCount.perTarget", s.requestCount.perTarget, 1, 100000);
    arn(scope, "scaling.requestCount.loadBalancerArn", s.requestCount.loadBalancerArn, "elasticloadbalancing");
  }
  const names = new Set<string>();
  (s.customMetrics ?? []).forEach((m, i) => {
    const at = `scaling.customMetrics[${i}]`;
    dnsLabel(scope, `${at}.name`, m.name, 40);
    if (names.has(m.name)) fail(scope, `${at}.name`, m.name, "expected each custom metric name once");
    names.add(m.name);
    matches(scope, `${at}.namespace`, m.namespace, /^[^:][^:]{0,254}$/, "a CloudWatch namespace: 1-255 characters, no \":\"");
    if (m.namespace.startsWith("AWS/")) fail(scope, `${at}.namespace`, m.namespace, "expected the application's own namespace; \"AWS/\" is reserved for AWS metrics");
    matches(scope, `${at}.metricName`, m.metricName, /^.{1,255}$/, "a metric name of 1-255 characters");
    oneOf(scope, `${at}.statistic`, m.statistic ?? "Average", ["Average", "Sum", "Maximum", "Minimum", "SampleCount"]);
    inNumberRange(scope, `${at}.targetValue`, m.targetValue, 0.000001, 1e9);
  });
  const schedules = new Set<string>();
  (s.schedules ?? []).forEach((x, i) => {
    const at = `scaling.schedules[${i}]`;
    dnsLabel(scope, `${at}.name`, x.name, 40);
    if (schedules.has(x.name)) fail(scope, `${at}.name`, x.name, "expected each schedule name once");
    schedules.add(x.name);
    matches(scope, `${at}.schedule`, x.schedule, /^(cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\))$/, "cron(<6 fields>), rate(<n> <unit>) or at(yyyy-mm-ddThh:mm:ss)");
    if (x.minCount === undefined && x.maxCount === undefined) fail(scope, `${at}`, x.name, "expected minCount, maxCount or both: a schedule changes the task range");
    if (x.minCount !== undefined) inRange(scope, `${at}.minCount`, x.minCount, 0, 5000);
    if (x.maxCount !== undefined) inRange(scope, `${at}.maxCount`, x.maxCount, 1, 5000);
    if (x.minCount !== undefined && x.maxCount !== undefined && x.minCount > x.maxCount) fail(scope, `${at}.minCount`, x.minCount, `expected at most maxCount (${x.maxCount})`);
    matches(scope, `${at}.timezone`, x.timezone ?? "UTC", /^(UTC|[A-Z][A-Za-z_]+(\/[A-Za-z_+-]+){1,2})$/, "an IANA time zone such as \"Europe/Berlin\" or \"UTC\"");
  });
  return sizes;
}

/** AP4: target tracking on average CPU and (unless memoryTargetPercent is false) memory of the service. */
export function addScaling(scope: Construct, clusterName: string, serviceName: string, s: EcsServiceScaling, sizes: { min: number; max: number }, targetGroupArn?: string): AppautoscalingTarget {
  const target = new AppautoscalingTarget(scope, "ScalingTarget", {
    serviceNamespace: "ecs",
    scalableDimension: "ecs:service:DesiredCount",
    resourceId: `service/${clusterName}/${serviceName}`,
    minCapacity: sizes.min,
    maxCapacity: sizes.max,
  });
  const policy = (id: string, policyName: string, metric: Pick<AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration, "predefinedMetricSpecification" | "customizedMetricSpecification">, value: number) =>
    new AppautoscalingPolicy(scope, id, {
      name: policyName,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        ...metric,
        targetValue: value,
        scaleOutCooldown: s.scaleOutCooldownSeconds ?? 60,
        scaleInCooldown: s.scaleInCooldownSeconds ?? 300,
        disableScaleIn: false,
      },
    });
  policy("CpuScaling", "cpu-target-tracking", { predefinedMetricSpecification: { predefinedMetricType: CPU_METRIC } }, s.cpuTargetPercent ?? 70);
  if (s.memoryTargetPercent !== false) policy("MemoryScaling", "memory-target-tracking", { predefinedMetricSpecification: { predefinedMetricType: MEMORY_METRIC } }, s.memoryTargetPercent ?? 80);
  if (s.requestCount && targetGroupArn) {
    // "app/<alb>/<id>/targetgroup/<group>/<id>": the load balancer's ARN suffix, then the target group's.
    const resourceLabel = Fn.format("%s/%s", [Fn.element(Fn.split(":loadbalancer/", s.requestCount.loadBalancerArn), 1), Fn.element(Fn.split(":", targetGroupArn), 5)]);
    policy("RequestCountScaling", "requests-per-target-tracking", { predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel } }, s.requestCount.perTarget);
  }
  for (const m of s.customMetrics ?? []) {
    const dimensions = Object.keys(m.dimensions ?? {}).sort().map((name) => ({ name, value: m.dimensions![name] }));
    policy(`CustomScaling${pascal(m.name)}`, `${m.name}-target-tracking`, {
      customizedMetricSpecification: { namespace: m.namespace, metricName: m.metricName, statistic: m.statistic ?? "Average", ...(dimensions.length > 0 ? { dimensions } : {}) },
    }, m.targetValue);
  }
  for (const x of s.schedules ?? []) {
    new AppautoscalingScheduledAction(scope, `Schedule${pascal(x.name)}`, {
      name: `${serviceName}-${x.name}`,
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      schedule: x.schedule,
      timezone: x.timezone ?? "UTC",
      scalableTargetAction: { ...(x.minCount !== undefined ? { minCapacity: String(x.minCount) } : {}), ...(x.maxCount !== undefined ? { maxCapacity: String(x.maxCount) } : {}) },
    });
  }
  return target;
}
