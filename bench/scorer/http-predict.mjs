#!/usr/bin/env node
// Single-customer HTTP benchmark of the scorer: POST /v1/predict (with explanation) at a fixed rate,
// measured by fixed-rate-client.mjs in its own process, plus a sequential one-request-at-a-time phase
// (the same client style as the seed-style peer in bench.mjs, for a like-for-like ratio), and a control
// run of the same client against a bare node:http server (loopback-echo-server.mjs): the machine's floor.
//   node bench/scorer/http-predict.mjs [--rate 200] [--seconds 30] [--runs 3] [--sequential 1000]
// Starts what the scorer needs the way the integration tests do: a test stack (Kafka + Postgres) under
// CHURN_TEST_PORT_OFFSET (default 100, so never the dev ports), the scorer as a process on
// 13000 + offset + 2, loopback only; everything it started is stopped at the end.
// Needs `npx tsc -b tsconfig.json` first (apps/scorer/dist, libs/local-stack/dist, libs/scoring/dist).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

process.env.CHURN_TEST_PORT_OFFSET ??= '100';
const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const stackLib = require(path.join(root, 'libs/local-stack/dist/index.js'));
const { ModelRegistryDir, parseModelCard, attributesFromCsvRecord } = require(path.join(root, 'libs/scoring/dist/index.js'));
const { createLogger } = require(path.join(root, 'libs/observability/dist/index.js'));
const { parse } = require('csv-parse/sync');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const rate = option('--rate', 200);
const seconds = option('--seconds', 30);
const runs = option('--runs', 3);
const sequential = option('--sequential', 1000);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const logger = createLogger({ service: 'bench', level: 'warn' });

// Request bodies: the training customers, so that the additive path meets new charge values as in production.
const registry = new ModelRegistryDir();
const card = parseModelCard(JSON.parse(fs.readFileSync(path.join(registry.dirOf(registry.active()), 'model-card.json'), 'utf8')), 'card');
const records = parse(fs.readFileSync(path.join(root, 'data/telco/train.csv')), { columns: true });
const bodies = records.map((r) => JSON.stringify({ customer_id: r.customerID, features: attributesFromCsvRecord(card.features, r) }));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-http-bench-'));
const bodiesFile = path.join(tmp, 'bodies.json');
fs.writeFileSync(bodiesFile, JSON.stringify(bodies));

const offset = stackLib.testPortOffset();
for (const dir of ['kafka', 'postgres']) fs.rmSync(path.join(stackLib.stateDir(), dir, stackLib.testStackDataName()), { recursive: true, force: true });
const stack = await stackLib.startLocalStack({ profile: 'test', logger });
const port = 13000 + offset + 2;
const scorer = stackLib.spawnService('scorer', { KAFKA_BROKERS: stack.kafkaBrokers, DATABASE_URL: stack.databaseUrl, LOG_LEVEL: 'warn' }, { port });
const results = {
  offset,
  port,
  rate,
  seconds,
  runs,
  load_before: os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' '),
};
try {
  await stackLib.waitUntilReady(scorer, 120_000);
  const models = await (await fetch(`http://127.0.0.1:${port}/v1/models`)).json();
  results.explanation = models.models.find((m) => m.serving_on_this_instance === 'champion')?.explanation ?? null;
  const url = `http://127.0.0.1:${port}/v1/predict`;

  // Sequential phase: one request at a time, like the peer's client.
  for (let i = 0; i < 200; i++) await post(url, bodies[i]);
  const seqLatencies = [];
  const t0 = performance.now();
  for (let i = 0; i < sequential; i++) {
    const s = performance.now();
    await post(url, bodies[(i * 7) % bodies.length]);
    seqLatencies.push(performance.now() - s);
  }
  results.sequential = {
    customers: sequential,
    customers_per_s: Number((sequential / ((performance.now() - t0) / 1000)).toFixed(1)),
    median_ms: Number(median(seqLatencies).toFixed(3)),
    p99_ms: Number([...seqLatencies].sort((a, b) => a - b)[Math.floor(sequential * 0.99)].toFixed(3)),
  };

  // Fixed-rate phase, several runs; the client is a separate process.
  results.fixed_rate_runs = [];
  const cpuBefore = await scorerCpuSeconds();
  for (let r = 0; r < runs; r++) {
    results.fixed_rate_runs.push(await runClient(url));
  }
  // CPU the scorer process spent per request (user + system): what each request costs the machine.
  const requests = results.fixed_rate_runs.reduce((n, x) => n + x.measured_requests + x.warmup_requests, 0);
  results.scorer_cpu_ms_per_request = Number(((((await scorerCpuSeconds()) - cpuBefore) * 1000) / requests).toFixed(3));
  const pick = (f) => Number(median(results.fixed_rate_runs.map(f)).toFixed(3));
  results.fixed_rate_median = {
    p50_ms: pick((x) => x.latency_ms.p50),
    p95_ms: pick((x) => x.latency_ms.p95),
    p99_ms: pick((x) => x.latency_ms.p99),
    max_ms: pick((x) => x.latency_ms.max),
    achieved_rate: pick((x) => x.achieved_rate),
    non_200: results.fixed_rate_runs.reduce((n, x) => n + x.measured_requests - x.ok, 0),
  };
  // Control: the same client and rate against a bare node:http server (no framework, no model).
  results.control_bare_node_http = await runControl();

  // The scorer's own view (validation + scoring + explanation, without HTTP parsing, queueing or the
  // scheduler): its histogram, cumulative over every phase above. Splits service time from waiting.
  results.server_predict_duration = serverHistogram(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
} finally {
  await stackLib.stopService(scorer, logger);
  await stack.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
results.load_after = os
  .loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);

async function scorerCpuSeconds() {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^process_cpu_seconds_total(?:\{[^}]*\})? ([\d.e+-]+)/m.exec(text)[1]);
}

function serverHistogram(text) {
  const buckets = {};
  let count = 0;
  for (const line of text.split('\n')) {
    const m = /^scorer_http_predict_duration_seconds_(bucket|count)\{([^}]*)\} (\d+)/.exec(line);
    if (!m || !m[2].includes('endpoint="predict"')) continue;
    if (m[1] === 'count') count = Number(m[3]);
    else buckets[/le="([^"]+)"/.exec(m[2])[1]] = Number(m[3]);
  }
  const share = (le) => (count ? Number(((buckets[le] ?? 0) / count).toFixed(5)) : null);
  return {
    requests: count,
    share_within_1ms: share('0.001'),
    share_within_2_5ms: share('0.0025'),
    share_within_5ms: share('0.005'),
    share_within_10ms: share('0.01'),
  };
}

async function post(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (response.status !== 200) throw new Error(`POST /v1/predict: ${response.status} ${await response.text()}`);
  await response.json();
}

async function runControl() {
  const server = spawn(process.execPath, [path.join(import.meta.dirname, 'loopback-echo-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const echoPort = await new Promise((resolve, reject) => {
      server.stdout.on('data', (d) => /READY (\d+)/.test(String(d)) && resolve(Number(/READY (\d+)/.exec(String(d))[1])));
      server.once('exit', (code) => reject(new Error(`echo server exited ${code}`)));
    });
    const run = await runClient(`http://127.0.0.1:${echoPort}/`);
    return { latency_ms: run.latency_ms, achieved_rate: run.achieved_rate, ok: run.ok, measured_requests: run.measured_requests };
  } finally {
    server.kill('SIGTERM');
  }
}

function runClient(url) {
  const client = path.join(import.meta.dirname, 'fixed-rate-client.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [client, '--url', url, '--bodies', bodiesFile, '--rate', String(rate), '--seconds', String(seconds), '--warmup-seconds', '3'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load client exited ${code}`))));
  });
}
