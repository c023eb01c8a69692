import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import {
  CrmBreaker,
  crmEnvSchema,
  crmMetrics,
  HubSpotGateway,
  hubspotSettings,
  msUntilMidnight,
  OutboxDrainer,
  refreshOutboxGauges,
  SalesforceGateway,
  salesforceSettings,
  type CrmEnv,
  type CrmGateway,
  type HubSpotSettings,
  type SalesforceSettings,
  type ScorePayload,
} from '@churn/crm';
import { CrmIntegrationRepository, CrmOutboxRepository, type CrmTarget } from '@churn/crm-sync-data';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry, type Registry } from '@churn/observability';
import { FakeHubSpot, FakeSalesforce, testInfra, uniqueId, until } from '@churn/testing';

const SF = { clientId: 'fake-client', clientSecret: 'fake-secret', refreshToken: 'fake-refresh' };
const HS = { accessToken: 'pat-fake-token', idProperty: 'churn_customer_id' };
const silent = createLogger({ service: 'spec', level: 'silent' });

function aScore(customerId: string, risk: number): ScorePayload {
  return {
    prediction_id: uniqueId('P'),
    customer_id: customerId,
    risk_score: risk,
    churn_probability: risk / 100,
    risk_level: risk >= 80 ? 'critical' : risk >= 60 ? 'high' : risk >= 40 ? 'medium' : 'low',
    recommended_action: 'Standard monitoring',
    scored_at: '2025-01-01T00:00:00Z',
    as_of: '2025-01-01T00:00:00Z',
    source: { topic: 'predictions', partition: 0, offset: '0' },
  };
}

/**
 * Two crm-sync instances' drain loops for one CRM, sharing Postgres (no Kafka: the rows are queued
 * directly), each with its own gateway, breaker, metrics and log.
 */
class TwoInstances {
  readonly drainers: OutboxDrainer[] = [];
  readonly registries: Registry[] = [];
  readonly logLines: Record<string, unknown>[] = [];

  constructor(db: Database, makeGateway: () => CrmGateway, probeIntervalMs: number) {
    for (const name of ['a', 'b']) {
      const registry = createMetricsRegistry(`spec-${name}`);
      const metrics = crmMetrics(registry);
      const logger = pino({ level: 'info' }, { write: (line: string) => void this.logLines.push(JSON.parse(line) as Record<string, unknown>) });
      const gateway = makeGateway();
      const breaker = new CrmBreaker(
        gateway.target,
        { timeoutMs: 5000, errorThresholdPercentage: 50, volumeThreshold: 100, resetTimeoutMs: 1000 },
        silent,
        metrics,
      );
      const drainer = new OutboxDrainer(db, gateway, breaker, undefined, metrics, logger, {
        intervalMs: 100,
        leaseSeconds: 30,
        retryBudget: 3,
        retryBaseMs: 100,
        retryMaxMs: 500,
        dryRun: false,
        probeIntervalMs,
      });
      this.registries.push(registry);
      this.drainers.push(drainer);
    }
  }

  start(): void {
    for (const d of this.drainers) d.start();
  }
  nudge(): void {
    for (const d of this.drainers) d.nudge();
  }
  async stop(): Promise<void> {
    await Promise.all(this.drainers.map((d) => d.stop()));
  }
}

describe('crm-sync drain loops sharing Postgres: rate-limit holds, pauses, missing customers', () => {
  let db: Database;
  const outbox = new CrmOutboxRepository();
  const integrations = new CrmIntegrationRepository();
  const run = uniqueId('cis');

  before(() => {
    db = new Database({ url: testInfra().databaseUrl, poolSize: 4, applicationName: 'crm-integration-state-spec' }, silent, createMetricsRegistry('spec'));
  });
  // A test that fails half-way must not leave the next one held or paused.
  beforeEach(() =>
    db.query(
      'spec.reset',
      `UPDATE crm_integrations SET hold_until = '-infinity', status = 'active', paused_reason = NULL, paused_detail = NULL, paused_at = NULL`,
    ),
  );
  after(async () => {
    // Rows left waiting (held ones) must not reach the next spec's CRMs.
    await db.query('spec.cleanup', `UPDATE crm_outbox SET status = 'skipped', last_error = 'spec cleanup' WHERE customer_id LIKE $1 AND status = 'pending'`, [
      `${run}-%`,
    ]);
    await db.query(
      'spec.reset',
      `UPDATE crm_integrations SET hold_until = '-infinity', status = 'active', paused_reason = NULL, paused_detail = NULL, paused_at = NULL`,
    );
    await db.close();
  });

  async function queueScores(target: CrmTarget, customers: readonly string[], risk = 50): Promise<void> {
    await db.transaction((tx) =>
      outbox.enqueue(
        tx,
        customers.map((c) => {
          const payload = aScore(c, risk);
          return { idempotencyKey: `score:${target}:${payload.prediction_id}`, target, kind: 'score' as const, customerId: c, payload: { ...payload } };
        }),
      ),
    );
  }
  const statuses = async (customers: readonly string[], target: CrmTarget) => (await outbox.findByCustomers(db, customers)).filter((r) => r.target === target);
  const integration = async (target: CrmTarget) => (await integrations.list(db)).find((r) => r.target === target)!;

  function salesforceEnv(sf: FakeSalesforce, extra: Record<string, string> = {}): CrmEnv {
    return crmEnvSchema.parse({
      SALESFORCE_LOGIN_URL: sf.loginUrl,
      SALESFORCE_CLIENT_ID: SF.clientId,
      SALESFORCE_CLIENT_SECRET: SF.clientSecret,
      SALESFORCE_REFRESH_TOKEN: SF.refreshToken,
      ...extra,
    });
  }
  function hubspotEnv(hs: FakeHubSpot, extra: Record<string, string> = {}): CrmEnv {
    return crmEnvSchema.parse({
      HUBSPOT_ACCESS_TOKEN: HS.accessToken,
      HUBSPOT_BASE_PATH: hs.url,
      HUBSPOT_BURST_REQUESTS: '1000',
      HUBSPOT_BURST_WINDOW_MS: '1000',
      ...extra,
    });
  }
  const describeCalls = (sf: FakeSalesforce) => sf.requests.filter((r) => r.path.endsWith('/describe') && r.status === 200).length;

  it('a Salesforce request limit holds both instances: one refused call, then none until the window has passed', async () => {
    const sf = new FakeSalesforce({ ...SF });
    await sf.start();
    const customers = Array.from({ length: 451 }, (_, i) => `${run}-RL${i}`);
    sf.seed('Account', 'Customer_Id__c', customers);
    const settings = salesforceSettings(salesforceEnv(sf, { SALESFORCE_REQUEST_LIMIT_WAIT_MS: '1500' })) as SalesforceSettings;
    const sut = new TwoInstances(db, () => new SalesforceGateway(settings, silent), 60_000);
    try {
      sut.start();
      // Both startup field checks (two describe calls each) are done before the limit is armed.
      await until('both startup field checks', () => describeCalls(sf) >= 4);
      sf.exhaustRequestLimit();
      await queueScores('salesforce', customers.slice(0, 1));
      sut.nudge();
      await until('the first call refused', () => sf.requests.some((r) => r.errorCode === 'REQUEST_LIMIT_EXCEEDED'));
      // The org would answer again at once: only the hold keeps the instances off it.
      sf.resetRequestLimit();
      // Three batches' worth more while the CRM is held: an instance that ignored the hold would call at once.
      await queueScores('salesforce', customers.slice(1));
      sut.nudge();
      await until('every row sent', async () => (await statuses(customers, 'salesforce')).every((r) => r.status === 'sent'), 60_000);

      const refused = sf.requests.filter((r) => r.errorCode === 'REQUEST_LIMIT_EXCEEDED');
      assert.equal(refused.length, 1, 'exactly one call met the limit');
      const after = sf.requests.filter((r) => r.at > refused[0]!.at && !r.path.endsWith('/token'));
      assert.ok(after.length >= 3, 'the rows went out in batches afterwards');
      assert.ok(after[0]!.at - refused[0]!.at >= 1450, `the next call came ${after[0]!.at - refused[0]!.at} ms after the refusal, within the 1,500 ms hold`);
      assert.equal(
        new Set(
          sf
            .writesOf('Account')
            .filter((w) => w.externalId.startsWith(`${run}-RL`))
            .map((w) => w.externalId),
        ).size,
        customers.length,
      );
      assert.equal((await integration('salesforce')).hold_reason, 'REQUEST_LIMIT_EXCEEDED');
      const rows = await statuses(customers, 'salesforce');
      assert.ok(
        rows.every((r) => r.attempts === 1),
        'the refused call counted no attempt',
      );
      const metrics = (await Promise.all(sut.registries.map((r) => r.metrics()))).join('\n');
      assert.match(metrics, /crm_sync_rate_limits_total\{crm="salesforce",policy="REQUEST_LIMIT_EXCEEDED"[^}]*\} 1/);
    } finally {
      await sut.stop();
      await sf.stop();
    }
  });

  it('a HubSpot daily-limit 429 holds HubSpot until midnight in the account time zone, a burst 429 for its interval', async () => {
    const hs = new FakeHubSpot({ ...HS });
    await hs.start();
    const customers = [`${run}-D1`, `${run}-D2`];
    hs.seed('contacts', customers);
    const settings = hubspotSettings(hubspotEnv(hs, { HUBSPOT_ACCOUNT_TIME_ZONE: 'Asia/Tokyo' })) as HubSpotSettings;
    let checksPassed = 0;
    const sut = new TwoInstances(
      db,
      () => {
        // The marker of a finished startup check: the gateway's field check found nothing missing.
        const gateway = new HubSpotGateway(settings, silent);
        const missingFields = gateway.missingFields.bind(gateway);
        gateway.missingFields = async () => {
          const missing = await missingFields();
          if (missing.length === 0) checksPassed++;
          return missing;
        };
        return gateway;
      },
      60_000,
    );
    try {
      sut.start();
      // Whichever instance finds the four properties missing creates them (a concurrent creation is no error); both checks then pass.
      await until('both startup checks', () => checksPassed >= 2);
      hs.rateLimitNextCalls(1, undefined, 'DAILY');
      const before = Date.now();
      await queueScores('hubspot', customers.slice(0, 1));
      sut.nudge();
      await until('HubSpot held', async () => (await integration('hubspot')).held);
      const daily = await integration('hubspot');
      assert.equal(daily.hold_reason, 'HTTP_429_DAILY');
      const expected = before + msUntilMidnight('Asia/Tokyo', before);
      assert.ok(
        Math.abs(daily.hold_until.getTime() - expected) < 5000,
        `held until ${daily.hold_until.toISOString()}, midnight in Tokyo is ${new Date(expected).toISOString()}`,
      );

      // Lift the daily hold by hand; a burst 429 without Retry-After holds for the 10 s interval HubSpot names.
      await db.query('spec.unhold', `UPDATE crm_integrations SET hold_until = '-infinity' WHERE target = 'hubspot'`);
      hs.rateLimitNextCalls(1, undefined, 'TEN_SECONDLY_ROLLING');
      await queueScores('hubspot', customers.slice(1));
      sut.nudge();
      await until('HubSpot held again', async () => (await integration('hubspot')).hold_reason === 'HTTP_429_TEN_SECONDLY_ROLLING');
      const burst = await integration('hubspot');
      const limited = hs.requests.filter((r) => r.status === 429);
      assert.equal(limited.length, 2);
      const heldFor = burst.hold_until.getTime() - limited[1]!.at;
      assert.ok(heldFor > 9000 && heldFor <= 10_500, `burst hold ${heldFor} ms`);
    } finally {
      await sut.stop();
      await hs.stop();
      await db.query('spec.unhold', `UPDATE crm_integrations SET hold_until = '-infinity' WHERE target = 'hubspot'`);
    }
  });

  it('a field Salesforce refuses pauses the integration, the rows stay pending, and the probe resumes it once the field exists', async () => {
    const sf = new FakeSalesforce({ ...SF });
    await sf.start();
    const customers = Array.from({ length: 300 }, (_, i) => `${run}-PF${i}`);
    sf.seed('Account', 'Customer_Id__c', customers);
    const settings = salesforceSettings(salesforceEnv(sf)) as SalesforceSettings;
    const sut = new TwoInstances(db, () => new SalesforceGateway(settings, silent), 500);
    try {
      sut.start();
      await until('both startup field checks', () => describeCalls(sf) >= 4);
      const removed = sf.removeField('Account', 'Churn_Probability__c')!;
      await queueScores('salesforce', customers.slice(0, 1));
      sut.nudge();
      await until('paused', async () => (await integration('salesforce')).status === 'paused');
      assert.equal((await integration('salesforce')).paused_reason, 'invalid_field');
      await queueScores('salesforce', customers.slice(1));
      sut.nudge();
      // The marker: a probe after the pause (interval 500 ms) found the field still missing and said which ...
      await until('a probe while paused', async () => (await integration('salesforce')).paused_reason === 'missing_fields');
      const paused = await integration('salesforce');
      assert.equal(paused.status, 'paused');
      assert.match(paused.paused_detail!, /Account\.Churn_Probability__c/);
      // ... and until then no instance made another write, and no row was parked or charged an attempt.
      assert.equal(sf.requests.filter((r) => r.method === 'PATCH').length, 1, 'one refused write, then none');
      const waiting = await statuses(customers, 'salesforce');
      assert.ok(
        waiting.every((r) => r.status === 'pending' && r.attempts === 0),
        'rows stay pending with their budget',
      );
      const gauges = crmMetrics(createMetricsRegistry('spec-gauges'));
      await refreshOutboxGauges(db, gauges);
      assert.equal((await gauges.integrationPaused.get()).values.find((v) => v.labels.crm === 'salesforce' && v.value === 1)?.labels.reason, 'missing_fields');
      assert.ok(
        sut.logLines.some(
          (l) =>
            l['msg'] ===
            'CRM integration paused: its rows stay queued until an admin resumes it (POST /v1/integrations/{crm}/resume) or the field check passes',
        ),
      );

      sf.addField('Account', removed);
      await until('every row sent after the probe resumed it', async () => (await statuses(customers, 'salesforce')).every((r) => r.status === 'sent'), 30_000);
      assert.equal((await integration('salesforce')).resumed_by, 'probe');
      assert.equal(sf.requests.filter((r) => r.errorCode === 'INVALID_FIELD').length, 1);
    } finally {
      await sut.stop();
      await sf.stop();
    }
  });

  it('a refused Salesforce sign-in, or a session rejected again after a new one, pauses (auth_failed): no sign-in loop, no parked row', async () => {
    const sf = new FakeSalesforce({ ...SF });
    await sf.start();
    const customers = [`${run}-AF1`, `${run}-AF2`];
    sf.seed('Account', 'Customer_Id__c', customers);
    // A revoked refresh token: the token endpoint answers 400 invalid_grant.
    const revoked = salesforceSettings(salesforceEnv(sf, { SALESFORCE_REFRESH_TOKEN: 'revoked' })) as SalesforceSettings;
    const refusedSut = new TwoInstances(db, () => new SalesforceGateway(revoked, silent), 60_000);
    try {
      refusedSut.start();
      await until('paused by the refused sign-in', async () => (await integration('salesforce')).paused_reason === 'auth_failed');
      assert.match((await integration('salesforce')).paused_detail!, /^OAUTH_INVALID_GRANT: /);
      await queueScores('salesforce', customers.slice(0, 1));
      refusedSut.nudge();
      await until('both startup checks refused', () => sf.refusedGrants.length >= 2);
    } finally {
      await refusedSut.stop();
    }
    assert.equal(sf.refusedGrants.length, 2, 'one refused sign-in per instance, then none (probe interval 60 s)');
    assert.equal(sf.requests.length, 0, 'no data call without a session');

    // Valid credentials, but every session is rejected (a user whose sessions are revoked at once).
    await db.query(
      'spec.reset',
      `UPDATE crm_integrations SET status = 'active', paused_reason = NULL, paused_detail = NULL, paused_at = NULL WHERE target = 'salesforce'`,
    );
    sf.rejectSessions(true);
    const settings = salesforceSettings(salesforceEnv(sf)) as SalesforceSettings;
    const sut = new TwoInstances(db, () => new SalesforceGateway(settings, silent), 500);
    try {
      sut.start();
      await until('paused by the rejected session', async () => (await integration('salesforce')).paused_detail?.startsWith('INVALID_SESSION_ID: ') === true);
      assert.equal((await integration('salesforce')).paused_reason, 'auth_failed');
      await queueScores('salesforce', customers.slice(1));
      sut.nudge();
      // The marker: a probe after the rows were queued (interval 500 ms) was rejected too.
      const queuedAt = Date.now();
      await until('a probe while paused', () => sf.requests.some((r) => r.at > queuedAt && r.errorCode === 'INVALID_SESSION_ID'));
      assert.equal(sf.requests.filter((r) => r.method === 'PATCH').length, 0, 'no write while paused');
      assert.ok(
        (await statuses(customers, 'salesforce')).every((r) => r.status === 'pending' && r.attempts === 0),
        'rows stay pending with their budget',
      );
      // Each check is one call: a sign-in, the call, one new sign-in, the call repeated; never more.
      const checks = sf.requests.filter((r) => r.errorCode === 'INVALID_SESSION_ID').length / 2;
      assert.ok(sf.tokenGrants.length <= 2 * Math.ceil(checks), `${sf.tokenGrants.length} sign-ins for ${checks} checks`);
      sf.rejectSessions(false);
      await until('rows sent after the probe resumed it', async () => (await statuses(customers, 'salesforce')).every((r) => r.status === 'sent'));
      assert.equal((await integration('salesforce')).resumed_by, 'probe');
    } finally {
      await sut.stop();
      await sf.stop();
    }
  });

  it('HubSpot without the CRM scopes pauses at the startup check, writes nothing while paused, and the probe resumes it', async () => {
    const hs = new FakeHubSpot({ ...HS });
    await hs.start();
    const customers = [`${run}-MS1`, `${run}-MS2`];
    hs.seed('contacts', customers);
    hs.denyScopes(true);
    const settings = hubspotSettings(hubspotEnv(hs)) as HubSpotSettings;
    const sut = new TwoInstances(db, () => new HubSpotGateway(settings, silent), 300);
    try {
      sut.start();
      await until('paused', async () => (await integration('hubspot')).paused_reason === 'missing_scopes');
      await queueScores('hubspot', customers);
      sut.nudge();
      // The marker: four probes after the rows were queued. Each loop probes, then drains, so at least
      // one instance went through a whole pass (probe, then claim) with the rows waiting.
      const queuedAt = Date.now();
      await until('four probes', () => hs.requests.filter((r) => r.at > queuedAt && r.category === 'MISSING_SCOPES').length >= 4);
      assert.equal(hs.requests.filter((r) => r.path.includes('/batch/')).length, 0, 'no write or read was tried while paused');
      assert.ok((await statuses(customers, 'hubspot')).every((r) => r.status === 'pending' && r.attempts === 0));
      hs.denyScopes(false);
      await until('rows sent', async () => (await statuses(customers, 'hubspot')).every((r) => r.status === 'sent'));
      assert.equal((await integration('hubspot')).resumed_by, 'probe');
    } finally {
      await sut.stop();
      await hs.stop();
    }
  });

  it('skips writes for customers HubSpot does not have, counted, and logs each customer once a day', async () => {
    const hs = new FakeHubSpot({ ...HS });
    await hs.start();
    const known = `${run}-K1`;
    const unknown = [`${run}-U1`, `${run}-U2`];
    hs.seed('contacts', [known]);
    const settings = hubspotSettings(hubspotEnv(hs)) as HubSpotSettings;
    const sut = new TwoInstances(db, () => new HubSpotGateway(settings, silent), 600_000);
    try {
      sut.start();
      for (const risk of [20, 70, 95]) {
        await queueScores('hubspot', [known, ...unknown], risk);
        sut.nudge();
        await until(`round ${risk} handled`, async () => (await statuses([known, ...unknown], 'hubspot')).every((r) => r.status !== 'pending'));
      }
      const rows = await statuses(unknown, 'hubspot');
      assert.ok(
        rows.every((r) => r.status === 'skipped'),
        'skipped, not parked',
      );
      assert.ok(rows.some((r) => r.last_error === 'customer not in hubspot'));
      const metrics = (await Promise.all(sut.registries.map((r) => r.metrics()))).join('\n');
      const skipped = [...metrics.matchAll(/crm_sync_missing_customers_total\{crm="hubspot",action="skipped"[^}]*\} (\d+)/g)].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
      assert.equal(skipped, 6, 'every skipped write counted');
      const logged = sut.logLines.filter((l) => l['msg']?.toString().startsWith('customer missing in the CRM'));
      assert.deepEqual(logged.map((l) => l['customerId']).sort(), [...unknown].sort(), 'one log line per customer per day');
      assert.equal(hs.writes.filter((w) => w.id === known).length, 3);
    } finally {
      await sut.stop();
      await hs.stop();
    }
  });

  it('creates the customers Salesforce does not have when SALESFORCE_MISSING_CUSTOMER=create', async () => {
    const sf = new FakeSalesforce({ ...SF });
    await sf.start();
    const customers = [`${run}-N1`, `${run}-N2`];
    const settings = salesforceSettings(salesforceEnv(sf, { SALESFORCE_MISSING_CUSTOMER: 'create' })) as SalesforceSettings;
    const sut = new TwoInstances(db, () => new SalesforceGateway(settings, silent), 600_000);
    try {
      sut.start();
      await queueScores('salesforce', customers, 66);
      sut.nudge();
      await until('rows sent', async () => (await statuses(customers, 'salesforce')).every((r) => r.status === 'sent'));
      for (const c of customers) assert.equal(sf.records.get('Account')!.get(c)!.fields['Name'], c);
      const metrics = (await Promise.all(sut.registries.map((r) => r.metrics()))).join('\n');
      const created = [...metrics.matchAll(/crm_sync_missing_customers_total\{crm="salesforce",action="created"[^}]*\} (\d+)/g)].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
      assert.equal(created, 2);
    } finally {
      await sut.stop();
      await sf.stop();
    }
  });
});
