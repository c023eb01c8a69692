import type { Command } from 'commander';
import { TOPIC_SPECS } from '@churn/contracts';
import { kafkaEnvSchema, parseConfig } from '@churn/config';
import { createKafka, ensureTopics } from '@churn/kafka';
import type { CliContext } from '../cli-context';

export function registerTopicsCommand(program: Command, context: CliContext): void {
  const topics = program.command('topics').description('Kafka topics of the contract');
  topics
    .command('create')
    .description('create the contract topics that are missing on KAFKA_BROKERS')
    .option('--replication-factor <n>', 'replicas per partition', '1')
    .action(async (options: { replicationFactor: string }) => {
      const env = parseConfig(kafkaEnvSchema, context.env);
      const created = await ensureTopics(createKafka(env, 'churn-cli', context.logger), TOPIC_SPECS, Number(options.replicationFactor));
      process.stdout.write(created.length ? `created: ${created.join(', ')}\n` : 'all topics exist\n');
    });
}
