import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { riskLevelOf, riskScoreOf, type Prediction, type TelcoFeatures } from '@churn/contracts';
import { AuditLogRepository, Database, ModelVersionRepository, OutcomeRepository, PredictionRepository } from '@churn/db';
import { REPO_ROOT } from '@churn/local-stack';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { parseTelcoCsv, rowFeatures } from '@churn/telco-replay';
import { testInfra, uniqueId } from '@churn/testing';
import { RetrainJob } from './retrain.job';

const DAY = 86_400_000;

function prediction(customerId: string, features: TelcoFeatures, asOf: Date, sourceEventId: string): { prediction: Prediction; role: 'champion'; features: TelcoFeatures } {
  const probability = 0.3;
  return {
    role: 'champion',
    features,
    prediction: {
      prediction_id: uniqueId('p'),
      customer_id: customerId,
      model_version: 'spec-model',
      churn_probability: probability,
      risk_score: riskScoreOf(probability),
      risk_level: riskLevelOf(riskScoreOf(probability)),
      recommended_action: 'Monitor',
      intervention_cost: 0,
      revenue_at_risk: 0,
      top_factors: [],
      experiment: null,
      source_event_id: sourceEventId,
      as_of: asOf.toISOString(),
      scored_at: asOf.toISOString(),
    },
  };
}

/**
 * `churn retrain` end to end on the real Postgres and the real Python trainer (small config):
 * the training set is point-in-time (a prediction made after the label-delay cut-off is not used),
 * the trainer writes a new version, and it is registered as the shadow challenger with an audit record.
 */
describe('churn retrain', () => {
  const logger = createLogger({ service: 'retrain-spec', level: 'silent' });
  let db: Database;
  let registryDir: string;
  const prefix = uniqueId('RT');
  const rows = parseTelcoCsv(fs.readFileSync(path.join(REPO_ROOT, 'data', 'telco', 'train.csv'))).slice(0, 600);
  const observedAt = new Date('2025-09-01T00:00:00Z');

  before(async () => {
    db = new Database({ url: testInfra().databaseUrl, poolSize: 2, applicationName: 'retrain-spec' }, logger, createMetricsRegistry('retrain-spec'));
    registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-retrain-'));
    // Other specs share this database: clear outcomes so the training set holds only this spec's customers.
    await db.query('spec.clear_outcomes', 'DELETE FROM outcomes');
    const predictions = new PredictionRepository();
    await db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200);
        // What the model knew 40 days before the outcome: the row itself.
        await predictions.insertNew(tx, chunk.map((row) => prediction(`${prefix}-${row.customerID}`, rowFeatures(row), new Date(observedAt.getTime() - 40 * DAY), `${prefix}-old-${row.customerID}`)));
        // A later prediction, inside the label delay: must not leak into training.
        await predictions.insertNew(tx, chunk.map((row) => prediction(`${prefix}-${row.customerID}`, { ...rowFeatures(row), tenure: 999 }, new Date(observedAt.getTime() - 5 * DAY), `${prefix}-new-${row.customerID}`)));
      }
      await new OutcomeRepository().insertNew(tx, rows.map((row) => ({ customer_id: `${prefix}-${row.customerID}`, churned: row.Churn === 'Yes', observed_at: observedAt.toISOString() })));
    });
  });

  after(async () => {
    await db.transaction((tx) => new ModelVersionRepository().clearShadow(tx));
    await db.close();
    fs.rmSync(registryDir, { recursive: true, force: true });
  });

  it('refuses a history too small to learn from', async () => {
    await assert.rejects(
      new RetrainJob(db, logger).run({ registryDir, labelDelayDays: 30, minRows: 10_000, trainingSetFile: path.join(registryDir, 'x.csv'), actor: 'spec', dryRun: true }),
      /only 600 customers/,
    );
  });

  it('trains on the point-in-time set and registers the new version as shadow', async () => {
    const trainingSetFile = path.join(registryDir, 'training-set.csv');
    const result = await new RetrainJob(db, logger).run({
      registryDir,
      labelDelayDays: 30,
      minRows: 300,
      trainingSetFile,
      trainerConfig: path.join(REPO_ROOT, 'apps', 'trainer', 'config', 'test.yaml'),
      skipShap: true,
      actor: 'retrain-spec',
    });
    assert.equal(result.rows, 600);
    assert.equal(result.churners, rows.filter((r) => r.Churn === 'Yes').length);

    const csv = parse(fs.readFileSync(trainingSetFile), { columns: true }) as Record<string, string>[];
    assert.equal(csv.length, 600);
    const first = rows[0]!;
    const written = csv.find((r) => r['customerID'] === `${prefix}-${first.customerID}`)!;
    assert.equal(written['tenure'], first.tenure, 'the prediction inside the label delay must not be used');
    assert.equal(written['Contract'], first.Contract);
    assert.equal(written['Churn'], first.Churn);

    assert.ok(result.version, 'a new version');
    assert.ok(fs.existsSync(path.join(registryDir, result.version, 'model.onnx')));
    const registered = await new ModelVersionRepository().find(db, result.version);
    assert.equal(registered?.role, 'shadow');
    const audit = await new AuditLogRepository().findBySubject(db, `model:${result.version}`);
    assert.equal(audit[0]?.action, 'model.retrain');
  });
});
