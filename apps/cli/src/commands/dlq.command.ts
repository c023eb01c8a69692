import type { Command } from 'commander';
import { Topics, TOPIC_SPECS, type TopicName } from '@churn/contracts';
import { kafkaEnvSchema, parseConfig } from '@churn/config';
import { createKafka, TopicProducer } from '@churn/kafka';
import { createMetricsRegistry } from '@churn/observability';
import type { CliContext } from '../cli-context';
import { readDeadLetters, type StoredDeadLetter } from '../dlq/dead-letter-reader';

interface FilterOptions {
  readonly topic: string;
  readonly code?: string;
  readonly sourceOffset?: string;
  readonly limit?: string;
  readonly json?: boolean;
  readonly dryRun?: boolean;
}

const DLQ_TOPICS = TOPIC_SPECS.map((spec) => spec.name).filter((name) => name.endsWith('.dlq'));
const SOURCE_TOPICS = new Set<string>(TOPIC_SPECS.map((spec) => spec.name).filter((name) => !name.endsWith('.dlq')));

function withFilters(command: Command): Command {
  return command
    .option('--topic <dlq>', `dead-letter topic (${DLQ_TOPICS.join(', ')})`, Topics.customerEventsDlq)
    .option('--code <code>', 'only letters with this error code (NOT_JSON, SCHEMA_INVALID, …)')
    .option('--source-offset <partition:offset>', 'only the letter of this source message')
    .option('--limit <n>', 'at most this many letters (the oldest first)');
}

async function selected(
  context: CliContext,
  options: FilterOptions,
): Promise<{ letters: StoredDeadLetter[]; kafkaEnv: ReturnType<typeof parseConfig<typeof kafkaEnvSchema>> }> {
  if (!DLQ_TOPICS.includes(options.topic as TopicName)) throw new Error(`--topic must be one of ${DLQ_TOPICS.join(', ')}`);
  const limit = options.limit === undefined ? Infinity : Number(options.limit);
  if (!(limit > 0)) throw new Error('--limit must be a positive number');
  const kafkaEnv = parseConfig(kafkaEnvSchema, context.env);
  const all = await readDeadLetters(createKafka(kafkaEnv, 'churn-cli', context.logger), options.topic);
  const letters = all
    .filter((l) => options.code === undefined || l.letter?.error_code === options.code)
    .filter((l) => options.sourceOffset === undefined || (l.letter && `${l.letter.partition}:${l.letter.offset}` === options.sourceOffset))
    .slice(0, limit);
  return { letters, kafkaEnv };
}

function describe(l: StoredDeadLetter): string {
  if (!l.letter) return `${l.partition}:${l.offset}\tUNREADABLE\t${l.problem}`;
  const d = l.letter;
  return `${l.partition}:${l.offset}\t${d.failed_at}\t${d.error_code}\t${d.source_topic}[${d.partition}]@${d.offset}\tkey=${d.key ?? '-'}\t${d.reason}`;
}

export function registerDlqCommand(program: Command, context: CliContext): void {
  const dlq = program.command('dlq').description('dead letters: list them, re-drive them after a fix');
  withFilters(dlq.command('list').description('list dead letters with their reason, code and source coordinates'))
    .option('--json', 'one JSON record per line, with the decoded value')
    .action(async (options: FilterOptions) => {
      const { letters } = await selected(context, options);
      if (options.json) {
        for (const l of letters) {
          const value = l.letter?.value_base64 ? Buffer.from(l.letter.value_base64, 'base64').toString('utf8') : null;
          process.stdout.write(`${JSON.stringify({ dlq_partition: l.partition, dlq_offset: l.offset, ...l.letter, value, problem: l.problem })}\n`);
        }
        return;
      }
      process.stdout.write('dlq p:offset\tfailed at\tcode\tsource\tkey\treason\n');
      for (const l of letters) process.stdout.write(`${describe(l)}\n`);
      process.stdout.write(`${letters.length} letter(s) on ${options.topic}\n`);
    });

  withFilters(dlq.command('replay').description('publish the original bytes of dead letters to their source topic again'))
    .option('--dry-run', 'show what would be re-driven, publish nothing')
    .action(async (options: FilterOptions) => {
      const { letters, kafkaEnv } = await selected(context, options);
      const redrivable = letters.filter((l) => l.letter && SOURCE_TOPICS.has(l.letter.source_topic));
      for (const l of letters) if (!redrivable.includes(l)) process.stderr.write(`skipped (no known source topic): ${describe(l)}\n`);
      if (options.dryRun) {
        for (const l of redrivable) process.stdout.write(`would re-drive ${describe(l)}\n`);
        process.stdout.write(`${redrivable.length} letter(s) would be re-driven (dry run)\n`);
        return;
      }
      const producer = new TopicProducer(createKafka(kafkaEnv, 'churn-cli', context.logger), context.logger, createMetricsRegistry('churn-cli'));
      await producer.connect();
      try {
        for (const l of redrivable) {
          const d = l.letter!;
          // Original key, bytes and headers; a header says where it came back from (the letter stays on the DLQ).
          await producer.sendRaw(d.source_topic as TopicName, [
            {
              key: d.key,
              value: d.value_base64 === null ? null : Buffer.from(d.value_base64, 'base64'),
              headers: { ...d.headers, 'x-dlq-redriven-from': `${options.topic}:${l.partition}:${l.offset}` },
            },
          ]);
          context.logger.info({ dlq: options.topic, dlq_partition: l.partition, dlq_offset: l.offset, source_topic: d.source_topic, key: d.key }, 're-driven');
        }
      } finally {
        await producer.disconnect();
      }
      process.stdout.write(`${redrivable.length} letter(s) re-driven\n`);
    });
}
