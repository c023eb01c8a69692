import type { Producer } from 'kafkajs';
import { Topics, type CustomerEvent } from '@churn/contracts';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { asKafkaMessage, testInfra, testKafka, until, waitUntilHttpReady } from '@churn/testing';

/** Helpers of the ingest integration specs (not part of the service). */

export function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  return waitUntilHttpReady(url, timeoutMs);
}

/**
 * Waits for the event's ledger row. Ingest publishes what an event causes inside the transaction that
 * applies it, before COMMIT (ARCHITECTURE "Exactly once, in effect"), so seeing a message does not
 * mean the state is visible yet; the ledger row is written in that same transaction.
 */
export function eventCommitted(db: Database, eventId: string, timeoutMs = 15_000): Promise<void> {
  const ledgerRows = async () =>
    (await db.query<{ n: number }>('spec.committed', 'SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1', [eventId]))[0]?.n;
  return until(`event ${eventId} to commit (its ledger row)`, async () => (await ledgerRows()) === 1, { timeoutMs, intervalMs: 20 });
}

// Shared with the other services' specs; re-exported so that the ingest specs keep one import.
export { metricSum } from '@churn/testing';

/** Publishes events in large sends, keyed by customer, as any outside producer would. */
export async function publishEvents(producer: Producer, events: readonly CustomerEvent[], chunk = 5000): Promise<void> {
  for (let i = 0; i < events.length; i += chunk) {
    await producer.send({ topic: Topics.customerEvents, messages: events.slice(i, i + chunk).map(asKafkaMessage) });
  }
}

export function specDatabase(name: string): Database {
  return new Database(
    { url: testInfra().databaseUrl, poolSize: 2, applicationName: name },
    createLogger({ service: 'spec', level: 'silent' }),
    createMetricsRegistry('spec'),
  );
}

/** True when the group has committed, on every partition of the topic, the offset at its end. */
export async function groupCaughtUp(groupId: string, topic: string): Promise<boolean> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends.every((end) => {
      const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      return end.high === end.low || at === end.high;
    });
  } finally {
    await admin.disconnect();
  }
}
