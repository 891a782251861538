/**
 * MSK options checked at synth: broker storage auto scaling (Application Auto Scaling on
 * kafka:broker-storage:VolumeSize), SASL/SCRAM beside IAM (secrets named AmazonMSK_*, encrypted with a customer key),
 * and custom server properties merged over the module's.
 */
import { Construct } from "constructs";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { MskScramSecretAssociation } from "@cdktf/provider-aws/lib/msk-scram-secret-association";
import { fail, inRange, isToken, matches, nonEmpty, Subject } from "../core";

export interface MskStorageAutoScaling {
  /** Largest EBS volume per broker the scaling may reach, GiB, above volumeGiB and at most 16384. */
  readonly maxVolumeGiB: number;
  /** Disk use (%) the scaling keeps brokers at, 10-90. @default 60 */
  readonly targetUtilizationPercent?: number;
}

export interface MskScram {
  /**
   * Secrets Manager secrets of SCRAM users: each named AmazonMSK_..., encrypted with a customer-managed key (MSK
   * refuses the AWS-managed one), holding {"username","password"}.
   */
  readonly secretArns: readonly string[];
}

export type ServerPropertyValue = string | number | boolean;

const SCRAM_SECRET = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:AmazonMSK_[A-Za-z0-9/_+=.@-]+$/;
const PROPERTY = /^[a-z][a-z0-9._-]*$/;

export function checkStorageAutoScaling(subject: Subject, scaling: MskStorageAutoScaling | undefined, volumeGiB: number): Required<MskStorageAutoScaling> | undefined {
  if (scaling === undefined) return undefined;
  const max = inRange(subject, "storageAutoScaling.maxVolumeGiB", scaling.maxVolumeGiB, volumeGiB + 1, 16384);
  const target = inRange(subject, "storageAutoScaling.targetUtilizationPercent", scaling.targetUtilizationPercent ?? 60, 10, 90);
  return { maxVolumeGiB: max, targetUtilizationPercent: target };
}

export function checkScram(subject: Subject, scram: MskScram | undefined): readonly string[] | undefined {
  if (scram === undefined) return undefined;
  nonEmpty(subject, "scram.secretArns", scram.secretArns);
  scram.secretArns.forEach((a, i) => {
    if (!isToken(a)) matches(subject, `scram.secretArns[${i}]`, a, SCRAM_SECRET, "a Secrets Manager secret ARN whose name starts with \"AmazonMSK_\" (MSK only associates those)");
    if (scram.secretArns.indexOf(a) !== i) fail(subject, `scram.secretArns[${i}]`, a, "expected each secret once");
  });
  return scram.secretArns;
}

/** The module's properties with the custom ones merged over them, as server.properties lines (sorted). */
export function serverPropertiesText(subject: Subject, base: Readonly<Record<string, string>>, custom: Readonly<Record<string, ServerPropertyValue>> | undefined): string {
  const merged: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(custom ?? {})) {
    matches(subject, "serverProperties", key, PROPERTY, "Kafka property names such as \"log.retention.hours\"");
    if (!["string", "number", "boolean"].includes(typeof value) || String(value).length === 0 || /[\r\n]/.test(String(value))) {
      fail(subject, `serverProperties.${key}`, value, "expected a single-line string, number or boolean");
    }
    merged[key] = String(value);
  }
  return Object.keys(merged).sort().map((k) => `${k}=${merged[k]}`).join("\n");
}

/** Target tracking on broker disk use, scaling storage up only (MSK cannot shrink a volume). */
export function storageScaling(scope: Construct, clusterArn: string, clusterName: string, scaling: Required<MskStorageAutoScaling>): AppautoscalingPolicy {
  const target = new AppautoscalingTarget(scope, "StorageScalingTarget", {
    serviceNamespace: "kafka",
    scalableDimension: "kafka:broker-storage:VolumeSize",
    resourceId: clusterArn,
    minCapacity: 1,
    maxCapacity: scaling.maxVolumeGiB,
  });
  return new AppautoscalingPolicy(scope, "StorageScalingPolicy", {
    name: `${clusterName}-broker-storage`,
    policyType: "TargetTrackingScaling",
    serviceNamespace: target.serviceNamespace,
    scalableDimension: target.scalableDimension,
    resourceId: target.resourceId,
    targetTrackingScalingPolicyConfiguration: {
      predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
      targetValue: scaling.targetUtilizationPercent,
      disableScaleIn: true,
    },
  });
}

export function scramAssociation(scope: Construct, clusterArn: string, secretArns: readonly string[]): MskScramSecretAssociation {
  return new MskScramSecretAssociation(scope, "ScramSecrets", { clusterArn, secretArnList: [...secretArns] });
}
