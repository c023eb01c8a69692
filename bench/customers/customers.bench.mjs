#!/usr/bin/env node
// Customer list benchmark: monitoring's GET /v1/customers over HTTP against a real Postgres (the test
// stack of this checkout) holding 100,000 customers and 1,000,000 predictions.
//   npx tsc -b tsconfig.json
//   CHURN_TEST_PORT_OFFSET=300 nice -n 19 node bench/customers/customers.bench.mjs [--customers 100000] [--predictions-per-customer 10] [--requests 200] [--runs 3]
// 1. seed: monitoring_predictions (10 champion predictions per customer, two model versions, SQL
//    generate_series with a fixed seed), the read model's rows from them (newest and previous, as the
//    migration's backfill does), a Telco vector per customer (attributes drawn from the spec's
//    categories, seeded) and its attributes on the customer's row, alerts for high and critical
//    customers; ANALYZE;
// 2. monitoring (its own process) answers the requests of each mix one after another, `--requests`
//    each after 20 warm-ups, `--runs` times; p50/p95 per mix and run, and the median over runs. The
//    unfiltered first page is the baseline measured in the same run;
// 3. the `q=` text search measured in SQL with and without the trigram index (the ILIKE alternative),
//    and the CSV export of a filter, timed whole.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import localStack from '@churn/local-stack';
import db from '@churn/db';
import featureSpec from '@churn/feature-spec';
import observability from '@churn/observability';
import analytics from '@churn/analytics';

const { startLocalStack, spawnService, stopService, waitUntilReady, stateDir, testStackDataName, testPortOffset } = localStack;
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const CUSTOMERS = Number(args.customers ?? 100_000);
const PER_CUSTOMER = Number(args['predictions-per-customer'] ?? 10);
const REQUESTS = Number(args.requests ?? 200);
const RUNS = Number(args.runs ?? 3);
const WARMUP = 20;
const SECRET = 'customers-bench-secret-at-least-32-characters';
const logger = observability.createLogger({ service: 'bench', level: 'warn' });
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const round = (x) => Math.round(x * 10) / 10;

// libs/analytics' seeded PRNG, so every run seeds the same customers.
const prng = analytics.seededRandom;

for (const dir of ['kafka', 'postgres']) fs.rmSync(path.join(stateDir(), dir, testStackDataName()), { recursive: true, force: true });
const stack = await startLocalStack({ profile: 'test', logger });
const database = new db.Database({ url: stack.databaseUrl, poolSize: 2, applicationName: 'bench' }, logger, observability.createMetricsRegistry('bench'));
const result = {
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  loadBefore: os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' '),
  customers: CUSTOMERS,
  predictions: CUSTOMERS * PER_CUSTOMER,
};

// 1. Seed.
const seedStart = process.hrtime.bigint();
const phase = (name) => process.stderr.write(`${new Date().toISOString()} ${name} (${round(ms(seedStart) / 1000)} s into the seed)\n`);
await database.query('bench.seed_predictions', 'SELECT setseed(0.42)');
await database.query(
  'bench.seed_predictions',
  `INSERT INTO monitoring_predictions (prediction_id, customer_id, model_version, role, churn_probability, risk_score, risk_level,
     intervention_cost, revenue_at_risk, experiment_name, experiment_arm, as_of, scored_at, recommended_action, top_factors)
   SELECT 'p-' || c || '-' || k, 'C' || lpad(c::text, 6, '0'), CASE WHEN k > $2 - 3 THEN 'v2' ELSE 'v1' END, 'champion', prob, round(prob * 100),
          CASE WHEN prob >= 0.8 THEN 'critical' WHEN prob >= 0.6 THEN 'high' WHEN prob >= 0.4 THEN 'medium' ELSE 'low' END,
          CASE WHEN prob >= 0.6 THEN 40 ELSE 0 END, round((20 + 100 * random())::numeric * 12, 2),
          'retention-2026', CASE WHEN c % 5 = 0 THEN 'control' ELSE 'treatment' END,
          now() - ($2 - k) * interval '1 day', now() - ($2 - k) * interval '1 day' + interval '1 minute',
          CASE WHEN prob >= 0.6 THEN 'retention_call' ELSE 'none' END,
          '[{"feature":"Contract","value":"Month-to-month","contribution":0.3},{"feature":"tenure","value":3,"contribution":0.2}]'::jsonb
     FROM generate_series(1, $1::int) AS c, generate_series(1, $2::int) AS k, LATERAL (SELECT power(random(), 1.6) + 0 * c * k AS prob OFFSET 0) r`,
  [CUSTOMERS, PER_CUSTOMER],
);
phase('predictions seeded');
const migration = fs.readFileSync(path.join(localStack.REPO_ROOT, 'libs/db/migrations/1797300000000_monitoring-customers.sql'), 'utf8');
const backfill = migration.slice(migration.indexOf('INSERT INTO monitoring_customers'), migration.indexOf('-- Down Migration'));
await database.query('bench.seed_customers', backfill);
phase('read model rows seeded');
const spec = featureSpec.loadFeatureSpec(featureSpec.TELCO_SPEC_PATH);
const hash = featureSpec.specHash(spec);
const columns = featureSpec.featureColumns(spec);
const textAttributes = spec.attributes.filter((a) => a.type === 'categorical').map((a) => a.name);
const random = prng(7);
for (let from = 1; from <= CUSTOMERS; from += 10_000) {
  const ids = [];
  const vectors = [];
  const attributes = [];
  const searchTexts = [];
  for (let c = from; c < Math.min(from + 10_000, CUSTOMERS + 1); c++) {
    const features = {};
    for (const column of columns) {
      const attribute = spec.attributes.find((a) => a.name === column.name);
      if (attribute?.type === 'categorical') features[column.name] = attribute.categories[Math.floor(random() * attribute.categories.length)];
      else if (attribute?.type === 'boolean') features[column.name] = random() < 0.5 ? attribute.true_value : attribute.false_value;
      else features[column.name] = Math.round(random() * 100 * 100) / 100;
    }
    ids.push(`C${String(c).padStart(6, '0')}`);
    vectors.push(JSON.stringify(features));
    attributes.push(JSON.stringify(Object.fromEntries(spec.attributes.map((a) => [a.name, features[a.name]]))));
    searchTexts.push(
      textAttributes
        .map((n) => features[n])
        .join(' ')
        .toLowerCase(),
    );
  }
  await database.query(
    'bench.seed_vectors',
    `INSERT INTO monitoring_customer_vectors (customer_id, features, spec_hash, as_of, source_event_id)
     SELECT u.customer_id, u.features::jsonb, $3, now(), 'seed' FROM unnest($1::text[], $2::text[]) AS u(customer_id, features)`,
    [ids, vectors, hash],
  );
  await database.query(
    'bench.seed_attributes',
    `UPDATE monitoring_customers c SET attributes = u.attributes::jsonb, search_text = u.search_text
       FROM unnest($1::text[], $2::text[], $3::text[]) AS u(customer_id, attributes, search_text) WHERE c.customer_id = u.customer_id`,
    [ids, attributes, searchTexts],
  );
}
phase('vectors seeded');
await database.query(
  'bench.seed_alerts',
  `UPDATE monitoring_customers SET alert_id = 'A-' || customer_id, alert_level = risk_level,
          alert_state = (ARRAY['pending', 'acknowledged', 'resolved', 'pending'])[1 + abs(hashtext(customer_id)) % 4],
          alert_due_at = now() + interval '4 hours', alert_occurred_at = now() - interval '1 hour'
    WHERE risk_level IN ('high', 'critical')`,
);
// Half of the alerted customers have an open retention task in a CRM (crm-sync creates one per alert).
await database.query(
  'bench.seed_crm_tasks',
  `UPDATE monitoring_customers SET crm_task_open = abs(hashtext(customer_id || 'crm')) % 2 = 0 WHERE alert_id IS NOT NULL`,
);
await database.query('bench.analyze', 'ANALYZE monitoring_predictions');
await database.query('bench.analyze', 'ANALYZE monitoring_customers');
await database.query('bench.analyze', 'ANALYZE monitoring_customer_vectors');
result.seedSeconds = round(ms(seedStart) / 1000);
const [levels] = await database.query(
  'bench.levels',
  `SELECT count(*) FILTER (WHERE risk_level = 'critical')::int AS critical, count(*) FILTER (WHERE risk_level = 'high')::int AS high FROM monitoring_customers`,
);
result.levels = levels;

// 2. Monitoring over HTTP.
const port = 13000 + testPortOffset() + 55;
const monitoring = spawnService(
  'monitoring',
  {
    KAFKA_BROKERS: stack.kafkaBrokers,
    DATABASE_URL: stack.databaseUrl,
    KAFKA_GROUP_PREFIX: `bench-${Date.now()}`,
    LOG_LEVEL: 'warn',
    AUTH_JWT_SECRET: SECRET,
    MONITORING_REFRESH_INTERVAL_MS: '3600000',
    MONITORING_POPULATION_INTERVAL_MS: '3600000',
  },
  { port },
);
await waitUntilReady(monitoring, 120_000);
const token = await new SignJWT({ roles: ['agent'] })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject('bench')
  .setIssuedAt()
  .setExpirationTime('2h')
  .sign(new TextEncoder().encode(SECRET));
const base = `http://127.0.0.1:${port}`;
async function request(pathAndQuery, accept = 'application/json') {
  const t0 = process.hrtime.bigint();
  const response = await fetch(`${base}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}`, accept } });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status} ${body.slice(0, 300)}`);
  return { ms: ms(t0), body };
}
const pick = prng(11);
const customerId = () => `C${String(1 + Math.floor(pick() * CUSTOMERS)).padStart(6, '0')}`;
const MIXES = {
  'baseline: first page, no filter (-score)': () => '/v1/customers',
  'risk_level=high,critical (-score)': () => '/v1/customers?risk_level=high,critical',
  'critical + alert_state=pending (-revenue_at_risk)': () => '/v1/customers?risk_level=critical&alert_state=pending&sort=-revenue_at_risk',
  'attr.Contract + attr.InternetService + score_min=60 (-score_change)': () =>
    '/v1/customers?attr.Contract=Month-to-month&attr.InternetService=Fiber%20optic&score_min=60&sort=-score_change',
  'q=fiber (text attribute, -score)': () => '/v1/customers?q=fiber',
  'q=<id prefix> (5 characters)': () => `/v1/customers?q=${customerId().slice(0, 5)}`,
  'arm=control + risk_level=high, page 20': () => '/v1/customers?arm=control&risk_level=high&page=20',
  'score 40–60, revenue_at_risk ascending, page 5 of 100': () => '/v1/customers?score_min=40&score_max=60&sort=revenue_at_risk&page=5&page_size=100',
  'alert_state=none + attr.PaymentMethod (-revenue_at_risk)': () =>
    '/v1/customers?alert_state=none&attr.PaymentMethod=Electronic%20check&sort=-revenue_at_risk',
  'crm_task=none + risk_level=critical (-revenue_at_risk)': () => '/v1/customers?crm_task=none&risk_level=critical&sort=-revenue_at_risk',
  "a customer's page (GET /v1/customers/{id})": () => `/v1/customers/${customerId()}`,
};
result.runs = [];
for (let run = 1; run <= RUNS; run++) {
  const figures = {};
  for (const [name, next] of Object.entries(MIXES)) {
    for (let i = 0; i < WARMUP; i++) await request(next());
    const times = [];
    for (let i = 0; i < REQUESTS; i++) times.push((await request(next())).ms);
    times.sort((a, b) => a - b);
    figures[name] = { p50: round(quantile(times, 0.5)), p95: round(quantile(times, 0.95)), max: round(times[times.length - 1]) };
  }
  result.runs.push({
    run,
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    figures,
  });
  process.stderr.write(`run ${run}: ${JSON.stringify(figures)}\n`);
}
result.medianOverRuns = Object.fromEntries(
  Object.keys(MIXES).map((name) => [
    name,
    { p50: median(result.runs.map((r) => r.figures[name].p50)), p95: median(result.runs.map((r) => r.figures[name].p95)) },
  ]),
);
const { total: totalMatches } = JSON.parse((await request('/v1/customers?q=fiber')).body);
result.textSearchMatches = totalMatches;

// 3a. The CSV export of a filter, whole.
const exports = [];
let exportedRows = 0;
for (let i = 0; i < 3; i++) {
  const { ms: took, body } = await request('/v1/customers?risk_level=high,critical&format=csv', 'text/csv');
  exports.push(took);
  exportedRows = body.split('\r\n').length - 2;
}
result.csvExport = { filter: 'risk_level=high,critical', rows: exportedRows, medianMs: round(median(exports)) };

// 3b. `q=` in SQL: the trigram index, then the same statements without it (ILIKE over every row).
const searchSql = `SELECT customer_id FROM monitoring_customers c WHERE c.prediction_id IS NOT NULL AND (lower(c.customer_id) LIKE $1 OR c.search_text LIKE $2)
                    ORDER BY c.risk_score DESC, c.customer_id LIMIT 50`;
const countSql = `SELECT count(*) FROM monitoring_customers c WHERE c.prediction_id IS NOT NULL AND (lower(c.customer_id) LIKE $1 OR c.search_text LIKE $2)`;
async function timeSearch(queryable, term) {
  const times = [];
  for (let i = 0; i < 30; i++) {
    const t0 = process.hrtime.bigint();
    await queryable.query('bench.search', searchSql, [`${term}%`, `%${term}%`]);
    await queryable.query('bench.search_count', countSql, [`${term}%`, `%${term}%`]);
    times.push(ms(t0));
  }
  return round(median(times));
}
// A frequent category (a third of the customers) and a term no customer has (what the index avoids scanning for).
result.textSearchSql = {
  frequentTerm: 'fiber',
  absentTerm: 'platinum',
  frequentWithTrigramIndexMs: await timeSearch(database, 'fiber'),
  absentWithTrigramIndexMs: await timeSearch(database, 'platinum'),
};
await database
  .transaction(async (tx) => {
    await tx.query('bench.drop_trgm', 'DROP INDEX monitoring_customers_search');
    result.textSearchSql.frequentWithoutIndexMs = await timeSearch(tx, 'fiber');
    result.textSearchSql.absentWithoutIndexMs = await timeSearch(tx, 'platinum');
    throw new Error('rollback');
  })
  .catch((error) => {
    if (error.message !== 'rollback') throw error;
  });

result.loadAfter = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
await stopService(monitoring, logger);
await database.close();
await stack.stop();
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
