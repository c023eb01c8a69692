import fs from 'node:fs';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { Topics, type CustomerEvent } from '@churn/contracts';
import { databaseEnvSchema, kafkaEnvSchema, parseConfig } from '@churn/config';
import { Database } from '@churn/db';
import { PlatformSummaryRepository } from '../platform-summary/platform-summary.repository';
import { createKafka, TopicProducer } from '@churn/kafka';
import { createMetricsRegistry } from '@churn/observability';
import { customerCancellation, customerHistory, customerOutcome, DEFAULT_REFERENCE_TIME, parseTelcoCsv } from '@churn/telco-replay';
import type { CliContext } from '../cli-context';

interface ReplayOptions {
  readonly input: string;
  readonly rate?: string;
  readonly outcomes?: boolean;
  readonly cancellations?: boolean;
  readonly waitSeconds: string;
  readonly referenceTime: string;
}

const MAX_CHUNK = 500;

export function registerReplayCommand(program: Command, context: CliContext): void {
  program
    .command('replay')
    .description("turn each Telco row into its customer's event history and publish it on customer-events")
    .requiredOption('--input <csv>', 'Telco CSV (customerID, …, TotalCharges[, Churn])')
    .option('--rate <n>', 'events per second (default: as fast as the broker takes them)')
    .option('--outcomes', "then publish each customer's Churn label on outcomes (a label feed)")
    .option(
      '--cancellations',
      "then, once the scorer has scored each Churn = Yes customer's history and alerting has evaluated it, publish its subscription.cancelled on customer-events (ingest derives the churn)",
    )
    .option('--wait-seconds <n>', 'with --cancellations: how long to wait for those customers to be scored (DATABASE_URL)', '600')
    .option('--reference-time <iso>', "the replay's now: every customer's latest event happens then", DEFAULT_REFERENCE_TIME)
    .action(async (options: ReplayOptions) => {
      const rate = options.rate === undefined ? undefined : Number(options.rate);
      if (rate !== undefined && !(rate > 0)) throw new Error('--rate must be a positive number of events per second');
      if (!Number.isFinite(Date.parse(options.referenceTime))) throw new Error('--reference-time must be an ISO-8601 time');
      const referenceTime = new Date(options.referenceTime).toISOString();
      const rows = parseTelcoCsv(fs.readFileSync(options.input));
      const events = rows.flatMap((row) => customerHistory(row, referenceTime));
      const outcomes = options.outcomes ? rows.map((row) => customerOutcome(row, referenceTime)).filter((o) => o !== undefined) : [];
      const cancellations = options.cancellations ? rows.map((row) => customerCancellation(row, referenceTime)).filter((e) => e !== undefined) : [];
      const waitSeconds = Number(options.waitSeconds);
      if (!(waitSeconds > 0)) throw new Error('--wait-seconds must be a positive number');

      const env = parseConfig(kafkaEnvSchema, context.env);
      const producer = new TopicProducer(createKafka(env, 'churn-cli', context.logger), context.logger, createMetricsRegistry('churn-cli'));
      await producer.connect();
      const bar = new SingleBar(
        { format: '{bar} {percentage}% | {value}/{total} messages | {customers} customers | {rate}/s | {phase}', hideCursor: true, noTTYOutput: false },
        Presets.shades_classic,
      );
      const started = Date.now();
      bar.start(events.length + outcomes.length + cancellations.length, 0, { customers: 0, rate: 0, phase: 'events' });
      const chunk = rate === undefined ? MAX_CHUNK : Math.max(1, Math.min(MAX_CHUNK, Math.floor(rate / 20)));
      let sent = 0;
      const customers = new Set<string>();
      const pace = async () => {
        if (rate === undefined) return;
        const due = started + (sent / rate) * 1000;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      };
      try {
        for (let i = 0; i < events.length; i += chunk) {
          const part: CustomerEvent[] = events.slice(i, i + chunk);
          await producer.send(
            Topics.customerEvents,
            part.map((value) => ({ key: value.customer_id, value })),
          );
          sent += part.length;
          for (const event of part) customers.add(event.customer_id);
          bar.update(sent, { customers: customers.size, rate: Math.round(sent / ((Date.now() - started) / 1000 || 1)) });
          await pace();
        }
        bar.update(sent, { phase: 'outcomes' });
        for (let i = 0; i < outcomes.length; i += chunk) {
          const part = outcomes.slice(i, i + chunk);
          await producer.send(
            Topics.outcomes,
            part.map((value) => ({ key: value.customer_id, value })),
          );
          sent += part.length;
          bar.update(sent, { rate: Math.round(sent / ((Date.now() - started) / 1000 || 1)) });
          await pace();
        }
        if (cancellations.length > 0) {
          // The cancellation must follow the prediction it labels: sent in the same batch as the
          // customer's last events, ingest would fold them together and publish no vector at all.
          bar.update(sent, { phase: 'waiting for the churners to be scored' });
          await waitUntilScored(
            context,
            cancellations.map((e) => e.customer_id),
            referenceTime,
            waitSeconds,
          );
          bar.update(sent, { phase: 'cancellations' });
          for (let i = 0; i < cancellations.length; i += chunk) {
            const part = cancellations.slice(i, i + chunk);
            await producer.send(
              Topics.customerEvents,
              part.map((value) => ({ key: value.customer_id, value })),
            );
            sent += part.length;
            bar.update(sent, { rate: Math.round(sent / ((Date.now() - started) / 1000 || 1)) });
            await pace();
          }
        }
        bar.update(sent, { phase: 'done' });
      } finally {
        bar.stop();
        await producer.disconnect();
      }
      const seconds = (Date.now() - started) / 1000;
      context.logger.info(
        {
          customers: rows.length,
          events: events.length,
          outcomes: outcomes.length,
          cancellations: cancellations.length,
          seconds,
          reference_time: referenceTime,
        },
        'replay published',
      );
      process.stdout.write(
        `replayed ${rows.length} customers: ${events.length} events${options.outcomes ? `, ${outcomes.length} outcomes` : ''}${options.cancellations ? `, ${cancellations.length} cancellations` : ''} in ${seconds.toFixed(1)} s (reference time ${referenceTime})\n`,
      );
    });
}

/** Waits (polling DATABASE_URL, read-only) until every one of `customerIds` is scored as of `asOf` and evaluated by alerting. */
async function waitUntilScored(context: CliContext, customerIds: readonly string[], asOf: string, waitSeconds: number): Promise<void> {
  const config = parseConfig(databaseEnvSchema, context.env);
  const database = new Database(
    { url: config.DATABASE_URL, poolSize: 1, applicationName: 'churn-cli-replay' },
    context.logger,
    createMetricsRegistry('churn-cli'),
  );
  const summaries = new PlatformSummaryRepository();
  const deadline = Date.now() + waitSeconds * 1000;
  let waiting = [...customerIds];
  try {
    while (waiting.length > 0) {
      const done = await summaries.scoredAndEvaluated(database, waiting, asOf);
      waiting = waiting.filter((id) => !done.has(id));
      if (waiting.length === 0) break;
      if (Date.now() > deadline)
        throw new Error(
          `${waiting.length} customers to cancel were not scored as of ${asOf} within ${waitSeconds} s (first: ${waiting[0]}); are ingest, the scorer and alerting running?`,
        );
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await database.close();
  }
}
