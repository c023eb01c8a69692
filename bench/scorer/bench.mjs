#!/usr/bin/env node
// Scorer benchmark: in-process batched scoring, explanations per customer, the 25,000-customer CSV
// through `churn score` with explanations and segments, and the seed-style peer (Python stacked
// ensemble behind an HTTP server, one customer per request) measured in the same run.
//   node bench/scorer/bench.mjs [--peer-customers 300] [--skip-peer] [--skip-csv]
// Needs `npx tsc -b tsconfig.json` first (uses libs/scoring/dist and apps/cli/dist).
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

const registry = new ModelRegistryDir();
const model = await OnnxChurnModel.load(registry.dirOf(registry.active()));
const records = parse(fs.readFileSync(path.join(root, 'data/telco/train.csv')), { columns: true });
const rows = records.map((r) => model.validator.check(attributesFromCsvRecord(model.card.features, r)).row);
const results = { machine: `${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}`, load_before: os.loadavg().map((x) => x.toFixed(2)).join(' ') };

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

// 2. Explanations: 1,000 customers per repetition, batched.
const explainSet = rows.slice(0, 1000);
const explainTimes = [];
for (let r = 0; r < 3; r++) {
  const t = now();
  await model.score(explainSet, { explain: true });
  explainTimes.push((now() - t) / explainSet.length);
}
results.explain_ms_per_customer = Number(median(explainTimes).toFixed(3));

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
  const t = now();
  const run = spawnSync(process.execPath, [path.join(root, 'apps/cli/dist/main.js'), 'score', '--input', path.join(tmp, 'in.csv'), '--output', path.join(tmp, 'out.csv'), '--segments', path.join(tmp, 'seg')], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  results.csv_25k_with_explanations_s = Number(((now() - t) / 1000).toFixed(2));
  if (run.status !== 0) results.csv_error = run.stderr.slice(0, 500);
  const t2 = now();
  spawnSync(process.execPath, [path.join(root, 'apps/cli/dist/main.js'), 'score', '--no-explain', '--input', path.join(tmp, 'in.csv'), '--output', path.join(tmp, 'out2.csv'), '--segments', path.join(tmp, 'seg2')], { env: { ...process.env, LOG_LEVEL: 'warn' } });
  results.csv_25k_without_explanations_s = Number(((now() - t2) / 1000).toFixed(2));
  fs.rmSync(tmp, { recursive: true, force: true });
}

// 4. Seed-style peer: one HTTP call per customer to a scikit-learn stacked ensemble (sequential client).
if (!flag('--skip-peer')) {
  const python = path.join(root, '.churn/venv/bin/python');
  const port = 18999;
  const peer = spawn(python, [path.join(root, 'bench/peers/seed_stacked_peer.py'), '--data', path.join(root, 'data/telco/train.csv'), '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PYTHONWARNINGS: 'ignore' } });
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
}
results.load_after = os.loadavg().map((x) => x.toFixed(2)).join(' ');
await model.close();
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
