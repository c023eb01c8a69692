import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { DEFAULT_REGISTRY_DIR } from '@churn/scoring';
import type { CliContext } from '../cli-context';
import { readCustomerTable } from '../spec/customer-table';
import { checkTrainingColumns } from '../train/table-columns';
import { runTrainer, TRAINER_BAD_INPUT } from '../train/trainer-process';

interface TrainOptions {
  readonly spec?: string;
  readonly data?: string;
  readonly out: string;
  readonly config?: string;
  readonly skipShap?: boolean;
}

/** The Telco table the shipped spec describes: the default when neither --spec nor --data is given. */
const TELCO_DATA = 'data/telco/train.csv';

/** `churn train`: a customer table and its spec through the Python trainer; the new version becomes the active one. */
export function registerTrainCommand(program: Command, context: CliContext): void {
  program
    .command('train')
    .description('train a model on a customer table described by a feature spec and register it as the active version (~10 min on 2 cores for the Telco table)')
    .option('--spec <yaml>', 'the feature spec of the table (default: FEATURE_SPEC_FILE, else specs/telco.yaml)')
    .option('--data <csv>', `the customer table: the spec's id and label columns and one column per model input (default with the Telco spec: ${TELCO_DATA})`)
    .option('--out <dir>', 'model registry directory', DEFAULT_REGISTRY_DIR)
    .option('--config <yaml>', "trainer config (default: the trainer's own)")
    .option('--skip-shap', "skip the trainer's comparison with the shap package (faster)")
    .action(async (options: TrainOptions) => {
      const { specFile, data } = trainInputs(options, context.env);
      const spec = loadFeatureSpec(specFile);
      if (!spec.label) throw new Error(`${specFile}: training needs label.column and label.positive in the spec`);
      if (!fs.existsSync(data)) throw new Error(`--data ${data}: no such file`);
      checkTrainingColumns(spec, readCustomerTable(fs.readFileSync(data), data).columns, data);
      context.logger.info({ spec: specFile, data, out: options.out }, 'training');
      const code = await runTrainer({ spec, data, out: options.out, activate: true, config: options.config, skipShap: options.skipShap, env: context.env });
      if (code === TRAINER_BAD_INPUT) throw new Error(`the trainer refused ${data} (every problem is listed above)`);
      if (code !== 0) throw new Error(`the trainer failed with exit code ${code}`);
      process.stdout.write('Running scorers register the new version at their next start (it becomes champion as the new active version), or activate it now with POST /v1/models/{version}/activate.\n');
    });
}

/** The spec and table to train on: the Telco pair unless told otherwise; a spec of one's own needs its table. */
export function trainInputs(options: Pick<TrainOptions, 'spec' | 'data'>, env: NodeJS.ProcessEnv): { specFile: string; data: string } {
  const specFile = path.resolve(options.spec ?? env['FEATURE_SPEC_FILE'] ?? TELCO_SPEC_PATH);
  if (options.data) return { specFile, data: path.resolve(options.data) };
  if (specFile !== TELCO_SPEC_PATH) throw new Error(`--data is required with a spec other than ${path.relative(process.cwd(), TELCO_SPEC_PATH)}: the customer table it describes`);
  return { specFile, data: path.resolve(path.dirname(TELCO_SPEC_PATH), '..', TELCO_DATA) };
}
