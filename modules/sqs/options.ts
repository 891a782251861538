/**
 * The queue's optional settings, checked at synth: extra queue-policy statements (SNS, EventBridge or S3 delivering
 * to the queue), FIFO deduplication and throughput, and the dead-letter-queue depth alarm.
 */
import { arn, fail, inRange, isToken, matches, oneOf, refuse, Subject } from "../core";

/** One extra statement of the queue policy, e.g. an SNS topic or an EventBridge rule allowed to send. */
export interface QueuePolicyStatement {
  /** Statement id, letters and digits, unique in the policy (not "DenyInsecureTransport"). */
  readonly sid: string;
  /** Service principal allowed, e.g. "sns.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com"; or give `awsPrincipals`. */
  readonly service?: string;
  /** IAM principals (account or role ARNs, or 12-digit account ids) allowed instead of a service. */
  readonly awsPrincipals?: readonly string[];
  /** SQS actions. @default ["sqs:SendMessage"] */
  readonly actions?: readonly string[];
  /** Only requests on behalf of these resources (aws:SourceArn, e.g. the topic or rule ARN): the confused-deputy guard. @default none (required for a service principal) */
  readonly sourceArns?: readonly string[];
  /** Only requests on behalf of this account (aws:SourceAccount). @default none */
  readonly sourceAccount?: string;
}

/** FIFO deduplication and throughput (FIFO queues only). */
export interface FifoSettings {
  /** Deduplicate on a SHA-256 of the body when the sender gives no deduplication id. @default false */
  readonly contentBasedDeduplication?: boolean;
  /** "queue" or "messageGroup" (high throughput needs "messageGroup"). @default "queue" */
  readonly deduplicationScope?: "queue" | "messageGroup";
  /** "perQueue" or "perMessageGroupId" (high-throughput FIFO). @default "perQueue" */
  readonly throughputLimit?: "perQueue" | "perMessageGroupId";
}

/** A CloudWatch alarm on the dead-letter queue's depth (ApproximateNumberOfMessagesVisible > threshold). */
export interface DeadLetterAlarm {
  /** SNS topic the alarm (and its recovery) notifies. */
  readonly topicArn: string;
  /** Messages in the DLQ above which it alarms, 0-100000. @default 0 (any dead-lettered message) */
  readonly threshold?: number;
  /** Period of the metric in seconds, 60-86400, a multiple of 60. @default 300 */
  readonly periodSeconds?: number;
}

const SID = /^[A-Za-z0-9]+$/;
const SERVICE = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;
const ACCOUNT = /^\d{12}$/;

function jsonPolicyStatement(s: QueuePolicyStatement, queueArn: string): Record<string, unknown> {
  const principal = s.service ? { Service: s.service } : { AWS: [...(s.awsPrincipals ?? [])] };
  const conditions: Record<string, Record<string, string | string[]>> = {};
  if (s.sourceArns?.length) conditions.ArnLike = { "aws:SourceArn": [...s.sourceArns] };
  if (s.sourceAccount) conditions.StringEquals = { "aws:SourceAccount": s.sourceAccount };
  return {
    Sid: s.sid,
    Effect: "Allow",
    Principal: principal,
    Action: [...(s.actions ?? ["sqs:SendMessage"])],
    Resource: queueArn,
    ...(Object.keys(conditions).length ? { Condition: conditions } : {}),
  };
}

/** Checks the extra statements and returns them rendered for `queueArn`. */
export function policyStatements(subject: Subject, statements: readonly QueuePolicyStatement[] | undefined, queueArn: string): Record<string, unknown>[] {
  if (statements === undefined) return [];
  if (!Array.isArray(statements)) fail(subject, "policyStatements", statements, "expected a list of statements");
  const sids = new Set<string>(["DenyInsecureTransport"]);
  statements.forEach((s, i) => {
    const at = `policyStatements[${i}]`;
    matches(subject, `${at}.sid`, s.sid, SID, "letters and digits only");
    if (sids.has(s.sid)) fail(subject, `${at}.sid`, s.sid, "expected a statement id not used by another statement (DenyInsecureTransport is the module's)");
    sids.add(s.sid);
    refuse(subject, `${at}.service`, s.service, (s.service === undefined) === (s.awsPrincipals === undefined), "expected exactly one of service or awsPrincipals");
    if (s.service !== undefined) {
      matches(subject, `${at}.service`, s.service, SERVICE, "a service principal such as \"sns.amazonaws.com\"");
      // A service principal without a source condition lets any account's topic or rule write to the queue.
      refuse(subject, `${at}.sourceArns`, s.sourceArns, !s.sourceArns?.length && !s.sourceAccount, "expected sourceArns or sourceAccount with a service principal (confused-deputy guard)");
    }
    (s.awsPrincipals ?? []).forEach((p: string, j: number) => {
      if (!isToken(p) && !ACCOUNT.test(p)) arn(subject, `${at}.awsPrincipals[${j}]`, p, "iam");
    });
    (s.actions ?? []).forEach((a: string, j: number) => matches(subject, `${at}.actions[${j}]`, a, /^sqs:[A-Za-z*]+$/, "an SQS action such as \"sqs:SendMessage\""));
    refuse(subject, `${at}.actions`, s.actions, s.actions !== undefined && s.actions.length === 0, "expected at least one action");
    (s.sourceArns ?? []).forEach((a: string, j: number) => arn(subject, `${at}.sourceArns[${j}]`, a));
    if (s.sourceAccount !== undefined && !isToken(s.sourceAccount)) matches(subject, `${at}.sourceAccount`, s.sourceAccount, ACCOUNT, "a 12-digit account id");
  });
  return statements.map((s) => jsonPolicyStatement(s, queueArn));
}

/** The aws_sqs_queue attributes of the FIFO settings; refuses them on a standard queue. */
export function fifoAttributes(subject: Subject, fifo: boolean, settings: FifoSettings | undefined): Record<string, unknown> {
  if (!fifo) {
    refuse(subject, "fifoSettings", settings, settings !== undefined, "expected no fifoSettings on a standard queue; set fifo: true");
    return {};
  }
  const scope = oneOf(subject, "fifoSettings.deduplicationScope", settings?.deduplicationScope ?? "queue", ["queue", "messageGroup"]);
  const limit = oneOf(subject, "fifoSettings.throughputLimit", settings?.throughputLimit ?? "perQueue", ["perQueue", "perMessageGroupId"]);
  refuse(subject, "fifoSettings.throughputLimit", limit, limit === "perMessageGroupId" && scope !== "messageGroup", "expected deduplicationScope \"messageGroup\" with throughputLimit \"perMessageGroupId\" (high-throughput FIFO)");
  const contentBased = settings?.contentBasedDeduplication ?? false;
  if (typeof contentBased !== "boolean") fail(subject, "fifoSettings.contentBasedDeduplication", contentBased, "expected true or false");
  return { fifoQueue: true, contentBasedDeduplication: contentBased, deduplicationScope: scope, fifoThroughputLimit: limit };
}

/** The checked alarm settings. */
export function deadLetterAlarmSettings(subject: Subject, alarm: DeadLetterAlarm, hasDeadLetter: boolean): Required<DeadLetterAlarm> {
  refuse(subject, "deadLetterAlarm", alarm, !hasDeadLetter, "expected a dead-letter queue (deadLetter not false) to alarm on");
  arn(subject, "deadLetterAlarm.topicArn", alarm.topicArn, "sns");
  const threshold = inRange(subject, "deadLetterAlarm.threshold", alarm.threshold ?? 0, 0, 100000);
  const period = inRange(subject, "deadLetterAlarm.periodSeconds", alarm.periodSeconds ?? 300, 60, 86400);
  if (period % 60 !== 0) fail(subject, "deadLetterAlarm.periodSeconds", period, "expected a multiple of 60");
  return { topicArn: alarm.topicArn, threshold, periodSeconds: period };
}
