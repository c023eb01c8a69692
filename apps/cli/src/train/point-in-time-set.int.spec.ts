import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { Database, OutcomeRepository, ProcessedEventRepository } from '@churn/db';
import { parseFeatureSpec } from '@churn/feature-spec';
import { REPO_ROOT } from '@churn/local-stack';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { testInfra, uniqueId } from '@churn/testing';
import { PointInTimeRuleError } from './point-in-time-row';
import { buildPointInTimeSet } from './point-in-time-set';
import { FIXTURE_CUSTOMERS, LABEL_DELAY_DAYS, POINT_IN_TIME_HEADER, POINT_IN_TIME_SPEC, POINT_IN_TIME_SPEC_YAML } from './point-in-time.fixture';

const cli = path.join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js');

function churn(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'warn' }, timeout: 120_000 });
}

/**
 * The training set built from the event log on the real Postgres: customers with known histories and
 * outcomes give the hand-computed rows at their cut-offs (what was logged after a cut-off, the plan
 * change, the invoice, the failed payment, does not leak in), incomplete customers are counted and
 * left out, paging changes nothing, and `churn train --from-events` refuses a spec without a label.
 */
describe('point-in-time training set from the event log', () => {
  const logger = createLogger({ service: 'point-in-time-spec', level: 'silent' });
  const prefix = uniqueId('PIT');
  const idOf = (id: string) => `${prefix}-${id}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-point-in-time-'));
  let db: Database;

  before(async () => {
    db = new Database({ url: testInfra().databaseUrl, poolSize: 2, applicationName: 'point-in-time-spec' }, logger, createMetricsRegistry('point-in-time-spec'));
    // Other specs share this database: clear outcomes so the set holds only these customers.
    await db.query('spec.clear_outcomes', 'DELETE FROM outcomes');
    await db.transaction(async (tx) => {
      await new ProcessedEventRepository().insertNew(
        tx,
        FIXTURE_CUSTOMERS.flatMap((c) => c.events.map((e) => ({ eventId: `${prefix}-${e.event_id}`, customerId: idOf(c.id), eventType: e.event_type, occurredAt: e.occurred_at, payload: e.payload }))),
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
    assert.deepEqual({ customers: set.customers, rows: set.rows, churners: set.churners, incomplete: set.incomplete }, { customers: 4, rows: 2, churners: 1, incomplete: 2 });
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
    await assert.rejects(buildPointInTimeSet(db, parseFeatureSpec(unlabelled), { labelDelayDays: 30, file: path.join(tmp, 'never.csv'), specSource: 'accounts.yaml', pageSize: 3 }), PointInTimeRuleError);
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
});
