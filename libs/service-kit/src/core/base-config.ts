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
    });
}

export type BaseServiceConfig = z.output<ReturnType<typeof baseServiceConfigSchema>>;
