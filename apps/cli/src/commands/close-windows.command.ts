import type { Command } from 'commander';
import { databaseEnvSchema, outcomeLabelWindowEnvSchema, parseConfig } from '@churn/config';
import { Database } from '@churn/db';
import { LabelWindowRepository } from '@churn/monitoring-data';
import { createMetricsRegistry } from '@churn/observability';
import type { CliContext } from '../cli-context';

/**
 * `churn outcomes close-windows [--now T]`: the label-window job (monitoring's
 * `POST /v1/outcomes/close-windows`) run from here against DATABASE_URL, with the same repository and
 * OUTCOME_LABEL_WINDOW_DAYS — for a cron without a token, or to label a history at a chosen time.
 */
export function registerCloseWindowsCommand(outcomes: Command, context: CliContext): void {
  outcomes
    .command('close-windows')
    .description(
      'record churned:false for every customer whose label window (OUTCOME_LABEL_WINDOW_DAYS after a prediction) closed without a churn; running it again records nothing twice',
    )
    .option('--now <iso>', 'the time the windows are closed at (default: now)')
    .action(async (options: { now?: string }) => {
      const now = options.now ?? new Date().toISOString();
      if (!Number.isFinite(Date.parse(now)) || !/(Z|[+-]\d\d:?\d\d)$/.test(now)) throw new Error('--now must be an ISO-8601 time with zone');
      const config = parseConfig(databaseEnvSchema.extend(outcomeLabelWindowEnvSchema.shape), context.env);
      const database = new Database(
        { url: config.DATABASE_URL, poolSize: 1, applicationName: 'churn-cli-close-windows' },
        context.logger,
        createMetricsRegistry('churn-cli'),
      );
      try {
        const r = await database.transaction((tx) => new LabelWindowRepository().close(tx, new Date(now), config.OUTCOME_LABEL_WINDOW_DAYS));
        context.logger.info({ now, window_days: config.OUTCOME_LABEL_WINDOW_DAYS, ...r }, 'label windows closed');
        process.stdout.write(
          `label windows of ${config.OUTCOME_LABEL_WINDOW_DAYS} days closed at ${new Date(now).toISOString()}: ${r.windowsDue} due, ` +
            `${r.recorded} recorded not churned, ${r.churnedInWindow} churned in the window, ${r.labelledInWindow} labelled by another outcome in it, ${r.alreadyRecorded} already recorded\n`,
        );
      } finally {
        await database.close();
      }
    });
}
