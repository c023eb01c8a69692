import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { simpleParser } from 'mailparser';
import { Topics, type AlertUpdate, type Outcome } from '@churn/contracts';
import { Database } from '@churn/db';
import { ReportRepository } from '@churn/monitoring-data';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import {
  assertAgentOrHigher,
  expectProblem,
  FakeHttpServer,
  FakeSmtpServer,
  metricSum,
  pdfPagesText,
  serviceTestEnv,
  signTestToken,
  testInfra,
  uniqueId,
  until,
  waitUntilHttpReady,
} from '@churn/testing';
import { monitoringConfigSchema } from './config';
import { configureMonitoringHttp } from './http-setup';
import { MonitoringModule } from './monitoring.module';
import { aPrediction, publish, runChurn } from './monitoring-spec-fixtures';

const SECRET = 'reports-spec-secret-of-at-least-32-characters!';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A week of the 1990s no other spec writes in (a random one per run, so a kept database does not
// add a previous run's rows): every figure below is counted by hand from the rows this spec makes.
const FROM = Date.UTC(1990, 0, 1) + Math.floor(Math.random() * 3000) * DAY;
const TO = FROM + 7 * DAY;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const at = (ms: number) => new Date(ms).toISOString();

describe('retention reports, on the real broker and Postgres', () => {
  let sut: RunningService;
  let db: Database;
  let smtp: FakeSmtpServer;
  let alerting: FakeHttpServer;
  let agent: string;
  let admin: string;
  const version = uniqueId('report-model');
  const [c1, c2, c3, c4, c5] = [uniqueId('R'), uniqueId('R'), uniqueId('R'), uniqueId('R'), uniqueId('R')] as const;
  const query = `from=${day(FROM)}&to=${day(TO)}`;
  const get = (q: string, token: string | null = agent) => fetch(`${sut.url}/v1/reports?${q}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'reports-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    smtp = await FakeSmtpServer.start();
    // Alerting's rules endpoint, the source of the SLA targets.
    alerting = new FakeHttpServer((request) =>
      request.path === '/v1/alerts/rules'
        ? { status: 200, body: { source: 'spec rules', loaded_at: at(Date.now()), rules: { sla_hours: { critical: 24, high: 48, medium: 168, low: 336 } } } }
        : { status: 404, body: {} },
    );
    await alerting.start();
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env: serviceTestEnv({
        MONITORING_LABEL_DELAY_DAYS: '0',
        MONITORING_REFRESH_INTERVAL_MS: '600000',
        AUTH_JWT_SECRET: SECRET,
        ALERTING_URL: alerting.url,
        SMTP_URL: smtp.url,
        REPORT_EMAIL_TO: 'lead@example.com',
        REPORT_MAX_PERIOD_DAYS: '31',
      }),
    });
    await waitUntilHttpReady(sut.url);
    agent = await signTestToken(SECRET, ['agent'], { sub: 'ana@example.com' });
    admin = await signTestToken(SECRET, ['admin'], { sub: 'root@example.com' });

    const scored = (customer: string, p: number, t: number, overrides = {}) => aPrediction(customer, version, p, t, { scored_at: at(t), ...overrides });
    await publish(Topics.predictions, [
      // This week: c1 critical (after an older low one), c2 high, c3 medium, c4 low.
      scored(c1, 0.3, FROM + 12 * HOUR),
      scored(c1, 0.91, FROM + DAY, {
        revenue_at_risk: 1200,
        intervention_cost: 150,
        recommended_action: 'call within 24 h and offer a 12-month contract',
        top_factors: [
          { feature: 'contract', value: 'Month-to-month', contribution: 0.21 },
          { feature: 'monthly_charges', value: 99, contribution: -0.05 },
          { feature: 'tenure_months', value: 2, contribution: 0.15 },
        ],
      }),
      scored(c2, 0.72, FROM + 2 * DAY, { revenue_at_risk: 600, intervention_cost: 75, recommended_action: 'e-mail a loyalty discount' }),
      scored(c3, 0.5, FROM + DAY, { revenue_at_risk: 2400 }),
      scored(c4, 0.2, FROM + DAY, { revenue_at_risk: 1000 }),
      // The week before: c3 high, c5 low. The week after: c2 low (not this week's figure).
      scored(c3, 0.65, FROM - 3 * DAY),
      scored(c5, 0.1, FROM - 2 * DAY),
      scored(c2, 0.1, TO + DAY),
    ]);
    const outcome = (customer: string, churned: boolean): Outcome => ({ customer_id: customer, churned, observed_at: at(FROM + 5 * DAY) });
    await publish(Topics.outcomes, [outcome(c1, true), outcome(c2, false), outcome(c3, true), outcome(c4, false)]);
    // Each alert's newest update, as alerting publishes it: critical acknowledged after 30 h (late
    // against 24 h), high acknowledged after 5 h, high still pending (long past 48 h), and a critical
    // of the week before.
    const alert = (customer: string, level: 'critical' | 'high', created: number, acknowledgedAfter: number | null): AlertUpdate => {
      const acknowledged = acknowledgedAfter === null ? null : at(created + acknowledgedAfter);
      return {
        schema_version: 1,
        update_id: uniqueId('u'),
        alert_id: uniqueId('alrt'),
        customer_id: customer,
        level,
        state: acknowledged ? 'acknowledged' : 'pending',
        change: acknowledged ? 'acknowledged' : 'raised',
        assignee: null,
        by: acknowledged ? 'ana' : null,
        note: null,
        due_at: null,
        occurred_at: acknowledged ?? at(created),
        risk_score: 90,
        message: 'spec',
        raised_at: at(created),
        acknowledged_at: acknowledged,
      };
    };
    const alerts = [
      alert(c1, 'critical', FROM + DAY, 30 * HOUR),
      alert(c2, 'high', FROM + 2 * DAY, 5 * HOUR),
      alert(c2, 'high', FROM + 3 * DAY, null),
      alert(c5, 'critical', FROM - DAY, HOUR),
    ];
    await publish(Topics.alertUpdates, alerts);

    // Wait on the rows: both weeks' predictions and the four outcomes stored.
    const reports = new ReportRepository();
    const count = (rows: { customers: number }[]) => rows.reduce((s, r) => s + r.customers, 0);
    await until(
      "monitoring to store both weeks' predictions, the four outcomes and the alert updates",
      async () => {
        const [now, before] = await Promise.all([
          reports.riskLevels(db, { from: new Date(FROM), to: new Date(TO) }),
          reports.riskLevels(db, { from: new Date(FROM - 7 * DAY), to: new Date(FROM) }),
        ]);
        const outcomes = await db.query<{ n: string }>('spec.outcomes', 'SELECT count(*) AS n FROM outcomes WHERE customer_id = ANY($1)', [[c1, c2, c3, c4]]);
        const stored = await db.query<{ n: string }>('spec.alerts', 'SELECT count(*) AS n FROM monitoring_customer_alerts WHERE alert_id = ANY($1)', [
          alerts.map((a) => a.alert_id),
        ]);
        return count(now) === 4 && count(before) === 2 && Number(outcomes[0]!.n) === 4 && Number(stored[0]!.n) === alerts.length;
      },
      30_000,
    );
    // Interventions as people record them: two in the week for c1, one for c2, one for c2 the week before.
    const csv = [
      'customer_id,performed_by,performed_at,action,cost',
      `${c1},ana,${at(FROM + 2 * DAY)},retention call,40`,
      `${c1},ana,${at(FROM + 3 * DAY)},discount,20`,
      `${c2},bo,${at(FROM + 3 * DAY)},retention call,30`,
      `${c2},bo,${at(FROM - DAY)},retention call,1000`,
    ].join('\n');
    const recorded = await fetch(`${sut.url}/v1/interventions`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${agent}` },
      body: csv,
    });
    assert.equal(recorded.status, 200, await recorded.text());
  });

  after(async () => {
    await sut?.close();
    await db?.close();
    await smtp?.stop();
    await alerting?.stop();
  });

  it('is for agents and admins: 401 without a valid token, 403 without the role', async () => {
    await assertAgentOrHigher(`${sut.url}/v1/reports?${query}&format=csv`, SECRET);
  });

  it('answers 400 naming the field for a bad period, format or size', async () => {
    const fieldsOf = async (q: string) => {
      const problem = await expectProblem(await get(q), 400, 'VALIDATION_FAILED');
      return (problem.errors ?? []).map((e) => e.field);
    };
    assert.deepEqual(await fieldsOf(`from=yesterday&to=${day(TO)}`), ['from']);
    assert.deepEqual(await fieldsOf(`from=${day(TO)}&to=${day(FROM)}`), ['to']);
    assert.deepEqual(await fieldsOf(`from=${day(FROM)}&to=${day(FROM + 40 * DAY)}`), ['to'], 'longer than REPORT_MAX_PERIOD_DAYS');
    assert.deepEqual(await fieldsOf(`${query}&format=xlsx`), ['format']);
    assert.deepEqual(await fieldsOf(`${query}&top=0`), ['top']);
    assert.deepEqual(await fieldsOf(`to=${day(TO)}`), ['from']);
    assert.deepEqual(await fieldsOf(`from=${day(Date.now() + 2 * DAY)}&to=${day(Date.now() + 3 * DAY)}`), ['from'], 'a period in the future');
  });

  it('gives the period as one CSV with hand-counted figures', async () => {
    const before = await metricSum(sut.url, 'monitoring_reports_generated_total', { format: 'csv' });
    const answer = await get(`${query}&format=csv&top=2`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(answer.headers.get('content-disposition'), `attachment; filename="churn-report_${day(FROM)}_${day(TO)}.csv"`);
    const rows = parse(await answer.text(), { bom: true, relax_column_count: true }) as string[][];
    const blockAfter = (title: string) => {
      const start = rows.findIndex((r) => r[0] === title);
      const end = rows.findIndex((r, i) => i > start && r.every((c) => c === ''));
      return rows.slice(start + 2, end < 0 ? undefined : end);
    };
    // 4 customers this week (1 of each level), 2 the week before (c3 high, c5 low).
    assert.deepEqual(blockAfter('Risk distribution'), [
      ['critical', '1', '0.25', '0', '0', '1', '0.25', '1200'],
      ['high', '1', '0.25', '1', '0.5', '0', '-0.25', '600'],
      ['medium', '1', '0.25', '0', '0', '1', '0.25', '2400'],
      ['low', '1', '0.25', '1', '0.5', '0', '-0.25', '1000'],
      ['all', '4', '1', '2', '1', '2', '', '5200'],
    ]);
    const top = blockAfter('Top 2 at-risk customers');
    assert.deepEqual(
      top.map((r) => [r[0], r[1], r[2], r[3], r[6], r[8]]),
      [
        ['1', c1, '91', 'critical', 'call within 24 h and offer a 12-month contract', 'contract = Month-to-month (+0.210); tenure_months = 2 (+0.150)'],
        ['2', c2, '72', 'high', 'e-mail a loyalty discount', ''],
      ],
    );
    const sla = blockAfter('Alert SLA');
    assert.deepEqual(sla[0], ['critical', '24', '1', '1', '30', '30', '1', '0', '0', '0']);
    assert.deepEqual(sla[1], ['high', '48', '2', '1', '5', '5', '0', '1', '1', '0']);
    assert.deepEqual(blockAfter('Interventions by action'), [
      ['retention call', '2', '2', '70'],
      ['discount', '1', '1', '20'],
      ['all', '3', '2', '90'],
    ]);
    const roi = new Map(blockAfter('Return on the retention programme').map((r) => [r[0], r[1]]));
    // Treated: c1 (recorded 40 + 20) and c2 (recorded 30; its 1000 was the week before) = 90.
    // Saved at 40 %: 0.4 × (0.91 × 1200 + 0.72 × 600) = 609.6; net 519.6.
    assert.equal(roi.get('programme cost'), '90');
    assert.equal(roi.get('cost basis'), 'recorded');
    assert.ok(Math.abs(Number(roi.get('revenue saved')) - 609.6) < 1e-9, roi.get('revenue saved'));
    assert.ok(Math.abs(Number(roi.get('net benefit')) - 519.6) < 1e-9, roi.get('net benefit'));
    // Outcomes of the week: c1 and c3 churned (0.91, 0.5), c2 and c4 stayed (0.72, 0.2): 3 of 4 pairs ordered.
    const quality = blockAfter('Model quality').filter((r) => r[0] === version);
    assert.deepEqual(
      quality.map((r) => r.slice(0, 5)),
      [[version, 'champion', '4', '2', '0.75']],
    );
    assert.equal(await metricSum(sut.url, 'monitoring_reports_generated_total', { format: 'csv' }), before + 1);
  });

  it('gives the period as a PDF whose text carries the same figures', async () => {
    const answer = await get(`${query}&top=2`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'application/pdf');
    const text = (await pdfPagesText(new Uint8Array(await answer.arrayBuffer()))).join(' ');
    assert.match(text, new RegExp(`Period ${day(FROM)}T00:00:00\\.000Z to ${day(TO)}T00:00:00\\.000Z \\(7 days\\)`));
    assert.match(text, /critical 1 this period 0 previous/);
    assert.match(text, /all 4 100\.0% 2 100\.0% \+2 - \$5,200/);
    assert.match(text, new RegExp(`${c1} 91 critical 0\\.910 \\$1,200`));
    assert.match(text, /critical 24\.0 h 1 1 30\.0 h 30\.0 h 1 0 0 0/);
    assert.match(text, /programme cost \$90/);
    assert.match(text, /net benefit \$520/);
    assert.match(text, new RegExp(`${version} champion 4 2 0\\.7500`));
  });

  it('e-mails the report with its PDF attached to REPORT_EMAIL_TO (other recipients: admins only), and counts what the server refused', async () => {
    const body = JSON.stringify({ from: day(FROM), to: day(TO), top: 2 });
    const post = (token: string, json = body) =>
      fetch(`${sut.url}/v1/reports/email`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: json });
    const viewer = await signTestToken(SECRET, ['viewer']);
    assert.equal((await post(viewer)).status, 403);
    const named = JSON.stringify({ from: day(FROM), to: day(TO), recipients: 'someone@example.com' });
    assert.equal((await post(agent, named)).status, 403, 'an agent may not name recipients');
    assert.equal(smtp.mails.length, 0);

    const sent = await post(agent);
    assert.equal(sent.status, 200, await sent.clone().text());
    const receipt = (await sent.json()) as { message_id: string; attachments: string[] };
    assert.deepEqual(receipt.attachments, [`churn-report_${day(FROM)}_${day(TO)}.pdf`, `churn-report_${day(FROM)}_${day(TO)}.csv`]);
    const mail = smtp.mails.find((m) => m.messageId === receipt.message_id);
    assert.ok(mail, 'the SMTP server received the report');
    assert.deepEqual(mail.to, ['lead@example.com']);
    const parsed = await simpleParser(mail.source);
    assert.equal(parsed.subject, `[Churn Radar] Retention report ${day(FROM)} to ${day(TO)}`);
    assert.match(parsed.text ?? '', /net benefit:\s+\$520/);
    const pdf = parsed.attachments.find((a) => a.contentType === 'application/pdf');
    assert.ok(pdf, 'a PDF is attached');
    assert.match((await pdfPagesText(new Uint8Array(pdf.content))).join(' '), /programme cost \$90/);

    const failuresBefore = await metricSum(sut.url, 'monitoring_report_email_failures_total', { reason: 'retry' });
    smtp.failNext = 1;
    const deferred = await post(admin, named);
    await expectProblem(deferred, 503, 'REPORT_EMAIL_DEFERRED');
    assert.equal(await metricSum(sut.url, 'monitoring_report_email_failures_total', { reason: 'retry' }), failuresBefore + 1);
  });

  it('bin/churn report downloads the report, e-mails it with --email, and names a refused option', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-report-cli-'));
    try {
      const asAgent = { MONITORING_URL: sut.url, CHURN_TOKEN: agent };
      const csv = await runChurn(['report', '--from', day(FROM), '--to', day(TO), '--format', 'csv', '--top', '2', '--out', dir], asAgent);
      assert.equal(csv.status, 0, csv.stderr);
      const file = path.join(dir, `churn-report_${day(FROM)}_${day(TO)}.csv`);
      assert.equal(csv.stdout.trim(), `wrote ${file} (${fs.statSync(file).size} bytes)`);
      assert.match(fs.readFileSync(file, 'utf8'), new RegExp(`^1,${c1},91,critical,`, 'm'));

      const refused = await runChurn(['report', '--from', day(TO), '--to', day(FROM)], asAgent);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /--to: must be later than from/);

      const mailed = await runChurn(['report', '--from', day(FROM), '--to', day(TO), '--email', '--recipients', 'cfo@example.com'], {
        MONITORING_URL: sut.url,
        CHURN_TOKEN: admin,
      });
      assert.equal(mailed.status, 0, mailed.stderr);
      assert.match(mailed.stdout, /e-mailed to cfo@example\.com \(churn-report_.*\.pdf, churn-report_.*\.csv; Message-ID <report-[0-9a-f]{32}@churn-radar>\)/);
      assert.ok(smtp.mails.some((m) => m.to.includes('cfo@example.com')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
