import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Topics } from '@churn/contracts';
import { CrmIntegrationControl, CrmReadback, crmEnvSchema, crmMetrics, SalesforceGateway, salesforceSettings, type SalesforceSettings } from '@churn/crm';
import { CrmOutboxRepository } from '@churn/crm-sync-data';
import { Database } from '@churn/db';
import { MonitoringRepository } from '@churn/monitoring-data';
import { consumerGroupLag, TopicProducer } from '@churn/kafka';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import { FakeSalesforce, rawProducer, serviceTestEnv, testInfra, testKafka, TopicProbe, uniqueId, until } from '@churn/testing';
import { monitoringConfigSchema } from './config';
import { configureMonitoringHttp } from './http-setup';
import { MonitoringModule } from './monitoring.module';
import { aPrediction, publish } from './monitoring-spec-fixtures';

const HOUR = 3_600_000;
const SF = { clientId: 'fake-client', clientSecret: 'fake-secret', refreshToken: 'fake-refresh' };

/**
 * The read-back end to end: a retention task the platform created in a (local) Salesforce org is
 * completed there, crm-sync's read-back (libs/crm, with its state in Postgres) publishes it on
 * `interventions`, and monitoring stores it in its table — once, though it is read twice.
 */
describe('completed CRM tasks recorded as interventions by monitoring, on the real broker and Postgres', () => {
  let sut: RunningService;
  let db: Database;
  let org: FakeSalesforce;
  let producer: TopicProducer;
  let probe: TopicProbe;
  let groupId: string;
  const logger = createLogger({ service: 'spec', level: 'silent' });
  const customer = uniqueId('crm-task-customer');
  const version = uniqueId('crm-model');

  before(async () => {
    db = new Database({ url: testInfra().databaseUrl, poolSize: 2, applicationName: 'crm-interventions-spec' }, logger, createMetricsRegistry('spec'));
    const env = serviceTestEnv({ MONITORING_LABEL_DELAY_DAYS: '0', MONITORING_REFRESH_INTERVAL_MS: '600000' });
    groupId = `${env['KAFKA_GROUP_PREFIX']}.monitoring`;
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env,
    });
    await publish(Topics.predictions, [aPrediction(customer, version, 0.9, Date.now() - HOUR, { intervention_cost: 150 })]);
    await until('monitoring stored the prediction', async () => (await new MonitoringRepository().knownCustomers(db, [customer])).size === 1);
    // The read-back skips a CRM that is held, paused or leased: other specs on the shared test
    // database (crm-sync's rate-limit and read-back specs) may have left Salesforce so.
    await db.query(
      'spec.reset_salesforce',
      `UPDATE crm_integrations SET hold_until = '-infinity', hold_reason = NULL, status = 'active', paused_reason = NULL, paused_detail = NULL, paused_at = NULL, next_probe_at = '-infinity' WHERE target = 'salesforce'`,
    );
    await db.query('spec.reset_readback', `UPDATE crm_readback_state SET lease_until = '-infinity', next_read_at = '-infinity' WHERE target = 'salesforce'`);
    org = new FakeSalesforce({ ...SF });
    await org.start();
    org.seed('Account', 'Customer_Id__c', [customer]);
    org.addUser('005000000000ANA', 'Ana Agent', 'ana@retention.example');
    producer = new TopicProducer(testKafka(), logger, createMetricsRegistry('spec-producer'));
    await producer.connect();
    probe = await TopicProbe.start([Topics.interventionsDlq]);
  });

  after(async () => {
    const closing = [() => sut?.close(), () => producer?.disconnect(), () => probe?.stop(), () => org?.stop(), () => db?.close()];
    await Promise.allSettled(closing.map((close) => Promise.resolve().then(close)));
  });

  const settled = async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await until(
        'monitoring committed all of interventions',
        async () => (await consumerGroupLag(admin, groupId, [Topics.interventions]))[Topics.interventions] === 0,
      );
    } finally {
      await admin.disconnect();
    }
  };

  it('records a task completed in Salesforce once, with its owner and completion time, though it is read twice', async () => {
    const settings = salesforceSettings(
      crmEnvSchema.parse({
        SALESFORCE_LOGIN_URL: org.loginUrl,
        SALESFORCE_CLIENT_ID: SF.clientId,
        SALESFORCE_CLIENT_SECRET: SF.clientSecret,
        SALESFORCE_REFRESH_TOKEN: SF.refreshToken,
      }),
    ) as SalesforceSettings;
    const gateway = new SalesforceGateway(settings, logger);
    // The platform's task, as crm-sync's drain loop leaves it: created in the org, its outbox row sent with the CRM's id.
    const alertId = uniqueId('A');
    const payload = {
      alert_id: alertId,
      customer_id: customer,
      prediction_id: uniqueId('P'),
      level: 'critical' as const,
      risk_score: 90,
      subject: `Urgent churn risk: retention outreach (${customer})`,
      priority: 'High' as const,
      due_date: '2026-12-04',
      due_at: '2026-12-04T00:00:00.000Z',
      description: `alert ${alertId}`,
      source: { topic: Topics.alerts, partition: 0, offset: '0' },
    };
    const [created] = await gateway.createTasks([payload]);
    assert.ok(created?.ok && created.externalId);
    const outbox = new CrmOutboxRepository();
    await db.transaction((tx) =>
      outbox.enqueue(tx, [{ idempotencyKey: `task:salesforce:${alertId}`, target: 'salesforce', kind: 'task', customerId: customer, payload: { ...payload } }]),
    );
    const [row] = (await outbox.findByCustomers(db, [customer])).filter((r) => r.kind === 'task');
    await db.transaction((tx) => outbox.markSent(tx, [{ id: row!.id, externalId: created.externalId }]));
    // Earlier specs may have read another org: this read starts from the platform's first task.
    await db.query(
      'spec.readback_reset',
      `UPDATE crm_readback_state SET watermark = NULL, lease_until = '-infinity', next_read_at = '-infinity' WHERE target = 'salesforce'`,
    );

    const completedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    org.completeTask(alertId, { at: completedAt, ownerId: '005000000000ANA', subtype: 'Call' });
    const metrics = crmMetrics(createMetricsRegistry('spec-crm'));
    const readback = new CrmReadback(db, gateway, new CrmIntegrationControl(db, gateway, metrics, logger, 60_000), producer, metrics, logger, {
      intervalSeconds: 3600,
      leaseSeconds: 60,
    });
    const first = await readback.readOnce(true);
    assert.deepEqual(first, { crm: 'salesforce', read: 1, recorded: 1 });
    // The watermark is inclusive: the same task is read, and published, again.
    const second = await readback.readOnce(true);
    assert.deepEqual(second, { crm: 'salesforce', read: 1, recorded: 1 });
    assert.deepEqual((await readback.readOnce(false)).skipped, 'not_due', 'the interval spaces periodic reads');
    await settled();

    const rows = await db.query<{
      source: string;
      source_key: string;
      performed_by: string;
      performed_at: Date;
      action: string;
      channel: string;
      cost: string | null;
    }>('spec.interventions', 'SELECT source, source_key, performed_by, performed_at, action, channel, cost FROM interventions WHERE customer_id = $1', [
      customer,
    ]);
    assert.equal(rows.length, 1, 'one intervention for one task read twice');
    assert.deepEqual(
      { ...rows[0], performed_at: rows[0]!.performed_at.toISOString() },
      {
        source: 'salesforce',
        source_key: org.task(alertId)!.Id,
        performed_by: 'Ana Agent <ana@retention.example>',
        performed_at: completedAt.toISOString(),
        action: payload.subject,
        channel: 'call',
        cost: null,
      },
    );
    const state = await db.query<{ watermark: Date; last_success_at: Date | null }>(
      'spec.readback_state',
      `SELECT watermark, last_success_at FROM crm_readback_state WHERE target = 'salesforce'`,
    );
    assert.equal(state[0]!.watermark.toISOString(), completedAt.toISOString());
    assert.ok(state[0]!.last_success_at);
    // ROI counts the customer treated, at the risk level's estimate, and says so.
    const roi = (await (await fetch(`${sut.url}/v1/roi?window=30d&model_version=${version}`)).json()) as {
      overall: { cost_basis: string; treated_customers: number; programme_cost: number };
    };
    assert.deepEqual([roi.overall.cost_basis, roi.overall.treated_customers, roi.overall.programme_cost], ['estimated', 1, 150]);
  });

  it('dead-letters an intervention for a customer monitoring does not know, or done in the future', async () => {
    const producerRaw = await rawProducer();
    try {
      const unknown = {
        customer_id: uniqueId('nobody'),
        performed_by: 'Ana',
        performed_at: new Date(Date.now() - HOUR).toISOString(),
        action: 'call',
        source: 'hubspot',
        source_key: uniqueId('T'),
      };
      const future = { ...unknown, customer_id: customer, performed_at: new Date(Date.now() + 2 * HOUR).toISOString(), source_key: uniqueId('T') };
      await producerRaw.send({ topic: Topics.interventions, messages: [unknown, future].map((v) => ({ key: v.customer_id, value: JSON.stringify(v) })) });
    } finally {
      await producerRaw.close();
    }
    const letters = await probe.waitFor((m) => m.headers['x-dlq-code'] === 'UNKNOWN_CUSTOMER' || m.headers['x-dlq-code'] === 'FUTURE_DATE', 2);
    assert.deepEqual(letters.map((l) => l.headers['x-dlq-code']).sort(), ['FUTURE_DATE', 'UNKNOWN_CUSTOMER']);
  });
});
