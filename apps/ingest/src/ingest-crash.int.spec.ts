import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Topics } from '@churn/contracts';
import { type Database } from '@churn/db';
import { CustomerStateRepository, ProcessedEventRepository } from '@churn/ingest-data';
import { loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { stateFeatures } from '@churn/feature-state';
import { customerHistory, parseTelcoCsv, rowFeatures, type TelcoRow } from '@churn/telco-replay';
import { rawProducer, testInfra, truncateTopics, uniqueId, until } from '@churn/testing';
import { groupCaughtUp, metricSum, publishEvents, specDatabase, waitReady } from './ingest-spec-support';

const REPO = path.resolve(__dirname, '../../..');
const PORT_BASE = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000) + 10;

/** The ingest service as its own process (its built main.js), as it runs in production. */
function spawnIngest(groupPrefix: string, port: number): ChildProcess {
  const { kafkaBrokers, databaseUrl } = testInfra();
  return spawn(process.execPath, [path.join(REPO, 'apps/ingest/dist/main.js')], {
    cwd: REPO,
    env: { ...process.env, KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, KAFKA_GROUP_PREFIX: groupPrefix, PORT: String(port), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('ingest killed with SIGKILL while events flow', () => {
  const run = uniqueId('k9');
  // 1,200 Telco customers (about 40,000 events) under ids of this run.
  const rows: TelcoRow[] = parseTelcoCsv(fs.readFileSync(path.join(REPO, 'data/telco/train.csv')))
    .slice(0, 1200)
    .map((row) => ({ ...row, customerID: `${row.customerID}-${run}` }));
  const ids = rows.map((r) => r.customerID);
  const events = rows.flatMap((row) => customerHistory(row));
  const children: ChildProcess[] = [];
  let db: Database;

  before(() => {
    db = specDatabase('ingest-crash-spec');
  });

  after(async () => {
    for (const child of children) await kill9(child);
    await db.close();
    await truncateTopics([Topics.customerEvents, Topics.customerFeatures]);
  });

  it('restarts without double counting, and a full redelivery of committed batches changes nothing', { timeout: 180_000 }, async () => {
    const ledger = new ProcessedEventRepository();
    const group = `${run}.ingest`;
    const first = spawnIngest(run, PORT_BASE + 1);
    children.push(first);
    await waitReady(`http://127.0.0.1:${PORT_BASE + 1}`);
    const producer = await rawProducer();
    await publishEvents(producer, events, 2000);
    await producer.close();
    await until('a third of the events to be processed', async () => (await ledger.count(db, ids)) >= events.length / 3, { timeoutMs: 60_000, intervalMs: 20 });
    await kill9(first);
    const processedAtCrash = await ledger.count(db, ids);
    assert.ok(processedAtCrash < events.length, 'the crash happened mid-stream');

    // Same consumer group: it resumes from the last committed offset, so batches committed to Postgres
    // but not to Kafka are delivered again.
    const second = spawnIngest(run, PORT_BASE + 2);
    children.push(second);
    await waitReady(`http://127.0.0.1:${PORT_BASE + 2}`);
    await until(
      'the restarted ingest to catch up',
      async () => (await ledger.count(db, ids)) === events.length && (await groupCaughtUp(group, Topics.customerEvents)),
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    await assertStateMatchesRows();
    const totals = await totalsOf();
    await kill9(second);

    // The worst case of a crash between the database commit and the offset commit: no offset committed
    // at all. A new group reads every event again; all of them must be recognised as already applied.
    const replayGroup = uniqueId('k9-redelivery');
    const third = spawnIngest(replayGroup, PORT_BASE + 3);
    children.push(third);
    const url = `http://127.0.0.1:${PORT_BASE + 3}`;
    await waitReady(url);
    await until('the full redelivery to be consumed', () => groupCaughtUp(`${replayGroup}.ingest`, Topics.customerEvents), {
      timeoutMs: 90_000,
      intervalMs: 200,
    });
    assert.ok((await metricSum(url, 'ingest_events_total', { result: 'duplicate' })) >= events.length);
    assert.equal(await metricSum(url, 'ingest_events_total', { result: 'applied' }), 0);
    assert.equal(await metricSum(url, 'ingest_events_total', { result: 'not_applied' }), 0);
    assert.deepEqual(await totalsOf(), totals);
    await assertStateMatchesRows();
  });

  async function totalsOf() {
    // Every state, whole: a redelivered event applied twice would change a lifetime sum.
    return db.query(
      'spec.crash_totals',
      "SELECT count(*)::int AS customers, md5(string_agg(state::text, '' ORDER BY customer_id)) AS states FROM customer_state WHERE customer_id = ANY($1::text[])",
      [ids],
    );
  }

  async function assertStateMatchesRows(): Promise<void> {
    const live = await db.transaction((tx) => new CustomerStateRepository().lockMany(tx, ids));
    const spec = loadFeatureSpec(TELCO_SPEC_PATH);
    // TotalCharges is every invoice added up: each counted once, or the row differs.
    for (const row of rows) assert.deepEqual(stateFeatures(spec, live.get(row.customerID)?.state), rowFeatures(row), row.customerID);
  }
});
