import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Database } from '@churn/db';
import type { EvaluatorState } from '@churn/feature-spec';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { testInfra, uniqueId } from '@churn/testing';
import { CustomerStateRepository } from './customer-state.repository';
import { ProcessedEventRepository } from './processed-event.repository';

describe("ingest's repositories on the real Postgres", () => {
  const logger = createLogger({ service: 'ingest-data-spec', level: 'silent' });
  let db: Database;
  const ledger = new ProcessedEventRepository();
  const states = new CustomerStateRepository();

  before(async () => {
    db = new Database({ url: testInfra().databaseUrl, poolSize: 4, applicationName: 'ingest-data-spec' }, logger, createMetricsRegistry('ingest-data-spec'));
  });
  after(() => db.close());

  it('reports only never-seen event ids as new, across batches and within one', async () => {
    const customer = uniqueId('C');
    const row = (eventId: string) => ({ eventId, customerId: customer, eventType: 'invoice.paid', occurredAt: '2024-01-01T00:00:00Z', payload: {} });
    const first = await db.transaction((tx) =>
      ledger.insertNew(
        tx,
        [row('a'), row('b')].map((r) => ({ ...r, eventId: `${customer}-${r.eventId}` })),
      ),
    );
    assert.equal(first.size, 2);
    const second = await db.transaction((tx) =>
      ledger.insertNew(
        tx,
        ['b', 'c', 'c'].map((id) => row(`${customer}-${id}`)),
      ),
    );
    assert.deepEqual([...second], [`${customer}-c`]);
  });

  it('rolls the ledger back with the state when the transaction fails', async () => {
    const customer = uniqueId('C');
    await assert.rejects(
      db.transaction(async (tx) => {
        await ledger.insertNew(tx, [
          { eventId: `${customer}-x`, customerId: customer, eventType: 'invoice.paid', occurredAt: '2024-01-01T00:00:00Z', payload: {} },
        ]);
        await tx.query('spec.fail', 'SELECT 1/0');
      }),
    );
    assert.equal(await ledger.count(db, [customer]), 0);
  });

  it('upserts many states in one statement and reads them back as they were written, with the spec hash', async () => {
    const ids = [uniqueId('C'), uniqueId('C')];
    const state: EvaluatorState = {
      attributes: {
        plan: { value: 'team', at: '2024-01-01T00:00:00+01:00' },
        seats: { value: 12.5, at: '2024-02-01T00:00:00Z' },
        annual: { value: false, at: '2024-01-01T00:00:00Z' },
      },
      firstAt: { 'customer.signed_up': '2024-01-01T00:00:00Z' },
      sums: { paid: '1234.05' },
      counts: { logins: 20 },
      firstEventAt: '2023-12-31T00:00:00Z',
      lastEventAt: '2025-09-01T00:00:00.000Z',
      lastEventId: 'e',
    };
    await db.transaction((tx) => states.upsertMany(tx, 'hash-1', new Map(ids.map((id) => [id, state]))));
    await db.transaction((tx) => states.upsertMany(tx, 'hash-2', new Map([[ids[0]!, { ...state, sums: { paid: '99' } }]])));
    const locked = await db.transaction((tx) => states.lockMany(tx, ids));
    assert.deepEqual(locked.get(ids[0]!), { customerId: ids[0]!, specHash: 'hash-2', state: { ...state, sums: { paid: '99' } } });
    assert.deepEqual(locked.get(ids[1]!), { customerId: ids[1]!, specHash: 'hash-1', state });
  });
});
