import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram, LATENCY_BUCKETS_SECONDS, type Registry } from '@churn/observability';

/** Metrics of the Kafka layer, shared by every service (the `service` default label tells them apart). */
export function kafkaMetrics(registry: Registry) {
  return {
    produced: getOrCreateCounter(registry, {
      name: 'churn_kafka_messages_produced_total',
      help: 'Messages published, by topic.',
      labelNames: ['topic'] as const,
    }),
    produceDuration: getOrCreateHistogram(registry, {
      name: 'churn_kafka_produce_duration_seconds',
      help: 'Time to publish one batch of messages and get the acknowledgement of all in-sync replicas.',
      labelNames: ['topic'] as const,
      buckets: LATENCY_BUCKETS_SECONDS,
    }),
    consumed: getOrCreateCounter(registry, {
      name: 'churn_kafka_messages_consumed_total',
      help: 'Messages consumed, by topic and result (processed or dead_lettered).',
      labelNames: ['group', 'topic', 'result'] as const,
    }),
    batchDuration: getOrCreateHistogram(registry, {
      name: 'churn_kafka_batch_duration_seconds',
      help: 'Time from receiving a batch to committing its offset, including retries.',
      labelNames: ['group', 'topic'] as const,
      buckets: LATENCY_BUCKETS_SECONDS,
    }),
    batchPhase: getOrCreateHistogram(registry, {
      name: 'churn_kafka_batch_phase_seconds',
      help: 'Where a batch spends its time: waiting (age of its oldest message when processing starts: time in the broker, the fetch and the queue behind other batches), handler (validation excluded), dead_letters, commit (offset commit).',
      labelNames: ['group', 'topic', 'phase'] as const,
      buckets: LATENCY_BUCKETS_SECONDS,
    }),
    batchSize: getOrCreateHistogram(registry, {
      name: 'churn_kafka_batch_size_messages',
      help: 'Messages per consumed batch.',
      labelNames: ['group', 'topic'] as const,
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
    }),
    failures: getOrCreateCounter(registry, {
      name: 'churn_kafka_handler_failures_total',
      help: 'Failed attempts to process a batch, by kind (transient: retried in place; permanent: isolated and dead-lettered).',
      labelNames: ['group', 'topic', 'kind'] as const,
    }),
    deadLetters: getOrCreateCounter(registry, {
      name: 'churn_kafka_dead_letters_total',
      help: 'Messages sent to a dead-letter topic, by source topic and error code.',
      labelNames: ['group', 'source_topic', 'dlq_topic', 'code'] as const,
    }),
    consumerRunning: getOrCreateGauge(registry, {
      name: 'churn_kafka_consumer_running',
      help: '1 while the consumer runs (or kafkajs is restarting it after a crash); 0 once it crashed without restarting (liveness then fails) or was stopped.',
      labelNames: ['group'] as const,
    }),
    consumerCrashes: getOrCreateCounter(registry, {
      name: 'churn_kafka_consumer_crashes_total',
      help: 'Consumer crashes reported by kafkajs, by whether kafkajs restarts the consumer (restart="false": it stays stopped).',
      labelNames: ['group', 'restart'] as const,
    }),
    lag: getOrCreateGauge(registry, {
      name: 'churn_kafka_consumer_lag_messages',
      help: 'Messages between the committed offset of the group and the end of the partition.',
      labelNames: ['group', 'topic', 'partition'] as const,
    }),
  };
}

export type KafkaMetrics = ReturnType<typeof kafkaMetrics>;
