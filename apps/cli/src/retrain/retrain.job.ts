import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { TELCO_FEATURE_NAMES } from '@churn/contracts';
import { loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { AuditLogRepository, Database, ModelVersionRepository, TrainingSetRepository, type PointInTimeRow } from '@churn/db';
import type { Logger } from '@churn/observability';
import { runTrainer } from '../train/trainer-process';

export interface RetrainOptions {
  readonly registryDir: string;
  readonly labelDelayDays: number;
  readonly minRows: number;
  /** Where the training set CSV is written (kept: it is what the new version was trained on). */
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
  readonly trainingSetFile: string;
  readonly version?: string;
}

/** Raised when the stored history cannot make a training set worth training on. */
export class RetrainError extends Error {
  constructor(
    readonly code: 'TOO_FEW_ROWS' | 'ONE_CLASS' | 'TRAINER_FAILED' | 'NO_NEW_VERSION',
    message: string,
  ) {
    super(message);
    this.name = 'RetrainError';
  }
}

/**
 * `churn retrain`: a point-in-time training set from stored predictions' feature vectors joined with
 * outcomes, the Python trainer on it, and the new version registered as the shadow challenger (not
 * active: monitoring compares it with the champion on live traffic before anyone promotes it).
 */
export class RetrainJob {
  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
  ) {}

  async run(options: RetrainOptions): Promise<RetrainResult> {
    const rows = await new TrainingSetRepository().pointInTimeRows(this.database, options.labelDelayDays);
    const churners = rows.filter((r) => r.churned).length;
    if (rows.length < options.minRows) {
      throw new RetrainError('TOO_FEW_ROWS', `only ${rows.length} customers have an outcome at least ${options.labelDelayDays} days after a prediction; need ${options.minRows}`);
    }
    if (churners === 0 || churners === rows.length) throw new RetrainError('ONE_CLASS', 'the outcomes hold one class only; nothing to learn from');
    fs.mkdirSync(path.dirname(options.trainingSetFile), { recursive: true });
    fs.writeFileSync(options.trainingSetFile, toTelcoCsv(rows));
    this.logger.info({ rows: rows.length, churners, file: options.trainingSetFile }, 'point-in-time training set written');
    if (options.dryRun) return { rows: rows.length, churners, trainingSetFile: options.trainingSetFile };

    const before = versionsIn(options.registryDir);
    await this.train(options);
    const created = [...versionsIn(options.registryDir)].filter((v) => !before.has(v)).sort();
    const version = created[created.length - 1];
    if (!version) throw new RetrainError('NO_NEW_VERSION', `the trainer wrote no new version under ${options.registryDir}`);
    const card = JSON.parse(fs.readFileSync(path.join(options.registryDir, version, 'model-card.json'), 'utf8')) as Record<string, unknown>;
    const models = new ModelVersionRepository();
    await this.database.transaction(async (tx) => {
      await models.registerNew(tx, [{ version, card }]);
      await models.makeShadow(tx, version, options.actor);
      await new AuditLogRepository().record(tx, {
        actor: options.actor,
        action: 'model.retrain',
        subject: `model:${version}`,
        details: { rows: rows.length, churners, label_delay_days: options.labelDelayDays, training_set: options.trainingSetFile, role: 'shadow' },
      });
    });
    this.logger.info({ version }, 'new version registered as shadow challenger');
    return { rows: rows.length, churners, trainingSetFile: options.trainingSetFile, version };
  }

  private async train(options: RetrainOptions): Promise<void> {
    // The stored vectors are the Telco model's (toTelcoCsv): the training set is a table of the Telco spec.
    const code = await runTrainer({
      spec: loadFeatureSpec(TELCO_SPEC_PATH),
      data: options.trainingSetFile,
      out: options.registryDir,
      config: options.trainerConfig,
      skipShap: options.skipShap,
    });
    if (code !== 0) throw new RetrainError('TRAINER_FAILED', `the trainer exited with code ${code}`);
  }
}

/** The Telco columns the trainer reads, plus `Churn`; values as the scorer stored them. */
export function toTelcoCsv(rows: readonly PointInTimeRow[]): string {
  const header = ['customerID', ...TELCO_FEATURE_NAMES, 'Churn'];
  const records = rows.map((row) => [row.customerId, ...TELCO_FEATURE_NAMES.map((name) => row.features[name] ?? ''), row.churned ? 'Yes' : 'No']);
  return stringify([header, ...records]);
}

function versionsIn(registryDir: string): Set<string> {
  if (!fs.existsSync(registryDir)) return new Set();
  return new Set(
    fs
      .readdirSync(registryDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(registryDir, entry.name, 'model-card.json')))
      .map((entry) => entry.name),
  );
}
