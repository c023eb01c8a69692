import assert from 'node:assert/strict';
import { availableParallelism, loadavg } from 'node:os';
import { SignJWT } from 'jose';
import { after, before, describe, it } from 'node:test';
import { type Alert, CRM_SYNC_ROUTES, crmIntegrationListSchema, type Prediction, Topics } from '@churn/contracts';
import { backfillSalesforce, crmEnvSchema, SalesforceGateway, salesforceSettings, type SalesforceSettings } from '@churn/crm';
import { CrmIntegrationRepository, CrmOutboxRepository, type CrmTarget } from '@churn/crm-sync-data';
import { AuditLogRepository, Database } from '@churn/db';
import { consumerGroupLag } from '@churn/kafka';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import {
  aPrediction,
  expectProblem,
  FakeHubSpot,
  FakeSalesforce,
  problemFields,
  rawProducer,
  serviceTestEnv,
  testInfra,
  testKafka,
  TopicProbe,
  uniqueId,
  until,
} from '@churn/testing';
import { crmSyncConfigSchema } from './config';
import { CrmSyncModule } from './crm-sync.module';

const THRESHOLD = 5;
const SF = { clientId: 'fake-client', clientSecret: 'fake-secret', refreshToken: 'fake-refresh' };
const HS = { accessToken: 'pat-fake-token', idProperty: 'churn_customer_id' };
const SECRET = 'crm-sync-spec-secret-of-at-least-32-characters';

function token(roles: string[]): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('ops@retention.example')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));
}

/** A deterministic pseudo-random sequence, so that a failing run can be repeated. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A prediction of `score` as of `asOf` (scored then) in the retention experiment, on its control arm or treated. */
function aScoredPrediction(customerId: string, score: number, asOf: Date, control: boolean): Prediction {
  return aPrediction(customerId, 'spec-1', score / 100, asOf.getTime(), {
    recommended_action: score >= 60 ? 'VIP retention program' : 'Standard monitoring',
    top_factors: [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.12 }],
    experiment: { name: 'retention-2025', arm: control ? 'control' : 'treatment' },
    revenue_at_risk: 0,
    scored_at: asOf.toISOString(),
  });
}

/** The reference: per customer, in order, the writes the change rule calls for. Independent of the service's code paths. */
function expectedWrites(sequence: readonly Prediction[]): { customer: string; score: number; level: string }[] {
  const last = new Map<string, { score: number; level: string }>();
  const out: { customer: string; score: number; level: string }[] = [];
  for (const p of sequence) {
    if (p.experiment?.arm === 'control') continue;
    const before = last.get(p.customer_id);
    if (before && before.level === p.risk_level && Math.abs(before.score - p.risk_score) < THRESHOLD) continue;
    last.set(p.customer_id, { score: p.risk_score, level: p.risk_level });
    out.push({ customer: p.customer_id, score: p.risk_score, level: p.risk_level });
  }
  return out;
}

/**
 * The deadline of one round of the 10,000-prediction test: 40 s on an idle machine, longer (up to
 * three times) while the machine is loaded — a deadline, not a sleep: the round ends when the writes are in.
 */
function roundDeadlineMs(): number {
  return Math.round(40_000 * Math.min(3, Math.max(1, loadavg()[0]! / availableParallelism())));
}

const sortKey = (w: { customer: string; score: number; level: string }) => `${w.customer}|${String(w.score).padStart(3, '0')}|${w.level}`;

describe('crm-sync on the real broker and Postgres, against local Salesforce and HubSpot', () => {
  let sut: RunningService;
  let db: Database;
  let sf: FakeSalesforce;
  let hs: FakeHubSpot;
  let probe: TopicProbe;
  let groupId: string;
  const run = uniqueId('crm');
  const customers = Array.from({ length: 2000 }, (_, i) => `${run}-C${String(i).padStart(4, '0')}`);
  /** Producers the tests open: closed in `after` too, so that a failed assertion does not keep the process alive. */
  const producers: { close(): Promise<void> }[] = [];
  const openProducer = async () => {
    const producer = await rawProducer();
    producers.push(producer);
    return producer;
  };

  before(async () => {
    sf = new FakeSalesforce({ ...SF });
    hs = new FakeHubSpot({ ...HS });
    await sf.start();
    await hs.start();
    sf.seed('Account', 'Customer_Id__c', customers);
    hs.seed('contacts', customers);
    probe = await TopicProbe.start([Topics.crmSyncDlq]);
    const env = serviceTestEnv({
      SALESFORCE_LOGIN_URL: sf.loginUrl,
      SALESFORCE_CLIENT_ID: SF.clientId,
      SALESFORCE_CLIENT_SECRET: SF.clientSecret,
      SALESFORCE_REFRESH_TOKEN: SF.refreshToken,
      HUBSPOT_ACCESS_TOKEN: HS.accessToken,
      HUBSPOT_BASE_PATH: hs.url,
      CRM_SCORE_CHANGE_THRESHOLD: String(THRESHOLD),
      CRM_DRAIN_INTERVAL_MS: '100',
      CRM_RETRY_BUDGET: '3',
      CRM_RETRY_BASE_MS: '100',
      CRM_RETRY_MAX_MS: '500',
      CRM_RATE_LIMIT_WAIT_MS: '300',
      CRM_BREAKER_RESET_MS: '700',
      CRM_CALL_TIMEOUT_MS: '5000',
      SALESFORCE_REQUEST_LIMIT_WAIT_MS: '300',
      // The fakes have no burst limit; pacing is the gateway spec's subject.
      HUBSPOT_BURST_REQUESTS: '1000',
      HUBSPOT_BURST_WINDOW_MS: '1000',
      AUTH_JWT_SECRET: SECRET,
    });
    groupId = `${env['KAFKA_GROUP_PREFIX']}.crm-sync`;
    sut = await startService({ name: 'crm-sync', configSchema: crmSyncConfigSchema, module: (c) => CrmSyncModule.register(c), env });
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'crm-sync-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
  });

  /**
   * For a round that never completes: which expected writes Salesforce lacks, and what the service recorded
   * about each of those customers' predictions (seen or not, queued state, outbox rows), so a rare failure
   * says whether a message was never consumed, consumed but judged unchanged, or queued but not sent.
   */
  async function missingWritesReport(sequence: readonly Prediction[]): Promise<string> {
    const remaining = new Map<string, number>();
    for (const w of sf.writesOf('Account')) {
      const key = sortKey({ customer: w.externalId, score: Number(w.fields['Churn_Risk_Score__c']), level: String(w.fields['Churn_Risk_Category__c']) });
      remaining.set(key, (remaining.get(key) ?? 0) + 1);
    }
    const missing: string[] = [];
    for (const w of expectedWrites(sequence)) {
      const key = sortKey(w);
      const left = remaining.get(key) ?? 0;
      if (left > 0) remaining.set(key, left - 1);
      else missing.push(w.customer);
    }
    const lines: string[] = [];
    for (const customer of [...new Set(missing)].slice(0, 5)) {
      const predictions = sequence.filter((p) => p.customer_id === customer);
      const seen = await db.query<{ message_key: string }>('spec.seen', 'SELECT message_key FROM crm_seen_messages WHERE message_key = ANY($1::text[])', [
        predictions.map((p) => `prediction:${p.prediction_id}`),
      ]);
      const state = await db.query('spec.state', 'SELECT * FROM crm_score_state WHERE customer_id = $1', [customer]);
      const outbox = await db.query(
        'spec.outbox',
        'SELECT id, target, status, attempts, last_error, payload FROM crm_outbox WHERE customer_id = $1 ORDER BY id',
        [customer],
      );
      const seenKeys = new Set(seen.map((r) => r.message_key));
      lines.push(
        `missing write for ${customer}; its predictions: ${predictions.map((p) => `${p.prediction_id} ${p.as_of.slice(0, 10)} ${p.risk_score}/${p.risk_level}${seenKeys.has(`prediction:${p.prediction_id}`) ? ' seen' : ' NOT SEEN'}`).join('; ')}`,
        `  score state: ${JSON.stringify(state)}`,
        `  outbox: ${JSON.stringify(outbox)}`,
      );
    }
    return lines.length > 0 ? lines.join('\n') : 'no expected write is missing at Salesforce';
  }

  /**
   * Nothing more can reach the CRMs for these customers: crm-sync has committed every message on
   * `topic` (redeliveries included), and none of their outbox rows is pending (a row being pushed is
   * still pending until its answer is recorded).
   */
  async function settled(topic: string, customerIds: readonly string[], target?: CrmTarget): Promise<void> {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await until(`crm-sync committed all of ${topic}`, async () => (await consumerGroupLag(admin, groupId, [topic]))[topic] === 0);
    } finally {
      await admin.disconnect();
    }
    await until('no pending outbox row', async () =>
      (await new CrmOutboxRepository().findByCustomers(db, customerIds)).every((r) => r.status !== 'pending' || (target !== undefined && r.target !== target)),
    );
  }

  after(async () => {
    // Each one even when another fails (or `before` stopped half-way): an open producer or service keeps the process alive.
    const closing = [...producers.map((p) => () => p.close()), () => sut?.close(), () => probe?.stop(), () => db?.close(), () => sf?.stop(), () => hs?.stop()];
    const results = await Promise.allSettled(closing.map((close) => Promise.resolve().then(close)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0)
      throw new AggregateError(
        failed.map((f) => f.reason),
        "closing the spec's resources failed",
      );
  });

  it('10,000 predictions for 2,000 customers make exactly the minimal writes, through outages, expired sessions, locks and 429s', async () => {
    const random = prng(7);
    const controls = new Set(customers.filter((_, i) => i % 20 === 0));
    const producer = await openProducer();
    const all: Prediction[] = [];
    const timings: { published: number; drained: number }[] = [];
    const sfWrites = () => sf.writesOf('Account').filter((w) => w.externalId.startsWith(run));
    const hsWrites = () => hs.writes.filter((w) => w.id.startsWith(run));
    const t0 = Date.parse('2025-01-01T00:00:00Z');
    const scoreOf = new Map<string, number>(customers.map((c) => [c, Math.floor(random() * 100)]));
    for (let round = 0; round < 5; round++) {
      const started = Date.now();
      const batch = customers.map((c) => {
        // Mostly small drifts (below the threshold), sometimes jumps across categories.
        const drift = random() < 0.3 ? Math.floor(random() * 41) - 20 : Math.floor(random() * 9) - 4;
        const score = Math.min(100, Math.max(0, scoreOf.get(c)! + drift));
        scoreOf.set(c, score);
        return aScoredPrediction(c, score, new Date(t0 + round * 86_400_000), controls.has(c));
      });
      all.push(...batch);
      if (round === 1) {
        sf.expireSessions();
        sf.failNextRecordsWithLock(3);
        hs.rateLimitNextCalls(2, 1);
      }
      // The outages start with the first call after they are armed: under load the round's first write can come later than 2 s.
      if (round === 2) sf.outageFor(2000, { fromNextRequest: true });
      if (round === 3) {
        hs.outageFor(2000, { fromNextRequest: true });
        sf.failNextCallsWithRequestLimit(1);
      }
      await producer.send({ topic: Topics.predictions, messages: batch.map((p) => ({ key: p.customer_id, value: JSON.stringify(p) })) });
      // Redelivery: the first 200 of the round once more.
      await producer.send({ topic: Topics.predictions, messages: batch.slice(0, 200).map((p) => ({ key: p.customer_id, value: JSON.stringify(p) })) });
      const expected = expectedWrites(all).length;
      const published = Date.now() - started;
      await until(
        `round ${round}: ${expected} writes at both fakes`,
        () => sfWrites().length >= expected && hsWrites().length >= expected,
        roundDeadlineMs(),
      ).catch(async (error: Error) => {
        const rows = await new CrmOutboxRepository().findByCustomers(db, customers);
        const statuses = new Map<string, number>();
        for (const r of rows) statuses.set(`${r.target}/${r.status}`, (statuses.get(`${r.target}/${r.status}`) ?? 0) + 1);
        throw new Error(
          `${error.message} after ${Date.now() - started} ms: salesforce ${sfWrites().length}, hubspot ${hsWrites().length}, outbox ${JSON.stringify([...statuses])}, ` +
            `sf requests ${sf.requests.length}, hs requests ${hs.requests.length}\n${await missingWritesReport(all)}`,
        );
      });
      timings.push({ published, drained: Date.now() - started });
    }
    await producer.close();
    assert.equal(timings.length, 5);
    await settled(Topics.predictions, customers);
    // crm-sync's own copy of each customer's newest score (what the Bulk backfill pushes) follows the topic, control arm included.
    const latest = await db.query<{ customer_id: string; risk_score: number; experiment_arm: string | null }>(
      'spec.latest_scores',
      'SELECT customer_id, risk_score, experiment_arm FROM crm_latest_scores WHERE customer_id = ANY($1::text[])',
      [customers],
    );
    assert.equal(latest.length, customers.length);
    for (const row of latest)
      assert.deepEqual(
        [row.risk_score, row.experiment_arm],
        [scoreOf.get(row.customer_id), controls.has(row.customer_id) ? 'control' : 'treatment'],
        row.customer_id,
      );

    const expected = expectedWrites(all).map(sortKey).sort();
    const atSalesforce = sfWrites()
      .map((w) => sortKey({ customer: w.externalId, score: Number(w.fields['Churn_Risk_Score__c']), level: String(w.fields['Churn_Risk_Category__c']) }))
      .sort();
    const atHubSpot = hsWrites()
      .map((w) => sortKey({ customer: w.id, score: Number(w.properties['churn_risk_score']), level: String(w.properties['churn_risk_category']) }))
      .sort();
    assert.ok(expected.length > 2000 && expected.length < 9500, `the threshold must matter: ${expected.length} writes expected`);
    assert.deepEqual(atSalesforce, expected, 'Salesforce received exactly the expected writes');
    assert.deepEqual(atHubSpot, expected, 'HubSpot received exactly the expected writes');
    assert.ok(!sfWrites().some((w) => controls.has(w.externalId)), 'no control-arm customer is written');
    // Per customer, the CRM ends with the last score the rule asked for.
    const lastExpected = new Map(expectedWrites(all).map((w) => [w.customer, w.score]));
    for (const [customer, score] of lastExpected) {
      assert.equal(sf.records.get('Account')!.get(customer)!.fields['Churn_Risk_Score__c'], score);
      assert.equal(hs.objects.get('contacts')!.get(customer)!.properties['churn_risk_score'], String(score));
    }
    // The faults really happened and were survived.
    assert.ok(sf.tokenGrants.length >= 2, 'the expired session was refreshed');
    assert.ok(sf.requests.some((r) => r.status === 503) && hs.requests.some((r) => r.status === 503), 'both outages were seen');
    assert.ok(
      hs.requests.some((r) => r.status === 429),
      'a 429 was answered',
    );
    assert.deepEqual([...sf.apiVersions], ['62.0']);
    assert.ok(hs.properties.get('contacts')?.has('churn_risk_score'), 'missing HubSpot properties were created');
    // Every sObject Collections call carried at most 200 records and every HubSpot batch at most 100 (the fakes refuse more).
    assert.ok(!sf.requests.some((r) => r.status === 400) && !hs.requests.some((r) => r.status === 400));
    const outbox = await new CrmOutboxRepository().findByCustomers(db, customers);
    assert.deepEqual(
      outbox.filter((r) => r.status !== 'sent').map((r) => `${r.id} ${r.status} ${r.last_error}`),
      [],
    );
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    assert.match(metrics, /crm_sync_pushes_total\{target="salesforce",kind="score",result="sent"[^}]*\} \d+/);
    assert.match(metrics, /crm_sync_api_quota_remaining_calls\{target="salesforce"[^}]*\} \d+/);
    assert.match(metrics, /crm_sync_api_quota_remaining_calls\{target="hubspot"[^}]*\} \d+/);
    assert.match(metrics, /crm_sync_skipped_total\{reason="control_arm"[^}]*\} \d+/);
    assert.match(metrics, /crm_sync_outbox_depth_rows\{target="salesforce",status="pending"[^}]*\} \d+/);
  });

  it('creates one task per high or critical alert in each CRM, never for medium or control-arm alerts', async () => {
    const producer = await openProducer();
    const alerts: Alert[] = customers.slice(100, 400).map((c, i) => ({
      alert_id: uniqueId('A'),
      customer_id: c,
      level: i % 3 === 0 ? 'critical' : i % 3 === 1 ? 'high' : 'medium',
      risk_score: i % 3 === 0 ? 85 : i % 3 === 1 ? 65 : 45,
      message: `risk rose for ${c}`,
      prediction_id: uniqueId('P'),
      created_at: '2025-02-01T10:00:00Z',
      // What the alert carries of its prediction; every other alert one written before they were carried.
      ...(i === 0
        ? {
            recommended_action: 'Offer an annual contract',
            top_factors: [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.42 }],
            experiment_arm: 'treatment',
          }
        : {}),
    }));
    // One alert whose prediction is in the control arm (the alert says so).
    const control = aScoredPrediction(customers[401]!, 90, new Date('2025-02-01T09:00:00Z'), true);
    alerts.push({
      alert_id: uniqueId('A'),
      customer_id: control.customer_id,
      level: 'critical',
      risk_score: 90,
      message: 'control',
      prediction_id: control.prediction_id,
      created_at: '2025-02-01T10:00:00Z',
      experiment_arm: 'control',
    });
    const messages = alerts.map((a) => ({ key: a.customer_id, value: JSON.stringify(a) }));
    await producer.send({ topic: Topics.alerts, messages });
    await producer.send({ topic: Topics.alerts, messages: messages.slice(0, 50) });
    await producer.close();
    const wanted = alerts.filter((a) => a.level !== 'medium' && a.prediction_id !== control.prediction_id);
    const sfTasks = () => sf.writesOf('Task').filter((w) => wanted.some((a) => a.alert_id === w.externalId));
    const hsTasks = () => hs.tasks.filter((t) => t.properties['hs_task_body']?.includes(run));
    await until(`${wanted.length} tasks at both fakes`, () => sfTasks().length >= wanted.length && hsTasks().length >= wanted.length);
    await settled(
      Topics.alerts,
      alerts.map((a) => a.customer_id),
    );
    assert.equal(sfTasks().length, wanted.length);
    assert.equal(new Set(sfTasks().map((w) => w.externalId)).size, wanted.length, 'one Salesforce task per alert');
    assert.equal(hsTasks().length, wanted.length, 'one HubSpot task per alert');
    assert.ok(!sf.writesOf('Task').some((w) => alerts.some((a) => a.level === 'medium' && a.alert_id === w.externalId)));
    const critical = wanted.find((a) => a.level === 'critical')!;
    const task = sfTasks().find((w) => w.externalId === critical.alert_id)!;
    assert.equal(task.fields['ActivityDate'], '2025-02-02', 'critical: due within 24 h');
    assert.equal(task.fields['Priority'], 'High');
    assert.equal(task.fields['WhatId'], sf.records.get('Account')!.get(critical.customer_id)!.Id);
    assert.match(String(task.fields['Description']), /risk rose for/);
    const carried = String(sfTasks().find((w) => w.externalId === alerts[0]!.alert_id)!.fields['Description']);
    assert.match(carried, /Recommended action: Offer an annual contract/);
    assert.match(carried, /Top factors:\n- Contract = Month-to-month \(\+0\.420\)/);
    const high = wanted.find((a) => a.level === 'high')!;
    assert.equal(sf.writesOf('Task').find((w) => w.externalId === high.alert_id)!.fields['ActivityDate'], '2025-02-03', 'high: due within 48 h');
    const hsTask = hs.tasks.find((t) => t.properties['hs_task_body']?.includes(critical.alert_id))!;
    assert.equal(hsTask.associations[0]!.to.id, hs.objects.get('contacts')!.get(critical.customer_id)!.id);
    assert.equal(hsTask.associations[0]!.types[0]!.associationTypeId, 204);
    const rows = await new CrmOutboxRepository().findByCustomers(
      db,
      alerts.map((a) => a.customer_id),
    );
    const taskRows = rows.filter((r) => r.kind === 'task');
    assert.equal(taskRows.length, wanted.length * 2);
    assert.ok(
      taskRows.every((r) => r.status === 'sent' && r.external_id),
      'the CRM ids are stored with the idempotency keys',
    );
  });

  it('pushes only the newest of a customer’s waiting scores, parks a record the CRM refuses, to crm-sync.dlq, until re-driven, and skips a customer HubSpot does not have', async () => {
    const customer = `${run}-late`;
    const unknown = `${run}-unknown`;
    sf.seed('Account', 'Customer_Id__c', [customer, unknown]);
    hs.seed('contacts', [customer]);
    sf.outageFor(2500, { fromNextRequest: true });
    sf.refuseRecords([unknown], 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Churn risk score needs an owner');
    const producer = await openProducer();
    const t = Date.parse('2025-03-01T00:00:00Z');
    const sequence = [
      aScoredPrediction(customer, 10, new Date(t), false),
      aScoredPrediction(customer, 50, new Date(t + 1000), false),
      aScoredPrediction(customer, 90, new Date(t + 2000), false),
    ];
    await producer.send({ topic: Topics.predictions, messages: sequence.map((p) => ({ key: customer, value: JSON.stringify(p) })) });
    const refused = aScoredPrediction(unknown, 70, new Date(t), false);
    await producer.send({ topic: Topics.predictions, messages: [{ key: unknown, value: JSON.stringify(refused) }] });
    await producer.close();
    await until('the newest score at Salesforce', () =>
      sf.writesOf('Account').some((w) => w.externalId === customer && w.fields['Churn_Risk_Score__c'] === 90),
    );
    await settled(Topics.predictions, [customer]);
    assert.deepEqual(
      sf
        .writesOf('Account')
        .filter((w) => w.externalId === customer)
        .map((w) => w.fields['Churn_Risk_Score__c']),
      [90],
      'older waiting scores are superseded, never written after a newer one',
    );
    // Salesforce refuses the record (a validation rule): parked and dead-lettered.
    const [letter] = await probe.waitFor((m) => m.key === unknown && m.headers['x-crm-target'] === 'salesforce');
    const record = JSON.parse(letter!.value!) as { error_code: string; source_topic: string; value_base64: string };
    assert.equal(record.error_code, 'CRM_FIELD_CUSTOM_VALIDATION_EXCEPTION');
    assert.equal(record.source_topic, Topics.predictions);
    assert.equal(JSON.parse(Buffer.from(record.value_base64, 'base64').toString('utf8')).prediction_id, refused.prediction_id);
    const repo = new CrmOutboxRepository();
    // The drainer dead-letters a refused row before it records the row parked: wait for the row's state, not the letter.
    await until(
      'the refused row parked',
      async () => (await repo.findByCustomers(db, [unknown])).find((r) => r.target === 'salesforce')?.status === 'parked',
      10_000,
    );
    await settled(Topics.predictions, [unknown]);
    const rows = await repo.findByCustomers(db, [unknown]);
    assert.equal(rows.find((r) => r.target === 'salesforce')!.status, 'parked');
    // HubSpot has no contact for `unknown` (HUBSPOT_MISSING_CUSTOMER=skip): skipped and counted, not parked.
    assert.deepEqual(
      [rows.find((r) => r.target === 'hubspot')!.status, rows.find((r) => r.target === 'hubspot')!.last_error],
      ['skipped', 'customer not in hubspot'],
    );
    assert.match(await (await fetch(`${sut.url}/metrics`)).text(), /crm_sync_missing_customers_total\{crm="hubspot",action="skipped"[^}]*\} [1-9]/);
    // The rule is fixed; `churn crm retry` re-drives the parked row.
    sf.refuseRecords([]);
    assert.equal(await repo.redriveParked(db, { target: 'salesforce' }), 1);
    await until('the re-driven write at Salesforce', () => sf.writesOf('Account').some((w) => w.externalId === unknown));
    // The drainer marks the row sent after Salesforce's answer, so the write can be seen a moment before that.
    await until(
      'the re-driven row marked sent',
      async () => (await repo.findByCustomers(db, [unknown])).find((r) => r.target === 'salesforce')?.status === 'sent',
      10_000,
    );
  });

  it('an admin resumes a paused CRM over HTTP: rows queued while it was paused wait, then go out', async () => {
    const customer = `${run}-paused`;
    sf.seed('Account', 'Customer_Id__c', [customer]);
    hs.seed('contacts', [customer]);
    const integrations = new CrmIntegrationRepository();
    await integrations.pause(db, 'hubspot', 'missing_scopes', 'MISSING_SCOPES: paused by the spec', 600_000);
    // The paths monitoring forwards to (CRM_SYNC_ROUTES), so a renamed route fails here rather than behind the dashboard.
    const list = async () => crmIntegrationListSchema.parse(await (await fetch(`${sut.url}${CRM_SYNC_ROUTES.integrations.path()}`)).json()).integrations;
    assert.deepEqual(
      (await list()).map((i) => [i.crm, i.status, i.paused_reason]),
      [
        ['hubspot', 'paused', 'missing_scopes'],
        ['salesforce', 'active', null],
      ],
    );

    const producer = await openProducer();
    const prediction = aScoredPrediction(customer, 77, new Date('2025-05-01T00:00:00Z'), false);
    await producer.send({ topic: Topics.predictions, messages: [{ key: customer, value: JSON.stringify(prediction) }] });
    await producer.close();
    // The marker: the same prediction reached Salesforce, which is not paused, and crm-sync committed it.
    await until('the score at Salesforce', () => sf.writesOf('Account').some((w) => w.externalId === customer));
    await settled(Topics.predictions, [customer], 'salesforce');
    const waiting = (await new CrmOutboxRepository().findByCustomers(db, [customer])).find((r) => r.target === 'hubspot')!;
    assert.deepEqual([waiting.status, waiting.attempts], ['pending', 0]);
    assert.ok(!hs.writes.some((w) => w.id === customer));

    const resume = (bearer?: string) =>
      fetch(`${sut.url}${CRM_SYNC_ROUTES.resume.path('hubspot')}`, {
        method: CRM_SYNC_ROUTES.resume.method,
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      });
    await expectProblem(await resume(), 401, 'UNAUTHENTICATED');
    await expectProblem(await resume(await token(['agent'])), 403, 'FORBIDDEN');
    const zoho = await fetch(`${sut.url}/v1/integrations/zoho/resume`, { method: 'POST', headers: { authorization: `Bearer ${await token(['admin'])}` } });
    assert.deepEqual(problemFields(await expectProblem(zoho, 400, 'VALIDATION_FAILED')), ['crm']);
    await expectProblem(await fetch(`${sut.url}/v1/nowhere`), 404, 'NOT_FOUND');
    const resumed = await resume(await token(['admin']));
    assert.equal(resumed.status, 200);
    assert.deepEqual(await resumed.json(), { crm: 'hubspot', status: 'active', resumed: true });
    await until('the score at HubSpot', () => hs.writes.some((w) => w.id === customer && w.properties['churn_risk_score'] === '77'));
    await settled(Topics.predictions, [customer]);
    assert.equal((await list()).find((i) => i.crm === 'hubspot')!.resumed_by, 'admin ops@retention.example');
    const [audited] = await new AuditLogRepository().findBySubject(db, 'crm:hubspot', 1);
    assert.deepEqual([audited?.actor, audited?.action], ['ops@retention.example', 'crm_integration.resume']);
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    assert.match(metrics, /crm_sync_integration_paused\{crm="hubspot",reason="missing_scopes"[^}]*\} 0/);
  });

  it('backfills the newest score of every customer through Bulk API 2.0', async () => {
    const bulkFake = new FakeSalesforce({ ...SF });
    await bulkFake.start();
    try {
      const backfillCustomers = Array.from({ length: 30 }, (_, i) => `${run}-B${i}`);
      const older = backfillCustomers.map((c) => aScoredPrediction(c, 20, new Date('2025-04-01T00:00:00Z'), false));
      const newer = backfillCustomers.map((c, i) => aScoredPrediction(c, 40 + i, new Date('2025-04-02T00:00:00Z'), i === 0));
      // As the consumer records them; the older last, which must not replace the newer.
      await db.transaction((tx) => new CrmOutboxRepository().recordLatestScores(tx, [...newer, ...older]));
      // Backfill updates accounts the org already has (creating one would need its Name).
      bulkFake.seed('Account', 'Customer_Id__c', backfillCustomers);
      const env = crmEnvSchema.parse({
        SALESFORCE_LOGIN_URL: bulkFake.loginUrl,
        SALESFORCE_CLIENT_ID: SF.clientId,
        SALESFORCE_CLIENT_SECRET: SF.clientSecret,
        SALESFORCE_REFRESH_TOKEN: SF.refreshToken,
      });
      const logger = createLogger({ service: 'spec', level: 'silent' });
      const gateway = new SalesforceGateway(salesforceSettings(env) as SalesforceSettings, logger);
      const result = await backfillSalesforce(db, gateway, logger, { jobSize: 10_000, pollIntervalMs: 50, pollTimeoutMs: 10_000, dryRun: false });
      const mine = bulkFake.writes.filter((w) => w.externalId.startsWith(`${run}-B`));
      assert.ok(mine.every((w) => w.via === 'bulk2'));
      // The first customer's newest prediction is in the control arm: its newest *treated* one is not pushed either.
      assert.deepEqual(mine.map((w) => w.externalId).sort(), backfillCustomers.slice(1).sort());
      for (const w of mine) assert.equal(Number(w.fields['Churn_Risk_Score__c']), 40 + backfillCustomers.indexOf(w.externalId));
      // The backfill takes every customer in the database: in a full run other specs' customers are
      // there too, and this org does not have them (upserting one would need its Name), so only this
      // spec's customers must have gone through.
      assert.ok(result.succeeded >= 29, `succeeded ${result.succeeded}`);
      assert.deepEqual(
        result.failed.filter((f) => f.customerId.startsWith(`${run}-B`)),
        [],
      );
      assert.ok(bulkFake.requests.some((r) => r.method === 'PUT' && r.path.endsWith('/batches')));
      const state = await db.query<{ pushed_score: number }>(
        'spec.state',
        `SELECT pushed_score FROM crm_score_state WHERE target = 'salesforce' AND customer_id = $1`,
        [backfillCustomers[5]],
      );
      assert.equal(state[0]?.pushed_score, 45);
    } finally {
      await bulkFake.stop();
    }
  });
});
