import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { AuditLogRepository, Database } from '@churn/db';
import { ProcessedEventRepository } from '@churn/ingest-data';
import { OutcomeRepository } from '@churn/monitoring-data';
import { ModelVersionRepository } from '@churn/scorer-data';
import { loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { REPO_ROOT } from '@churn/local-stack';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { testInfra, uniqueId } from '@churn/testing';
import { KEPT_TRAINING_SET } from '../train/registry-versions';
import { loggedTelcoHistory, telcoCustomers } from '../train/telco-event-log.fixture';
import { RetrainJob } from './retrain.job';

const DAY = 86_400_000;

/**
 * `churn retrain` end to end on the real Postgres and the real Python trainer (small config): the
 * training set is the Telco spec's point-in-time table built from the event log (events logged after
 * the label-delay cut-off are not used), the trainer writes a new version, the table is kept beside
 * it, and it is registered as the shadow challenger with an audit record.
 */
describe('churn retrain', () => {
  const logger = createLogger({ service: 'retrain-spec', level: 'silent' });
  const spec = loadFeatureSpec(TELCO_SPEC_PATH);
  let db: Database;
  let registryDir: string;
  const prefix = uniqueId('RT');
  const rows = telcoCustomers(prefix, 600);
  const observedAt = new Date('2025-09-01T00:00:00Z');

  before(async () => {
    db = new Database({ url: testInfra().databaseUrl, poolSize: 2, applicationName: 'retrain-spec' }, logger, createMetricsRegistry('retrain-spec'));
    registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-retrain-'));
    // Other specs share this database: clear outcomes so the training set holds only this spec's customers.
    await db.query('spec.clear_outcomes', 'DELETE FROM outcomes');
    const events = new ProcessedEventRepository();
    await db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += 100) {
        const chunk = rows.slice(i, i + 100);
        // The history that leads to the row, its latest event 40 days before the outcome (10 before the cut-off).
        await events.insertNew(
          tx,
          chunk.flatMap((row) => loggedTelcoHistory(row, new Date(observedAt.getTime() - 40 * DAY))),
        );
        // Inside the label delay: a contract change and an invoice that must not leak into training.
        const late = new Date(observedAt.getTime() - 5 * DAY).toISOString();
        await events.insertNew(
          tx,
          chunk.flatMap((row) => [
            {
              eventId: `${row.customerID}-late-sub`,
              customerId: row.customerID,
              eventType: 'subscription.changed',
              occurredAt: late,
              payload: { contract: row.Contract === 'Month-to-month' ? 'Two year' : 'Month-to-month' },
            },
            {
              eventId: `${row.customerID}-late-inv`,
              customerId: row.customerID,
              eventType: 'invoice.paid',
              occurredAt: late,
              payload: { invoice_id: `late-${row.customerID}`, amount: 1000, period_start: '2025-08-01', period_end: '2025-08-27' },
            },
          ]),
        );
      }
      await new OutcomeRepository().insertNew(
        tx,
        rows.map((row) => ({ customer_id: row.customerID, churned: row.Churn === 'Yes', observed_at: observedAt.toISOString() })),
      );
    });
  });

  after(async () => {
    await db.transaction((tx) => new ModelVersionRepository().clearShadow(tx));
    await db.close();
    fs.rmSync(registryDir, { recursive: true, force: true });
  });

  it('refuses a history too small to learn from', async () => {
    await assert.rejects(
      new RetrainJob(db, logger).run({
        spec,
        specSource: TELCO_SPEC_PATH,
        registryDir,
        labelDelayDays: 30,
        minRows: 10_000,
        trainingSetFile: path.join(registryDir, 'x.csv'),
        actor: 'spec',
        dryRun: true,
      }),
      /only 600 customers/,
    );
  });

  it('trains on the point-in-time set from the event log and registers the new version as shadow', async () => {
    const trainingSetFile = path.join(registryDir, 'training-set.csv');
    const result = await new RetrainJob(db, logger).run({
      spec,
      specSource: TELCO_SPEC_PATH,
      registryDir,
      labelDelayDays: 30,
      minRows: 300,
      trainingSetFile,
      trainerConfig: path.join(REPO_ROOT, 'apps', 'trainer', 'config', 'test.yaml'),
      skipShap: true,
      actor: 'retrain-spec',
    });
    assert.equal(result.rows, 600);
    assert.equal(result.incomplete, 0);
    assert.equal(result.churners, rows.filter((r) => r.Churn === 'Yes').length);

    const csv = parse(fs.readFileSync(trainingSetFile), { columns: true }) as Record<string, string>[];
    assert.equal(csv.length, 600);
    for (const row of rows.slice(0, 50)) {
      const written = csv.find((r) => r['customerID'] === row.customerID)!;
      assert.equal(written['tenure'], row.tenure, 'tenure as of the cut-off, not the outcome');
      assert.equal(written['Contract'], row.Contract, 'the contract change inside the label delay must not be used');
      assert.equal(Number(written['TotalCharges']), Number(row.TotalCharges || '0'), 'the invoice inside the label delay must not be counted');
      assert.equal(written['Churn'], row.Churn);
    }

    assert.ok(result.version, 'a new version');
    assert.ok(fs.existsSync(path.join(registryDir, result.version, 'model.onnx')));
    assert.deepEqual(
      fs.readFileSync(path.join(registryDir, result.version, KEPT_TRAINING_SET)),
      fs.readFileSync(trainingSetFile),
      'the table is kept beside the model',
    );
    const registered = await new ModelVersionRepository().find(db, result.version);
    assert.equal(registered?.role, 'shadow');
    const audit = await new AuditLogRepository().findBySubject(db, `model:${result.version}`);
    assert.equal(audit[0]?.action, 'model.retrain');
  });
});
