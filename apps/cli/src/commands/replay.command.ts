import fs from 'node:fs';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { Topics, type CustomerEvent } from '@churn/contracts';
import { kafkaEnvSchema, parseConfig } from '@churn/config';
import { createKafka, TopicProducer } from '@churn/kafka';
import { createMetricsRegistry } from '@churn/observability';
import { customerHistory, customerOutcome, DEFAULT_REFERENCE_TIME, parseTelcoCsv } from '@churn/telco-replay';
import type { CliContext } from '../cli-context';

interface ReplayOptions {
  readonly input: string;
  readonly rate?: string;
  readonly outcomes?: boolean;
  readonly referenceTime: string;
}

const MAX_CHUNK = 500;

export function registerReplayCommand(program: Command, context: CliContext): void {
  program
    .command('replay')
    .description("turn each Telco row into its customer's event history and publish it on customer-events")
    .requiredOption('--input <csv>', 'Telco CSV (customerID, …, TotalCharges[, Churn])')
    .option('--rate <n>', 'events per second (default: as fast as the broker takes them)')
    .option('--outcomes', "then publish each customer's Churn label on outcomes")
    .option('--reference-time <iso>', "the replay's now: every customer's latest event happens then", DEFAULT_REFERENCE_TIME)
    .action(async (options: ReplayOptions) => {
      const rate = options.rate === undefined ? undefined : Number(options.rate);
      if (rate !== undefined && !(rate > 0)) throw new Error('--rate must be a positive number of events per second');
      if (!Number.isFinite(Date.parse(options.referenceTime))) throw new Error('--reference-time must be an ISO-8601 time');
      const referenceTime = new Date(options.referenceTime).toISOString();
      const rows = parseTelcoCsv(fs.readFileSync(options.input));
      const events = rows.flatMap((row) => customerHistory(row, referenceTime));
      const outcomes = options.outcomes ? rows.map((row) => customerOutcome(row, referenceTime)).filter((o) => o !== undefined) : [];

      const env = parseConfig(kafkaEnvSchema, context.env);
      const producer = new TopicProducer(createKafka(env, 'churn-cli', context.logger), context.logger, createMetricsRegistry('churn-cli'));
      await producer.connect();
      const bar = new SingleBar(
        { format: '{bar} {percentage}% | {value}/{total} messages | {customers} customers | {rate}/s | {phase}', hideCursor: true, noTTYOutput: false },
        Presets.shades_classic,
      );
      const started = Date.now();
      bar.start(events.length + outcomes.length, 0, { customers: 0, rate: 0, phase: 'events' });
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
        bar.update(sent, { phase: 'done' });
      } finally {
        bar.stop();
        await producer.disconnect();
      }
      const seconds = (Date.now() - started) / 1000;
      context.logger.info({ customers: rows.length, events: events.length, outcomes: outcomes.length, seconds, reference_time: referenceTime }, 'replay published');
      process.stdout.write(
        `replayed ${rows.length} customers: ${events.length} events${options.outcomes ? `, ${outcomes.length} outcomes` : ''} in ${seconds.toFixed(1)} s (reference time ${referenceTime})\n`,
      );
    });
}
