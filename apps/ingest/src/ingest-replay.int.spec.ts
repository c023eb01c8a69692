import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Topics } from '@churn/contracts';
import { type Database } from '@churn/db';
import { CustomerHistoryRepository, CustomerStateRepository, ProcessedEventRepository } from '@churn/ingest-data';
import { loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { foldHistory, stateFeatures } from '@churn/feature-state';
import { startService, type RunningService } from '@churn/service-kit';
import { customerHistory, DEFAULT_REFERENCE_TIME, parseTelcoCsv, rowFeatures } from '@churn/telco-replay';
import { rawProducer, serviceTestEnv, truncateTopics, until } from '@churn/testing';
import { ingestConfigSchema } from './config';
import { IngestModule } from './ingest.module';
import { metricSum, publishEvents, specDatabase, waitReady } from './ingest-spec-support';

const TRAIN_CSV = path.resolve(__dirname, '../../../data/telco/train.csv');

describe('replay of the whole Telco training file through the broker and ingest', () => {
  let sut: RunningService;
  let db: Database;
  const rows = parseTelcoCsv(fs.readFileSync(TRAIN_CSV));
  const events = rows.flatMap((row) => customerHistory(row));

  before(async () => {
    sut = await startService({ name: 'ingest', configSchema: ingestConfigSchema, module: (c) => IngestModule.register(c), env: serviceTestEnv() });
    await waitReady(sut.url);
    db = specDatabase('ingest-replay-spec');
  });

  after(async () => {
    await sut.close();
    await db.close();
    await truncateTopics([Topics.customerEvents, Topics.customerFeatures]);
  });

  it('builds, for every one of the 5,634 customers, exactly the feature vector of its CSV row', { timeout: 240_000 }, async () => {
    assert.equal(rows.length, 5634);
    const producer = await rawProducer();
    await publishEvents(producer, events);
    await producer.close();
    const ledger = new ProcessedEventRepository();
    const ids = rows.map((r) => r.customerID);
    await until('every replayed event in the ledger', async () => (await ledger.count(db, ids)) === events.length, { timeoutMs: 180_000, intervalMs: 500 });

    const history = new CustomerHistoryRepository();
    const states = new CustomerStateRepository();
    const spec = loadFeatureSpec(TELCO_SPEC_PATH);
    const current = new Map<string, ReturnType<typeof stateFeatures>>();
    for (let i = 0; i < rows.length; i += 1000) {
      const ids = rows.slice(i, i + 1000).map((r) => r.customerID);
      const live = await db.transaction((tx) => states.lockMany(tx, ids));
      // The event log (the point-in-time history) rebuilds the same state as of T.
      const rebuilt = foldHistory(spec, await history.eventsUpTo(db, ids, DEFAULT_REFERENCE_TIME));
      for (const id of ids) {
        assert.ok(live.has(id), `no state for ${id}`);
        current.set(id, stateFeatures(spec, live.get(id)!.state));
        assert.deepEqual(stateFeatures(spec, rebuilt.get(id)), current.get(id), `event-log rebuild of ${id}`);
      }
    }
    const mismatches = rows.filter((row) => !isDeepStrictEqual(current.get(row.customerID), rowFeatures(row)));
    assert.deepEqual(
      mismatches.slice(0, 3).map((row) => ({ id: row.customerID, expected: rowFeatures(row), got: current.get(row.customerID) })),
      [],
      `${mismatches.length} customers differ from their CSV row`,
    );
  });

  it('changes nothing when the replay runs again (deterministic event ids)', { timeout: 120_000 }, async () => {
    const sample = rows.slice(0, 500).flatMap((row) => customerHistory(row));
    const before = await db.query<{ s: string; n: string }>(
      'spec.totals',
      "SELECT count(*)::text AS n, md5(string_agg(state::text, '' ORDER BY customer_id)) AS s FROM customer_state",
    );
    const duplicatesBefore = await metricSum(sut.url, 'ingest_events_total', { result: 'duplicate' });
    const producer = await rawProducer();
    await publishEvents(producer, sample);
    await producer.close();
    await until(
      'the second replay to be consumed',
      async () => (await metricSum(sut.url, 'ingest_events_total', { result: 'duplicate' })) - duplicatesBefore >= sample.length,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const afterTotals = await db.query<{ s: string; n: string }>(
      'spec.totals',
      "SELECT count(*)::text AS n, md5(string_agg(state::text, '' ORDER BY customer_id)) AS s FROM customer_state",
    );
    assert.deepEqual(afterTotals, before);
  });
});
