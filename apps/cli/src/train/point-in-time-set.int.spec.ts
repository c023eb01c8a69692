import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { Database } from '@churn/db';
import { ProcessedEventRepository } from '@churn/ingest-data';
import { OutcomeRepository } from '@churn/monitoring-data';
import { loadFeatureSpec, parseFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { REPO_ROOT } from '@churn/local-stack';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { testInfra, uniqueId } from '@churn/testing';
import { PointInTimeRuleError, trainingSetHeader } from './point-in-time-row';
import { buildPointInTimeSet } from './point-in-time-set';
import { KEPT_TRAINING_SET } from './registry-versions';
import { loggedTelcoHistory, telcoCustomers } from './telco-event-log.fixture';
import { churn } from './train-spec-support';
import { FIXTURE_CUSTOMERS, LABEL_DELAY_DAYS, POINT_IN_TIME_HEADER, POINT_IN_TIME_SPEC, POINT_IN_TIME_SPEC_YAML } from './point-in-time.fixture';

/**
 * The training set built from the event log on the real Postgres: customers with known histories and
 * outcomes give the hand-computed rows at their cut-offs (what was logged after a cut-off, the plan
 * change, the invoice, the failed payment, does not leak in), incomplete customers are counted and
 * left out, paging changes nothing, `churn train --from-events` refuses a spec without a label, and
 * trains on the table (the real Python trainer, small config), which it keeps beside the new version.
 */
describe('point-in-time training set from the event log', () => {
  const logger = createLogger({ service: 'point-in-time-spec', level: 'silent' });
  const prefix = uniqueId('PIT');
  const idOf = (id: string) => `${prefix}-${id}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-point-in-time-'));
  let db: Database;

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'point-in-time-spec' },
      logger,
      createMetricsRegistry('point-in-time-spec'),
    );
    // Other specs share this database: clear outcomes so the set holds only these customers.
    await db.query('spec.clear_outcomes', 'DELETE FROM outcomes');
    await db.transaction(async (tx) => {
      await new ProcessedEventRepository().insertNew(
        tx,
        FIXTURE_CUSTOMERS.flatMap((c) =>
          c.events.map((e) => ({
            eventId: `${prefix}-${e.event_id}`,
            customerId: idOf(c.id),
            eventType: e.event_type,
            occurredAt: e.occurred_at,
            payload: e.payload,
          })),
        ),
      );
      await new OutcomeRepository().insertNew(
        tx,
        FIXTURE_CUSTOMERS.flatMap((c) => c.outcomes.map((o) => ({ customer_id: idOf(c.id), churned: o.churned, observed_at: o.observedAt }))),
      );
    });
  });

  after(async () => {
    await db.query('spec.clear_outcomes', 'DELETE FROM outcomes');
    await db.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('holds the hand-computed vector of each complete customer at its cut-off, and counts the others', async () => {
    const file = path.join(tmp, 'set.csv');
    const set = await buildPointInTimeSet(db, POINT_IN_TIME_SPEC, { labelDelayDays: LABEL_DELAY_DAYS, file, specSource: 'fixture', pageSize: 3 });
    assert.deepEqual(
      { customers: set.customers, rows: set.rows, churners: set.churners, incomplete: set.incomplete },
      { customers: 4, rows: 2, churners: 1, incomplete: 2 },
    );
    const table = parse(fs.readFileSync(file), { relax_column_count: false }) as string[][];
    const expected = FIXTURE_CUSTOMERS.filter((c) => c.expected).map((c) => [idOf(c.id), ...c.expected!.slice(1)]);
    assert.deepEqual(table, [POINT_IN_TIME_HEADER, ...expected]);
    const a = table[1]!;
    assert.equal(a[POINT_IN_TIME_HEADER.indexOf('plan')], 'basic', 'the plan change after the cut-off must not leak in');
    assert.equal(a[POINT_IN_TIME_HEADER.indexOf('invoiced')], '199.76', 'the invoice after the cut-off must not be counted');
    assert.equal(a[POINT_IN_TIME_HEADER.indexOf('failures_30d')], '1', 'the failed payment after the cut-off must not be counted');
    assert.equal(a[POINT_IN_TIME_HEADER.indexOf('tenure')], '5', 'tenure as of the cut-off, not the outcome');

    const onePerPage = path.join(tmp, 'one-per-page.csv');
    await buildPointInTimeSet(db, POINT_IN_TIME_SPEC, { labelDelayDays: LABEL_DELAY_DAYS, file: onePerPage, specSource: 'fixture', pageSize: 1 });
    assert.equal(fs.readFileSync(onePerPage, 'utf8'), fs.readFileSync(file, 'utf8'), 'paging changes nothing');
  });

  it('refuses a spec without a label', async () => {
    const unlabelled = POINT_IN_TIME_SPEC_YAML.replace(/^label:.*$/m, '');
    await assert.rejects(
      buildPointInTimeSet(db, parseFeatureSpec(unlabelled), {
        labelDelayDays: 30,
        file: path.join(tmp, 'never.csv'),
        specSource: 'accounts.yaml',
        pageSize: 3,
      }),
      PointInTimeRuleError,
    );
    const specFile = path.join(tmp, 'unlabelled.yaml');
    fs.writeFileSync(specFile, unlabelled);
    const result = churn(['train', '--spec', specFile, '--from-events', '--out', path.join(tmp, 'models')]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /unlabelled\.yaml: training needs label\.column and label\.positive in the spec/);
  });

  it('churn train --from-events writes the set, says how many were left out, and refuses too few rows before training', () => {
    const specFile = path.join(tmp, 'accounts.yaml');
    fs.writeFileSync(specFile, POINT_IN_TIME_SPEC_YAML);
    const both = churn(['train', '--spec', specFile, '--from-events', '--data', specFile]);
    assert.equal(both.status, 1);
    assert.match(both.stderr, /give --data or --from-events, not both/);

    const result = churn(['train', '--spec', specFile, '--from-events', '--min-rows', '3', '--out', path.join(tmp, 'models')]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /training set: 2 customers \(1 churned; 2 of 4 with an outcome left out, their vector incomplete at the cut-off\) → (\S+)/);
    const written = /→ (\S+)/.exec(result.stdout)![1]!;
    assert.equal((parse(fs.readFileSync(written)) as string[][]).length, 3);
    fs.rmSync(written);
    assert.match(result.stderr, /only 2 customers have a complete vector 30 days before their outcome \(4 with an outcome, 2 incomplete then\); need 3/);
    assert.equal(fs.existsSync(path.join(tmp, 'models')), false, 'no model trained');
  });

  it('churn train --from-events trains on the set like --data and keeps it beside the new version', async () => {
    const DAY = 86_400_000;
    const observedAt = new Date('2025-09-01T00:00:00Z');
    const rows = telcoCustomers(prefix, 400);
    await db.transaction(async (tx) => {
      await new ProcessedEventRepository().insertNew(
        tx,
        rows.flatMap((row) => loggedTelcoHistory(row, new Date(observedAt.getTime() - 40 * DAY))),
      );
      await new OutcomeRepository().insertNew(
        tx,
        rows.map((row) => ({ customer_id: row.customerID, churned: row.Churn === 'Yes', observed_at: observedAt.toISOString() })),
      );
    });
    const registry = path.join(tmp, 'telco-models');
    const result = churn([
      'train',
      '--spec',
      TELCO_SPEC_PATH,
      '--from-events',
      '--min-rows',
      '300',
      '--out',
      registry,
      '--config',
      path.join(REPO_ROOT, 'apps', 'trainer', 'config', 'test.yaml'),
      '--skip-shap',
    ]);
    assert.equal(result.status, 0, result.stderr);
    const churned = rows.filter((r) => r.Churn === 'Yes').length;
    // The four fixture customers set no Telco attribute: incomplete under the Telco spec.
    assert.match(result.stdout, new RegExp(`training set: 400 customers \\(${churned} churned; 4 of 404 with an outcome left out`));
    const version = fs.readFileSync(path.join(registry, 'active'), 'utf8').trim();
    const kept = fs.readFileSync(path.join(registry, version, KEPT_TRAINING_SET));
    const table = parse(kept) as string[][];
    assert.deepEqual(table[0], trainingSetHeader(loadFeatureSpec(TELCO_SPEC_PATH)));
    assert.equal(table.length, 401);
    const card = JSON.parse(fs.readFileSync(path.join(registry, version, 'model-card.json'), 'utf8')) as { training_data: { sha256: string; rows: number } };
    assert.equal(card.training_data.sha256, createHash('sha256').update(kept).digest('hex'), 'the kept table is the one the model was trained on');
    assert.equal(card.training_data.rows, 400);
    fs.rmSync(/→ (\S+)/.exec(result.stdout)![1]!);
  });
});
