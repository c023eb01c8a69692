import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Topics } from '@churn/contracts';
import { Database } from '@churn/db';
import { MonitoringRepository } from '@churn/monitoring-data';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import { assertAgentOrHigher, expectProblem, serviceTestEnv, signTestToken, testInfra, uniqueId, until, waitUntilHttpReady } from '@churn/testing';
import { monitoringConfigSchema } from './config';
import { configureMonitoringHttp } from './http-setup';
import { MonitoringModule } from './monitoring.module';
import { aPrediction, publish, runChurn } from './monitoring-spec-fixtures';

const SECRET = 'people-records-spec-secret-of-at-least-32-characters';
const MAX_BYTES = 8192;
const HOUR = 3_600_000;
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-people-records-'));

interface Problem {
  line: number | null;
  field: string;
  code: string;
  message: string;
}

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

describe('outcomes and interventions recorded by people, on the real broker and Postgres', () => {
  let sut: RunningService;
  let db: Database;
  let agent: string;
  /** Customers monitoring has a prediction for (an upload may name only those). */
  let known: string[];
  const version = uniqueId('people-model');
  /** The ROI customers' own version, so that what the other tests record does not enter their figures. */
  const roiVersion = uniqueId('people-roi');

  /** `token` null: no Authorization header. */
  const post = (kind: string, body: string, contentType = 'text/csv', token: string | null = agent) =>
    fetch(`${sut.url}/v1/${kind}`, { method: 'POST', headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  const rowsOf = async (table: 'outcomes' | 'interventions', customers: readonly string[]) =>
    Number(
      (
        await db.query<{ n: string }>(
          'spec.count',
          `SELECT count(*) AS n FROM ${table === 'outcomes' ? 'outcomes' : 'interventions'} WHERE customer_id = ANY($1)`,
          [customers],
        )
      )[0]!.n,
    );
  /** A counter's value for the given labels (other labels, such as the registry's `service`, may follow); 0 before its first increment. */
  const metric = async (name: string, labels: Record<string, string>) => {
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const found = (await (await fetch(`${sut.url}/metrics`)).text()).split('\n').find((l) => l.startsWith(`${name}{`) && pairs.every((p) => l.includes(p)));
    return found === undefined ? 0 : Number(found.split(' ').pop());
  };

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'people-records-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env: serviceTestEnv({
        MONITORING_LABEL_DELAY_DAYS: '0',
        MONITORING_REFRESH_INTERVAL_MS: '600000',
        AUTH_JWT_SECRET: SECRET,
        MONITORING_IMPORT_MAX_BYTES: String(MAX_BYTES),
      }),
    });
    await waitUntilHttpReady(sut.url);
    agent = await signTestToken(SECRET, ['agent'], { sub: 'ana@example.com' });
    // Two targeted customers (critical 150, high 75) for the ROI figures, and eight more to record about.
    const now = Date.now();
    const predictions = [
      aPrediction(uniqueId('P'), roiVersion, 0.9, now - HOUR, { revenue_at_risk: 1200, intervention_cost: 150 }),
      aPrediction(uniqueId('P'), roiVersion, 0.7, now - HOUR, { revenue_at_risk: 600, intervention_cost: 75 }),
      ...Array.from({ length: 8 }, () => aPrediction(uniqueId('P'), version, 0.3, now - HOUR)),
    ];
    known = predictions.map((p) => p.customer_id);
    await publish(Topics.predictions, predictions);
    // Wait on the rows: monitoring knows a customer once it has stored a prediction for it.
    const repository = new MonitoringRepository();
    await until('monitoring to store the predictions', async () => (await repository.knownCustomers(db, known)).size >= known.length, 30_000);
  });

  after(async () => {
    await sut?.close();
    await db?.close();
    fs.rmSync(TMP, { recursive: true, force: true });
  });

  it('needs an agent: 401 without a token or with one lacking exp, 403 for viewer/service, 200 for admin and agent', async () => {
    const record = JSON.stringify({ customer_id: known[9], churned: false, observed_at: iso(HOUR) });
    await assertAgentOrHigher(`${sut.url}/v1/outcomes`, SECRET, { method: 'POST', headers: { 'content-type': 'application/json' }, body: record });
    const viewer = await signTestToken(SECRET, ['viewer']);
    assert.equal((await post('interventions', 'x', 'text/csv', viewer)).status, 403);
    assert.equal((await post('interventions', 'x', 'text/csv', null)).status, 401);
  });

  it('records a valid CSV of outcomes once: the same file again records nothing new', async () => {
    const customers = known.slice(2, 5);
    const csv = [
      'customer_id,churned,observed_at,intervention_applied',
      `${customers[0]},true,${iso(HOUR)},`,
      `${customers[1]},no,${iso(HOUR)},false`,
      `${customers[2]},false,${iso(2 * HOUR)},`,
    ].join('\n');
    const before = await metric('monitoring_outcomes_recorded_total', { source: 'import' });
    const first = await post('outcomes', csv);
    assert.equal(first.status, 200, await first.clone().text());
    assert.deepEqual(await first.json(), { rows: 3, recorded: 3, already_present: 0 });
    assert.equal(await rowsOf('outcomes', customers), 3);
    const again = await post('outcomes', csv);
    assert.deepEqual(await again.json(), { rows: 3, recorded: 0, already_present: 3 });
    assert.equal(await rowsOf('outcomes', customers), 3);
    assert.equal(await metric('monitoring_outcomes_recorded_total', { source: 'import' }), before + 3);
    // The same rule as the topic: an outcome a person sends joins the model-quality figures.
    const stored = await db.query<{ churned: boolean; intervention_applied: boolean | null }>(
      'spec.outcome',
      'SELECT churned, intervention_applied FROM outcomes WHERE customer_id = $1',
      [customers[1]],
    );
    assert.deepEqual(stored, [{ churned: false, intervention_applied: false }]);
  });

  it('records a valid CSV of interventions and a JSON one once each; the same again records nothing new', async () => {
    const customers = known.slice(5, 7);
    const csv = [
      'customer_id,performed_by,performed_at,action,cost,channel,offer',
      `${customers[0]},ana,${iso(HOUR)},retention call,12.5,phone,`,
      `${customers[1]},bo,${iso(HOUR)},discount,30,email,10% off 3 months`,
    ].join('\n');
    const first = await post('interventions', csv);
    assert.equal(first.status, 200, await first.clone().text());
    assert.deepEqual(await first.json(), { rows: 2, recorded: 2, already_present: 0 });
    assert.deepEqual(await (await post('interventions', csv)).json(), { rows: 2, recorded: 0, already_present: 2 });
    const json = JSON.stringify({
      customer_id: customers[0],
      performed_by: 'ana',
      performed_at: iso(2 * HOUR),
      action: 'follow-up',
      cost: 0,
      source_key: uniqueId('ticket'),
    });
    assert.deepEqual(await (await post('interventions', json, 'application/json')).json(), { rows: 1, recorded: 1, already_present: 0 });
    assert.deepEqual(await (await post('interventions', json, 'application/json')).json(), { rows: 1, recorded: 0, already_present: 1 });
    assert.equal(await rowsOf('interventions', customers), 3);
    const sources = await db.query<{ source: string; n: string }>(
      'spec.sources',
      'SELECT source, count(*) AS n FROM interventions WHERE customer_id = ANY($1) GROUP BY source ORDER BY source',
      [customers],
    );
    assert.deepEqual(
      sources.map((s) => [s.source, Number(s.n)]),
      [
        ['api', 1],
        ['import', 2],
      ],
    );
  });

  it('refuses a file with several bad rows, naming each line and field, and records NOTHING of it', async () => {
    const good = known[7]!;
    const unknown = uniqueId('nobody');
    const anHourAgo = iso(HOUR);
    const csv = [
      'customer_id,performed_by,performed_at,action,cost',
      `${good},ana,${anHourAgo},call,10`,
      `${unknown},ana,${anHourAgo},call,10`,
      `${good},ana,${iso(-24 * HOUR)},call,10`,
      `${good},ana,${iso(3 * HOUR)},call,-4`,
      `${good},ana,${anHourAgo},call,10`,
      `${good},,${iso(4 * HOUR)},call,10`,
      `${good},ana,not a time,call,ten`,
    ].join('\n');
    const before = await metric('monitoring_records_refused_requests_total', { kind: 'interventions', reason: 'invalid_rows' });
    const response = await post('interventions', csv);
    const body = (await expectProblem(response, 422, 'RECORDS_REFUSED')) as unknown as { problems: Problem[]; rows: number; refused_rows: number };
    assert.deepEqual(
      body.problems.map((p) => `${p.line} ${p.field} ${p.code}`),
      [
        'line 3 customer_id unknown_customer',
        'line 4 performed_at future_date',
        'line 5 cost negative_cost',
        'line 6 (row) duplicate_row',
        'line 7 performed_by missing_field',
        'line 8 cost malformed_field',
        'line 8 performed_at malformed_field',
      ].map((s) => s.replace(/^line /, '')),
    );
    assert.equal(body.rows, 7);
    assert.equal(body.refused_rows, 6);
    assert.equal(await rowsOf('interventions', [good, unknown]), 0, 'not even the good row of a refused file is stored');
    assert.equal(await metric('monitoring_records_refused_requests_total', { kind: 'interventions', reason: 'invalid_rows' }), before + 1);
    assert.ok((await metric('monitoring_records_refused_rows_total', { kind: 'interventions', reason: 'unknown_customer' })) >= 1);

    const outcomes = ['customer_id,churned,observed_at', `${good},true,${iso(HOUR)}`, `${unknown},true,${iso(HOUR)}`, `${good},maybe,${iso(HOUR)}`].join('\n');
    const refused = await post('outcomes', outcomes);
    assert.deepEqual(
      ((await expectProblem(refused, 422, 'RECORDS_REFUSED')) as unknown as { problems: Problem[] }).problems.map((p) => `${p.line} ${p.field} ${p.code}`),
      ['3 customer_id unknown_customer', '4 churned malformed_field'],
    );
    assert.equal(await rowsOf('outcomes', [good, unknown]), 0);
  });

  it('answers 413 to a body over MONITORING_IMPORT_MAX_BYTES, 415 to another content type and 400 to unparseable JSON, recording nothing', async () => {
    const row = `${known[8]},ana,${iso(HOUR)},call,1\n`;
    const big = `customer_id,performed_by,performed_at,action,cost\n${row.repeat(Math.ceil(MAX_BYTES / row.length) + 1)}`;
    const tooLarge = await post('interventions', big);
    assert.match((await expectProblem(tooLarge, 413, 'PAYLOAD_TOO_LARGE')).detail ?? '', /MONITORING_IMPORT_MAX_BYTES/);
    await expectProblem(await post('interventions', row, 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const broken = await post('outcomes', '{"customer_id": ', 'application/json');
    await expectProblem(broken, 400, 'UNREADABLE_RECORDS');
    assert.equal(await rowsOf('interventions', [known[8]!]), 0);
    assert.ok((await metric('monitoring_records_refused_requests_total', { kind: 'interventions', reason: 'too_large' })) >= 1);
  });

  it('describes both routes in the OpenAPI document at /docs/json', async () => {
    const document = (await (await fetch(`${sut.url}/docs/json`)).json()) as { paths: Record<string, { post?: { summary?: string; description?: string } }> };
    assert.match(document.paths['/v1/outcomes']?.post?.summary ?? '', /agent or admin/);
    assert.match(document.paths['/v1/interventions']?.post?.description ?? '', /performed_by/);
  });

  it('ROI turns from the estimated to the recorded costs once interventions are recorded (hand calculation)', async () => {
    const roiOf = async () =>
      ((await (await fetch(`${sut.url}/v1/roi?window=24h&model_version=${roiVersion}&refresh=true`)).json()) as { overall: Record<string, unknown> }).overall;
    const [critical, high] = known as [string, string];
    const estimated = await roiOf();
    // Treated: the two targeted customers at their levels' estimates 150 + 75 = 225; saved 0.4 · (.9·1200 + .7·600) = 600.
    assert.equal(estimated['programme_cost'], 225);
    assert.equal(estimated['cost_basis'], 'estimated');
    assert.deepEqual(estimated['cost_customers'], { recorded: 0, estimated: 2 });
    const csv = [
      'customer_id,performed_by,performed_at,action,cost',
      `${critical},ana,${iso(HOUR)},call,40`,
      `${high},bo,${iso(HOUR)},call,10`,
      `${high},bo,${iso(2 * HOUR)},discount,15`,
    ].join('\n');
    assert.equal((await post('interventions', csv)).status, 200);
    const recorded = await roiOf();
    // Cost 40 + (10 + 15) = 65; saved unchanged 600; net 535; multiple 535 / 65.
    assert.equal(recorded['programme_cost'], 65);
    assert.ok(Math.abs((recorded['revenue_saved'] as number) - 600) < 1e-9);
    assert.ok(Math.abs((recorded['net_benefit'] as number) - 535) < 1e-9);
    assert.ok(Math.abs((recorded['roi_multiple'] as number) - 535 / 65) < 1e-9);
    assert.equal(recorded['cost_basis'], 'recorded');
    assert.deepEqual(recorded['cost_customers'], { recorded: 2, estimated: 0 });
  });

  /** Runs the built CLI against this service with an agent's token in CHURN_TOKEN. */
  const churn = (args: string[]) => runChurn(args, { MONITORING_URL: sut.url, CHURN_TOKEN: agent });

  it('bin/churn outcomes import FILE: prints the counts and exits 0 when the file is recorded', async () => {
    const outcomes = path.join(TMP, 'outcomes.csv');
    fs.writeFileSync(outcomes, `customer_id,churned,observed_at\n${known[8]},true,${iso(HOUR)}\n`);
    const ok = await churn(['outcomes', 'import', outcomes]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /1 outcomes recorded, 0 already present \(1 rows\)/);
    assert.equal(await rowsOf('outcomes', [known[8]!]), 1);
  });

  it('bin/churn interventions import FILE: prints every refused line and exits 1, recording nothing', async () => {
    const interventions = path.join(TMP, 'interventions.csv');
    fs.writeFileSync(
      interventions,
      `customer_id,performed_by,performed_at,action,cost\n${known[8]},ana,${iso(HOUR)},call,-1\n${uniqueId('nobody')},ana,${iso(HOUR)},call,1\n`,
    );
    const refused = await churn(['interventions', 'import', interventions]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /refused/);
    assert.match(refused.stderr, /^line 2\tcost\tnegative_cost\t/m);
    assert.match(refused.stderr, /^line 3\tcustomer_id\tunknown_customer\t/m);
    assert.equal(await rowsOf('interventions', [known[8]!]), 0);
  });
});
