import { z } from 'zod';
import { featureSpecEnvSchema } from '@churn/feature-spec';
import { baseServiceConfigSchema } from '@churn/service-kit';

export const ingestConfigSchema = baseServiceConfigSchema(3001)
  // FEATURE_SPEC_FILE: the active spec; a schema version 2 event that does not fit it is dead-lettered.
  .extend(featureSpecEnvSchema.shape)
  .extend({
    /** With KAFKA_CONSUMER_BATCHING=partition only: partitions of customer-events processed in parallel by one instance. */
    INGEST_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(32).default(2),
  });

export type IngestConfig = z.output<typeof ingestConfigSchema>;
