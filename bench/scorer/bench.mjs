#!/usr/bin/env node
// Scorer benchmark: in-process batched scoring, explanations per customer (fast additive path and
// the full evaluation), the 25,000-customer CSV through `churn score` with explanations and segments,
// the seed-style peer (Python stacked ensemble behind an HTTP server, one customer per request) and the
// single-customer HTTP benchmark (http-predict.mjs: fixed rate, own test stack), all in the same run.
//   node bench/scorer/bench.mjs [--peer-customers 300] [--csv-runs 3] [--http-seconds 30] [--http-runs 3]
//                               [--skip-peer] [--skip-csv] [--skip-http] [--registry DIR --data CSV]
// --registry/--data: the in-process and explanation parts on another model and its table (e.g. the
// SaaS business's, whose aggregates are model inputs); the CSV, peer and HTTP parts are Telco's.
// Needs `npx tsc -b tsconfig.json` first (uses libs/scoring/dist, apps/cli/dist, apps/scorer/dist).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const { OnnxChurnModel, ModelRegistryDir, attributesFromCsvRecord } = require(path.join(root, 'libs/scoring/dist/index.js'));
const { parse } = require('csv-parse/sync');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e6;

const text = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const registry = new ModelRegistryDir(text('--registry', undefined));
const model = await OnnxChurnModel.load(registry.dirOf(registry.active()));
const records = parse(fs.readFileSync(path.resolve(root, text('--data', 'data/telco/train.csv'))), { columns: true });
const rows = records.map((r) => model.validator.check(attributesFromCsvRecord(model.card.features, r)).row);
const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const results = {
  machine: `${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
  started: new Date().toISOString(),
  load_before: loadavg(),
  explanation_path: model.explanationPath,
  model: model.card.version ?? registry.active(),
  data: text('--data', 'data/telco/train.csv'),
};

// 1. In-process, batched, no explanations: 100,000 customers per repetition.
const big = Array.from({ length: 100_000 }, (_, i) => rows[i % rows.length]);
await model.score(big.slice(0, 5000), { explain: false });
const batchTimes = [];
for (let r = 0; r < 5; r++) {
  const t = now();
  await model.score(big, { explain: false });
  batchTimes.push(now() - t);
}
results.inprocess_customers_per_s = Math.round(100_000 / (median(batchTimes) / 1000));

// 2. Explanations: up to 5 repetitions (as many as the table has) of 1,000 different customers each,
// batched (new charge values are new term rows for the additive path, as in production). The full
// evaluation on 200 customers for scale.
const explainTimes = [];
for (let r = 0; r < Math.min(5, Math.floor(rows.length / 1000)); r++) {
  const explainSet = rows.slice(r * 1000, r * 1000 + 1000);
  const t = now();
  await model.score(explainSet, { explain: true });
  explainTimes.push((now() - t) / explainSet.length);
}
results.explain_ms_per_customer = Number(median(explainTimes).toFixed(4));
results.explain_ms_per_customer_runs = explainTimes.map((x) => Number(x.toFixed(4)));
const full = await OnnxChurnModel.load(registry.dirOf(registry.active()), { explainer: 'full' });
await full.score(rows.slice(0, 20), { explain: true });
const tFull = now();
await full.score(rows.slice(-200), { explain: true });
results.explain_full_evaluation_ms_per_customer = Number(((now() - tFull) / 200).toFixed(3));
await full.close();

// 3. The deployment guide's job: 25,000 customers, CSV in, scores + segments out, with explanations.
if (!flag('--skip-csv')) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-bench-'));
  const lines = fs.readFileSync(path.join(root, 'data/telco/train.csv'), 'utf8').trim().split('\n');
  const out = [lines[0]];
  for (let i = 0; i < 25_000; i++) {
    const line = lines[1 + (i % (lines.length - 1))];
    out.push(`B${i}${line.slice(line.indexOf(','))}`);
  }
  fs.writeFileSync(path.join(tmp, 'in.csv'), `${out.join('\n')}\n`);
  // Wall time of the whole command, process start included; runs alternate with and without explanations.
  const score = (extra, name) => {
    const t = now();
    const run = spawnSync(
      process.execPath,
      [
        path.join(root, 'apps/cli/dist/main.js'),
        'score',
        ...extra,
        '--input',
        path.join(tmp, 'in.csv'),
        '--output',
        path.join(tmp, `${name}.csv`),
        '--segments',
        path.join(tmp, name),
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'warn' },
      },
    );
    if (run.status !== 0) throw new Error(`churn score failed: ${run.stderr.slice(0, 500)}`);
    return (now() - t) / 1000;
  };
  const withExplanations = [];
  const withoutExplanations = [];
  for (let r = 0; r < option('--csv-runs', 3); r++) {
    withExplanations.push(score([], 'explained'));
    withoutExplanations.push(score(['--no-explain'], 'plain'));
  }
  const summary = JSON.parse(fs.readFileSync(path.join(tmp, 'explained', 'summary.json'), 'utf8'));
  if (summary.scored !== 25_000 || summary.explanation_path !== model.explanationPath) throw new Error(`unexpected CSV summary ${JSON.stringify(summary)}`);
  results.csv_25k_with_explanations_s = Number(median(withExplanations).toFixed(2));
  results.csv_25k_with_explanations_runs_s = withExplanations.map((x) => Number(x.toFixed(2)));
  results.csv_25k_without_explanations_s = Number(median(withoutExplanations).toFixed(2));
  results.csv_25k_without_explanations_runs_s = withoutExplanations.map((x) => Number(x.toFixed(2)));
  fs.rmSync(tmp, { recursive: true, force: true });
}

// 4. Seed-style peer: one HTTP call per customer to a scikit-learn stacked ensemble (sequential client).
if (!flag('--skip-peer')) {
  const python = path.join(root, '.churn/venv/bin/python');
  const port = 18999;
  const peer = spawn(python, [path.join(root, 'bench/peers/seed_stacked_peer.py'), '--data', path.join(root, 'data/telco/train.csv'), '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PYTHONWARNINGS: 'ignore' },
  });
  await new Promise((resolve, reject) => {
    peer.stdout.on('data', (d) => String(d).includes('READY') && resolve());
    peer.once('exit', (code) => reject(new Error(`peer exited ${code}`)));
  });
  const n = option('--peer-customers', 300);
  const latencies = [];
  const t = now();
  for (let i = 0; i < n; i++) {
    const r = records[i % records.length];
    const body = JSON.stringify({ ...Object.fromEntries(model.featureNames.map((f, j) => [f, rows[i % rows.length][j]])), customerID: r.customerID });
    const s = now();
    const res = await fetch(`http://127.0.0.1:${port}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.json();
    latencies.push(now() - s);
  }
  const elapsed = now() - t;
  peer.kill('SIGTERM');
  results.peer_customers_per_s = Number((n / (elapsed / 1000)).toFixed(1));
  results.peer_median_ms = Number(median(latencies).toFixed(2));
  results.peer_p99_ms = Number([...latencies].sort((a, b) => a - b)[Math.floor(n * 0.99)].toFixed(2));
  results.ratio_inprocess_vs_peer = Math.round(results.inprocess_customers_per_s / results.peer_customers_per_s);
  results.peer_25k_estimate_s = Math.round(25_000 / results.peer_customers_per_s);
  if (results.csv_25k_with_explanations_s)
    results.ratio_csv_25k_explained_vs_peer = Math.round(results.peer_25k_estimate_s / results.csv_25k_with_explanations_s);
}

// 5. Single-customer HTTP: fixed rate (p99 target) and sequential (like-for-like with the peer), own test stack.
if (!flag('--skip-http')) {
  const http = spawnSync(
    process.execPath,
    [path.join(import.meta.dirname, 'http-predict.mjs'), '--seconds', String(option('--http-seconds', 30)), '--runs', String(option('--http-runs', 3))],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CHURN_TEST_PORT_OFFSET: process.env.CHURN_TEST_PORT_OFFSET ?? '100' },
    },
  );
  if (http.status !== 0) throw new Error('http-predict.mjs failed');
  results.http = JSON.parse(http.stdout);
  if (results.peer_customers_per_s) {
    results.ratio_http_sequential_vs_peer = Number((results.http.sequential.customers_per_s / results.peer_customers_per_s).toFixed(1));
    results.ratio_http_median_latency_peer_vs_ours = Number((results.peer_median_ms / results.http.sequential.median_ms).toFixed(1));
  }
}
results.load_after = loadavg();
results.finished = new Date().toISOString();
await model.close();
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
