/** Topics declared as data: checked at synth, created by a one-shot container with kafka-topics.sh. */
import { Construct } from "constructs";
import { fail, inRange, matches, nonEmpty } from "../core";
import { KafkaTopic } from "./types";

const MAX_TOPIC_NAME = 249;
const MAX_PARTITIONS = 1000;

/** Refuses bad names, duplicates (including names Kafka's metrics cannot tell apart) and impossible sizes. */
export function checkTopics(scope: Construct, topics: readonly KafkaTopic[], brokers: number): readonly KafkaTopic[] {
  nonEmpty(scope, "topics", topics);
  const seen = new Map<string, string>();
  topics.forEach((t, i) => {
    const at = `topics[${i}]`;
    matches(scope, `${at}.name`, t.name, /^[a-zA-Z0-9._-]+$/, "a Kafka topic name: letters, digits, \".\", \"_\" and \"-\"");
    if (t.name.length > MAX_TOPIC_NAME) fail(scope, `${at}.name`, t.name, `expected at most ${MAX_TOPIC_NAME} characters (got ${t.name.length})`);
    if (t.name === "." || t.name === "..") fail(scope, `${at}.name`, t.name, "expected a name other than \".\" or \"..\"");
    // Kafka refuses topics whose names differ only by "." versus "_": their metric names collide.
    const key = t.name.replace(/\./g, "_");
    const earlier = seen.get(key);
    if (earlier !== undefined) fail(scope, `${at}.name`, t.name, `expected each topic once; it repeats (or collides with) ${JSON.stringify(earlier)}`);
    seen.set(key, t.name);
    inRange(scope, `${at}.partitions`, t.partitions, 1, MAX_PARTITIONS);
    inRange(scope, `${at}.replicationFactor`, t.replicationFactor ?? 1, 1, brokers);
  });
  return topics;
}

/** A POSIX shell script creating every topic that does not exist yet; safe to run at every start. */
export function createTopicsScript(topics: readonly KafkaTopic[], bootstrap: string): string {
  const commands = topics.map(
    (t) => `/opt/kafka/bin/kafka-topics.sh --bootstrap-server ${bootstrap} --create --if-not-exists --topic '${t.name}' --partitions ${t.partitions} --replication-factor ${t.replicationFactor ?? 1}`,
  );
  return [...commands, `echo '${topics.length} topic(s) present'`].join(" && ");
}
