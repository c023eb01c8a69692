import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import {
  type AlertNotification,
  type CrmActivity,
  type CustomerFeaturesMessageV2,
  customerFilterOptionsSchema,
  type CustomerListPage,
  customerListPageSchema,
  customerPageSchema,
  type Intervention,
  type Outcome,
  Topics,
} from '@churn/contracts';
import { Database } from '@churn/db';
import { consumerGroupLag } from '@churn/kafka';
import { featureColumns, loadFeatureSpec, specHash, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import {
  aCrmActivity,
  aFeatureVector,
  anAlertNotification,
  anAlertUpdate,
  assertAgentOrHigher,
  expectProblem,
  problemFields,
  serviceTestEnv,
  signTestToken,
  testInfra,
  testKafka,
  TopicProbe,
  uniqueId,
  until,
} from '@churn/testing';
import { monitoringConfigSchema } from './config';
import { configureMonitoringHttp } from './http-setup';
import { MonitoringModule } from './monitoring.module';
import { aPrediction, publish } from './monitoring-spec-fixtures';

const SECRET = 'customers-spec-secret-at-least-32-characters';
const HOUR = 3_600_000;
const TELCO = loadFeatureSpec(TELCO_SPEC_PATH);
const TELCO_HASH = specHash(TELCO);

/** A Telco vector (every feature of the spec) with the given attributes overriding the defaults. */
function aVector(customerId: string, asOf: number, attributes: Record<string, string | number | null>): CustomerFeaturesMessageV2 {
  const features: Record<string, string | number | null> = {};
  for (const column of featureColumns(TELCO)) {
    features[column.name] =
      column.type === 'numeric' ? 1 : column.type === 'boolean' ? (column.name === 'SeniorCitizen' ? 0 : 'No') : (column.categories?.[0] ?? 'x');
  }
  return aFeatureVector(customerId, TELCO_HASH, { ...features, ...attributes }, asOf);
}

/**
 * Monitoring's customer read model and API on the real broker and Postgres: predictions, vectors and
 * alert updates published on their topics become one row per customer, listed with filters, sorts, pages
 * and CSV; a late or redelivered message changes nothing.
 */
describe('customer read model and API, on the real broker and Postgres', () => {
  let sut: RunningService;
  let db: Database;
  let agent: string;
  let groupId: string;
  const prefix = uniqueId('cust');
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((s) => `${prefix}-${s}`) as [string, string, string, string];
  const version = uniqueId('cust-model');
  // Arms of this spec only, so that a search across every spec's customers can be narrowed to these.
  const [treatment, control] = [`treatment-${prefix}`, `control-${prefix}`];
  const now = Date.now();

  const get = async (path: string, headers: Record<string, string> = {}) =>
    fetch(`${sut.url}${path}`, { headers: { authorization: `Bearer ${agent}`, ...headers } });
  const list = async (query: string): Promise<CustomerListPage> => {
    const response = await get(`/v1/customers?q=${encodeURIComponent(prefix)}&${query}`);
    assert.equal(response.status, 200, await response.clone().text());
    return customerListPageSchema.parse(await response.json());
  };
  const ids = (page: CustomerListPage) => page.customers.map((x) => x.customer_id.slice(prefix.length + 1));
  const settledOn = async (topics: string[]) => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await until('monitoring committed its topics', async () => Object.values(await consumerGroupLag(admin, groupId, topics)).every((lag) => lag === 0));
    } finally {
      await admin.disconnect();
    }
  };
  const settled = () => settledOn([Topics.predictions, Topics.customerFeatures, Topics.alertUpdates]);
  const row = async (customerId: string) =>
    (await db.query<Record<string, unknown>>('spec.customer', 'SELECT * FROM monitoring_customers WHERE customer_id = $1', [customerId]))[0];

  before(async () => {
    const logger = createLogger({ service: 'spec', level: 'silent' });
    db = new Database({ url: testInfra().databaseUrl, poolSize: 2, applicationName: 'customers-spec' }, logger, createMetricsRegistry('spec'));
    const env = serviceTestEnv({ MONITORING_REFRESH_INTERVAL_MS: '600000', MONITORING_POPULATION_INTERVAL_MS: '1000', AUTH_JWT_SECRET: SECRET });
    groupId = `${env['KAFKA_GROUP_PREFIX']}.monitoring`;
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env,
    });
    agent = await signTestToken(SECRET, ['agent'], { sub: 'ana@example.com' });

    const experiment = (arm: string) => ({ experiment: { name: 'retention-2026', arm } });
    await publish(Topics.predictions, [
      aPrediction(a, version, 0.5, now - 3 * HOUR, { revenue_at_risk: 100, ...experiment(treatment) }),
      aPrediction(a, version, 0.9, now - 2 * HOUR, {
        revenue_at_risk: 900,
        recommended_action: 'retention_call',
        intervention_cost: 40,
        top_factors: [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.31 }],
        ...experiment(treatment),
      }),
      aPrediction(b, version, 0.7, now - 2 * HOUR, { revenue_at_risk: 2000, ...experiment(control) }),
      aPrediction(c, version, 0.2, now - 2 * HOUR, { revenue_at_risk: 50, ...experiment(treatment) }),
      aPrediction(d, version, 0.7, now - 2 * HOUR, { revenue_at_risk: 700 }),
    ]);
    await publish(Topics.customerFeatures, [
      aVector(a, now - 2 * HOUR, { Contract: 'Month-to-month', InternetService: 'Fiber optic', MonthlyCharges: 95.5, SeniorCitizen: 1 }),
      aVector(b, now - 2 * HOUR, { Contract: 'Two year', InternetService: 'DSL', MonthlyCharges: 40 }),
      aVector(c, now - 2 * HOUR, { Contract: 'One year', InternetService: 'Fiber optic', MonthlyCharges: 60 }),
    ]);
    await publish(Topics.alertUpdates, [
      anAlertUpdate(a, `${a}-alert`, 'raised', 'pending', now - HOUR),
      anAlertUpdate(b, `${b}-alert`, 'raised', 'pending', now - HOUR, { level: 'high' }),
    ]);
    await publish(Topics.alertUpdates, [
      anAlertUpdate(b, `${b}-alert`, 'acknowledged', 'acknowledged', now - HOUR / 2, { by: 'ana@example.com', note: 'called, offered a discount' }),
    ]);
    await until('the read model holds the four customers with their vectors and alerts', async () => {
      const rows = await db.query<{ n: number }>(
        'spec.ready',
        `SELECT count(*)::int AS n FROM monitoring_customers WHERE customer_id LIKE $1 || '%' AND prediction_id IS NOT NULL
           AND (attributes IS NOT NULL OR customer_id = $2) AND (alert_state IS NOT NULL OR customer_id IN ($2, $3))`,
        [prefix, d, c],
      );
      const acknowledged = (await row(b))?.['alert_state'] === 'acknowledged';
      return rows[0]!.n === 4 && acknowledged;
    });
  });

  after(async () => {
    await Promise.allSettled([sut?.close(), db?.close()].map((p) => Promise.resolve(p)));
  });

  it('answers 401/403 without an agent token', async () => {
    await assertAgentOrHigher(`${sut.url}/v1/customers?q=${prefix}`, SECRET);
    await assertAgentOrHigher(`${sut.url}/v1/customers/${a}`, SECRET);
  });

  it('keeps the newest prediction and the one before it: the score change', async () => {
    const page = await list('');
    assert.equal(page.total, 4);
    assert.deepEqual(ids(page), ['a', 'b', 'd', 'c'], 'highest score first, ties by customer id');
    const first = page.customers[0]!;
    assert.deepEqual(
      [first.risk_score, first.score_change, first.revenue_at_risk, first.alert?.state, first.experiment?.arm],
      [90, 40, 900, 'pending', treatment],
    );
    assert.equal(first.attributes['Contract'], 'Month-to-month');
    assert.equal(page.customers.find((x) => x.customer_id === d)!.attributes['Contract'], null, 'no vector yet');
  });

  it('filters by risk level, score range, alert state, arm and attributes of the spec', async () => {
    assert.deepEqual(ids(await list('risk_level=critical')), ['a']);
    assert.deepEqual(ids(await list('risk_level=high,critical&sort=score')), ['b', 'd', 'a']);
    assert.deepEqual(ids(await list('score_min=20&score_max=70')), ['b', 'd', 'c']);
    assert.deepEqual(ids(await list('alert_state=acknowledged')), ['b']);
    assert.deepEqual(ids(await list('alert_state=none')), ['d', 'c']);
    assert.deepEqual(ids(await list('alert_state=pending,none')), ['a', 'd', 'c']);
    assert.deepEqual(ids(await list(`arm=${control}`)), ['b']);
    assert.deepEqual(ids(await list('attr.InternetService=Fiber%20optic')), ['a', 'c']);
    assert.deepEqual(ids(await list('attr.InternetService=Fiber%20optic&attr.Contract=One%20year,Two%20year')), ['c']);
    assert.deepEqual(ids(await list('attr.MonthlyCharges=40')), ['b']);
    assert.deepEqual(ids(await list('attr.SeniorCitizen=true')), ['a']);
  });

  it('searches a customer id prefix or a text attribute, case-insensitively', async () => {
    const search = async (query: string) =>
      customerListPageSchema.parse(await (await get(`/v1/customers?${query}`)).json()).customers.map((x) => x.customer_id);
    assert.deepEqual(await search(`q=${encodeURIComponent(`${prefix}-B`.toUpperCase())}`), [b]);
    // Every spec's customers share the database: this spec's arms narrow the text search to its own.
    assert.deepEqual(await search(`q=two%20yea&arm=${control},${treatment}`), [b], 'a Two year contract');
    assert.deepEqual(await search(`q=FIBER&arm=${control},${treatment}`), [a, c]);
  });

  it('sorts by score change and revenue at risk, and pages with a stable order', async () => {
    assert.deepEqual(ids(await list('sort=-revenue_at_risk')), ['b', 'a', 'd', 'c']);
    assert.deepEqual(ids(await list('sort=revenue_at_risk')), ['c', 'd', 'a', 'b']);
    assert.deepEqual(ids(await list('sort=-score_change')), ['a', 'b', 'c', 'd'], 'a changed by +40; the others have no previous score (last, by id)');
    const pages = [await list('page_size=3&page=1'), await list('page_size=3&page=2')];
    assert.deepEqual(pages.map(ids), [['a', 'b', 'd'], ['c']]);
    assert.deepEqual(
      pages.map((p) => [p.page, p.page_size, p.total, p.total_is_lower_bound]),
      [
        [1, 3, 4, false],
        [2, 3, 4, false],
      ],
    );
  });

  it('exports the whole filter as CSV, with format=csv or Accept: text/csv', async () => {
    const response = await get(`/v1/customers?q=${prefix}&risk_level=high,critical&page_size=1`, { accept: 'text/csv' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const records = parse(await response.text(), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      records.map((r) => r['customer_id']),
      [a, b, d],
      'every page of the filter, not the first',
    );
    assert.equal(records[0]!['attr.Contract'], 'Month-to-month');
    assert.equal(records[1]!['alert_state'], 'acknowledged');
    const byFormat = parse(await (await get(`/v1/customers?q=${prefix}&format=csv&alert_state=none`)).text(), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      byFormat.map((r) => r['customer_id']),
      [d, c],
    );
    const empty = await (await get(`/v1/customers?q=${prefix}-nobody&format=csv`)).text();
    assert.match(empty, /^customer_id,risk_score,/, 'an empty filter still has its header');
  });

  it('answers 400 naming the parameter for a malformed filter or an attribute the spec does not have', async () => {
    const response = await get(`/v1/customers?attr.plan=pro&score_min=high&sort=name`);
    assert.deepEqual(problemFields(await expectProblem(response, 400, 'VALIDATION_FAILED')).sort(), ['attr.plan', 'score_min', 'sort']);
  });

  it("says what the list filters by: the active spec's attributes with their categories, levels, alert states, the customers' arms", async () => {
    await assertAgentOrHigher(`${sut.url}/v1/customers/filters`, SECRET);
    const response = await get('/v1/customers/filters');
    assert.equal(response.status, 200);
    const body = customerFilterOptionsSchema.parse(await response.json());
    assert.deepEqual(
      body.attributes,
      TELCO.attributes.map((x) =>
        x.type === 'categorical' && x.categories ? { name: x.name, type: x.type, categories: x.categories } : { name: x.name, type: x.type },
      ),
    );
    assert.deepEqual(body.risk_levels, ['low', 'medium', 'high', 'critical']);
    assert.deepEqual(body.alert_states, ['pending', 'acknowledged', 'resolved', 'expired', 'none']);
    assert.deepEqual(body.sorts, ['score', 'score_change', 'revenue_at_risk']);
    assert.ok(body.arms.includes(treatment) && body.arms.includes(control), 'the arms this spec published');
    assert.equal(new Set(body.arms).size, body.arms.length, 'each arm once');
  });

  it('never lets a late, older or redelivered message overwrite a newer one', async () => {
    const held = await row(a);
    // Older than a's newest prediction but newer than its previous: it becomes the previous score.
    const between = aPrediction(a, version, 0.6, now - 2.5 * HOUR, { experiment: { name: 'retention-2026', arm: treatment } });
    const older = aPrediction(a, version, 0.1, now - 5 * HOUR);
    const staleVector = aVector(a, now - 5 * HOUR, { Contract: 'Two year' });
    const staleAlert = anAlertUpdate(a, `${a}-alert`, 'resolved', 'resolved', now - 3 * HOUR);
    await publish(Topics.predictions, [between, older]);
    await publish(Topics.customerFeatures, [staleVector]);
    await publish(Topics.alertUpdates, [staleAlert]);
    await settled();
    const moved = await row(a);
    assert.deepEqual([moved!['risk_score'], moved!['previous_risk_score'], moved!['score_change']], [90, 60, 30]);
    assert.equal((moved!['attributes'] as Record<string, unknown>)['Contract'], 'Month-to-month');
    const vector = await db.query<{ features: Record<string, unknown> }>(
      'spec.vector',
      'SELECT features FROM monitoring_customer_vectors WHERE customer_id = $1',
      [a],
    );
    assert.equal(vector[0]!.features['Contract'], 'Month-to-month');
    assert.equal(moved!['alert_state'], 'pending');
    assert.equal(moved!['prediction_id'], held!['prediction_id']);

    // The same messages again: nothing moves, and the alert update is stored once.
    await publish(Topics.predictions, [between, older]);
    await publish(Topics.customerFeatures, [staleVector]);
    await publish(Topics.alertUpdates, [staleAlert]);
    await settled();
    const again = await row(a);
    assert.deepEqual(again, moved);
    const stored = await db.query<{ n: number }>('spec.updates', 'SELECT count(*)::int AS n FROM monitoring_alert_updates WHERE update_id = $1', [
      staleAlert.update_id,
    ]);
    assert.equal(stored[0]!.n, 1);

    // A newer alert update resolves it; the customer then has no open alert.
    await publish(Topics.alertUpdates, [anAlertUpdate(a, `${a}-alert`, 'resolved', 'resolved', now - HOUR / 4, { by: 'ana@example.com', note: 'kept' })]);
    await until('the alert resolved', async () => (await row(a))?.['alert_state'] === 'resolved');
  });

  it('keeps an expired acknowledgment (still to be resolved) as the customer alert over a newer resolved one', async () => {
    await publish(Topics.alertUpdates, [
      anAlertUpdate(b, `${b}-old`, 'resolved', 'resolved', now - HOUR / 8, { level: 'medium' }),
      anAlertUpdate(b, `${b}-alert`, 'expired', 'expired', now - HOUR / 4, { level: 'high', by: 'system:expiry' }),
    ]);
    await until("b's acknowledgment expired", async () => (await row(b))?.['alert_state'] === 'expired');
    assert.equal((await row(b))?.['alert_id'], `${b}-alert`);
    assert.deepEqual(ids(await list('alert_state=expired')), ['b']);
  });

  it("serves a customer's page: drivers, score history, features against the population, timeline, action, arm", async () => {
    const intervention: Intervention = {
      customer_id: a,
      performed_by: 'Ana',
      performed_at: new Date(now - HOUR / 3).toISOString(),
      action: 'retention call',
      source: 'hubspot',
      source_key: uniqueId('T'),
    };
    const outcome: Outcome = { customer_id: c, churned: false, observed_at: new Date(now - HOUR / 5).toISOString() };
    await publish(Topics.interventions, [intervention]);
    await publish(Topics.outcomes, [outcome]);
    type Page = {
      customer: { customer_id: string; risk_score: number; previous_risk_score: number };
      drivers: { feature: string; value: unknown; contribution: number }[];
      score_history: { risk_score: number; model_version: string; role: string }[];
      features: { name: string; kind: string; value: unknown; population: { type: string; customers: number } | null }[];
      timeline: { kind: string; summary: string }[];
      recommended_action: { action: string; cost: number } | null;
      experiment: { name: string; arm: string } | null;
    };
    let page: Page | undefined;
    await until("a's page with its intervention and the population's distributions", async () => {
      const response = await get(`/v1/customers/${encodeURIComponent(a)}`);
      if (response.status !== 200) return false;
      page = (await response.json()) as Page;
      const contract = page.features.find((f) => f.name === 'Contract');
      return page.timeline.some((t) => t.kind === 'intervention') && (contract?.population?.customers ?? 0) >= 3;
    });
    assert.ok(page);
    assert.deepEqual([page.customer.risk_score, page.customer.previous_risk_score], [90, 60]);
    assert.deepEqual(page.drivers, [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.31 }]);
    assert.deepEqual(
      page.score_history.map((p) => p.risk_score),
      [10, 50, 60, 90],
      'oldest first, the late ones in their place',
    );
    assert.ok(page.score_history.every((p) => p.model_version === version && p.role === 'champion'));
    const contract = page.features.find((f) => f.name === 'Contract')!;
    assert.deepEqual([contract.kind, contract.value, contract.population?.type], ['attribute', 'Month-to-month', 'categorical']);
    const charges = page.features.find((f) => f.name === 'MonthlyCharges')!;
    assert.equal(charges.population?.type, 'numeric');
    assert.equal(page.features.find((f) => f.name === 'payment_failures_30d')!.kind, 'behaviour');
    assert.deepEqual([...new Set(page.timeline.map((t) => t.kind))].sort(), ['alert', 'intervention', 'prediction']);
    assert.ok(page.timeline.some((t) => t.summary === 'critical alert resolved by ana@example.com'));
    assert.deepEqual(page.recommended_action, { action: 'retention_call', cost: 40 });
    assert.deepEqual(page.experiment, { name: 'retention-2026', arm: treatment });

    await until("c's outcome on its timeline", async () => {
      const cPage = (await (await get(`/v1/customers/${encodeURIComponent(c)}`)).json()) as Page;
      return cPage.timeline.some((t) => t.kind === 'outcome' && t.summary === 'stayed');
    });
  });

  it("shows alerting's notifications and crm-sync's CRM activity on the timeline, and filters on an open CRM task", async () => {
    const sent = anAlertNotification(d, now - HOUR / 2);
    const failed = anAlertNotification(d, now - HOUR / 3, { channel: 'email', form: 'digest', outcome: 'failed', attempt: 2, failure: 'retry' });
    const written = aCrmActivity(d, 'record_written', now - HOUR / 2, { crm: 'salesforce' });
    const created = aCrmActivity(d, 'task_created', now - HOUR / 3);
    await publish(Topics.alertNotifications, [sent, failed, sent]);
    await publish(Topics.crmActivity, [written, created, created]);
    // b's task was created and completed; c's completion arrives before its creation (either order closes it).
    await publish(Topics.crmActivity, [aCrmActivity(b, 'task_created', now - HOUR / 2), aCrmActivity(b, 'task_completed', now - HOUR / 4)]);
    await publish(Topics.crmActivity, [aCrmActivity(c, 'task_completed', now - HOUR / 4)]);
    await publish(Topics.crmActivity, [aCrmActivity(c, 'task_created', now - HOUR / 2)]);

    const page = async (id: string) => customerPageSchema.parse(await (await get(`/v1/customers/${encodeURIComponent(id)}`)).json());
    await settledOn([Topics.alertNotifications, Topics.crmActivity]);
    const dPage = await page(d);
    const notifications = dPage.timeline.filter((t) => t.kind === 'notification');
    assert.deepEqual(
      notifications.map((t) => t.summary),
      ['e-mail notification failed (in a digest): retry, attempt 2', 'Slack notification sent'],
      'newest first, the redelivered one once',
    );
    assert.deepEqual([notifications[1]!['alert_id'], notifications[1]!['channel'], notifications[1]!['at']], [`${d}-alert`, 'slack', sent.occurred_at]);
    const crm = dPage.timeline.filter((t) => t.kind === 'crm');
    assert.deepEqual(
      crm.map((t) => t.summary),
      ['retention task created in HubSpot', 'score 70 written to Salesforce'],
    );
    assert.deepEqual([crm[0]!['activity'], crm[0]!['external_id'], crm[0]!['alert_id']], ['task_created', `T-${d}`, `${d}-alert`]);
    assert.equal(dPage.customer.crm_task_open, true);
    assert.deepEqual(
      (await page(b)).timeline.filter((t) => t.kind === 'crm').map((t) => t.summary),
      ['retention task completed in HubSpot by Ana', 'retention task created in HubSpot'],
    );

    assert.deepEqual(ids(await list('crm_task=open')), ['d']);
    assert.deepEqual(ids(await list('crm_task=none')), ['a', 'b', 'c']);
    assert.deepEqual(ids(await list('crm_task=open&risk_level=critical')), []);
    assert.equal((await list('crm_task=open')).customers[0]!.crm_task_open, true);
    const csv = parse(await (await get(`/v1/customers?q=${prefix}&format=csv&sort=score`)).text(), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      csv.map((r) => [r['customer_id'], r['crm_task_open']]),
      [
        [c, 'false'],
        [b, 'false'],
        [d, 'true'],
        [a, 'false'],
      ],
    );

    const refused = await get(`/v1/customers?crm_task=closed`);
    assert.deepEqual(problemFields(await expectProblem(refused, 400, 'VALIDATION_FAILED')), ['crm_task']);
  });

  it('dead-letters a malformed notification or CRM activity to monitoring.dlq with the reason', async () => {
    const probe = await TopicProbe.start([Topics.monitoringDlq]);
    try {
      await publish(Topics.alertNotifications, [{ ...anAlertNotification(d, now), channel: 'pager' } as unknown as AlertNotification]);
      await publish(Topics.crmActivity, [{ ...aCrmActivity(d, 'task_created', now), external_id: null } as CrmActivity]);
      const letters = await probe.waitFor((m) => m.key === d && (m.value ?? '').includes(d), 2);
      const bySource = new Map(letters.map((l) => [JSON.parse(l.value!).source_topic as string, l.headers['x-dlq-reason'] ?? '']));
      assert.match(bySource.get(Topics.alertNotifications) ?? '', /channel/);
      assert.match(bySource.get(Topics.crmActivity) ?? '', /external_id/);
    } finally {
      await probe.stop();
    }
    await settledOn([Topics.alertNotifications, Topics.crmActivity]);
    const stored = await db.query<{ n: number }>('spec.activity', 'SELECT count(*)::int AS n FROM monitoring_customer_crm_activity WHERE customer_id = $1', [
      d,
    ]);
    assert.equal(stored[0]!.n, 2, 'nothing of the malformed activity is stored');
  });

  it('answers 404 CUSTOMER_NOT_FOUND for a customer monitoring does not know', async () => {
    const response = await get(`/v1/customers/${prefix}-nobody`);
    const problem = await expectProblem(response, 404, 'CUSTOMER_NOT_FOUND');
    assert.equal(problem.instance, `/v1/customers/${prefix}-nobody`);
  });
});
