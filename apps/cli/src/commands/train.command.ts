import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { databaseEnvSchema, parseConfig } from '@churn/config';
import { Database } from '@churn/db';
import { loadFeatureSpec, TELCO_SPEC_PATH, type FeatureSpec } from '@churn/feature-spec';
import { stateDir } from '@churn/local-stack';
import { createMetricsRegistry } from '@churn/observability';
import { DEFAULT_REGISTRY_DIR } from '@churn/scoring';
import type { CliContext } from '../cli-context';
import { readCustomerTable } from '../spec/customer-table';
import { nonNegativeNumber } from '../train/point-in-time-options';
import { requireLabel } from '../train/point-in-time-row';
import { buildPointInTimeSet, checkTrainable } from '../train/point-in-time-set';
import { keepBesideModel, newVersionSince, versionsIn } from '../train/registry-versions';
import { checkTrainingColumns } from '../train/table-columns';
import { runTrainer, TRAINER_BAD_INPUT } from '../train/trainer-process';

interface TrainOptions {
  readonly spec?: string;
  readonly data?: string;
  readonly fromEvents?: boolean;
  readonly labelDelayDays: string;
  readonly minRows: string;
  readonly out: string;
  readonly config?: string;
  readonly skipShap?: boolean;
}

/** The Telco table the shipped spec describes: the default when neither --spec nor --data is given. */
const TELCO_DATA = 'data/telco/train.csv';

/** `churn train`: a customer table (or the event log's point-in-time table) and its spec through the Python trainer; the new version becomes the active one. */
export function registerTrainCommand(program: Command, context: CliContext): void {
  program
    .command('train')
    .description(
      'train a model on a customer table described by a feature spec, or on the point-in-time history of the event log, and register it as the active version (about 3 min on 2 cores for the Telco table)',
    )
    .option('--spec <yaml>', 'the feature spec of the table (default: FEATURE_SPEC_FILE, else specs/telco.yaml)')
    .option('--data <csv>', `the customer table: the spec's id and label columns and one column per model input (default with the Telco spec: ${TELCO_DATA})`)
    .option(
      '--from-events',
      "train on the platform's own history instead of --data: each customer with an outcome, its vector as of --label-delay-days before the outcome (needs DATABASE_URL)",
    )
    .option('--label-delay-days <n>', 'with --from-events: each vector is computed as of this many days before its outcome', '30')
    .option('--min-rows <n>', 'with --from-events: refuse to train on fewer customers', '500')
    .option('--out <dir>', 'model registry directory', DEFAULT_REGISTRY_DIR)
    .option('--config <yaml>', "trainer config (default: the trainer's own)")
    .option('--skip-shap', "skip the trainer's comparison with the shap package (faster)")
    .action(async (options: TrainOptions) => {
      if (options.fromEvents) {
        await trainFromEvents(options, context);
        return;
      }
      const { specFile, data } = trainInputs(options, context.env);
      const spec = loadFeatureSpec(specFile);
      requireLabel(spec, specFile);
      await trainOnTable(spec, data, options, context);
    });
}

/**
 * Checks a table against its spec, trains on it and registers the result as the active version, as
 * `churn train --spec --data` does; resolves with the new version's name.
 */
async function trainOnTable(spec: FeatureSpec, data: string, options: TrainOptions, context: CliContext): Promise<string | undefined> {
  if (!fs.existsSync(data)) throw new Error(`--data ${data}: no such file`);
  checkTrainingColumns(spec, readCustomerTable(fs.readFileSync(data), data).columns, data);
  context.logger.info({ data, out: options.out }, 'training');
  const before = versionsIn(options.out);
  const code = await runTrainer({ spec, data, out: options.out, activate: true, config: options.config, skipShap: options.skipShap, env: context.env });
  if (code === TRAINER_BAD_INPUT) throw new Error(`the trainer refused ${data} (every problem is listed above)`);
  if (code !== 0) throw new Error(`the trainer failed with exit code ${code}`);
  process.stdout.write(
    'Running scorers register the new version at their next start (it becomes champion as the new active version), or activate it now with POST /v1/models/{version}/activate.\n',
  );
  return newVersionSince(options.out, before);
}

/** `churn train --from-events`: the point-in-time table of the spec from the event log and outcomes, trained on as a table, kept beside the model. */
async function trainFromEvents(options: TrainOptions, context: CliContext): Promise<void> {
  if (options.data) throw new Error('--from-events builds the table from the event log: give --data or --from-events, not both');
  const specFile = fromEventsSpecFile(options, context.env);
  const spec = loadFeatureSpec(specFile);
  requireLabel(spec, specFile);
  const labelDelayDays = nonNegativeNumber('--label-delay-days', options.labelDelayDays);
  const minRows = nonNegativeNumber('--min-rows', options.minRows);
  const { DATABASE_URL } = parseConfig(databaseEnvSchema, context.env);
  const database = new Database(
    { url: DATABASE_URL, poolSize: 2, applicationName: 'churn-train-from-events' },
    context.logger,
    createMetricsRegistry('churn-cli'),
  );
  const file = path.join(stateDir(), 'train', `from-events-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`);
  let set;
  try {
    set = await buildPointInTimeSet(database, spec, { labelDelayDays, file, specSource: specFile });
  } finally {
    await database.close();
  }
  process.stdout.write(
    `training set: ${set.rows} customers (${set.churners} churned; ${set.incomplete} of ${set.customers} with an outcome left out, their vector incomplete at the cut-off) → ${set.file}\n`,
  );
  checkTrainable(set, minRows, labelDelayDays);
  const version = await trainOnTable(spec, set.file, options, context);
  if (version) process.stdout.write(`training set kept beside the model: ${keepBesideModel(set.file, options.out, version)}\n`);
}

/** The spec to train from events with: --spec, else the active spec of the services. */
export function fromEventsSpecFile(options: Pick<TrainOptions, 'spec'>, env: NodeJS.ProcessEnv): string {
  return path.resolve(options.spec ?? env['FEATURE_SPEC_FILE'] ?? TELCO_SPEC_PATH);
}

/** The spec and table to train on: the Telco pair unless told otherwise; a spec of one's own needs its table. */
export function trainInputs(options: Pick<TrainOptions, 'spec' | 'data'>, env: NodeJS.ProcessEnv): { specFile: string; data: string } {
  const specFile = fromEventsSpecFile(options, env);
  if (options.data) return { specFile, data: path.resolve(options.data) };
  if (specFile !== TELCO_SPEC_PATH)
    throw new Error(`--data is required with a spec other than ${path.relative(process.cwd(), TELCO_SPEC_PATH)}: the customer table it describes`);
  return { specFile, data: path.resolve(path.dirname(TELCO_SPEC_PATH), '..', TELCO_DATA) };
}
