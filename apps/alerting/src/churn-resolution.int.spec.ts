import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deadLetterSchema, Topics, type Outcome, type Prediction } from '@churn/contracts';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import { aPredictionAtLevel, eventually, rawProducer, serviceTestEnv, testInfra, TopicProbe, uniqueId } from '@churn/testing';
import { AlertingModule } from './alerting.module';
import { alertingConfigSchema } from './config';

const HOUR = 3_600_000;

/** A critical prediction (92) of the churn spec's model, as of `asOf`, scored now. */
const aCriticalPrediction = (customerId: string, asOf: number): Prediction =>
  aPredictionAtLevel(customerId, 'critical', {
    model_version: 'churn-spec-model',
    churn_probability: 0.92,
    risk_score: 92,
    as_of: new Date(asOf).toISOString(),
    top_factors: [],
  });

interface AlertState {
  prediction_id: string;
  status: string;
  resolution: string | null;
  resolved_by: string | null;
  acknowledged_at: Date | null;
}

/** outcomes → alerting: a churn resolves the customer's open alerts and keeps late predictions of it from alerting. */
describe('alerting: alerts resolved when the customer churns', () => {
  let sut: RunningService;
  let db: Database;
  let probe: TopicProbe;
  let producer: Awaited<ReturnType<typeof rawProducer>>;

  const send = (topic: string, values: readonly { customer_id: string }[]) =>
    producer.send({ topic, messages: values.map((v) => ({ key: v.customer_id, value: JSON.stringify(v) })) });
  const alertsOf = (customer: string) =>
    db.query<AlertState>(
      'spec.alerts',
      'SELECT prediction_id, status, resolution, resolved_by, acknowledged_at FROM alerts WHERE customer_id = $1 ORDER BY created_at',
      [customer],
    );
  const until = <T>(what: string, read: () => Promise<T | undefined>) => eventually(what, read, { timeoutMs: 30_000, intervalMs: 100 });
  const alertsUntil = (customer: string, ok: (rows: AlertState[]) => boolean) =>
    until(`${customer}'s alerts`, async () => {
      const rows = await alertsOf(customer);
      return ok(rows) ? rows : undefined;
    });
  /** alerting's evaluation of a prediction is stored in alerting_scores in the transaction that decides its alert. */
  const evaluated = (predictionId: string) =>
    until(`prediction ${predictionId} evaluated`, async () =>
      (await db.query<{ n: number }>('spec.scored', 'SELECT count(*)::int AS n FROM alerting_scores WHERE prediction_id = $1', [predictionId]))[0]?.n === 1
        ? true
        : undefined,
    );

  before(async () => {
    probe = await TopicProbe.start([Topics.alertingDlq]);
    producer = await rawProducer();
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'churn-resolution-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    sut = await startService({ name: 'alerting', configSchema: alertingConfigSchema, module: (c) => AlertingModule.register(c), env: serviceTestEnv() });
  });

  after(async () => {
    await producer?.close();
    await sut?.close();
    await probe?.stop();
    await db?.close();
  });

  it('resolves the churned customer’s pending alert (resolution churned, not acknowledged), leaves others, and raises none for its late predictions', async () => {
    const [leaver, stayer] = [uniqueId('C'), uniqueId('C')];
    const now = Date.now();
    await send(Topics.predictions, [aCriticalPrediction(leaver, now - 2 * HOUR), aCriticalPrediction(stayer, now - 2 * HOUR)]);
    await alertsUntil(leaver, (rows) => rows.length === 1);
    await alertsUntil(stayer, (rows) => rows.length === 1);

    const churn: Outcome = {
      customer_id: leaver,
      churned: true,
      observed_at: new Date(now - HOUR).toISOString(),
      source: 'cancellation',
      outcome_id: uniqueId('o'),
    };
    await send(Topics.outcomes, [churn, churn, { customer_id: stayer, churned: false, observed_at: new Date(now - HOUR).toISOString() }]);
    const [resolved] = await alertsUntil(leaver, (rows) => rows[0]?.status === 'resolved');
    assert.equal(resolved!.resolution, 'churned');
    assert.equal(resolved!.resolved_by, 'system:churn');
    assert.equal(resolved!.acknowledged_at, null, 'a churn is not an acknowledgment');
    assert.equal((await alertsOf(stayer))[0]!.status, 'pending', 'churned:false resolves nothing');
    const audit = await db.query<{ n: number }>(
      'spec.audit',
      "SELECT count(*)::int AS n FROM audit_log WHERE actor = 'system:churn' AND details->>'customer_id' = $1",
      [leaver],
    );
    assert.equal(audit[0]!.n, 1, 'resolved and audited once, though the outcome came twice');

    // A prediction made before the churn, arriving late (a replay, a lagging scorer): no alert.
    const late = aCriticalPrediction(leaver, now - 90 * 60_000);
    await send(Topics.predictions, [late]);
    await evaluated(late.prediction_id);
    assert.equal((await alertsOf(leaver)).length, 1);
    // After the churn (the customer reactivated and was scored again): alerted as usual.
    const after = aCriticalPrediction(leaver, now);
    await send(Topics.predictions, [after]);
    const rows = await alertsUntil(leaver, (r) => r.length === 2);
    assert.deepEqual(
      rows.map((r) => [r.prediction_id, r.status]),
      [
        [resolved!.prediction_id, 'resolved'],
        [after.prediction_id, 'pending'],
      ],
    );

    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    assert.match(metrics, /alerting_alerts_resolved_by_churn_total\{level="critical",status="pending"[^}]*\} [1-9]/);
    assert.match(metrics, /alerting_predictions_evaluated_total\{risk_level="critical",outcome="churned"[^}]*\} [1-9]/);
  });

  it('dead-letters an outcome that breaks the contract to alerting.dlq', async () => {
    const customer = uniqueId('C');
    await send(Topics.outcomes, [{ customer_id: customer, churned: 'yes', observed_at: new Date().toISOString() } as unknown as Outcome]);
    const [dead] = await probe.waitFor((m) => m.topic === Topics.alertingDlq && m.key === customer);
    const letter = deadLetterSchema.parse(JSON.parse(dead!.value!));
    assert.equal(letter.source_topic, Topics.outcomes);
    assert.match(letter.reason, /churned/);
  });
});
