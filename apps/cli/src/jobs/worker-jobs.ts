import path from 'node:path';
import { Database } from '@churn/db';
import { ModelVersionRepository } from '@churn/scorer-data';
import type { TopicProducer } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { PermanentJobError, type JobContext, type JobScheduler } from '@churn/scheduler';
import { FeatureRescorer } from '../rescore/feature-rescorer';
import { RetrainJob } from '../retrain/retrain.job';
import { TrainingSetError } from '../train/point-in-time-set';
import type { JobsWorkerConfig } from './worker-config';

/** Who registered a version in the registry: the run, so a retry of the run can find what it did. */
export function retrainActorOf(runId: string): string {
  return `retrain:${runId}`;
}

/**
 * The jobs `churn jobs worker` runs: the ones that need the event-log tooling and the Python trainer.
 * Each is the CLI command's own code, with its effect keyed by the run so that a retry after a killed
 * attempt changes nothing twice.
 */
export function registerWorkerJobs(scheduler: JobScheduler, config: JobsWorkerConfig, database: Database, producer: TopicProducer, logger: Logger): void {
  const { spec, file } = config.FEATURE_SPEC_FILE;

  // Vectors as of the tick: a retry republishes the same vectors with the same source ids
  // (rescoreSourceEventId), which the scorer stores once.
  scheduler.register(
    'rescore',
    async (job: JobContext) => {
      const asOf = job.params['as_of'] ?? job.scheduledAt.toISOString();
      const result = await new FeatureRescorer(spec, database, producer, job.logger).run({
        asOf,
        batchSize: config.RESCORE_BATCH_SIZE,
        pauseMs: config.RESCORE_PAUSE_MS,
      });
      return { as_of: asOf, ...result };
    },
    { maxRunSeconds: 4 * 3600 },
  );

  // A retry of a run whose version is already registered (the attempt died after its commit) returns
  // that version instead of training another one.
  scheduler.register(
    'retrain',
    async (job: JobContext) => {
      const actor = retrainActorOf(job.runId);
      const versions = new ModelVersionRepository();
      const { shadow } = await versions.assignments(database);
      const registered = shadow ? await versions.find(database, shadow) : null;
      if (registered?.activated_by === actor) return { version: registered.version, registered_by_earlier_attempt: true };
      try {
        const result = await new RetrainJob(database, job.logger).run({
          spec,
          specSource: file,
          registryDir: path.resolve(config.MODEL_REGISTRY_DIR),
          labelDelayDays: config.RETRAIN_LABEL_DELAY_DAYS,
          minRows: config.RETRAIN_MIN_ROWS,
          trainingSetFile: path.resolve(config.RETRAIN_WORK_DIR, `${job.runId}.csv`),
          trainerConfig: config.RETRAIN_TRAINER_CONFIG ? path.resolve(config.RETRAIN_TRAINER_CONFIG) : undefined,
          skipShap: true,
          actor,
        });
        return { ...result };
      } catch (error) {
        // Too few labelled customers (or one class) is not fixed by trying again in a minute: the run
        // fails now and the next tick, with more outcomes, tries again. A trainer crash is retried.
        if (error instanceof TrainingSetError) throw new PermanentJobError(error.code, error.message);
        throw error;
      }
    },
    { maxRunSeconds: 6 * 3600 },
  );
  logger.info({ jobs: scheduler.registered() }, 'worker jobs registered');
}
