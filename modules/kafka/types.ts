/** A topic declared as data; SelfHostedKafka creates it at start-up. */
export interface KafkaTopic {
  /** Letters, digits, ".", "_" and "-", at most 249 characters. */
  readonly name: string;
  /** 1-1000. */
  readonly partitions: number;
  /** Copies of each partition; at most the number of brokers. @default 1 (one broker) */
  readonly replicationFactor?: number;
}
