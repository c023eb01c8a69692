import { z } from 'zod';
import { databaseEnvSchema, kafkaEnvSchema } from '@churn/config';
import { featureSpecEnvSchema } from '@churn/feature-spec';
import { DEFAULT_REGISTRY_DIR } from '@churn/scoring';
import { schedulerEnvSchema } from '@churn/scheduler';

/** `churn jobs worker`'s configuration, validated once at start. */
export const jobsWorkerConfigSchema = kafkaEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(featureSpecEnvSchema.shape)
  .extend(schedulerEnvSchema.shape)
  .extend({
    /** Port of the worker's `/metrics`, `/health/live` and `/health/ready`. */
    JOBS_WORKER_PORT: z.coerce.number().int().min(0).max(65_535).default(3006),
    /** Model registry the retrain job writes new versions to (shared with the scorer: a volume in production). */
    MODEL_REGISTRY_DIR: z.string().min(1).default(DEFAULT_REGISTRY_DIR),
    /** Where the retrain job keeps its point-in-time training sets. */
    RETRAIN_WORK_DIR: z.string().min(1).default('.churn/retrain'),
    /** A customer's training vector is computed as of this many days before its outcome. */
    RETRAIN_LABEL_DELAY_DAYS: z.coerce.number().min(0).max(3650).default(30),
    /** The retrain job refuses (fails the run) on fewer labelled customers. */
    RETRAIN_MIN_ROWS: z.coerce.number().int().min(1).default(500),
    /** Trainer config for the retrain job (default: the trainer's own). */
    RETRAIN_TRAINER_CONFIG: z.string().min(1).optional(),
    /** Customers per rescore step, and the pause between steps that leaves room to the live stream. */
    RESCORE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    RESCORE_PAUSE_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  });

export type JobsWorkerConfig = z.output<typeof jobsWorkerConfigSchema>;
