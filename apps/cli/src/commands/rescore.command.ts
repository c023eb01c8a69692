import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { databaseEnvSchema, kafkaEnvSchema, parseConfig } from '@churn/config';
import { featureSpecEnvSchema } from '@churn/feature-spec';
import { Database } from '@churn/db';
import { createKafka, TopicProducer } from '@churn/kafka';
import { createMetricsRegistry } from '@churn/observability';
import type { CliContext } from '../cli-context';
import { FeatureRescorer } from '../rescore/feature-rescorer';

interface RescoreCommandOptions {
  readonly asOf?: string;
  readonly batchSize: string;
  readonly pauseMs: string;
}

export function registerRescoreCommand(program: Command, context: CliContext): void {
  program
    .command('rescore')
    .description("publish every active customer's feature vector as of a time on customer-features (for a daily schedule)")
    .option('--as-of <iso>', 'the time the vectors are computed as of (default: now)')
    .option('--batch-size <n>', 'customers per step', '500')
    .option('--pause-ms <ms>', 'pause between steps, to leave room to the live stream', '0')
    .action(async (options: RescoreCommandOptions) => {
      const asOf = options.asOf ?? new Date().toISOString();
      if (!Number.isFinite(Date.parse(asOf)) || !/(Z|[+-]\d\d:?\d\d)$/.test(asOf)) throw new Error('--as-of must be an ISO-8601 time with zone');
      const batchSize = Number(options.batchSize);
      const pauseMs = Number(options.pauseMs);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error('--batch-size must be a whole number from 1 to 10000');
      if (!(pauseMs >= 0)) throw new Error('--pause-ms must not be negative');
      const config = parseConfig(kafkaEnvSchema.extend(databaseEnvSchema.shape).extend(featureSpecEnvSchema.shape), context.env);
      const { spec } = config.FEATURE_SPEC_FILE;
      const registry = createMetricsRegistry('churn-cli');
      const database = new Database({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'churn-cli-rescore' }, context.logger, registry);
      const producer = new TopicProducer(createKafka(config, 'churn-cli', context.logger), context.logger, registry);
      await producer.connect();
      const bar = new SingleBar(
        { format: 'rescore {value} customers | {emitted} emitted | {incomplete} incomplete | {cancelled} cancelled', hideCursor: true },
        Presets.shades_classic,
      );
      bar.start(0, 0, { emitted: 0, incomplete: 0, cancelled: 0 });
      try {
        const result = await new FeatureRescorer(spec, database, producer, context.logger).run({
          asOf,
          batchSize,
          pauseMs,
          onProgress: (p) => bar.update(p.customers, { emitted: p.emitted, incomplete: p.incomplete, cancelled: p.cancelled }),
        });
        bar.stop();
        process.stdout.write(
          `rescore as of ${new Date(asOf).toISOString()}: ${result.customers} active customers, ${result.emitted} feature vectors published\n`,
        );
      } finally {
        bar.stop();
        await producer.disconnect();
        await database.close();
      }
    });
}
