#!/usr/bin/env node
// `npm run bench`: builds, then runs the benchmark set one after another (never in parallel: each starts its
// own test stack, and they would measure each other), each under its own CHURN_TEST_PORT_OFFSET.
//   node bench/run-all.mjs [--only pipeline,ingest,scorer,customers] [--quick] [-- extra args for the pipeline bench]
// --quick: shorter runs (pipeline 10 s per rate after a 10 s warm-up, smaller backlogs), for checking that everything still runs.
// Prints each bench's JSON to stdout and a one-line summary per bench to stderr; exits non-zero if any failed.
// Every bench records the machine and `uptime` load with its figures; bench/README.md explains them.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash < 0 ? argv : argv.slice(0, dash);
const extra = dash < 0 ? [] : argv.slice(dash + 1);
const only = own.includes('--only') ? own[own.indexOf('--only') + 1].split(',') : ['pipeline', 'ingest', 'scorer', 'customers'];
const quick = own.includes('--quick');

const BENCHES = {
  pipeline: {
    offset: '850',
    args: [
      'bench/pipeline/pipeline.bench.mjs',
      ...(quick ? ['--rates', '500,1000', '--seconds', '10', '--saturation-events', '20000', '--ceiling-messages', '30000', '--warmup-seconds', '10'] : []),
      ...extra,
    ],
  },
  ingest: { offset: '200', args: ['bench/ingest/ingest.bench.mjs', ...(quick ? ['--events', '20000', '--seconds', '10'] : [])] },
  scorer: { offset: '100', args: ['bench/scorer/bench.mjs', ...(quick ? ['--skip-peer', '--skip-csv'] : [])] },
  customers: { offset: '300', args: ['bench/customers/customers.bench.mjs', ...(quick ? ['--customers', '10000', '--requests', '50', '--runs', '1'] : [])] },
};

const build = spawnSync('npx', ['tsc', '-b', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const failed = [];
for (const name of only) {
  const bench = BENCHES[name];
  if (!bench) throw new Error(`unknown bench ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
  const env = { ...process.env, CHURN_TEST_PORT_OFFSET: process.env.CHURN_TEST_PORT_OFFSET ?? bench.offset };
  process.stderr.write(
    `\n== ${name}: CHURN_TEST_PORT_OFFSET=${env.CHURN_TEST_PORT_OFFSET} node ${bench.args.join(' ')}  (load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})\n`,
  );
  const started = Date.now();
  const run = spawnSync(process.execPath, bench.args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stderr.write(`== ${name}: ${run.status === 0 ? 'done' : `FAILED (exit ${run.status ?? run.signal})`} in ${seconds} s\n`);
  if (run.status !== 0) failed.push(name);
}
process.stderr.write(`\nbenchmarks: ${only.length - failed.length} done, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}\n`);
process.exit(failed.length ? 1 : 0);
