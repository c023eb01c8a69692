import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Prediction } from '@churn/contracts';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { testInfra, uniqueId } from '@churn/testing';
import { MonitoringRepository } from './monitoring.repository';

describe("monitoring's prediction store on the real Postgres", () => {
  const logger = createLogger({ service: 'monitoring-data-spec', level: 'silent' });
  let db: Database;

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 4, applicationName: 'monitoring-data-spec' },
      logger,
      createMetricsRegistry('monitoring-data-spec'),
    );
  });
  after(() => db.close());

  it("keeps monitoring's newest-prediction pointer on the newest (as_of, scored_at, id), whatever the arrival order", async () => {
    const monitoring = new MonitoringRepository();
    const customer = uniqueId('C');
    const version = uniqueId('v');
    const prediction = (id: string, asOf: string, scoredAt: string, probability: number): Prediction => ({
      prediction_id: `${customer}-${id}`,
      customer_id: customer,
      model_version: version,
      churn_probability: probability,
      risk_score: Math.round(probability * 100),
      risk_level: 'medium',
      recommended_action: 'Standard monitoring',
      intervention_cost: 0,
      revenue_at_risk: 0,
      top_factors: [],
      experiment: null,
      source_event_id: `${customer}-e-${id}`,
      as_of: asOf,
      scored_at: scoredAt,
    });
    const features = { Contract: 'Month-to-month', tenure: 3 };
    const march = { ...prediction('march', '2025-03-01T00:00:00Z', '2025-03-01T00:00:05Z', 0.3), features };
    const april = { ...prediction('april', '2025-04-01T00:00:00Z', '2025-04-01T00:00:05Z', 0.6), features };
    // A rescore of February arrives last, and a batch carries the same customer twice.
    const february = prediction('february', '2025-02-01T00:00:00Z', '2025-05-01T00:00:00Z', 0.1);
    assert.equal(await db.transaction((tx) => monitoring.insertPredictions(tx, 'champion', [march, april])), 2);
    assert.equal(await db.transaction((tx) => monitoring.insertPredictions(tx, 'champion', [february, april])), 1, 'the redelivered April is not new');
    const pointer = await db.query<{ prediction_id: string }>('spec.latest', 'SELECT prediction_id FROM monitoring_latest WHERE customer_id = $1', [customer]);
    assert.deepEqual(
      pointer.map((r) => r.prediction_id),
      [april.prediction_id],
    );

    const exposures = (await monitoring.exposures(db, new Date('2025-01-01T00:00:00Z'), version)).filter((e) => e.customer_id === customer);
    assert.deepEqual(
      exposures.map((e) => [e.prediction_id, e.churn_probability]),
      [[april.prediction_id, 0.6]],
    );
    // April was scored before May: in a period starting in May the customer's current assessment is not there.
    assert.deepEqual(
      (await monitoring.exposures(db, new Date('2025-04-15T00:00:00Z'), version)).filter((e) => e.customer_id === customer),
      [],
    );
    const sample = await monitoring.featureSample(db, version, 'champion', null);
    assert.deepEqual(sample, [{ churn_probability: 0.6, features: { Contract: 'Month-to-month', tenure: 3 } }]);
  });
});
