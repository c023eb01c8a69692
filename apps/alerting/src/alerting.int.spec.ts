import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { alertNotificationSchema, alertSchema, deadLetterSchema, Topics, type AlertNotification, type ModelAlert, type Prediction } from '@churn/contracts';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import {
  aPredictionAtLevel,
  assertAgentOrHigher,
  eventually,
  expectProblem,
  FakeSlackServer,
  FakeSmtpServer,
  rawProducer,
  serviceTestEnv,
  testInfra,
  testKafka,
  TopicProbe,
  uniqueId,
  until,
} from '@churn/testing';
import { AlertingModule } from './alerting.module';
import { alertingConfigSchema } from './config';
import { alertIdOf } from './rules/alert-rules.engine';

const SECRET = 'alerting-spec-secret-0123456789-abcdef';

/**
 * Waits until the consumer group has committed, on every partition of `topic`, everything that was
 * on it when called: what was published before has been processed (its transaction committed), so
 * a check that "nothing happened" is not a race with a partition still on its way.
 */
async function consumedUpToNow(groupId: string, topic: string, timeoutMs = 20_000): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    await eventually(
      `${groupId} to commit ${topic} up to ${JSON.stringify([...ends])}`,
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const at = new Map(committed!.partitions.map((p) => [p.partition, Number(p.offset)]));
        return [...ends].every(([partition, high]) => high === 0 || (at.get(partition) ?? -1) >= high) || undefined;
      },
      timeoutMs,
    );
  } finally {
    await admin.disconnect();
  }
}

function token(roles: string[], options: { secret?: string; expiresIn?: string; sub?: string } = {}): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.sub ?? 'jane@retention.example')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

describe('alerting service on the real broker and Postgres, with local Slack and SMTP servers', () => {
  let sut: RunningService;
  let slack: FakeSlackServer;
  let opsSlack: FakeSlackServer;
  let smtp: FakeSmtpServer;
  let probe: TopicProbe;
  let db: Database;
  let producer: Awaited<ReturnType<typeof rawProducer>>;
  let rulesFile: string;
  const groupPrefix = uniqueId('alerting-spec');
  const consumed = (topic: string) => consumedUpToNow(`${groupPrefix}.alerting`, topic);

  const publish = (predictions: Prediction[], topic: string = Topics.predictions) =>
    producer.send({ topic, messages: predictions.map((p) => ({ key: p.customer_id, value: JSON.stringify(p) })) });
  const api = (route: string, init: RequestInit = {}) => fetch(`${sut.url}${route}`, init);
  const post = async (route: string, body: unknown, bearer?: string) =>
    api(route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    });
  /** Reads of alerts are for agents: every GET of an alert or a list carries an agent's token. */
  const read = async (route: string) => api(route, { headers: { authorization: `Bearer ${await token(['agent'])}` } });
  const metrics = async () => (await api('/metrics')).text();
  /** Dispatcher passes of a channel so far: a pass counted after an event has seen that event's state. */
  const passes = async (channel: string) =>
    [...(await metrics()).matchAll(new RegExp(`alerting_dispatcher_passes_total\\{channel="${channel}",result="[a-z]+"[^}]*\\} (\\d+)`, 'g'))].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  const alertsOf = (customerPrefix: string) =>
    db.query<{ alert_id: string; customer_id: string; level: string; status: string }>(
      'spec',
      'SELECT alert_id, customer_id, level, status FROM alerts WHERE customer_id LIKE $1',
      [`${customerPrefix}%`],
    );
  const notificationsOf = (customerPrefix: string) =>
    db.query<{ channel: string; status: string; n: number }>(
      'spec',
      `SELECT n.channel, n.status, count(*)::int AS n FROM alert_notifications n JOIN alerts a USING (alert_id)
        WHERE a.customer_id LIKE $1 GROUP BY n.channel, n.status ORDER BY 1, 2`,
      [`${customerPrefix}%`],
    );

  before(async () => {
    slack = await FakeSlackServer.start({ perSecond: 1, retryAfterSeconds: 1 });
    opsSlack = await FakeSlackServer.start({ perSecond: 5 });
    smtp = await FakeSmtpServer.start();
    rulesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'alerting-rules-')), 'rules.yaml');
    fs.writeFileSync(rulesFile, 'levels: [critical, high]\ncooldown:\n  days: 7\n');
    probe = await TopicProbe.start([Topics.alerts, Topics.alertingDlq, Topics.alertNotifications]);
    producer = await rawProducer();
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'alerting-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    sut = await startService({
      name: 'alerting',
      configSchema: alertingConfigSchema,
      module: (c) => AlertingModule.register(c),
      env: serviceTestEnv({
        KAFKA_GROUP_PREFIX: groupPrefix,
        SLACK_WEBHOOK_URL: slack.url,
        SMTP_URL: smtp.url,
        ALERT_EMAIL_TO: 'retention-manager@example.com, former-manager@example.com',
        ALERT_EMAIL_FROM: 'Churn Radar <alerts@churn-radar.example>',
        OPS_SLACK_WEBHOOK_URL: opsSlack.url,
        OPS_EMAIL_TO: 'ml-ops@example.com',
        OPS_ALERT_COOLDOWN_HOURS: '24',
        // Long enough for a loaded machine, short enough that a stalled server is given up on quickly.
        SMTP_TIMEOUT_MS: '2000',
        ALERT_EMAIL_DIGEST_HOUR_UTC: '23',
        ALERTING_RULES_FILE: rulesFile,
        ALERTING_RULES_POLL_MS: '200',
        AUTH_JWT_SECRET: SECRET,
        DASHBOARD_URL: 'http://dashboard.local:3005/',
        NOTIFY_POLL_INTERVAL_MS: '50',
        // Twice what the fake Slack accepts: the dispatcher meets real 429s and must wait them out.
        SLACK_MAX_MESSAGES_PER_SECOND: '2',
        SLACK_TIMEOUT_MS: '800',
        NOTIFY_BACKOFF_BASE_MS: '100',
        NOTIFY_BACKOFF_MAX_MS: '400',
        NOTIFY_MAX_ATTEMPTS: '5',
        NOTIFY_PARKED_RETRY_MS: '600000',
        SLA_REFRESH_INTERVAL_MS: '200',
      }),
    });
    await until('ready', async () => (await api('/health/ready')).status === 200, 30_000);
  });

  after(async () => {
    await sut?.close();
    await producer?.close();
    await probe?.stop();
    await db?.close();
    await slack?.stop();
    await opsSlack?.stop();
    await smtp?.stop();
  });

  it('turns a burst of 1,000 critical predictions for 200 customers into 200 alerts, each delivered once to Slack and by e-mail', async () => {
    const prefix = uniqueId('burst');
    const customers = Array.from({ length: 200 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
    const burst = customers.flatMap((c) => Array.from({ length: 5 }, () => aPredictionAtLevel(c, 'critical')));
    await publish(burst);
    // Shadow predictions are never read by alerting.
    await publish([aPredictionAtLevel(`${prefix}-shadow`, 'critical')], Topics.predictionsShadow);

    const alerts = await eventually('200 alerts', async () => {
      const rows = await alertsOf(prefix);
      return rows.length >= 200 ? rows : undefined;
    });
    assert.equal(alerts.length, 200);
    assert.equal(new Set(alerts.map((a) => a.customer_id)).size, 200);
    const published = await probe.waitFor((m) => m.topic === Topics.alerts && (m.key?.startsWith(prefix) ?? false), 200);
    const byPrediction = new Map(burst.map((p) => [p.prediction_id, p]));
    for (const m of published) {
      const alert = alertSchema.parse(JSON.parse(m.value!));
      const p = byPrediction.get(alert.prediction_id)!;
      // What crm-sync's retention task reads of the prediction travels on the message.
      assert.deepEqual(
        [alert.churn_probability, alert.recommended_action, alert.top_factors, alert.experiment_arm],
        [p.churn_probability, p.recommended_action, p.top_factors, p.experiment?.arm ?? null],
      );
    }

    const ids = new Set(alerts.map((a) => a.alert_id));
    await eventually(
      'every Slack and e-mail notification delivered or parked',
      async () => {
        const counts = await notificationsOf(prefix);
        const done = counts.filter((c) => c.status === 'sent' || c.status === 'parked').reduce((s, c) => s + c.n, 0);
        return done === 400 ? counts : undefined;
      },
      45_000,
    );

    // Redelivery of the whole burst creates nothing and sends nothing.
    await publish(burst);
    const marker = aPredictionAtLevel(`${prefix}-marker`, 'critical');
    await publish([marker]);
    await consumed(Topics.predictions);
    assert.equal((await alertsOf(`${prefix}-marker`)).length, 1);
    // Nothing of this test may still be on its way when the next one scripts the fake Slack.
    await eventually('the marker delivered', () => (slack.delivered().includes(alertIdOf(marker.prediction_id)) ? true : undefined));
    assert.equal((await alertsOf(prefix)).filter((a) => ids.has(a.alert_id)).length, 200);
    assert.equal((await alertsOf(`${prefix}-shadow`)).length, 0);

    const counts = await notificationsOf(`${prefix}-0`);
    const sentSlack = counts.find((c) => c.channel === 'slack' && c.status === 'sent')?.n ?? 0;
    const parkedSlack = counts.find((c) => c.channel === 'slack' && c.status === 'parked')?.n ?? 0;
    assert.equal(sentSlack + parkedSlack, 100, JSON.stringify(counts));

    const atSlack = slack.delivered().filter((id) => ids.has(id));
    assert.equal(atSlack.length, new Set(atSlack).size, 'no alert reached Slack twice');
    const sentIds = await db.query<{ alert_id: string }>(
      'spec',
      `SELECT alert_id FROM alert_notifications WHERE channel = 'slack' AND status = 'sent' AND alert_id = ANY($1::text[])`,
      [[...ids]],
    );
    assert.deepEqual(new Set(atSlack), new Set(sentIds.map((r) => r.alert_id)), 'Slack received exactly the alerts recorded as sent');
    const answered = slack.requests.filter((r) => r.alertIds.some((id) => ids.has(id)));
    assert.ok(answered.filter((r) => r.status === 200).length < 200 / 2, 'bursts go out as digests, not one message per alert');
    // After a 429 the dispatcher waits for Retry-After before it sends again.
    for (let i = 0; i < slack.requests.length - 1; i++) {
      if (slack.requests[i]!.status === 429) assert.ok(slack.requests[i + 1]!.at - slack.requests[i]!.at >= 900, 'sent again before Retry-After');
    }

    const mailed = smtp.mails.flatMap((m) => m.alertIds).filter((id) => ids.has(id));
    assert.equal(mailed.length, 200, 'one immediate mail per critical alert');
    assert.equal(new Set(mailed).size, 200);
    assert.ok(smtp.mails.every((m) => m.to.includes('retention-manager@example.com')));

    const text = await metrics();
    assert.match(text, /alerting_predictions_evaluated_total\{risk_level="critical",outcome="cooldown"[^}]*\} \d+/);
    assert.match(text, /alerting_notifications_delivered_total\{channel="slack",form="digest"[^}]*\} [1-9]/);
  });

  it('retries Slack after 500 and a timeout with back-off, waits out a scripted 429, and delivers once', async () => {
    const customer = uniqueId('retry');
    slack.script.push({ status: 500, body: 'rollup_error' }, { hang: true }, { status: 429, retryAfterSeconds: 2 });
    const started = Date.now();
    const prediction = aPredictionAtLevel(customer, 'critical');
    await publish([prediction]);
    const alertId = alertIdOf(prediction.prediction_id);
    await eventually('delivery after retries', () => (slack.delivered().includes(alertId) ? true : undefined), 20_000);
    const tries = slack.requests.filter((r) => r.alertIds.includes(alertId));
    assert.deepEqual(
      tries.map((r) => r.status),
      [500, 0, 429, 200],
    );
    assert.ok(tries[3]!.at - tries[2]!.at >= 1900, 'waited for Retry-After: 2');
    assert.ok(Date.now() - started < 20_000);
    // Slack has answered 200; the dispatcher marks the row sent right after, in its own transaction.
    const slackRow = await eventually('the notification marked sent', async () => {
      const detail = (await (await read(`/v1/alerts/${alertId}`)).json()) as { notifications: { channel: string; status: string; attempts: number }[] };
      const row = detail.notifications.find((n) => n.channel === 'slack');
      return row?.status === 'sent' ? row : undefined;
    });
    assert.deepEqual(slackRow, {
      channel: 'slack',
      kind: 'alert',
      status: 'sent',
      attempts: 4,
      delivered_via: 'slack',
      last_error: null,
      rejected_recipients: [],
    });

    // Every attempt's outcome is published on alert-notifications, keyed by the customer, at least once.
    const isSlackFact = (m: { topic: string; key: string | null; value: string | null }) =>
      m.topic === Topics.alertNotifications && m.key === customer && (JSON.parse(m.value!) as AlertNotification).channel === 'slack';
    await probe.waitFor(isSlackFact, 4);
    const facts = [
      ...new Map(
        probe.messages
          .filter(isSlackFact)
          .map((m) => JSON.parse(m.value!) as AlertNotification)
          .map((f) => [f.notification_id, f]),
      ).values(),
    ];
    assert.deepEqual(
      facts
        .map((f) => alertNotificationSchema.parse(f))
        .sort((x, y) => x.attempt - y.attempt)
        .map((f) => [f.outcome, f.failure, f.attempt, f.parked, f.form, f.alert_id]),
      [
        ['failed', 'retry', 1, false, 'single', alertId],
        ['failed', 'retry', 2, false, 'single', alertId],
        ['failed', 'rate_limited', 3, false, 'single', alertId],
        ['sent', null, 4, false, 'single', alertId],
      ],
    );
    assert.equal(facts.find((f) => f.outcome === 'sent')!.notification_id, `slack:${alertId}:sent`);
    await eventually('the facts marked published', async () => {
      const waiting = await db.query<{ n: number }>(
        'spec',
        'SELECT count(*)::int AS n FROM alert_notifications_outbox WHERE customer_id = $1 AND published_at IS NULL',
        [customer],
      );
      return waiting[0]!.n === 0 ? true : undefined;
    });
    assert.match(await metrics(), /alerting_alert_notifications_published_total\{[^}]*\} [1-9]/);
  });

  it('marks Slack dead on 404 no_service, parks the notification, and delivers it once an admin revives the destination', async () => {
    const customer = uniqueId('dead');
    slack.script.push({ status: 404, body: 'no_service' });
    const prediction = aPredictionAtLevel(customer, 'high');
    await publish([prediction]);
    const alertId = alertIdOf(prediction.prediction_id);
    await eventually('destination down', async () => /alerting_destination_up\{channel="slack"[^}]*\} 0/.test(await metrics()) || undefined);
    const destinations = (await (await api('/v1/alerts/destinations')).json()) as { destinations: { channel: string; status: string; dead_reason: string }[] };
    const slackDestination = destinations.destinations.find((d) => d.channel === 'slack');
    assert.equal(slackDestination?.status, 'dead');
    assert.equal(slackDestination?.dead_reason, 'HTTP 404 no_service');
    await eventually('parked', async () => (await notificationsOf(customer)).some((c) => c.channel === 'slack' && c.status === 'parked') || undefined);
    // A marker queued while the destination is dead, and three dispatcher passes after it: they found nothing to send.
    const marker = aPredictionAtLevel(uniqueId('dead-marker'), 'critical');
    await publish([marker]);
    await eventually(
      'marker queued',
      async () => (await notificationsOf(marker.customer_id)).some((c) => c.channel === 'slack' && c.status === 'pending') || undefined,
    );
    const seen = await passes('slack');
    await eventually('three more Slack passes', async () => (await passes('slack')) >= seen + 3 || undefined);
    assert.equal(slack.requests.filter((r) => r.alertIds.includes(alertId)).length, 1, 'nothing more is sent to a dead destination');
    assert.equal(slack.requests.filter((r) => r.alertIds.includes(alertIdOf(marker.prediction_id))).length, 0, 'nothing new is sent to a dead destination');

    assert.equal((await post('/v1/alerts/destinations/slack/revive', {}, await token(['agent']))).status, 403);
    const revived = await post('/v1/alerts/destinations/slack/revive', {}, await token(['admin']));
    assert.equal(revived.status, 200);
    await eventually('delivered after revival', () =>
      slack.delivered().includes(alertId) && slack.delivered().includes(alertIdOf(marker.prediction_id)) ? true : undefined,
    );
    assert.match(await metrics(), /alerting_destination_up\{channel="slack"[^}]*\} 1/);
    assert.match(await metrics(), /alerting_notifications_parked_total\{channel="slack",reason="destination_dead"[^}]*\} [1-9]/);
  });

  it('parks a message Slack refuses with 400 and keeps the destination alive for the next one', async () => {
    const refused = aPredictionAtLevel(uniqueId('refused'), 'critical');
    slack.script.push({ status: 400, body: 'invalid_blocks' });
    await publish([refused]);
    const refusedId = alertIdOf(refused.prediction_id);
    await eventually(
      'refused message parked',
      async () => (await notificationsOf(refused.customer_id)).some((c) => c.channel === 'slack' && c.status === 'parked') || undefined,
    );
    const next = aPredictionAtLevel(uniqueId('after-refused'), 'critical');
    await publish([next]);
    await eventually('the next alert delivered', () => (slack.delivered().includes(alertIdOf(next.prediction_id)) ? true : undefined));
    assert.match(await metrics(), /alerting_destination_up\{channel="slack"[^}]*\} 1/);
    const destinations = (await (await api('/v1/alerts/destinations')).json()) as { destinations: { channel: string; status: string }[] };
    assert.equal(destinations.destinations.find((d) => d.channel === 'slack')?.status, 'up');
    const detail = (await (await read(`/v1/alerts/${refusedId}`)).json()) as { notifications: { channel: string; status: string; last_error: string }[] };
    assert.deepEqual(
      detail.notifications.filter((n) => n.channel === 'slack').map((n) => ({ status: n.status, last_error: n.last_error })),
      [{ status: 'parked', last_error: 'HTTP 400 invalid_blocks' }],
    );
    assert.equal(slack.requests.filter((r) => r.alertIds.includes(refusedId)).length, 1, 'a parked message waits for NOTIFY_PARKED_RETRY_MS');
    assert.match(await metrics(), /alerting_notifications_parked_total\{channel="slack",reason="rejected"[^}]*\} [1-9]/);
  });

  it('splits a digest Slack refuses: its alerts go out one by one, each once', async () => {
    const prefix = uniqueId('split');
    const predictions = Array.from({ length: 3 }, (_, i) => aPredictionAtLevel(`${prefix}-${i}`, 'critical'));
    const ids = predictions.map((p) => alertIdOf(p.prediction_id));
    slack.script.push({ status: 400, body: 'invalid_blocks' });
    await publish(predictions);
    await eventually('each alert delivered', () => (ids.every((id) => slack.delivered().includes(id)) ? true : undefined), 20_000);
    const refused = slack.requests.filter((r) => r.status === 400 && r.alertIds.some((id) => ids.includes(id)));
    assert.equal(refused.length, 1);
    assert.deepEqual(new Set(refused[0]!.alertIds), new Set(ids), 'the three came in one digest, refused once');
    for (const id of ids) {
      const delivered = slack.requests.filter((r) => r.status === 200 && r.alertIds.includes(id));
      assert.equal(delivered.length, 1, `${id} delivered once`);
      assert.deepEqual(delivered[0]!.alertIds, [id], `${id} on its own`);
    }
    const rows = await eventually('rows marked sent', async () => {
      const r = await db.query<{ status: string; delivered_via: string }>(
        'spec',
        `SELECT status, delivered_via FROM alert_notifications WHERE channel = 'slack' AND alert_id = ANY($1::text[])`,
        [ids],
      );
      return r.every((row) => row.status === 'sent') ? r : undefined;
    });
    assert.deepEqual(
      rows.map((r) => r.delivered_via),
      ['slack', 'slack', 'slack'],
    );
  });

  it('sends one e-mail, not two, when the SMTP server stalls after the data, and records refused recipients', async () => {
    const stalled = aPredictionAtLevel(uniqueId('stall'), 'critical');
    const stalledId = alertIdOf(stalled.prediction_id);
    smtp.stallNext = 1;
    smtp.rejectRecipients.add('former-manager@example.com');
    const stalledBefore = smtp.stalled;
    await publish([stalled]);
    const row = await eventually(
      'the stalled mail retried and sent',
      async () => {
        const detail = (await (await read(`/v1/alerts/${stalledId}`)).json()) as {
          notifications: { channel: string; status: string; attempts: number; rejected_recipients: string[] }[];
        };
        const email = detail.notifications.find((n) => n.channel === 'email');
        return email?.status === 'sent' ? email : undefined;
      },
      20_000,
    );
    smtp.rejectRecipients.clear();
    assert.equal(smtp.stalled, stalledBefore + 1, 'the server stalled once');
    assert.deepEqual(row.rejected_recipients, ['former-manager@example.com'], 'the refused recipient is recorded on the row');
    assert.deepEqual(smtp.mails.find((m) => m.alertIds.includes(stalledId))?.to, ['retention-manager@example.com']);
    assert.match(await metrics(), /alerting_email_recipients_rejected_total\{channel="email"[^}]*\} [1-9]/);
    assert.equal(row.attempts, 2, 'given up after SMTP_TIMEOUT_MS, then sent on the retry');
    assert.equal(smtp.mails.filter((m) => m.alertIds.includes(stalledId)).length, 1, 'one e-mail');
    assert.ok(smtp.mails.filter((m) => m.alertIds.includes(stalledId)).every((m) => m.from === 'alerts@churn-radar.example'));
  });

  it('delivers model alerts to the operators once, within a cool-down per condition, and dead-letters invalid ones', async () => {
    const model = uniqueId('model');
    const at = (minutes: number) => new Date(Date.now() - 3_600_000 + minutes * 60_000).toISOString();
    const modelAlert = (id: string, subject: string, createdAt: string): ModelAlert => ({
      alert_id: uniqueId(id),
      model_version: model,
      kind: 'feature_drift',
      subject,
      value: 0.31,
      threshold: 0.2,
      message: `${subject} has drifted for ${model}: PSI 0.310 (threshold 0.2) & more`,
      created_at: createdAt,
    });
    const first = modelAlert('ma-first', 'Contract', at(0));
    const repeat = modelAlert('ma-repeat', 'Contract', at(30));
    const other = modelAlert('ma-other', 'tenure', at(31));
    const send = (values: string[]) => producer.send({ topic: Topics.modelAlerts, messages: values.map((value) => ({ key: model, value })) });
    await send([
      JSON.stringify(first),
      JSON.stringify(first),
      JSON.stringify(repeat),
      JSON.stringify({ ...first, alert_id: uniqueId('ma-bad'), value: 'high' }),
      JSON.stringify(other),
    ]);

    // One partition (same key), in order: once `other` is out, everything before it has been decided.
    await eventually('the last model alert at the operators’ Slack and e-mail', () =>
      opsSlack.requests.some((r) => r.status === 200 && r.body.includes(other.alert_id)) && smtp.mails.some((m) => m.raw.includes(other.alert_id))
        ? true
        : undefined,
    );
    const received = await db.query<{ alert_id: string; outcome: string }>(
      'spec',
      'SELECT alert_id, outcome FROM alerting_model_alerts WHERE model_version = $1 ORDER BY created_at',
      [model],
    );
    assert.deepEqual(received, [
      { alert_id: first.alert_id, outcome: 'notified' },
      { alert_id: repeat.alert_id, outcome: 'cooldown' },
      { alert_id: other.alert_id, outcome: 'notified' },
    ]);
    await eventually('both notifications of the first model alert sent', async () => {
      const rows = await db.query<{ channel: string; status: string }>(
        'spec',
        'SELECT channel, status FROM alert_notifications WHERE model_alert_id = $1 ORDER BY channel',
        [first.alert_id],
      );
      return rows.length === 2 && rows.every((r) => r.status === 'sent') ? rows : undefined;
    });
    for (const alert of [first, other]) {
      assert.equal(opsSlack.requests.filter((r) => r.status === 200 && r.body.includes(alert.alert_id)).length, 1, `${alert.alert_id} once on Slack`);
      const mails = smtp.mails.filter((m) => m.raw.includes(alert.alert_id));
      assert.equal(mails.length, 1, `${alert.alert_id} mailed once`);
      assert.deepEqual(mails[0]!.to, ['ml-ops@example.com']);
    }
    assert.equal(opsSlack.requests.filter((r) => r.body.includes(repeat.alert_id)).length, 0, 'the repeat within the cool-down is not sent');
    assert.ok(opsSlack.requests.find((r) => r.body.includes(first.alert_id))!.body.includes('&amp; more'), 'escaped for Slack');
    assert.equal(slack.requests.filter((r) => r.body.includes(first.alert_id)).length, 0, 'model alerts do not go to the retention team’s Slack');

    const [dead] = await probe.waitFor((m) => m.topic === Topics.alertingDlq && m.key === model);
    const letter = deadLetterSchema.parse(JSON.parse(dead!.value!));
    assert.equal(letter.source_topic, Topics.modelAlerts);
    assert.match(letter.reason, /value/);

    const text = await metrics();
    assert.match(text, /alerting_model_alerts_received_total\{kind="feature_drift",outcome="notified"[^}]*\} [2-9]/);
    assert.match(text, /alerting_model_alerts_received_total\{kind="feature_drift",outcome="cooldown"[^}]*\} [1-9]/);
    assert.match(text, /alerting_model_alerts_received_total\{kind="feature_drift",outcome="duplicate"[^}]*\} [1-9]/);
    assert.match(text, /alerting_destination_up\{channel="ops_slack"[^}]*\} 1/);
    assert.match(text, /alerting_notifications_delivered_total\{channel="ops_email",form="single"[^}]*\} [2-9]/);
  });

  it('mails high alerts once in a daily digest, at most one per day, and retries a 451', async () => {
    const prefix = uniqueId('digest');
    smtp.failNext = 1;
    const critical = aPredictionAtLevel(`${prefix}-a`, 'critical');
    const highs = [aPredictionAtLevel(`${prefix}-b`, 'high'), aPredictionAtLevel(`${prefix}-c`, 'high')];
    await publish([critical, ...highs]);
    await eventually('critical mail', () => (smtp.mails.some((m) => m.alertIds.includes(alertIdOf(critical.prediction_id))) ? true : undefined));
    assert.equal(smtp.mails.filter((m) => m.alertIds.includes(alertIdOf(critical.prediction_id))).length, 1);
    await eventually(
      'highs waiting',
      async () => (await notificationsOf(prefix)).some((c) => c.channel === 'email' && c.status === 'awaiting_digest' && c.n === 2) || undefined,
    );

    assert.equal((await post('/v1/alerts/digests/email', {})).status, 401);
    const first = (await (await post('/v1/alerts/digests/email', {}, await token(['admin']))).json()) as { created: boolean; alerts: number };
    assert.equal(first.created, true);
    assert.ok(first.alerts >= 2);
    const digest = await eventually('digest mail', () =>
      smtp.mails.find((m) => m.subject.includes('Daily digest') && m.alertIds.includes(alertIdOf(highs[0]!.prediction_id))),
    );
    for (const h of highs) assert.ok(digest.alertIds.includes(alertIdOf(h.prediction_id)));
    assert.equal(smtp.mails.filter((m) => m.alertIds.includes(alertIdOf(highs[1]!.prediction_id))).length, 1, 'high alerts are not mailed one by one');
    const again = (await (await post('/v1/alerts/digests/email', {}, await token(['admin']))).json()) as { created: boolean };
    assert.equal(again.created, false, 'one digest per day');
    await eventually(
      'digest items sent',
      async () => (await notificationsOf(prefix)).some((c) => c.channel === 'email' && c.status === 'sent' && c.n === 3) || undefined,
    );
  });

  it('acknowledges and resolves through the authenticated API, and shows it in the SLA figures and metrics', async () => {
    const customer = uniqueId('ack');
    const prediction = aPredictionAtLevel(customer, 'critical');
    await publish([prediction]);
    const alertId = alertIdOf(prediction.prediction_id);
    await eventually('alert', async () => (await alertsOf(customer)).length === 1 || undefined);

    const body = { by: 'Jane Doe' };
    assert.equal((await post(`/v1/alerts/${alertId}/ack`, body)).status, 401);
    assert.equal((await post(`/v1/alerts/${alertId}/ack`, body, await token(['agent'], { secret: 'another-secret-that-is-long-enough-0000' }))).status, 401);
    assert.equal((await post(`/v1/alerts/${alertId}/ack`, body, await token(['agent'], { expiresIn: '-1m' }))).status, 401);
    await expectProblem(await post(`/v1/alerts/${alertId}/ack`, body, await token(['viewer'])), 403, 'FORBIDDEN');
    const invalid = await expectProblem(await post(`/v1/alerts/${alertId}/ack`, { by: '' }, await token(['agent'])), 400, 'VALIDATION_FAILED');
    assert.deepEqual(
      invalid.errors?.map((e) => e.field),
      ['by'],
    );

    const acked = await post(`/v1/alerts/${alertId}/ack`, body, await token(['agent']));
    assert.equal(acked.status, 200);
    const ackedAlert = (await acked.json()) as { status: string; acknowledged_by: string; acknowledged_at: string };
    assert.equal(ackedAlert.status, 'acknowledged');
    assert.equal(ackedAlert.acknowledged_by, 'Jane Doe');
    const again = await expectProblem(await post(`/v1/alerts/${alertId}/ack`, body, await token(['agent'])), 409, 'ALERT_ACKNOWLEDGED');
    assert.equal(again.detail, `alert ${alertId} is already acknowledged (by Jane Doe)`);

    // Someone is working on the customer: a new critical prediction raises nothing.
    const next = aPredictionAtLevel(customer, 'critical');
    await publish([next]);
    await eventually(
      'evaluated',
      async () => (await db.query('spec', 'SELECT 1 FROM alerting_scores WHERE prediction_id = $1', [next.prediction_id])).length === 1 || undefined,
    );
    assert.equal((await alertsOf(customer)).length, 1);

    const list = (await (await assertAgentOrHigher(`${sut.url}/v1/alerts?state=acknowledged&level=critical&customer_id=${customer}`, SECRET)).json()) as {
      alerts: { alert_id: string }[];
    };
    assert.deepEqual(
      list.alerts.map((a) => a.alert_id),
      [alertId],
    );
    const one = (await (await assertAgentOrHigher(`${sut.url}/v1/alerts/${alertId}`, SECRET)).json()) as { alert_id: string; customer_id: string };
    assert.deepEqual([one.alert_id, one.customer_id], [alertId, customer]);
    const sla = (await (await api('/v1/alerts/sla')).json()) as {
      levels: { level: string; target_hours: number; acknowledged: number; median_hours_to_acknowledge: number }[];
    };
    const critical = sla.levels.find((l) => l.level === 'critical')!;
    assert.equal(critical.target_hours, 24);
    assert.ok(critical.acknowledged >= 1);
    assert.ok(critical.median_hours_to_acknowledge !== null && critical.median_hours_to_acknowledge < 1);
    assert.equal(sla.levels.find((l) => l.level === 'high')!.target_hours, 48);
    assert.match(await metrics(), /alerting_time_to_acknowledge_seconds_count\{[^}]*level="critical"[^}]*\} [1-9]/);
    assert.match(await metrics(), /alerting_alerts_past_sla\{level="critical"[^}]*\} 0/);

    const resolved = await post(`/v1/alerts/${alertId}/resolve`, { by: 'Jane Doe', note: 'offered a discount' }, await token(['admin']));
    assert.equal(resolved.status, 200);
    assert.equal(((await resolved.json()) as { status: string }).status, 'resolved');
    const audit = await db.query<{ action: string; actor: string }>('spec', 'SELECT action, actor FROM audit_log WHERE subject = $1 ORDER BY id', [
      `alert:${alertId}`,
    ]);
    assert.deepEqual(
      audit.map((a) => a.action),
      ['alert.acknowledge', 'alert.resolve'],
    );
    await expectProblem(await post('/v1/alerts/alrt-nope/ack', body, await token(['agent'])), 404, 'ALERT_NOT_FOUND');
  });

  it('pages the list with a total', async () => {
    const prefix = uniqueId('page');
    await publish(Array.from({ length: 5 }, (_, i) => aPredictionAtLevel(`${prefix}-${i}`, 'high')));
    await eventually('5 alerts', async () => (await alertsOf(prefix)).length === 5 || undefined);
    const seen: string[] = [];
    const since = new Date(Date.now() - 60_000).toISOString();
    let total = 0;
    for (let page = 1; page === 1 || seen.length < total; page++) {
      const body = (await (await read(`/v1/alerts?level=high&since=${encodeURIComponent(since)}&sort=created_at&page=${page}&page_size=2`)).json()) as {
        alerts: { customer_id: string }[];
        total: number;
      };
      assert.ok(body.alerts.length <= 2 && body.alerts.length > 0);
      total = body.total;
      seen.push(...body.alerts.map((a) => a.customer_id));
    }
    assert.equal(seen.filter((c) => c.startsWith(prefix)).length, 5);
    assert.equal(new Set(seen).size, seen.length);
    assert.equal((await read('/v1/alerts?level=urgent')).status, 400);
    assert.equal((await read('/v1/alerts?cursor=bm90LWEtY3Vyc29y')).status, 400);
  });

  it('reloads the rules file, keeps the rules on an invalid edit, and suppresses control-arm customers', async () => {
    fs.writeFileSync(rulesFile, 'levels: [critical, high, medium]\nsla_hours:\n  critical: 12\n');
    await eventually('reloaded', async () => {
      const rules = (await (await api('/v1/alerts/rules')).json()) as { rules: { levels: string[]; sla_hours: { critical: number } } };
      return rules.rules.levels.includes('medium') && rules.rules.sla_hours.critical === 12 ? true : undefined;
    });
    fs.writeFileSync(rulesFile, 'levels: [catastrophic]\n');
    await eventually('invalid edit counted', async () => /alerting_rules_reloads_total\{result="invalid"[^}]*\} [1-9]/.test(await metrics()) || undefined);
    const kept = (await (await api('/v1/alerts/rules')).json()) as { rules: { levels: string[] } };
    assert.deepEqual(kept.rules.levels, ['critical', 'high', 'medium']);

    const prefix = uniqueId('rules');
    const medium = aPredictionAtLevel(`${prefix}-m`, 'medium');
    const control = aPredictionAtLevel(`${prefix}-c`, 'critical', { experiment: { name: 'retention-q1', arm: 'control' } });
    await publish([control, medium]);
    // Different customers may sit on different partitions: wait for the group's commit of both.
    await consumed(Topics.predictions);
    assert.equal((await alertsOf(`${prefix}-m`)).length, 1);
    assert.equal((await alertsOf(`${prefix}-c`)).length, 0);
    assert.match(await metrics(), /alerting_predictions_evaluated_total\{risk_level="critical",outcome="control_arm"[^}]*\} [1-9]/);
  });
});
