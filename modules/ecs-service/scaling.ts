/**
 * AP4: target-tracking auto scaling of a service on average CPU and (unless turned off) memory, and the checks of
 * its settings.
 */
import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { capacity, inRange } from "../core";

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
}

export function checkScaling(scope: Construct, props: { readonly scaling?: EcsServiceScaling; readonly desiredCount?: number }): { min: number; desired: number; max: number } {
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
  return sizes;
}

/** AP4: target tracking on average CPU and (unless memoryTargetPercent is false) memory of the service. */
export function addScaling(scope: Construct, clusterName: string, serviceName: string, s: EcsServiceScaling, sizes: { min: number; max: number }): AppautoscalingTarget {
  const target = new AppautoscalingTarget(scope, "ScalingTarget", {
    serviceNamespace: "ecs",
    scalableDimension: "ecs:service:DesiredCount",
    resourceId: `service/${clusterName}/${serviceName}`,
    minCapacity: sizes.min,
    maxCapacity: sizes.max,
  });
  const policy = (id: string, policyName: string, metric: string, value: number) =>
    new AppautoscalingPolicy(scope, id, {
      name: policyName,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: metric },
        targetValue: value,
        scaleOutCooldown: s.scaleOutCooldownSeconds ?? 60,
        scaleInCooldown: s.scaleInCooldownSeconds ?? 300,
        disableScaleIn: false,
      },
    });
  policy("CpuScaling", "cpu-target-tracking", CPU_METRIC, s.cpuTargetPercent ?? 70);
  if (s.memoryTargetPercent !== false) policy("MemoryScaling", "memory-target-tracking", MEMORY_METRIC, s.memoryTargetPercent ?? 80);
  return target;
}
