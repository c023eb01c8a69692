import { z } from 'zod';
import { featureSpecEnvSchema } from '@churn/config';
import { baseServiceConfigSchema } from '@churn/service-kit';

export const ingestConfigSchema = baseServiceConfigSchema(3001)
  .extend({
    /** With KAFKA_CONSUMER_BATCHING=partition only: partitions of customer-events processed in parallel by one instance. */
    INGEST_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(32).default(2),
  })
  .extend(featureSpecEnvSchema.shape);

export type IngestConfig = z.output<typeof ingestConfigSchema>;
