import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { classificationReport } from '@churn/analytics';
import { Topics, type CustomerEvent, type Outcome } from '@churn/contracts';
import { Database } from '@churn/db';
import { MonitoringRepository, type LabelledPredictionRow } from '@churn/monitoring-data';
import { PlatformSummaryRepository } from '../platform-summary/platform-summary.repository';
import { SERVICES, spawnService, stopService, waitUntilReady, type ServiceProcess } from '@churn/local-stack';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { customerCancellation, customerHistory, customerOutcome, DEFAULT_REFERENCE_TIME, parseTelcoCsv, type TelcoRow } from '@churn/telco-replay';
import { rawProducer, signTestToken, testInfra, truncateTopics, uniqueId, until } from '@churn/testing';
import { TELCO_CSV } from '../commands/telco-csv';

const CUSTOMERS = 150;
const SECRET = 'derived-outcomes-spec-secret-of-at-least-32-chars';
const T = DEFAULT_REFERENCE_TIME;
/** As the stream = batch specs: one customer's probability in two batches agrees to 1e-6, not to the bit. */
const PROBABILITY_TOLERANCE = 1e-6;

/**
 * Two quality reports agree: counts exactly, figures within 1e-3 — probabilities that differ in the
 * seventh decimal can swap two customers of equal score, which moves a rank figure by 1/(positives ×
 * negatives).
 */
function assertReportsAgree(actual: unknown, expected: unknown, at = 'report'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isInteger(expected)) assert.equal(actual, expected, at);
    else assert.ok(Math.abs(actual - expected) <= 1e-3, `${at}: ${actual} vs ${expected}`);
    return;
  }
  if (expected && typeof expected === 'object') {
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(expected).sort(), at);
    for (const [key, value] of Object.entries(expected)) assertReportsAgree((actual as Record<string, unknown>)[key], value, `${at}.${key}`);
    return;
  }
  assert.equal(actual, expected, at);
}

/**
 * The same Telco customers twice, under two prefixes, through ingest, the scorer, alerting and
 * monitoring as processes: one copy labelled by today's feed (`replay --outcomes`: each row's Churn on
 * `outcomes`), the other by nothing but events (the churners' cancellations after they are scored, and
 * the label-window job for the others). Monitoring's outcome join and quality figures must be the same
 * for both — the derived outcomes label exactly the predictions the feed labels, with the same labels.
 */
describe('derived outcomes equal the outcome feed for the same Telco customers', () => {
  const logger = createLogger({ service: 'e2e', level: 'silent' });
  const services: ServiceProcess[] = [];
  let db: Database;
  let producer: Awaited<ReturnType<typeof rawProducer>>;
  const run = uniqueId('d');
  const rows: TelcoRow[] = parseTelcoCsv(fs.readFileSync(TELCO_CSV)).slice(0, CUSTOMERS);
  const feedId = (row: TelcoRow) => `F${run}-${row.customerID}`;
  const derivedId = (row: TelcoRow) => `D${run}-${row.customerID}`;
  const as = (row: TelcoRow, id: string): TelcoRow => ({ ...row, customerID: id });
  const monitoringUrl = () => `http://127.0.0.1:${services.find((s) => s.name === 'monitoring')!.port}`;

  const send = async (topic: string, values: readonly { customer_id: string }[]) => {
    for (let i = 0; i < values.length; i += 500) {
      await producer.send({ topic, messages: values.slice(i, i + 500).map((v) => ({ key: v.customer_id, value: JSON.stringify(v) })) });
    }
  };
  const outcomeCount = async (ids: readonly string[]) =>
    Number((await db.query<{ n: string }>('spec.outcomes', 'SELECT count(*) AS n FROM outcomes WHERE customer_id = ANY($1)', [ids]))[0]!.n);

  before(async () => {
    const { kafkaBrokers, databaseUrl } = testInfra();
    // The services' groups start from the topics' beginning: only this spec's traffic on them.
    await truncateTopics([Topics.customerEvents, Topics.customerFeatures, Topics.predictions, Topics.predictionsShadow, Topics.outcomes, Topics.alerts]);
    const env = {
      KAFKA_BROKERS: kafkaBrokers,
      DATABASE_URL: databaseUrl,
      KAFKA_GROUP_PREFIX: uniqueId('derived'),
      LOG_LEVEL: 'warn',
      AUTH_JWT_SECRET: SECRET,
      MONITORING_LABEL_DELAY_DAYS: '0',
    };
    const base = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000);
    for (const { name, port } of SERVICES.filter((s) => s.name !== 'crm-sync')) services.push(spawnService(name, env, { port: base + (port % 1000) }));
    await Promise.all(services.map((service) => waitUntilReady(service)));
    db = new Database({ url: databaseUrl, poolSize: 2, applicationName: 'derived-outcomes-spec' }, logger, createMetricsRegistry('spec'));
    producer = await rawProducer();
  });

  after(async () => {
    await producer?.close();
    await db?.close();
    await Promise.all(services.map((service) => stopService(service, logger)));
  });

  it('labels the same predictions with the same labels: equal outcome join and quality figures', { timeout: 15 * 60_000 }, async () => {
    const feedIds = rows.map(feedId);
    const derivedIds = rows.map(derivedId);
    const churners = rows.filter((row) => row.Churn === 'Yes');
    assert.ok(churners.length > 10 && churners.length < CUSTOMERS, 'both classes among the customers');

    // Both copies' histories; the churners' last prediction must exist before their cancellation.
    const histories: CustomerEvent[] = rows.flatMap((row) => [...customerHistory(as(row, feedId(row)), T), ...customerHistory(as(row, derivedId(row)), T)]);
    await send(Topics.customerEvents, histories);
    const summaries = new PlatformSummaryRepository();
    await until(
      'every customer scored as of T and evaluated by alerting',
      async () => (await summaries.scoredAndEvaluated(db, [...feedIds, ...derivedIds], T)).size === 2 * CUSTOMERS,
      { timeoutMs: 300_000, intervalMs: 500 },
    );

    // The feed's labels for one copy, the churners' cancellations for the other.
    await send(Topics.outcomes, rows.map((row) => customerOutcome(as(row, feedId(row)), T)!) as Outcome[]);
    await send(
      Topics.customerEvents,
      churners.map((row) => customerCancellation(as(row, derivedId(row)), T)!),
    );
    await until('the feed stored', async () => (await outcomeCount(feedIds)) === CUSTOMERS, { timeoutMs: 300_000, intervalMs: 500 });
    await until('the churns derived', async () => (await outcomeCount(derivedIds)) === churners.length, { timeoutMs: 300_000, intervalMs: 500 });

    // The label-window job, as an admin runs it: the customers who stay get churned:false; the feed's
    // copy is labelled in every window already (its own labels), so it gets nothing.
    const admin = await signTestToken(SECRET, ['admin']);
    const closed = await fetch(`${monitoringUrl()}/v1/outcomes/close-windows`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(closed.status, 200, await closed.clone().text());
    assert.equal(await outcomeCount(derivedIds), CUSTOMERS);
    assert.equal(await outcomeCount(feedIds), CUSTOMERS, 'a window the feed labelled gets no second label');
    const sources = await db.query<{ source: string; churned: boolean; n: string }>(
      'spec.sources',
      'SELECT source, churned, count(*) AS n FROM outcomes WHERE customer_id = ANY($1) GROUP BY source, churned ORDER BY source',
      [derivedIds],
    );
    assert.deepEqual(
      sources.map((s) => [s.source, s.churned, Number(s.n)]),
      [
        ['cancellation', true, churners.length],
        ['label_window', false, CUSTOMERS - churners.length],
      ],
    );

    // Monitoring's outcome join (label delay 0, as in the demo): the same prediction and label for each customer.
    const labelled = await new MonitoringRepository().labelledPredictions(db, 0);
    const byCustomer = (ids: readonly string[], prefix: string) => {
      const wanted = new Set(ids);
      return new Map(labelled.filter((r) => wanted.has(r.customer_id)).map((r): [string, LabelledPredictionRow] => [r.customer_id.slice(prefix.length), r]));
    };
    const feed = byCustomer(feedIds, `F${run}-`);
    const derived = byCustomer(derivedIds, `D${run}-`);
    assert.equal(feed.size, CUSTOMERS);
    assert.equal(derived.size, CUSTOMERS);
    for (const row of rows) {
      const f = feed.get(row.customerID)!;
      const d = derived.get(row.customerID)!;
      assert.deepEqual([d.churned, d.as_of.toISOString(), d.model_version], [f.churned, f.as_of.toISOString(), f.model_version], row.customerID);
      // The same vector scored in another batch: onnxruntime's float32 kernels may round the last bits
      // differently with the batch's size and layout (seen: 0.0325676687 against 0.0325676762).
      assert.ok(
        Math.abs(d.churn_probability - f.churn_probability) <= PROBABILITY_TOLERANCE,
        `${row.customerID}: ${d.churn_probability} vs ${f.churn_probability}`,
      );
      assert.equal(d.as_of.toISOString(), T, 'judged by the prediction on the full history');
    }
    // In one order (the file's) for both: sums of floats depend on it.
    const report = (byId: Map<string, LabelledPredictionRow>) =>
      classificationReport(
        rows.map((row) => byId.get(row.customerID)!).map((r) => ({ score: r.churn_probability, label: r.churned })),
        0.5,
      );
    assertReportsAgree(report(derived), report(feed));

    // Alerting resolved the churners' alerts in both copies (a churn from any source).
    const pending = await db.query<{ n: string }>('spec.pending', "SELECT count(*) AS n FROM alerts WHERE customer_id = ANY($1) AND status = 'pending'", [
      churners.flatMap((row) => [feedId(row), derivedId(row)]),
    ]);
    assert.equal(Number(pending[0]!.n), 0);
  });
});
