/**
 * Aurora readers beyond Serverless v2: provisioned reader instances (a fixed class beside the serverless writer) and
 * reader auto scaling (Application Auto Scaling on rds:cluster:ReadReplicaCount, tracking the readers' average CPU).
 */
import { Construct } from "constructs";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { fail, inRange, matches, Subject } from "../core";
import { INSTANCE_CLASS } from "./instance-classes";

export interface AuroraReaderAutoScaling {
  /** Fewest readers auto scaling keeps, 0-15. */
  readonly minReaders: number;
  /** Most readers, 1-15, at least minReaders. */
  readonly maxReaders: number;
  /** Average reader CPU (%) to hold, 10-90. @default 70 */
  readonly targetCpuPercent?: number;
}

export function readerClass(subject: Subject, cls: string | undefined): string {
  if (cls === undefined || cls === "db.serverless") return "db.serverless";
  return matches(subject, "engine.readerInstanceClass", cls, INSTANCE_CLASS, "\"db.serverless\" or a provisioned class such as \"db.r6g.large\"");
}

export function checkReaderAutoScaling(subject: Subject, s: AuroraReaderAutoScaling | undefined): Required<AuroraReaderAutoScaling> | undefined {
  if (s === undefined) return undefined;
  const min = inRange(subject, "engine.readerAutoScaling.minReaders", s.minReaders, 0, 15);
  const max = inRange(subject, "engine.readerAutoScaling.maxReaders", s.maxReaders, 1, 15);
  if (min > max) fail(subject, "engine.readerAutoScaling.minReaders", min, `expected minReaders <= maxReaders (${max})`);
  const cpu = inRange(subject, "engine.readerAutoScaling.targetCpuPercent", s.targetCpuPercent ?? 70, 10, 90);
  return { minReaders: min, maxReaders: max, targetCpuPercent: cpu };
}

/** Readers added by auto scaling are created by RDS (named application-autoscaling-...), outside Terraform. */
export function readerAutoScaling(scope: Construct, name: string, clusterIdentifier: string, s: Required<AuroraReaderAutoScaling>): AppautoscalingPolicy {
  const target = new AppautoscalingTarget(scope, "ReaderScalingTarget", {
    serviceNamespace: "rds",
    scalableDimension: "rds:cluster:ReadReplicaCount",
    resourceId: `cluster:${clusterIdentifier}`,
    minCapacity: s.minReaders,
    maxCapacity: s.maxReaders,
  });
  return new AppautoscalingPolicy(scope, "ReaderScalingPolicy", {
    name: `${name}-readers-cpu`,
    policyType: "TargetTrackingScaling",
    serviceNamespace: target.serviceNamespace,
    scalableDimension: target.scalableDimension,
    resourceId: target.resourceId,
    targetTrackingScalingPolicyConfiguration: {
      predefinedMetricSpecification: { predefinedMetricType: "RDSReaderAverageCPUUtilization" },
      targetValue: s.targetCpuPercent,
      scaleInCooldown: 300,
      scaleOutCooldown: 300,
    },
  });
}
