import { z } from 'zod';
import { databaseEnvSchema, httpPortSchema, kafkaEnvSchema, loggingEnvSchema } from '@churn/config';

/** What every service reads from its environment; each service extends it with its own keys. */
export function baseServiceConfigSchema(defaultPort: number) {
  return kafkaEnvSchema
    .extend(databaseEnvSchema.shape)
    .extend(loggingEnvSchema.shape)
    .extend(httpPortSchema(defaultPort).shape)
    .extend({
      /** Seconds a service may take to stop after SIGTERM before it exits regardless. */
      SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(120).default(10),
      /**
       * What one handler call (one transaction, one offset commit) covers: 'fetch' (default) everything
       * one fetch brought for a topic, all partitions together; 'partition' one partition's batch, as
       * before (a fetch with data for several partitions is then handled one partition after another, so
       * a hop's latency grows with (partitions with data) × (fixed cost of a batch): bench/README.md).
       */
      KAFKA_CONSUMER_BATCHING: z.enum(['fetch', 'partition']).default('fetch'),
      /**
       * With KAFKA_CONSUMER_BATCHING=partition only: partitions whose batches the consumer handles at the
       * same time (kafkajs partitionsConsumedConcurrently). A service's own setting
       * (INGEST_PARTITIONS_CONCURRENTLY) wins.
       */
      KAFKA_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(1),
      /** The consumer's fetch.min.bytes and its longest wait for them (kafkajs minBytes / maxWaitTimeInMs). */
      KAFKA_CONSUMER_MIN_BYTES: z.coerce.number().int().min(1).max(10_485_760).default(1),
      KAFKA_CONSUMER_MAX_WAIT_MS: z.coerce.number().int().min(1).max(10_000).default(250),
    });
}

export type BaseServiceConfig = z.output<ReturnType<typeof baseServiceConfigSchema>>;
