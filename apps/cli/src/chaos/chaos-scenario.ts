import fs from 'node:fs';
import path from 'node:path';
import { deadLetterSchema, Topics, type CustomerEvent, type DeadLetter } from '@churn/contracts';
import { Database } from '@churn/db';
import { REPO_ROOT } from '@churn/local-stack';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { customerHistory, parseTelcoCsv, type TelcoRow } from '@churn/telco-replay';
import { rawProducer, testInfra, testKafka, uniqueId, until } from '@churn/testing';
import { consumerGroupLag } from '@churn/kafka';
import { CONSUMED, type ChaosPlatform } from './chaos-platform';

/**
 * One scenario's input: a fixed slice of the Telco training file, each customer id suffixed with a
 * run id so that scenarios sharing a database never see each other's rows. The replay's event ids
 * are deterministic (libs/telco-replay), so publishing an event again is a true duplicate.
 */
export interface ScenarioInput {
  readonly run: string;
  readonly rows: readonly TelcoRow[];
  readonly ids: readonly string[];
  readonly events: readonly CustomerEvent[];
}

let telco: TelcoRow[] | undefined;

export function scenarioInput(name: string, from: number, count: number): ScenarioInput {
  telco ??= parseTelcoCsv(fs.readFileSync(path.join(REPO_ROOT, 'data/telco/train.csv')));
  const run = uniqueId(name);
  const rows = telco.slice(from, from + count).map((row) => ({ ...row, customerID: `${row.customerID}-${run}` }));
  return { run, rows, ids: rows.map((r) => r.customerID), events: rows.flatMap((row) => customerHistory(row)) };
}

/** Publishes the events keyed by customer (per-customer order kept), in chunks, as an outside producer would. */
export async function publishEvents(events: readonly CustomerEvent[], chunk = 2000): Promise<void> {
  const producer = await rawProducer();
  try {
    for (let i = 0; i < events.length; i += chunk) {
      await producer.send({
        topic: Topics.customerEvents,
        messages: events.slice(i, i + chunk).map((e) => ({ key: e.customer_id, value: JSON.stringify(e) })),
      });
    }
  } finally {
    await producer.close();
  }
}

export function scenarioDatabase(name: string): Database {
  return new Database(
    { url: testInfra().databaseUrl, poolSize: 2, applicationName: name },
    createLogger({ service: 'chaos', level: 'silent' }),
    createMetricsRegistry('chaos'),
  );
}

/** Consumer lag of every group of the platform, by group and topic (0 everywhere = caught up). */
export async function consumerLag(platform: ChaosPlatform): Promise<Record<string, number>> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const lag: Record<string, number> = {};
    // In pipeline order: each service publishes before it commits, so once a group shows no lag
    // what it produced is already counted in the next group's end offsets.
    for (const [service, topics] of Object.entries(CONSUMED)) {
      const byTopic = await consumerGroupLag(admin, `${platform.groupPrefix}.${service}`, topics);
      for (const [topic, behind] of Object.entries(byTopic)) lag[`${service}:${topic}`] = behind;
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Quiescence: every group at lag 0, every input event in the ledger, no CRM write, notification or
 * alert update still pending for these customers — twice in a row a second apart, so that a retry in flight
 * (outbox row between attempts) is not mistaken for the end.
 */
export async function waitForQuiescence(platform: ChaosPlatform, db: Database, input: ScenarioInput, timeoutMs = 150_000): Promise<void> {
  const distinctEvents = new Set(input.events.map((e) => e.event_id)).size;
  let calm = 0;
  let state = '';
  await until(
    'quiescence',
    async () => {
      const lag = await consumerLag(platform);
      const behind = Object.entries(lag).filter(([, n]) => n > 0);
      const [row] = await db.query<{ events: string; crm: string; notes: string; updates: string }>(
        'chaos.quiescence',
        `SELECT (SELECT count(*) FROM processed_events WHERE customer_id = ANY($1::text[])) AS events,
                (SELECT count(*) FROM crm_outbox WHERE customer_id = ANY($1::text[]) AND status = 'pending') AS crm,
                (SELECT count(*) FROM alert_notifications n JOIN alerts a ON a.alert_id = n.alert_id
                  WHERE a.customer_id = ANY($1::text[]) AND n.status = 'pending') AS notes,
                (SELECT count(*) FROM alert_updates_outbox WHERE customer_id = ANY($1::text[]) AND published_at IS NULL)
                  + (SELECT count(*) FROM alert_notifications_outbox WHERE customer_id = ANY($1::text[]) AND published_at IS NULL)
                  + (SELECT count(*) FROM crm_activity_outbox WHERE customer_id = ANY($1::text[]) AND published_at IS NULL) AS updates`,
        [input.ids],
      );
      state = `lag ${JSON.stringify(Object.fromEntries(behind))}, events ${row!.events}/${distinctEvents}, crm pending ${row!.crm}, notifications pending ${row!.notes}, outbox messages unpublished (alert-updates, alert-notifications, crm-activity) ${row!.updates}`;
      const quiet =
        behind.length === 0 && Number(row!.events) === distinctEvents && Number(row!.crm) === 0 && Number(row!.notes) === 0 && Number(row!.updates) === 0;
      calm = quiet ? calm + 1 : 0;
      return calm >= 2;
    },
    { timeoutMs, intervalMs: 1000 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last state: ${state}`);
  });
}

/** Every record the topics hold now, from their start: the key and the UTF-8 value of each. */
export async function readTopics(topics: readonly string[], what: string): Promise<{ key: string | null; value: string }[]> {
  const admin = testKafka().admin();
  await admin.connect();
  let total = 0;
  for (const topic of topics) total += (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  await admin.disconnect();
  const records: { key: string | null; value: string }[] = [];
  const consumer = testKafka().consumer({ groupId: uniqueId('chaos-reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      records.push({ key: message.key?.toString('utf8') ?? null, value: message.value!.toString('utf8') });
    },
  });
  await until(`${what} to be read`, async () => records.length >= total, { timeoutMs: 30_000, intervalMs: 100 });
  await consumer.disconnect();
  return records;
}

/** Dead letters written by this platform's consumer groups, one per source message (see docs/resilience.md). */
export async function deadLettersOf(platform: ChaosPlatform): Promise<DeadLetter[]> {
  const topics = [
    Topics.customerEventsDlq,
    Topics.customerFeaturesDlq,
    Topics.alertingDlq,
    Topics.crmSyncDlq,
    Topics.monitoringDlq,
    Topics.outcomesDlq,
    Topics.interventionsDlq,
    Topics.alertUpdatesDlq,
  ];
  const letters = (await readTopics(topics, 'the dead-letter topics'))
    .map((record) => deadLetterSchema.parse(JSON.parse(record.value)))
    .filter((letter) => letter.consumer_group.startsWith(`${platform.groupPrefix}.`));
  // A poison message redelivered after a crash is dead-lettered again: the same letter, counted once.
  const distinct = new Map(letters.map((l) => [`${l.source_topic}/${l.partition}/${l.offset}/${l.consumer_group}`, l]));
  return [...distinct.values()];
}
