import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { crmActivitySchema, Topics, type Alert, type CrmActivity, type Intervention, type Outcome, type Prediction } from '@churn/contracts';
import { CHURN_NOTE_PREFIX } from '@churn/crm';
import { CrmOutboxRepository } from '@churn/crm-sync-data';
import { Database } from '@churn/db';
import { consumerGroupLag } from '@churn/kafka';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import { FakeHubSpot, FakeSalesforce, rawProducer, serviceTestEnv, testInfra, testKafka, TopicProbe, uniqueId, until } from '@churn/testing';
import { crmSyncConfigSchema } from './config';
import { CrmSyncModule } from './crm-sync.module';

const SF = { clientId: 'fake-client', clientSecret: 'fake-secret', refreshToken: 'fake-refresh' };
const HS = { accessToken: 'pat-fake-token', idProperty: 'churn_customer_id' };

/**
 * crm-sync's part of closing the loop, as a service on the real broker and Postgres against the
 * local CRMs: completed tasks read back periodically and published on `interventions`; a churned
 * customer's open tasks closed (CRM_CHURNED_TASKS=close) with a note, once, and not read back as
 * something a person did.
 */
describe('crm-sync reads completed tasks back and writes churn to open ones', () => {
  let sut: RunningService;
  let db: Database;
  let sf: FakeSalesforce;
  let hs: FakeHubSpot;
  let probe: TopicProbe;
  let groupId: string;
  const customer = uniqueId('churn-customer');
  const alerts: Alert[] = ['A1', 'A2'].map((n) => ({
    alert_id: uniqueId(n),
    customer_id: customer,
    level: 'critical',
    risk_score: 91,
    message: 'score 91',
    prediction_id: uniqueId('P'),
    created_at: new Date(Date.now() - 3_600_000).toISOString(),
  }));

  const send = async (topic: string, values: readonly { customer_id: string }[]) => {
    const producer = await rawProducer();
    try {
      await producer.send({ topic, messages: values.map((v) => ({ key: v.customer_id, value: JSON.stringify(v) })) });
    } finally {
      await producer.close();
    }
  };
  const settled = async (topic: string) => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await until(`crm-sync committed all of ${topic}`, async () => (await consumerGroupLag(admin, groupId, [topic]))[topic] === 0);
    } finally {
      await admin.disconnect();
    }
    await until('no pending outbox row', async () => (await new CrmOutboxRepository().findByCustomers(db, [customer])).every((r) => r.status !== 'pending'));
  };
  const metric = async (name: string, labels: Record<string, string>) => {
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const line = (await (await fetch(`${sut.url}/metrics`)).text()).split('\n').find((l) => l.startsWith(`${name}{`) && pairs.every((p) => l.includes(p)));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  };
  const interventionsOf = (taskId: string) =>
    probe.messages.filter((m) => m.topic === Topics.interventions && (JSON.parse(m.value ?? '{}') as Intervention).source_key === taskId);
  /** The customer's activities on crm-activity, once per activity_id (the relay publishes at least once). */
  const activities = () => [
    ...new Map(
      probe.messages
        .filter((m) => m.topic === Topics.crmActivity && m.key === customer)
        .map((m) => crmActivitySchema.parse(JSON.parse(m.value!)))
        .map((a): [string, CrmActivity] => [a.activity_id, a]),
    ).values(),
  ];

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'crm-churn-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    // Earlier specs read other orgs: this service's reads start from its first task.
    await db.query('spec.readback_reset', `UPDATE crm_readback_state SET watermark = NULL, lease_until = '-infinity', next_read_at = '-infinity'`);
    sf = new FakeSalesforce({ ...SF });
    hs = new FakeHubSpot({ ...HS });
    await sf.start();
    await hs.start();
    sf.seed('Account', 'Customer_Id__c', [customer]);
    hs.seed('contacts', [customer]);
    sf.addUser('005000000000ANA', 'Ana Agent', 'ana@retention.example');
    probe = await TopicProbe.start([Topics.interventions, Topics.crmActivity]);
    const env = serviceTestEnv({
      SALESFORCE_LOGIN_URL: sf.loginUrl,
      SALESFORCE_CLIENT_ID: SF.clientId,
      SALESFORCE_CLIENT_SECRET: SF.clientSecret,
      SALESFORCE_REFRESH_TOKEN: SF.refreshToken,
      HUBSPOT_ACCESS_TOKEN: HS.accessToken,
      HUBSPOT_BASE_PATH: hs.url,
      HUBSPOT_BURST_REQUESTS: '1000',
      HUBSPOT_BURST_WINDOW_MS: '1000',
      CRM_DRAIN_INTERVAL_MS: '100',
      CRM_CALL_TIMEOUT_MS: '5000',
      CRM_READBACK_INTERVAL_SECONDS: '1',
      CRM_CHURNED_TASKS: 'close',
    });
    groupId = `${env['KAFKA_GROUP_PREFIX']}.crm-sync`;
    sut = await startService({ name: 'crm-sync', configSchema: crmSyncConfigSchema, module: (c) => CrmSyncModule.register(c), env });
    await send(Topics.alerts, alerts);
    await until(
      'both tasks in both CRMs',
      () => alerts.every((a) => sf.task(a.alert_id)) && hs.tasks.filter((t) => t.properties['hs_task_body']?.includes(customer)).length === 2,
    );
    await settled(Topics.alerts);
  });

  after(async () => {
    const closing = [() => sut?.close(), () => probe?.stop(), () => db?.close(), () => sf?.stop(), () => hs?.stop()];
    await Promise.allSettled(closing.map((close) => Promise.resolve().then(close)));
  });

  it('publishes a task a person completed, in either CRM, as an intervention with its owner and completion time', async () => {
    // Salesforce keeps whole seconds; HubSpot milliseconds.
    const completedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    sf.completeTask(alerts[0]!.alert_id, { at: completedAt, ownerId: '005000000000ANA' });
    const hsTask = hs.tasks.find((t) => t.properties['hs_task_body']?.includes(alerts[0]!.alert_id))!;
    const hsCompletedAt = new Date();
    hs.completeTask(hsTask.id, { at: hsCompletedAt, ownerId: '77' });
    const sfTaskId = sf.task(alerts[0]!.alert_id)!.Id;
    await until('both completed tasks on interventions', () => interventionsOf(sfTaskId).length > 0 && interventionsOf(hsTask.id).length > 0);
    const [fromSf] = interventionsOf(sfTaskId).map((m) => JSON.parse(m.value!) as Intervention);
    assert.deepEqual(fromSf, {
      customer_id: customer,
      performed_by: 'Ana Agent <ana@retention.example>',
      performed_at: completedAt.toISOString(),
      action: `Urgent churn risk: retention outreach (${customer})`,
      source: 'salesforce',
      source_key: sfTaskId,
    });
    const [fromHs] = interventionsOf(hsTask.id).map((m) => JSON.parse(m.value!) as Intervention);
    assert.deepEqual(
      [fromHs!.source, fromHs!.performed_by, fromHs!.performed_at, fromHs!.channel],
      ['hubspot', 'hubspot owner 77', hsCompletedAt.toISOString(), 'todo'],
    );
    assert.ok((await metric('crm_sync_readback_tasks_total', { crm: 'salesforce', result: 'recorded' })) >= 1);
    assert.ok((await metric('crm_sync_readback_last_success_timestamp_seconds', { crm: 'hubspot' })) > Date.now() / 1000 - 60);
    assert.equal(await metric('crm_sync_readback_interval_seconds', { crm: 'salesforce' }), 1);
  });

  it('closes a churned customer’s open tasks once, with a note, leaves the completed one alone, and records no intervention for them', async () => {
    const churn: Outcome = { customer_id: customer, churned: true, observed_at: new Date(Date.now() - 60_000).toISOString() };
    // Delivered twice, and once more with the same observation (a re-derived outcome): one churn.
    await send(Topics.outcomes, [churn, churn, { customer_id: customer, churned: false, observed_at: new Date(Date.now() - 120_000).toISOString() }]);
    await send(Topics.outcomes, [churn]);
    const open = sf.task(alerts[1]!.alert_id)!;
    await until('the open Salesforce task closed', () => open.fields['Status'] === 'Completed');
    await settled(Topics.outcomes);
    const churnRows = (await new CrmOutboxRepository().findByCustomers(db, [customer])).filter((r) => r.kind === 'churn');
    assert.deepEqual(churnRows.map((r) => [r.target, r.status]).sort(), [
      ['hubspot', 'sent'],
      ['salesforce', 'sent'],
    ]);
    assert.equal(String(open.fields['Description']).split(CHURN_NOTE_PREFIX).length, 2, 'one note');
    assert.ok(!String(sf.task(alerts[0]!.alert_id)!.fields['Description']).includes(CHURN_NOTE_PREFIX), 'the task a person completed is left alone');
    const hsOpen = hs.tasks.find((t) => t.properties['hs_task_body']?.includes(alerts[1]!.alert_id))!;
    assert.equal(hsOpen.properties['hs_task_status'], 'COMPLETED');
    assert.equal(hs.taskUpdates.filter((u) => u.id === hsOpen.id).length, 1, 'updated once');
    // Closed by crm-sync, the tasks are read back as such and published as nobody's work.
    await until(
      'the closed tasks read back',
      async () =>
        (await metric('crm_sync_readback_tasks_total', { crm: 'salesforce', result: 'closed_on_churn' })) >= 1 &&
        (await metric('crm_sync_readback_tasks_total', { crm: 'hubspot', result: 'closed_on_churn' })) >= 1,
    );
    assert.deepEqual(interventionsOf(open.Id), []);
    assert.deepEqual(interventionsOf(hsOpen.id), []);
  });

  it('publishes on crm-activity every score and churn written, task created and task completed, with the CRM ids', async () => {
    const at = new Date();
    const prediction: Prediction = {
      prediction_id: uniqueId('P'),
      customer_id: customer,
      model_version: 'spec-1',
      churn_probability: 0.91,
      risk_score: 91,
      risk_level: 'critical',
      recommended_action: 'VIP retention program',
      intervention_cost: 0,
      revenue_at_risk: 0,
      top_factors: [],
      source_event_id: uniqueId('E'),
      as_of: at.toISOString(),
      scored_at: at.toISOString(),
    };
    await send(Topics.predictions, [prediction]);
    const summary = (list: CrmActivity[]) =>
      list.map((a) => [a.crm, a.kind, a.write ?? a.completed_by ?? a.alert_id]).sort((x, y) => String(x).localeCompare(String(y)));
    await until('the score written to both CRMs reported', () => activities().filter((a) => a.write === 'score').length === 2);
    await until('the churn-closed tasks reported', () => activities().filter((a) => a.kind === 'task_completed').length === 4);
    const [done, closed] = [alerts[0]!.alert_id, alerts[1]!.alert_id];
    const hsTaskOf = (alertId: string) => hs.tasks.find((t) => t.properties['hs_task_body']?.includes(alertId))!.id;
    const all = activities();
    assert.deepEqual(
      summary(all),
      [
        ['hubspot', 'record_written', 'churn'],
        ['hubspot', 'record_written', 'score'],
        ['hubspot', 'task_completed', 'hubspot owner 77'],
        ['hubspot', 'task_completed', closed],
        ['hubspot', 'task_created', closed],
        ['hubspot', 'task_created', done],
        ['salesforce', 'record_written', 'churn'],
        ['salesforce', 'record_written', 'score'],
        ['salesforce', 'task_completed', 'Ana Agent <ana@retention.example>'],
        ['salesforce', 'task_completed', closed],
        ['salesforce', 'task_created', closed],
        ['salesforce', 'task_created', done],
      ].sort((x, y) => String(x).localeCompare(String(y))),
    );
    // A task's creation and completion carry the CRM's id of the task: what ties them together.
    for (const [crm, alertId, taskId] of [
      ['salesforce', done, sf.task(done)!.Id],
      ['salesforce', closed, sf.task(closed)!.Id],
      ['hubspot', done, hsTaskOf(done)],
      ['hubspot', closed, hsTaskOf(closed)],
    ] as const) {
      const ofTask = all.filter((a) => a.crm === crm && a.alert_id === alertId && a.kind !== 'record_written');
      assert.deepEqual(
        ofTask.map((a) => [a.kind, a.external_id]).sort(),
        [
          ['task_completed', taskId],
          ['task_created', taskId],
        ],
        `${crm} ${alertId}`,
      );
    }
    assert.equal(all.find((a) => a.write === 'score')!.risk_score, 91);
    await until(
      'the outbox published',
      async () =>
        (
          await db.query<{ n: number }>('spec', 'SELECT count(*)::int AS n FROM crm_activity_outbox WHERE customer_id = $1 AND published_at IS NULL', [
            customer,
          ])
        )[0]!.n === 0,
    );
    assert.ok((await metric('crm_sync_crm_activity_published_total', {})) >= 12);
  });

  it('meets a rate limit like the writes do: the CRM is held for every instance and no read is tried until it passes', async () => {
    const before = sf.requests.length;
    sf.failNextCallsWithRequestLimit(1);
    await until(
      'the read-back held Salesforce',
      async () => (await metric('crm_sync_readback_failures_total', { crm: 'salesforce', kind: 'rate_limited' })) >= 1,
    );
    assert.ok((await metric('crm_sync_rate_limits_total', { crm: 'salesforce', policy: 'REQUEST_LIMIT_EXCEEDED' })) >= 1);
    const integrations = (await (await fetch(`${sut.url}/v1/integrations`)).json()) as { integrations: { crm: string; rate_limited_until: string | null }[] };
    assert.ok(integrations.integrations.find((i) => i.crm === 'salesforce')!.rate_limited_until, 'held');
    // Reads run every second; while held none reaches Salesforce (the refused call is the last one).
    const refusedAt = sf.requests.findIndex((r, i) => i >= before && r.errorCode === 'REQUEST_LIMIT_EXCEEDED');
    const searches = () => hs.requests.filter((r) => r.path === '/crm/v3/objects/tasks/search').length;
    const ticks = searches();
    await until('two more read-back ticks (HubSpot is read on each)', () => searches() >= ticks + 2);
    assert.equal(sf.requests.length, refusedAt + 1);
  });
});
