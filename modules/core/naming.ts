/**
 * Physical names, from one place that knows AWS length limits.
 *
 * A physical name is `<prefix>-<component>`, where the prefix is `<system>-<env>` and the component is what the
 * module calls the thing (`rule-service`, `db`). Two policies:
 * - `fitName`: for names no human types (target groups, load balancers, cache ids). When the whole name is too
 *   long, the prefix is shortened deterministically (its head plus a 6-character hash of the full name), so the
 *   same input always gives the same name and two long names stay distinct.
 * - `exactName`: for names people and pipelines refer to (ECR repositories, buckets, log groups, services). Too
 *   long is refused with a ConfigError.
 * Either way, a component that cannot fit even beside a shortened prefix is refused.
 */
import { createHash } from "node:crypto";
import { fail, Subject } from "./errors";

/** Name length limits of the AWS resources this repository names. */
export const NAME_LIMITS = {
  albName: 32,
  targetGroupName: 32,
  elasticacheReplicationGroupId: 40,
  elasticacheClusterId: 50,
  rdsIdentifier: 63,
  docdbIdentifier: 63,
  s3Bucket: 63,
  ecrRepository: 256,
  ecsClusterName: 255,
  ecsServiceName: 255,
  iamRoleName: 64,
  iamRoleNamePrefix: 38,
  iamPolicyName: 128,
  securityGroupName: 255,
  logGroupName: 512,
  mskClusterName: 64,
  eksClusterName: 100,
  sqsQueueName: 80,
  wafName: 128,
  snsTopicName: 256,
  dynamodbTableName: 255,
  secretName: 512,
  ssmParameterName: 1011,
  cloudMapNamespace: 253,
  launchTemplateName: 128,
  autoscalingGroupName: 255,
  codedeployName: 100,
  cognitoUserPoolName: 128,
  apiGatewayName: 1024,
  xraySamplingRuleName: 32,
  efsCreationToken: 64,
  kmsAlias: 256,
  cloudwatchAlarmName: 255,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

const HASH_LENGTH = 6;

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, HASH_LENGTH);
}

function join(prefix: string, component: string): string {
  return component ? `${prefix}-${component}` : prefix;
}

/**
 * `<prefix>-<component>`, shortened deterministically to the limit of `kind` when needed.
 * The component is kept whole; the prefix gives way.
 */
export function fitName(subject: Subject, setting: string, prefix: string, component: string, kind: NameKind): string {
  const limit = NAME_LIMITS[kind];
  const full = join(prefix, component);
  if (full.length <= limit) return full;
  // "<head>-<hash>-<component>" with a head of at least one character.
  const room = limit - component.length - HASH_LENGTH - 2;
  if (room < 1) {
    fail(subject, setting, component, `expected at most ${limit - HASH_LENGTH - 3} characters so that "${prefix}-${component}" fits the ${limit}-character limit of ${kind} after shortening the prefix`);
  }
  const head = prefix.slice(0, room).replace(/-+$/, "");
  return `${head}-${hash(full)}-${component}`.replace(/-+$/, "");
}

/** `<prefix>-<component>` exactly, or a ConfigError when it exceeds the limit of `kind`. */
export function exactName(subject: Subject, setting: string, prefix: string, component: string, kind: NameKind): string {
  const limit = NAME_LIMITS[kind];
  const full = join(prefix, component);
  if (full.length > limit) {
    fail(subject, setting, component, `"${full}" is ${full.length} characters; the ${kind} limit is ${limit}, so the name may have at most ${Math.max(0, limit - prefix.length - 1)} characters after "${prefix}-"`);
  }
  return full;
}
