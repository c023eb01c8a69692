import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { databaseEnvSchema, parseConfig } from '@churn/config';
import { Database } from '@churn/db';
import { featureSpecEnvSchema } from '@churn/feature-spec';
import { createMetricsRegistry } from '@churn/observability';
import { DEFAULT_REGISTRY_DIR } from '@churn/scoring';
import { stateDir } from '@churn/local-stack';
import type { CliContext } from '../cli-context';
import { RetrainJob } from '../retrain/retrain.job';
import { nonNegativeNumber } from '../train/point-in-time-options';

interface RetrainCommandOptions {
  readonly out: string;
  readonly labelDelayDays: string;
  readonly minRows: string;
  readonly trainingSet?: string;
  readonly config?: string;
  readonly skipShap?: boolean;
  readonly dryRun?: boolean;
}

export function registerRetrainCommand(program: Command, context: CliContext): void {
  program
    .command('retrain')
    .description("train on the active spec's point-in-time vectors from the event log, labelled by outcomes, and register the result as the shadow challenger")
    .option('--out <dir>', 'model registry directory', DEFAULT_REGISTRY_DIR)
    .option('--label-delay-days <n>', "each customer's vector is computed as of this many days before its outcome", '30')
    .option('--min-rows <n>', 'refuse to train on fewer customers', '500')
    .option('--training-set <csv>', 'where to write the training set (default: .churn/retrain/<time>.csv)')
    .option('--config <yaml>', "trainer config (default: the trainer's own)")
    .option('--skip-shap', "skip the trainer's comparison with the shap package (faster)")
    .option('--dry-run', 'only build and write the training set')
    .action(async (options: RetrainCommandOptions) => {
      const { DATABASE_URL, FEATURE_SPEC_FILE } = parseConfig(databaseEnvSchema.extend(featureSpecEnvSchema.shape), context.env);
      const database = new Database({ url: DATABASE_URL, poolSize: 2, applicationName: 'churn-retrain' }, context.logger, createMetricsRegistry('churn-cli'));
      try {
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const result = await new RetrainJob(database, context.logger).run({
          spec: FEATURE_SPEC_FILE.spec,
          specSource: FEATURE_SPEC_FILE.file,
          registryDir: path.resolve(options.out),
          labelDelayDays: nonNegativeNumber('--label-delay-days', options.labelDelayDays),
          minRows: nonNegativeNumber('--min-rows', options.minRows),
          trainingSetFile: path.resolve(options.trainingSet ?? path.join(stateDir(), 'retrain', `${stamp}.csv`)),
          trainerConfig: options.config ? path.resolve(options.config) : undefined,
          skipShap: options.skipShap,
          dryRun: options.dryRun,
          actor: `${os.userInfo().username}@churn-retrain`,
        });
        process.stdout.write(
          `training set: ${result.rows} customers (${result.churners} churned; ${result.incomplete} left out, their vector incomplete at the cut-off) → ${result.trainingSetFile}\n` +
            (result.version ? `registered ${result.version} as the shadow challenger; promote it with POST /v1/models/${result.version}/activate\n` : ''),
        );
      } finally {
        await database.close();
      }
    });
}
