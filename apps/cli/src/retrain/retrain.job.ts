import fs from 'node:fs';
import path from 'node:path';
import { AuditLogRepository, Database } from '@churn/db';
import { ModelVersionRepository } from '@churn/scorer-data';
import type { FeatureSpec } from '@churn/feature-spec';
import type { Logger } from '@churn/observability';
import { buildPointInTimeSet, checkTrainable } from '../train/point-in-time-set';
import { keepBesideModel, newVersionSince, versionsIn } from '../train/registry-versions';
import { runTrainer } from '../train/trainer-process';

export interface RetrainOptions {
  /** The active spec (FEATURE_SPEC_FILE): the vectors are computed, and the model trained, under it. */
  readonly spec: FeatureSpec;
  readonly specSource: string;
  readonly registryDir: string;
  readonly labelDelayDays: number;
  readonly minRows: number;
  /** Where the training set CSV is written (kept, and copied into the new version: it is what it was trained on). */
  readonly trainingSetFile: string;
  readonly trainerConfig?: string;
  readonly skipShap?: boolean;
  readonly actor: string;
  /** Only build the training set. */
  readonly dryRun?: boolean;
}

export interface RetrainResult {
  readonly rows: number;
  readonly churners: number;
  /** Customers with an outcome left out: their vector was incomplete at the cut-off. */
  readonly incomplete: number;
  readonly trainingSetFile: string;
  readonly version?: string;
}

/** Raised when the trainer does not produce a new version. */
export class RetrainError extends Error {
  constructor(
    readonly code: 'TRAINER_FAILED' | 'NO_NEW_VERSION',
    message: string,
  ) {
    super(message);
    this.name = 'RetrainError';
  }
}

/**
 * `churn retrain`: the point-in-time training set of the active spec built from the event log and the
 * outcomes (buildPointInTimeSet, as `churn train --from-events`), the Python trainer on it, and the new
 * version registered as the shadow challenger (not active: monitoring compares it with the champion on
 * live traffic before anyone promotes it).
 */
export class RetrainJob {
  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
  ) {}

  async run(options: RetrainOptions): Promise<RetrainResult> {
    const set = await buildPointInTimeSet(this.database, options.spec, {
      labelDelayDays: options.labelDelayDays,
      file: options.trainingSetFile,
      specSource: options.specSource,
    });
    this.logger.info({ rows: set.rows, churners: set.churners, incomplete: set.incomplete, file: set.file }, 'point-in-time training set written');
    checkTrainable(set, options.minRows, options.labelDelayDays);
    const result = { rows: set.rows, churners: set.churners, incomplete: set.incomplete, trainingSetFile: set.file };
    if (options.dryRun) return result;

    const before = versionsIn(options.registryDir);
    await this.train(options);
    const version = newVersionSince(options.registryDir, before);
    if (!version) throw new RetrainError('NO_NEW_VERSION', `the trainer wrote no new version under ${options.registryDir}`);
    keepBesideModel(set.file, options.registryDir, version);
    const card = JSON.parse(fs.readFileSync(path.join(options.registryDir, version, 'model-card.json'), 'utf8')) as Record<string, unknown>;
    const models = new ModelVersionRepository();
    await this.database.transaction(async (tx) => {
      await models.registerNew(tx, [{ version, card }], options.actor);
      await models.makeShadow(tx, version, options.actor);
      await new AuditLogRepository().record(tx, {
        actor: options.actor,
        action: 'model.retrain',
        subject: `model:${version}`,
        details: {
          rows: set.rows,
          churners: set.churners,
          incomplete: set.incomplete,
          label_delay_days: options.labelDelayDays,
          training_set: set.file,
          role: 'shadow',
        },
      });
    });
    this.logger.info({ version }, 'new version registered as shadow challenger');
    return { ...result, version };
  }

  private async train(options: RetrainOptions): Promise<void> {
    const code = await runTrainer({
      spec: options.spec,
      data: options.trainingSetFile,
      out: options.registryDir,
      config: options.trainerConfig,
      skipShap: options.skipShap,
    });
    if (code !== 0) throw new RetrainError('TRAINER_FAILED', `the trainer exited with code ${code}`);
  }
}
