/** Kafka for the systems that need it: a self-hosted KRaft broker on ECS, or Amazon MSK. */
export { SelfHostedKafka, kraftClusterId } from "./self-hosted";
export type { SelfHostedKafkaProps } from "./self-hosted";
export { ManagedKafka } from "./managed";
export type { ManagedKafkaProps, MskEnhancedMonitoring } from "./managed";
export type { KafkaTopic } from "./types";
