import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Topics, type Outcome } from '@churn/contracts';
import { cancellationOutcomeId, Database, labelWindowOutcomeId } from '@churn/db';
import { MonitoringRepository } from '@churn/monitoring-data';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import { eventuallyWhere, serviceTestEnv, signTestToken, testInfra, uniqueId, until, waitUntilHttpReady } from '@churn/testing';
import { monitoringConfigSchema } from './config';
import { configureMonitoringHttp } from './http-setup';
import { MonitoringModule } from './monitoring.module';
import { aPrediction, publish } from './monitoring-spec-fixtures';

const SECRET = 'label-windows-spec-secret-of-at-least-32-characters';
const at = (day: string) => Date.parse(`${day}T00:00:00Z`);

interface StoredOutcome {
  outcome_id: string;
  source: string;
  churned: boolean;
  observed_at: Date;
}

/**
 * Outcome identity (one row per outcome id, whichever path) and the label-window job through its admin
 * endpoint, on monitoring's own tables: OUTCOME_LABEL_WINDOW_DAYS 90 (the default).
 */
describe('outcomes by id and label windows, on the real broker and Postgres', () => {
  let sut: RunningService;
  let db: Database;
  let admin: string;
  const version = uniqueId('windows-model');

  const outcomesOf = (customer: string) =>
    db.query<StoredOutcome>('spec.outcomes', 'SELECT outcome_id, source, churned, observed_at FROM outcomes WHERE customer_id = $1 ORDER BY observed_at, seq', [
      customer,
    ]);
  const close = (now: string, token = admin) =>
    fetch(`${sut.url}/v1/outcomes/close-windows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ now }),
    });

  const waitForRows = (customer: string, n: number): Promise<StoredOutcome[]> =>
    eventuallyWhere(
      `${n} outcomes of ${customer} stored`,
      () => outcomesOf(customer),
      (rows) => rows.length >= n,
      { timeoutMs: 30_000, intervalMs: 100 },
    );

  const predictionsStored = (customers: readonly string[]): Promise<void> =>
    until('monitoring to store the predictions', async () => (await new MonitoringRepository().knownCustomers(db, customers)).size >= new Set(customers).size, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'label-windows-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env: serviceTestEnv({ MONITORING_LABEL_DELAY_DAYS: '0', MONITORING_REFRESH_INTERVAL_MS: '600000', AUTH_JWT_SECRET: SECRET }),
    });
    await waitUntilHttpReady(sut.url);
    admin = await signTestToken(SECRET, ['admin'], { sub: 'ops@example.com' });
  });

  after(async () => {
    await sut?.close();
    await db?.close();
  });

  it('stores one outcome per id from the topic: a redelivered derived outcome and an id-less repeat are stored once', async () => {
    const customer = uniqueId('C');
    const cancellation: Outcome = {
      customer_id: customer,
      churned: true,
      observed_at: '2025-03-01T00:00:00Z',
      source: 'cancellation',
      outcome_id: cancellationOutcomeId(customer, '2025-03-01T00:00:00Z'),
    };
    const feed: Outcome = { customer_id: customer, churned: true, observed_at: '2025-03-02T00:00:00.000+00:00' };
    const marker: Outcome = { customer_id: customer, churned: false, observed_at: '2025-09-01T00:00:00Z', outcome_id: uniqueId('marker') };
    await publish(Topics.outcomes, [cancellation, feed, cancellation, { ...feed, observed_at: '2025-03-02T00:00:00Z' }, marker]);
    const rows = await waitForRows(customer, 3);
    assert.deepEqual(
      rows.map((r) => [r.outcome_id, r.source, r.observed_at.toISOString()]),
      [
        [cancellation.outcome_id, 'cancellation', '2025-03-01T00:00:00.000Z'],
        [rows[1]!.outcome_id, 'feed', '2025-03-02T00:00:00.000Z'],
        [marker.outcome_id, 'feed', '2025-09-01T00:00:00.000Z'],
      ],
    );
    assert.match(rows[1]!.outcome_id, /^[0-9a-f]{32}$/);
  });

  it('closes each customer’s newest closed window once: churned:false at its end unless a churn is in it, re-scorings inside a closed window open none', async () => {
    const [stays, churns, recent, fed] = [uniqueId('C'), uniqueId('C'), uniqueId('C'), uniqueId('C')];
    await publish(Topics.predictions, [
      aPrediction(fed, version, 0.2, at('2025-02-01')),
      aPrediction(stays, version, 0.2, at('2025-01-01')),
      aPrediction(stays, version, 0.3, at('2025-02-01')),
      aPrediction(churns, version, 0.8, at('2025-02-01')),
      aPrediction(recent, version, 0.4, at('2025-05-01')),
    ]);
    await predictionsStored([stays, churns, recent, fed]);
    const churn: Outcome = {
      customer_id: churns,
      churned: true,
      observed_at: '2025-03-15T00:00:00Z',
      source: 'cancellation',
      outcome_id: cancellationOutcomeId(churns, '2025-03-15T00:00:00Z'),
    };
    // A label feed's "not churned" in the window labels it as well: one label per window.
    const feedLabel: Outcome = { customer_id: fed, churned: false, observed_at: '2025-02-02T00:00:00Z' };
    await publish(Topics.outcomes, [churn, feedLabel]);
    await waitForRows(churns, 1);
    await waitForRows(fed, 1);

    const agent = await signTestToken(SECRET, ['agent']);
    assert.equal((await close('2025-06-01T00:00:00Z', agent)).status, 403, 'admins only');

    const first = await close('2025-06-01T00:00:00Z');
    assert.equal(first.status, 200, await first.clone().text());
    const counts = (await first.json()) as Record<string, number>;
    assert.equal(counts['window_days'], 90);
    assert.ok(counts['recorded']! >= 1 && counts['churned_in_window']! >= 1, JSON.stringify(counts));
    // The window of the newest prediction at least 90 days old (2025-02-01), closed at its end.
    const windowEnd = new Date(at('2025-02-01') + 90 * 86_400_000).toISOString();
    assert.deepEqual(
      (await outcomesOf(stays)).map((r) => [r.outcome_id, r.source, r.churned, r.observed_at.toISOString()]),
      [[labelWindowOutcomeId(stays, '2025-02-01T00:00:00.000Z'), 'label_window', false, windowEnd]],
    );
    assert.deepEqual(
      (await outcomesOf(churns)).map((r) => r.source),
      ['cancellation'],
      'a churn in the window labels it',
    );
    assert.deepEqual(
      (await outcomesOf(fed)).map((r) => r.source),
      ['feed'],
      'a feed’s label in the window labels it',
    );
    assert.ok(counts['labelled_in_window']! >= 1, JSON.stringify(counts));
    assert.deepEqual(await outcomesOf(recent), [], 'a window still open');

    // Again at the same time: nothing new.
    const again = (await (await close('2025-06-01T00:00:00Z')).json()) as Record<string, number>;
    assert.equal(again['recorded'], 0);
    assert.ok(again['already_recorded']! >= 1);
    assert.equal((await outcomesOf(stays)).length, 1);

    // A re-scoring inside the closed window opens no window of its own; one after its end does.
    await publish(Topics.predictions, [aPrediction(stays, version, 0.35, at('2025-03-01'))]);
    await waitForPrediction(stays, 3);
    await close('2025-07-01T00:00:00Z');
    assert.equal((await outcomesOf(stays)).length, 1);
    await publish(Topics.predictions, [aPrediction(stays, version, 0.4, at('2025-05-10'))]);
    await waitForPrediction(stays, 4);
    await close('2025-09-01T00:00:00Z');
    assert.deepEqual(
      (await outcomesOf(stays)).map((r) => r.observed_at.toISOString()),
      [windowEnd, new Date(at('2025-05-10') + 90 * 86_400_000).toISOString()],
    );
  });

  const predictionCount = async (customer: string) =>
    Number((await db.query<{ n: string }>('spec.predictions', 'SELECT count(*) AS n FROM monitoring_predictions WHERE customer_id = $1', [customer]))[0]!.n);
  const waitForPrediction = (customer: string, n: number): Promise<void> =>
    until(`${n} predictions of ${customer} stored`, async () => (await predictionCount(customer)) >= n, { timeoutMs: 30_000, intervalMs: 100 });
});
