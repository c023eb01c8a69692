import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Prediction } from '@churn/contracts';
import type { EvaluatorState } from '@churn/feature-spec';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { testInfra, uniqueId } from '@churn/testing';
import { Database } from '../database';
import { runMigrations } from '../migrate';
import { CustomerStateRepository } from './customer-state.repository';
import { MonitoringRepository } from './monitoring.repository';
import { PredictionRepository } from './prediction.repository';
import { ProcessedEventRepository } from './processed-event.repository';

describe('repositories on the real Postgres', () => {
  const logger = createLogger({ service: 'db-spec', level: 'silent' });
  let db: Database;
  const ledger = new ProcessedEventRepository();
  const states = new CustomerStateRepository();

  before(async () => {
    db = new Database({ url: testInfra().databaseUrl, poolSize: 4, applicationName: 'db-spec' }, logger, createMetricsRegistry('db-spec'));
  });
  after(() => db.close());

  it('runs migrations idempotently, also when several processes start at once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runMigrations(testInfra().databaseUrl, logger)));
    assert.deepEqual(results, [[], [], []]);
  });

  it('reports only never-seen event ids as new, across batches and within one', async () => {
    const customer = uniqueId('C');
    const row = (eventId: string) => ({ eventId, customerId: customer, eventType: 'invoice.paid', occurredAt: '2024-01-01T00:00:00Z', payload: {} });
    const first = await db.transaction((tx) => ledger.insertNew(tx, [row('a'), row('b')].map((r) => ({ ...r, eventId: `${customer}-${r.eventId}` }))));
    assert.equal(first.size, 2);
    const second = await db.transaction((tx) => ledger.insertNew(tx, ['b', 'c', 'c'].map((id) => row(`${customer}-${id}`))));
    assert.deepEqual([...second], [`${customer}-c`]);
  });

  it('rolls the ledger back with the state when the transaction fails', async () => {
    const customer = uniqueId('C');
    await assert.rejects(
      db.transaction(async (tx) => {
        await ledger.insertNew(tx, [{ eventId: `${customer}-x`, customerId: customer, eventType: 'invoice.paid', occurredAt: '2024-01-01T00:00:00Z', payload: {} }]);
        await tx.query('spec.fail', 'SELECT 1/0');
      }),
    );
    assert.equal(await ledger.count(db, [customer]), 0);
  });

  it('upserts many states in one statement and reads them back as they were written, with the spec hash', async () => {
    const ids = [uniqueId('C'), uniqueId('C')];
    const state: EvaluatorState = {
      attributes: { plan: { value: 'team', at: '2024-01-01T00:00:00+01:00' }, seats: { value: 12.5, at: '2024-02-01T00:00:00Z' }, annual: { value: false, at: '2024-01-01T00:00:00Z' } },
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
  it("keeps monitoring's newest-prediction pointer on the newest (as_of, scored_at, id), whatever the arrival order", async () => {
    const monitoring = new MonitoringRepository();
    const customer = uniqueId('C');
    const version = uniqueId('v');
    const prediction = (id: string, asOf: string, scoredAt: string, probability: number): Prediction => ({
      prediction_id: `${customer}-${id}`, customer_id: customer, model_version: version, churn_probability: probability,
      risk_score: Math.round(probability * 100), risk_level: 'medium', recommended_action: 'Standard monitoring', intervention_cost: 0,
      revenue_at_risk: 0, top_factors: [], experiment: null, source_event_id: `${customer}-e-${id}`, as_of: asOf, scored_at: scoredAt,
    });
    const march = prediction('march', '2025-03-01T00:00:00Z', '2025-03-01T00:00:05Z', 0.3);
    const april = prediction('april', '2025-04-01T00:00:00Z', '2025-04-01T00:00:05Z', 0.6);
    // A rescore of February arrives last, and a batch carries the same customer twice.
    const february = prediction('february', '2025-02-01T00:00:00Z', '2025-05-01T00:00:00Z', 0.1);
    const stored = new PredictionRepository();
    await db.transaction((tx) =>
      stored.insertNew(tx, [march, april, february].map((p) => ({ prediction: p, role: 'champion' as const, features: { Contract: 'Month-to-month', tenure: 3 } }))),
    );
    assert.equal(await db.transaction((tx) => monitoring.insertPredictions(tx, 'champion', [march, april])), 2);
    assert.equal(await db.transaction((tx) => monitoring.insertPredictions(tx, 'champion', [february, april])), 1, 'the redelivered April is not new');
    const pointer = await db.query<{ prediction_id: string }>('spec.latest', 'SELECT prediction_id FROM monitoring_latest WHERE customer_id = $1', [customer]);
    assert.deepEqual(pointer.map((r) => r.prediction_id), [april.prediction_id]);

    const exposures = (await monitoring.exposures(db, new Date('2025-01-01T00:00:00Z'), version)).filter((e) => e.customer_id === customer);
    assert.deepEqual(exposures.map((e) => [e.prediction_id, e.churn_probability]), [[april.prediction_id, 0.6]]);
    // April was scored before May: in a period starting in May the customer's current assessment is not there.
    assert.deepEqual((await monitoring.exposures(db, new Date('2025-04-15T00:00:00Z'), version)).filter((e) => e.customer_id === customer), []);
    const sample = await monitoring.featureSample(db, version, 'champion', null);
    assert.deepEqual(sample, [{ churn_probability: 0.6, features: { Contract: 'Month-to-month', tenure: 3 } }]);
  });
});
