import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Database } from '@churn/db';
import { CustomerStateRepository, ProcessedEventRepository } from '@churn/ingest-data';
import { loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { stateFeatures } from '@churn/feature-state';
import { startService, type RunningService } from '@churn/service-kit';
import { customerHistory, parseTelcoCsv, rowFeatures } from '@churn/telco-replay';
import { rawProducer, serviceTestEnv, testKafka, uniqueId, until } from '@churn/testing';
import { ingestConfigSchema } from './config';
import { IngestModule } from './ingest.module';
import { metricSum, publishEvents, specDatabase, waitReady } from './ingest-spec-support';

describe('two ingest instances in one consumer group', () => {
  const run = uniqueId('pair');
  const rows = parseTelcoCsv(fs.readFileSync(path.resolve(__dirname, '../../../data/telco/train.csv')))
    .slice(0, 600)
    .map((row) => ({ ...row, customerID: `${row.customerID}-${run}` }));
  const events = rows.flatMap((row) => customerHistory(row));
  const instances: RunningService[] = [];
  let db: Database;

  before(async () => {
    const env = serviceTestEnv({ KAFKA_GROUP_PREFIX: run });
    for (let i = 0; i < 2; i++)
      instances.push(await startService({ name: 'ingest', configSchema: ingestConfigSchema, module: (c) => IngestModule.register(c), env }));
    await Promise.all(instances.map((sut) => waitReady(sut.url)));
    db = specDatabase('ingest-scale-spec');
  });

  after(async () => {
    for (const sut of instances) await sut.close();
    await db.close();
  });

  it('share the partitions and build the same state a single instance builds', { timeout: 120_000 }, async () => {
    const admin = testKafka().admin();
    await admin.connect();
    await until('both instances to hold partitions', async () => {
      const { groups } = await admin.describeGroups([`${run}.ingest`]);
      return groups[0]?.state === 'Stable' && groups[0].members.length === 2;
    });
    await admin.disconnect();

    const producer = await rawProducer();
    await publishEvents(producer, events);
    await producer.close();
    const ledger = new ProcessedEventRepository();
    const ids = rows.map((r) => r.customerID);
    await until('all events to be processed', async () => (await ledger.count(db, ids)) === events.length, { timeoutMs: 60_000, intervalMs: 200 });

    const [a, b] = await Promise.all(instances.map((sut) => metricSum(sut.url, 'ingest_events_total', { result: 'applied' })));
    assert.ok(a! > 0 && b! > 0, `both instances applied events (${a} and ${b})`);
    assert.ok(a! + b! >= events.length);
    const live = await db.transaction((tx) => new CustomerStateRepository().lockMany(tx, ids));
    const spec = loadFeatureSpec(TELCO_SPEC_PATH);
    for (const row of rows) assert.deepEqual(stateFeatures(spec, live.get(row.customerID)?.state), rowFeatures(row), row.customerID);
  });
});
