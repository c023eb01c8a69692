import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  alertHistorySchema,
  alertQueuePageSchema,
  type AlertUpdate,
  alertUpdateSchema,
  bulkAnswerSchema,
  type Outcome,
  type Prediction,
  Topics,
} from '@churn/contracts';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import {
  aPredictionAtLevel,
  eventually,
  expectProblem,
  problemFields,
  rawProducer,
  serviceTestEnv,
  signTestToken,
  testInfra,
  TopicProbe,
  uniqueId,
} from '@churn/testing';
import { AlertingModule } from './alerting.module';
import { alertingConfigSchema } from './config';
import { AckExpirySweeper } from './expiry/ack-expiry.sweeper';

const SECRET = 'alert-queue-spec-secret-0123456789abcdef';
const HOUR = 3_600_000;
/** A prediction at `level` by the queue spec's model. */
const aPrediction = (customerId: string, level: 'critical' | 'high'): Prediction =>
  aPredictionAtLevel(customerId, level, { model_version: 'queue-spec-model', top_factors: [] });

/** The work queue and alert-updates, on the real broker and Postgres: filters, paging, assignment, bulk actions, history, expiry. */
describe('alerting: the work queue and alert-updates', () => {
  let sut: RunningService;
  let db: Database;
  let probe: TopicProbe;
  let producer: Awaited<ReturnType<typeof rawProducer>>;
  const agent = uniqueId('agent');

  const token = (sub = agent, roles: string[] = ['agent']) => signTestToken(SECRET, roles, { sub });
  const get = async (route: string, sub = agent) => fetch(`${sut.url}${route}`, { headers: { authorization: `Bearer ${await token(sub)}` } });
  const getJson = async <T>(route: string, sub = agent): Promise<T> => {
    const response = await get(route, sub);
    assert.equal(response.status, 200, `${route}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  };
  const queuePage = async (route: string, sub = agent) => alertQueuePageSchema.parse(await getJson<unknown>(route, sub));
  const post = async (route: string, body: unknown, sub = agent) =>
    fetch(`${sut.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(sub)}` },
      body: JSON.stringify(body),
    });
  const until = <T>(what: string, read: () => Promise<T | undefined>) => eventually(what, read, { timeoutMs: 30_000, intervalMs: 100 });
  /** Raises one alert per customer and returns the alert ids in the same order. */
  async function raise(levels: readonly ('critical' | 'high')[]): Promise<{ alertId: string; customer: string }[]> {
    const customers = levels.map(() => uniqueId('Q'));
    await producer.send({ topic: Topics.predictions, messages: customers.map((c, i) => ({ key: c, value: JSON.stringify(aPrediction(c, levels[i]!)) })) });
    const rows = await until('alerts raised', async () => {
      const found = await db.query<{ alert_id: string; customer_id: string }>(
        'spec',
        'SELECT alert_id, customer_id FROM alerts WHERE customer_id = ANY($1::text[])',
        [customers],
      );
      return found.length === customers.length ? found : undefined;
    });
    return customers.map((customer) => ({ customer, alertId: rows.find((r) => r.customer_id === customer)!.alert_id }));
  }
  const raiseOne = async (level: 'critical' | 'high') => (await raise([level]))[0]!;
  const updatesOf = async (alertId: string, count: number): Promise<AlertUpdate[]> =>
    (await probe.waitFor((m) => m.topic === Topics.alertUpdates && (JSON.parse(m.value!) as AlertUpdate).alert_id === alertId, count)).map((m) =>
      alertUpdateSchema.parse(JSON.parse(m.value!)),
    );

  before(async () => {
    probe = await TopicProbe.start([Topics.alertUpdates]);
    producer = await rawProducer();
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'alert-queue-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    sut = await startService({
      name: 'alerting',
      configSchema: alertingConfigSchema,
      module: (c) => AlertingModule.register(c),
      env: serviceTestEnv({
        AUTH_JWT_SECRET: SECRET,
        ALERT_UPDATES_RELAY_INTERVAL_MS: '100',
        // Expiry sweeps run when the spec asks (AckExpirySweeper.sweep), not on a timer.
        ALERT_EXPIRY_SWEEP_INTERVAL_MS: '3600000',
        SLA_REFRESH_INTERVAL_MS: '200',
      }),
    });
  });

  after(async () => {
    await producer?.close();
    await sut?.close();
    await probe?.stop();
    await db?.close();
  });

  it('publishes raised with the SLA deadline, then each change, keyed by customer', async () => {
    const { alertId, customer } = await raiseOne('critical');
    const [raised] = await updatesOf(alertId, 1);
    assert.equal(raised!.change, 'raised');
    assert.equal(raised!.state, 'pending');
    assert.equal(raised!.update_id, `${alertId}:raised`);
    assert.equal(Date.parse(raised!.due_at!) - Date.parse(raised!.occurred_at), 24 * HOUR, 'critical: 24 h to acknowledge');

    assert.equal((await post(`/v1/alerts/${alertId}/assign`, { assignee: 'me' })).status, 200);
    assert.equal((await post(`/v1/alerts/${alertId}/ack`, { note: 'calling today' })).status, 200);
    const updates = await updatesOf(alertId, 3);
    assert.deepEqual(
      updates.map((u) => [u.change, u.state, u.assignee, u.by, u.note]),
      [
        ['raised', 'pending', null, null, null],
        ['assigned', 'pending', agent, agent, null],
        ['acknowledged', 'acknowledged', agent, agent, 'calling today'],
      ],
    );
    const keys = probe.messages.filter((m) => m.topic === Topics.alertUpdates && m.value!.includes(alertId)).map((m) => m.key);
    assert.deepEqual(new Set(keys), new Set([customer]));
  });

  it('publishes an update again with the same update_id when the relay did not get to mark it (a crash between send and commit)', async () => {
    const { alertId } = await raiseOne('high');
    await updatesOf(alertId, 1);
    await until('marked published', async () =>
      (await db.query<{ published_at: Date | null }>('spec', 'SELECT published_at FROM alert_updates_outbox WHERE update_id = $1', [`${alertId}:raised`]))[0]
        ?.published_at
        ? true
        : undefined,
    );
    await db.query('spec', 'UPDATE alert_updates_outbox SET published_at = NULL WHERE update_id = $1', [`${alertId}:raised`]);
    const twice = await updatesOf(alertId, 2);
    assert.deepEqual(
      twice.map((u) => u.update_id),
      [`${alertId}:raised`, `${alertId}:raised`],
    );
    assert.deepEqual(twice[0], twice[1]);
  });

  it('filters by owner, level, state and overdue, sorts by deadline or level, and pages with a total', async () => {
    const owner = uniqueId('owner');
    const raised = await raise(['high', 'critical', 'high', 'critical']);
    for (const { alertId } of raised) assert.equal((await post(`/v1/alerts/${alertId}/assign`, { assignee: owner })).status, 200);
    // The first high alert was raised 49 hours ago: past its 48-hour deadline.
    await db.query('spec', "UPDATE alerts SET created_at = now() - interval '49 hours' WHERE alert_id = $1", [raised[0]!.alertId]);

    const all = await queuePage(`/v1/alerts?owner=${owner}`);
    assert.equal(all.total, 4);
    assert.deepEqual([all.page, all.page_size], [1, 50]);
    // Default sort: soonest deadline first — the overdue high, then the criticals (24 h), then the fresh high (48 h).
    // (The two criticals were raised in one transaction: the same deadline, in alert_id order.)
    const [oldHigh, critical1, freshHigh, critical2] = raised.map((r) => r.alertId);
    assert.deepEqual(
      all.alerts.map((a) => a.alert_id),
      [oldHigh, ...[critical1!, critical2!].sort(), freshHigh],
    );
    assert.equal(all.alerts[0]!.overdue, true);
    assert.equal(Date.parse(all.alerts[0]!.due_at) - Date.parse(all.alerts[0]!.created_at), 48 * HOUR);
    assert.deepEqual(
      all.alerts.slice(1).map((a) => a.overdue),
      [false, false, false],
    );

    const bySeverity = await queuePage(`/v1/alerts?owner=${owner}&sort=-level,due_at`);
    assert.deepEqual(
      bySeverity.alerts.map((a) => a.level),
      ['critical', 'critical', 'high', 'high'],
    );
    assert.equal(bySeverity.alerts[2]!.alert_id, raised[0]!.alertId);

    const overdue = await queuePage(`/v1/alerts?owner=${owner}&overdue=true`);
    assert.deepEqual([overdue.total, overdue.alerts[0]?.alert_id], [1, raised[0]!.alertId]);
    assert.equal((await queuePage(`/v1/alerts?owner=${owner}&level=critical`)).total, 2);
    assert.equal((await queuePage(`/v1/alerts?owner=${owner}&level=critical,high&state=pending`)).total, 4);

    const pages = [1, 2, 3].map((page) => queuePage(`/v1/alerts?owner=${owner}&page=${page}&page_size=3`));
    const [first, second, third] = await Promise.all(pages);
    assert.deepEqual([first!.alerts.length, second!.alerts.length, third!.alerts.length], [3, 1, 0]);
    assert.deepEqual([first!.total, second!.total, third!.total], [4, 4, 4]);
    assert.deepEqual(
      [...first!.alerts, ...second!.alerts].map((a) => a.alert_id),
      all.alerts.map((a) => a.alert_id),
    );

    // owner=me is the caller; owner=none is the unassigned.
    const [mine, me] = [raised[3]!.alertId, uniqueId('me')];
    assert.equal((await post(`/v1/alerts/${mine}/assign`, { assignee: 'me' }, me)).status, 200);
    assert.deepEqual(
      (await queuePage('/v1/alerts?owner=me', me)).alerts.map((a) => [a.alert_id, a.assignee]),
      [[mine, me]],
    );
    assert.equal((await post(`/v1/alerts/${mine}/assign`, { assignee: null }, me)).status, 200);
    assert.equal((await queuePage('/v1/alerts?owner=me', me)).total, 0);
    assert.deepEqual(
      (await queuePage(`/v1/alerts?owner=none&customer_id=${raised[3]!.customer}`)).alerts.map((a) => a.alert_id),
      [mine],
    );
    assert.match(await (await fetch(`${sut.url}/metrics`)).text(), /alerting_alert_assignments_total\{action="unassign"[^}]*\} [1-9]/);
  });

  it('answers 400 naming the parameter, 404 for an unknown alert, 409 for an illegal change, 401 without a token', async () => {
    for (const [query, field] of [
      ['level=urgent', 'level'],
      ['state=open', 'state'],
      ['overdue=yes', 'overdue'],
      ['sort=score', 'sort'],
      ['page=0', 'page'],
      ['page_size=501', 'page_size'],
      ['level=high,high', 'level'],
      ['limit=5', ''],
    ] as const) {
      const problem = await expectProblem(await get(`/v1/alerts?${query}`), 400, 'VALIDATION_FAILED');
      if (field)
        assert.ok(
          problemFields(problem).some((f) => f.startsWith(field)),
          query,
        );
    }
    const anonymous = await fetch(`${sut.url}/v1/alerts`);
    await expectProblem(anonymous, 401, 'UNAUTHENTICATED');
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="alerting"');
    const { alertId } = await raiseOne('high');
    const noAssignee = await post(`/v1/alerts/${alertId}/assign`, {});
    assert.deepEqual(problemFields(await expectProblem(noAssignee, 400, 'VALIDATION_FAILED')), ['assignee']);
    const unknown = await expectProblem(await post('/v1/alerts/alrt-unknown/assign', { assignee: 'me' }), 404, 'ALERT_NOT_FOUND');
    assert.equal(unknown.detail, 'no alert alrt-unknown');
    await expectProblem(await get('/v1/alerts/alrt-unknown/history'), 404, 'ALERT_NOT_FOUND');
    assert.equal((await post(`/v1/alerts/${alertId}/resolve`, {})).status, 200);
    await expectProblem(await post(`/v1/alerts/${alertId}/assign`, { assignee: 'me' }), 409, 'ALERT_RESOLVED');
    await expectProblem(await post(`/v1/alerts/${alertId}/ack`, {}), 409, 'ALERT_RESOLVED');
    await expectProblem(
      await fetch(`${sut.url}/v1/alerts/${alertId}/ack`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
        body: '{"by":',
      }),
      400,
      'MALFORMED_BODY',
    );
    const tooMany = await post('/v1/alerts/bulk', { action: 'resolve', ids: Array.from({ length: 501 }, (_, i) => `alrt-${i}`) });
    assert.deepEqual(problemFields(await expectProblem(tooMany, 400, 'VALIDATION_FAILED')), ['ids']);
    const badAction = await post('/v1/alerts/bulk', { action: 'close', ids: [alertId] });
    assert.match(JSON.stringify(await badAction.json()), /"field":"action"/);
  });

  it('acknowledges and resolves in bulk with a note, reports each alert, and keeps the history', async () => {
    const raised = await raise(['critical', 'high', 'high']);
    const [a, b, c] = raised.map((r) => r.alertId) as [string, string, string];
    assert.equal((await post(`/v1/alerts/${c}/resolve`, { note: 'done already' })).status, 200);

    const ack = await post('/v1/alerts/bulk', { action: 'acknowledge', ids: [a, b, c, 'alrt-missing'], note: 'morning sweep' });
    assert.equal(ack.status, 200);
    const acked = bulkAnswerSchema.parse(await ack.json());
    assert.deepEqual(
      acked.results.map((r) => [r.alert_id, r.result, r.status]),
      [
        [a, 'acknowledged', 'acknowledged'],
        [b, 'acknowledged', 'acknowledged'],
        [c, 'already_resolved', 'resolved'],
        ['alrt-missing', 'not_found', null],
      ],
    );
    assert.deepEqual([acked.changed, acked.unchanged, acked.failed], [2, 1, 1]);

    const resolve = (await (
      await post('/v1/alerts/bulk', { action: 'resolve', ids: [a, c], note: 'offered a discount', by: 'Jane Doe' })
    ).json()) as typeof acked;
    assert.deepEqual(
      resolve.results.map((r) => r.result),
      ['resolved', 'already_resolved'],
    );
    const [row] = await db.query<{ acknowledge_note: string; resolve_note: string; resolved_by: string }>(
      'spec',
      'SELECT acknowledge_note, resolve_note, resolved_by FROM alerts WHERE alert_id = $1',
      [a],
    );
    assert.deepEqual(row, { acknowledge_note: 'morning sweep', resolve_note: 'offered a discount', resolved_by: 'Jane Doe' });

    const history = alertHistorySchema.parse(await getJson<unknown>(`/v1/alerts/${a}/history`));
    assert.deepEqual(
      history.history.map((h) => [h.action, h.actor, h.by, h.note]),
      [
        ['alert.raise', 'system:rules', null, null],
        ['alert.acknowledge', agent, agent, 'morning sweep'],
        ['alert.resolve', agent, 'Jane Doe', 'offered a discount'],
      ],
    );
    assert.deepEqual(
      history.history.map((h) => h.at),
      [...history.history.map((h) => h.at)].sort(),
    );
    assert.deepEqual(
      (await updatesOf(a, 3)).map((u) => [u.change, u.note]),
      [
        ['raised', null],
        ['acknowledged', 'morning sweep'],
        ['resolved', 'offered a discount'],
      ],
    );
    assert.match(await (await fetch(`${sut.url}/metrics`)).text(), /alerting_bulk_alerts_total\{action="acknowledge",result="not_found"[^}]*\} [1-9]/);
  });

  it('expires an acknowledgment after ALERT_ACK_EXPIRY_HOURS: it stops suppressing at once, and the sweep marks, audits and publishes it with the time it ran out', async () => {
    const { alertId, customer } = await raiseOne('critical');
    assert.equal((await post(`/v1/alerts/${alertId}/ack`, { note: 'on it' })).status, 200);
    // Acknowledged 73 hours ago (the default expiry is 72), raised 8 days ago (past the 7-day cool-down).
    await db.query('spec', "UPDATE alerts SET created_at = now() - interval '8 days', acknowledged_at = now() - interval '73 hours' WHERE alert_id = $1", [
      alertId,
    ]);
    const [{ acknowledged_at: acknowledgedAt }] = (await db.query<{ acknowledged_at: Date }>('spec', 'SELECT acknowledged_at FROM alerts WHERE alert_id = $1', [
      alertId,
    ])) as [{ acknowledged_at: Date }];

    // Not yet swept (status still acknowledged), yet no longer an open intervention: the customer is alerted again.
    const next = aPrediction(customer, 'critical');
    await producer.send({ topic: Topics.predictions, messages: [{ key: customer, value: JSON.stringify(next) }] });
    await until('alerted again', async () =>
      (await db.query('spec', 'SELECT 1 FROM alerts WHERE prediction_id = $1', [next.prediction_id])).length === 1 ? true : undefined,
    );

    await sut.app.get(AckExpirySweeper).sweep();
    const [expired] = await db.query<{ status: string; expired_at: Date }>('spec', 'SELECT status, expired_at FROM alerts WHERE alert_id = $1', [alertId]);
    assert.equal(expired!.status, 'expired');
    assert.equal(expired!.expired_at.getTime(), acknowledgedAt.getTime() + 72 * HOUR);
    const updates = await updatesOf(alertId, 3);
    assert.deepEqual(
      updates.map((u) => u.change),
      ['raised', 'acknowledged', 'expired'],
    );
    assert.equal(Date.parse(updates[2]!.occurred_at), expired!.expired_at.getTime());
    assert.equal(updates[2]!.by, 'system:expiry');
    const history = alertHistorySchema.parse(await getJson<unknown>(`/v1/alerts/${alertId}/history`));
    assert.deepEqual(history.history.at(-1), { ...history.history.at(-1), action: 'alert.expire', at: expired!.expired_at.toISOString() });
    const queued = await queuePage(`/v1/alerts?customer_id=${customer}&state=expired`);
    assert.deepEqual(
      queued.alerts.map((a) => [a.alert_id, a.expired_at]),
      [[alertId, expired!.expired_at.toISOString()]],
    );

    // An expired acknowledgment is not acknowledged again; it is resolved.
    assert.equal((await post(`/v1/alerts/${alertId}/ack`, {})).status, 409);
    assert.equal((await post(`/v1/alerts/${alertId}/resolve`, { note: 'customer stayed' })).status, 200);
    assert.equal(await sut.app.get(AckExpirySweeper).sweep(), 0);
    assert.match(await (await fetch(`${sut.url}/metrics`)).text(), /alerting_alerts_expired_total\{level="critical"[^}]*\} [1-9]/);
  });

  it('publishes churned when a churn resolves an alert', async () => {
    const { alertId, customer } = await raiseOne('high');
    const churn: Outcome = { customer_id: customer, churned: true, observed_at: new Date().toISOString(), source: 'cancellation', outcome_id: uniqueId('o') };
    await producer.send({ topic: Topics.outcomes, messages: [{ key: customer, value: JSON.stringify(churn) }] });
    const updates = await updatesOf(alertId, 2);
    assert.deepEqual(
      updates.map((u) => [u.change, u.state, u.by]),
      [
        ['raised', 'pending', null],
        ['churned', 'resolved', 'system:churn'],
      ],
    );
  });
});
