#!/usr/bin/env node
// End-to-end benchmark: customer-events → ingest → scorer → predictions → alerting / crm-sync / monitoring,
// the five services as their own processes on a real Kafka broker and Postgres (a fresh test stack).
//   npx tsc -b tsconfig.json
//   CHURN_TEST_PORT_OFFSET=850 node bench/pipeline/pipeline.bench.mjs [--rates 500,1000,2000] [--seconds 30]
//       [--runs 1] [--saturation-events 60000] [--ceiling-messages 100000] [--explanations on|off|both]
//       [--skip-saturation] [--skip-ceiling] [--no-chart] [--out bench/results/pipeline/last-run.json]
//       [--chart bench/results/pipeline/latency-vs-load.svg] [--linger-ms 0] [--warmup-seconds 90] [--warmup-rate 1000]
//       [--dataset telco|saas] [--spec specs/saas-attributes.yaml]
// --dataset: whose events and spec. `telco` (default): Telco-replay histories under specs/telco.yaml
// (attributes, one invoice a month; its aggregates are computed but no event feeds them). `saas`: the
// synthetic B2B-software business of libs/saas-replay (SYNTHETIC data) under specs/saas.yaml, whose
// behavioural aggregates (logins, usage, tickets, failed payments over 30/90-day windows and trends) are
// model inputs, computed from the events each customer's state keeps in its windows. A model is trained
// on that business's point-in-time table first (the trainer's small config) into a registry of the bench's own.
// Consumer tuning is passed to the services from this environment: KAFKA_CONSUMER_BATCHING, KAFKA_PARTITIONS_CONCURRENTLY,
// INGEST_PARTITIONS_CONCURRENTLY, DATABASE_POOL_SIZE (recorded in the results).
// --linger-ms: at fixed rates the generator publishes what is due at most every N ms (5 is the default
// linger.ms of Kafka's own producer since 4.0, KIP-1030); 0 (default) = as soon as anything is due, every
// ~1 ms at 1,000 events/s. Latency counts from each event's due time either way. 0 vs 5 made no
// difference in two pairs of runs (bench/README.md), so the default stays as the figures were measured.
// --warmup-seconds: before anything is measured, the pipeline runs this long at --warmup-rate events/s,
// paced like the measured phases. The broker is a fresh JVM: in its first minute at 1,000 events/s its
// C1/C2 JIT compiler threads took ~40 % of its CPU (15 of 36 CPU-s), on the same two cores as the pipeline,
// which no long-running deployment pays; the bench records the broker's JIT CPU per phase
// (`broker_jit_cpu_s`) so that a phase measured before the JIT settled shows as such.
// Per explanation setting (the scorer restarted with STREAM_EXPLANATIONS=true/false):
//  1. fixed offered rates: events of Telco-replay customers (5,634 rows cycled under fresh ids; ~300
//     customers interleaved, each customer's events in order) sent on a fixed schedule; latency is
//     measured from each event's *intended* send time (no coordinated omission) to the arrival, in this
//     process, of the first `predictions` message that reflects it (the customer's prediction whose
//     source_event_id is that event or a later one: ingest sends at most one feature message per
//     customer per batch). A sign-up alone makes no prediction (incomplete state), so sign-ups count as
//     events but not in the latency;
//  2. saturation: N events published as fast as the producer goes; events/s = N / (publish start →
//     the prediction that covers the last event), then the time until alerting, crm-sync and monitoring
//     have consumed every prediction (their consumer groups' lag is 0);
//  3. CPU seconds per 1,000 events for each service, the broker and Postgres (/proc utime+stime; for
//     Postgres the postmaster, its live backends and its reaped children), for every phase.
// The machine's ceiling: the broker's own produce→consume rate for messages of the same bytes (kafkajs
// producer and a do-nothing eachBatch consumer running together, 6 partitions like customer-events),
// and Kafka's own ProducerPerformance / ConsumerPerformance (JVM clients) on the same record size.
// Ports: the test stack's (offset CHURN_TEST_PORT_OFFSET, default 850) and the services on
// 13000 + offset + 1…5; loopback only. Everything it starts is stopped at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

process.env.CHURN_TEST_PORT_OFFSET ??= '850';
const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const stackLib = require(path.join(root, 'libs/local-stack/dist/index.js'));
const { Topics } = require(path.join(root, 'libs/contracts/dist/index.js'));
const telco = require(path.join(root, 'libs/telco-replay/dist/index.js'));
const saas = require(path.join(root, 'libs/saas-replay/dist/index.js'));
const { createLogger } = require(path.join(root, 'libs/observability/dist/index.js'));
const { Kafka, logLevel, Partitioners } = require('kafkajs');

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const flag = (name) => argv.includes(`--${name}`);
const RATES = String(opt('rates', '500,1000,2000'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const SECONDS = Number(opt('seconds', 30));
const RUNS = Number(opt('runs', 1));
const SATURATION_EVENTS = Number(opt('saturation-events', 60_000));
const CEILING_MESSAGES = Number(opt('ceiling-messages', 100_000));
const EXPLANATIONS = { on: [true], off: [false], both: [true, false] }[opt('explanations', 'both')];
const OUT = path.resolve(root, opt('out', 'bench/results/pipeline/last-run.json'));
const DRAIN_TIMEOUT_MS = 60_000;
const LINGER_MS = Number(opt('linger-ms', 0));
const WARMUP_SECONDS = Number(opt('warmup-seconds', 90));
const WARMUP_RATE = Number(opt('warmup-rate', 1000));
if (!(LINGER_MS >= 0)) throw new Error('--linger-ms must be a number ≥ 0');
if (!EXPLANATIONS) throw new Error('--explanations must be on, off or both');
const DATASET = opt('dataset', 'telco');
if (!['telco', 'saas'].includes(DATASET)) throw new Error('--dataset must be telco or saas');
// --spec (saas only): the spec the SaaS business runs under; specs/saas-attributes.yaml (the same events,
// no aggregates) is the baseline that isolates what the behavioural aggregates cost.
const SAAS_SPEC = opt('spec', undefined) === undefined ? saas.SAAS_SPEC_PATH : path.resolve(root, opt('spec'));
if (opt('spec', undefined) !== undefined && DATASET !== 'saas') throw new Error('--spec is for --dataset saas');

const logger = createLogger({ service: 'bench', level: 'warn' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : null);
const round = (x, d = 0) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d)));
const log = (...parts) => process.stderr.write(`[pipeline-bench ${new Date().toISOString().slice(11, 19)} load ${loadavg()}] ${parts.join(' ')}\n`);

// ---------------------------------------------------------------------------------------------------
// Events: customer histories of the dataset under fresh ids, interleaved (each customer's events stay in order).
const runTag = randomUUID().slice(0, 6);
let customerCursor = 0;
/** The i-th fresh customer's events, in order. */
let historyOf;
if (DATASET === 'telco') {
  const rows = telco.parseTelcoCsv(fs.readFileSync(path.join(root, 'data/telco/train.csv')));
  historyOf = (i) => {
    const row = rows[i % rows.length];
    return telco.customerHistory({ ...row, customerID: `${row.customerID}-${runTag}-${i}` });
  };
} else {
  // 1,000 customers, two years: ~252,000 events (65 % logins, 30 % usage reports), 4–3,400 per customer.
  const histories = [...saas.groupByCustomer(saas.businessEvents(saas.generateSaasBusiness({ customers: 1000, seed: 11 }))).values()];
  historyOf = (i) => {
    const history = histories[i % histories.length];
    const customerId = `${history[0].customer_id}-${runTag}-${i}`;
    return history.map((e) => ({ ...e, customer_id: customerId, event_id: `${e.event_id}:${runTag}-${i}` }));
  };
}
/** `count` events of fresh customers, `window` customers interleaved round-robin. */
function eventStream(count, window = 300) {
  const out = [];
  const active = [];
  const next = () => historyOf(customerCursor++);
  while (out.length < count) {
    while (active.length < window) active.push({ events: next(), at: 0 });
    for (let k = 0; k < active.length && out.length < count; k++) {
      const c = active[k];
      out.push(c.events[c.at++]);
      if (c.at >= c.events.length) active[k] = { events: next(), at: 0 };
    }
  }
  // Customers cut off at the end would leave events whose state never completes: drop trailing sign-ups.
  return out;
}
const toMessage = (e) => ({ key: e.customer_id, value: JSON.stringify(e) });

// ---------------------------------------------------------------------------------------------------
// CPU of processes, from /proc (seconds).
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
function procStat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields after the name: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17)
    return { ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]), cutime: Number(f[13]), cstime: Number(f[14]) };
  } catch {
    return undefined;
  }
}
function cpuOf(pid, withChildren = false) {
  const s = procStat(pid);
  if (!s) return 0;
  return (s.utime + s.stime + (withChildren ? s.cutime + s.cstime : 0)) / TICKS;
}
/** CPU seconds of the JVM's JIT compiler threads (C1, C2) of a process: warm-up work, not the broker's. */
function jitCpu(pid) {
  let total = 0;
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      if (!/^C[12] Compiler/.test(fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8'))) continue;
      total += cpuOf(`${pid}/task/${tid}`); // a thread's /proc/<pid>/task/<tid>/stat reads like a process's
    }
  } catch {
    /* the broker is gone */
  }
  return total;
}
function postgresCpu(postmasterPid) {
  if (!postmasterPid) return 0;
  let total = cpuOf(postmasterPid, true); // its own time and every backend it has reaped
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = procStat(entry);
    if (s?.ppid === postmasterPid) total += (s.utime + s.stime) / TICKS;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------
const offset = stackLib.testPortOffset();
const results = {
  command: `CHURN_TEST_PORT_OFFSET=${offset} node bench/pipeline/pipeline.bench.mjs ${argv.join(' ')}`.trim(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, Kafka ${stackLib.kafkaRelease().version} (single broker, KRaft), embedded Postgres`,
  started: new Date().toISOString(),
  load_before: loadavg(),
  offset,
  rates: RATES,
  seconds_per_rate: SECONDS,
  runs_per_rate: RUNS,
  generator_linger_ms: LINGER_MS,
  warmup: { seconds: WARMUP_SECONDS, events_per_s: WARMUP_RATE },
  // Consumer tuning handed to the services from this process's environment (unset: the services' defaults).
  service_env: Object.fromEntries(
    [
      'KAFKA_CONSUMER_BATCHING',
      'KAFKA_PARTITIONS_CONCURRENTLY',
      'INGEST_PARTITIONS_CONCURRENTLY',
      'KAFKA_CONSUMER_MIN_BYTES',
      'KAFKA_CONSUMER_MAX_WAIT_MS',
      'DATABASE_POOL_SIZE',
    ].map((k) => [k, process.env[k] ?? '(default)']),
  ),
};

results.dataset = DATASET;
// The SaaS business needs a model of its own spec: trained here on its point-in-time table (SYNTHETIC data).
const datasetEnv = {};
if (DATASET === 'saas') {
  const dir = path.join(os.tmpdir(), `churn-pipeline-bench-saas-${runTag}`);
  const dataset = saas.writeSaasDataset({
    outDir: path.join(dir, 'data'),
    customers: 3000,
    seed: 11,
    referenceTime: saas.SAAS_REFERENCE_TIME,
    specPaths: [SAAS_SPEC],
  });
  const registryDir = path.join(dir, 'models');
  log(`training a model of ${path.relative(root, SAAS_SPEC)} on ${dataset.tables[0].rows} SYNTHETIC customers`);
  const train = spawnSync(
    process.execPath,
    [
      'apps/cli/dist/main.js',
      'train',
      '--spec',
      SAAS_SPEC,
      '--data',
      path.join(dir, 'data', dataset.tables[0].file),
      '--out',
      registryDir,
      '--config',
      'apps/trainer/config/test.yaml',
      '--skip-shap',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (train.status !== 0) throw new Error(`churn train failed (exit ${train.status}): ${(train.stderr || train.stdout).slice(-2000)}`);
  results.model = fs.readFileSync(path.join(registryDir, 'active'), 'utf8').trim();
  // Replayed histories include long-cancelled customers, whose numbers leave the training range (as in `churn demo --dataset saas`).
  results.spec = path.relative(root, SAAS_SPEC);
  Object.assign(datasetEnv, { FEATURE_SPEC_FILE: SAAS_SPEC, MODEL_REGISTRY_DIR: registryDir, FEATURE_RANGE_TOLERANCE: '10' });
}
results.dataset_env = datasetEnv;

for (const dir of ['kafka', 'postgres']) fs.rmSync(path.join(stackLib.stateDir(), dir, stackLib.testStackDataName()), { recursive: true, force: true });
log('starting the test stack', stackLib.testStackDataName());
const stack = await stackLib.startLocalStack({ profile: 'test', logger });
const brokerPid = Number(fs.readFileSync(path.join(stackLib.stateDir(), 'kafka', stack.dataName, 'broker.pid'), 'utf8'));
const postmasterPid = Number(fs.readFileSync(path.join(stackLib.stateDir(), 'postgres', stack.dataName, 'postmaster.pid'), 'utf8').split('\n')[0]);
const kafka = new Kafka({ clientId: 'pipeline-bench', brokers: stack.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
const services = new Map();
const groupPrefix = `pbench-${runTag}`;
const serviceEnv = { KAFKA_BROKERS: stack.kafkaBrokers, DATABASE_URL: stack.databaseUrl, KAFKA_GROUP_PREFIX: groupPrefix, LOG_LEVEL: 'warn', ...datasetEnv };

async function startService(name, extraEnv = {}) {
  const { port } = stackLib.SERVICES.find((s) => s.name === name);
  const service = stackLib.spawnService(name, { ...serviceEnv, ...extraEnv }, { port: 13000 + offset + (port % 1000) });
  services.set(name, service);
  return service;
}
async function stopAll() {
  await Promise.allSettled([...services.values()].map((s) => stackLib.stopService(s, logger)));
  services.clear();
}
function cpuSnapshot() {
  const snap = { bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6, broker: cpuOf(brokerPid), postgres: postgresCpu(postmasterPid) };
  for (const [name, s] of services) snap[name] = cpuOf(s.child.pid);
  return snap;
}
function cpuPer1000(before, after, events, wallSeconds) {
  const per1000 = {};
  const cores = {};
  for (const key of Object.keys(after)) {
    const used = after[key] - (before[key] ?? 0);
    per1000[key] = round((used / events) * 1000, 3);
    cores[key] = round(used / wallSeconds, 2);
  }
  return { cpu_s_per_1000_events: per1000, cores_busy: cores };
}

/** Per service: the shared BatchConsumer's batch metrics by consumed topic (batches, messages, seconds, and
 * seconds per phase: waiting = age of a batch's oldest message when processing starts, handler, dead_letters,
 * commit), Postgres statements by operation and publishes by topic — sums and counts, diffed per phase. */
async function scrapeBatches() {
  const out = {};
  const add = (key, field, value) => {
    out[key] ??= {};
    out[key][field] = value;
  };
  for (const [name, s] of services) {
    try {
      const text = await (await fetch(`http://127.0.0.1:${s.port}/metrics`, { signal: AbortSignal.timeout(3000) })).text();
      for (const line of text.split('\n')) {
        let m = /^churn_kafka_batch_(duration_seconds|size_messages)_(sum|count)\{[^}]*topic="([^"]+)"[^}]*\} ([\d.eE+-]+)$/.exec(line);
        if (m) {
          add(`${name} ← ${m[3]}`, `${m[1]}_${m[2]}`, Number(m[4]));
          continue;
        }
        m = /^churn_kafka_batch_phase_seconds_(sum|count)\{[^}]*topic="([^"]+)"[^}]*phase="([^"]+)"[^}]*\} ([\d.eE+-]+)$/.exec(line);
        if (m) {
          add(`${name} ← ${m[2]}`, `phase:${m[3]}_${m[1]}`, Number(m[4]));
          continue;
        }
        m = /^churn_db_query_duration_seconds_(sum|count)\{[^}]*operation="([^"]+)"[^}]*\} ([\d.eE+-]+)$/.exec(line);
        if (m) {
          add(`${name} db`, `${m[2]}_${m[1]}`, Number(m[3]));
          continue;
        }
        m = /^churn_kafka_produce_duration_seconds_(sum|count)\{[^}]*topic="([^"]+)"[^}]*\} ([\d.eE+-]+)$/.exec(line);
        if (m) add(`${name} produce`, `${m[2]}_${m[1]}`, Number(m[3]));
      }
    } catch {
      // a service that does not answer is reported without batch figures
    }
  }
  return out;
}
function batchStats(before, after) {
  const out = {};
  for (const [key, a] of Object.entries(after)) {
    const b = before[key] ?? {};
    const d = (field) => (a[field] ?? 0) - (b[field] ?? 0);
    if (key.endsWith(' db') || key.endsWith(' produce')) {
      // operation → { calls, mean_ms, total_s }
      const ops = {};
      for (const field of Object.keys(a)) {
        if (!field.endsWith('_count')) continue;
        const op = field.slice(0, -'_count'.length);
        const calls = d(`${op}_count`);
        if (calls > 0) ops[op] = { calls, mean_ms: round((d(`${op}_sum`) / calls) * 1000, 2), total_s: round(d(`${op}_sum`), 2) };
      }
      if (Object.keys(ops).length) out[key] = ops;
      continue;
    }
    const batches = d('size_messages_count');
    if (batches <= 0) continue;
    const phases = {};
    for (const field of Object.keys(a)) {
      const m = /^phase:(.+)_count$/.exec(field);
      if (!m) continue;
      const n = d(field);
      if (n > 0) phases[m[1]] = { n, mean_ms: round((d(`phase:${m[1]}_sum`) / n) * 1000, 1) };
    }
    out[key] = {
      batches,
      mean_messages: round(d('size_messages_sum') / batches, 1),
      mean_ms: round((d('duration_seconds_sum') / batches) * 1000, 1),
      busy_s: round(d('duration_seconds_sum'), 2),
      ...(Object.keys(phases).length ? { phases } : {}),
    };
  }
  return out;
}

try {
  // -------------------------------------------------------------------------------------------------
  // Ceiling: the broker's own produce → consume rate, messages of the same bytes, no processing.
  const sample = eventStream(20_000);
  const meanBytes = Math.round(sample.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / sample.length);
  results.mean_event_bytes = meanBytes;
  if (!flag('skip-ceiling')) {
    log('ceiling: kafkajs produce→consume', CEILING_MESSAGES, 'messages');
    const runsCeiling = [];
    for (let r = 0; r < Math.max(1, RUNS); r++) {
      const topic = `bench-ceiling-${runTag}-${r}`;
      await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
      const messages = Array.from({ length: CEILING_MESSAGES }, (_, i) => toMessage(sample[i % sample.length]));
      const consumer = kafka.consumer({ groupId: `bench-ceiling-${runTag}-${r}`, maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let seen = 0;
      let lastAt = 0;
      let joined = false;
      consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
      await consumer.run({
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }) => {
          seen += batch.messages.length;
          lastAt = performance.now();
        },
      });
      while (!joined) await sleep(50);
      const t0 = performance.now();
      for (let i = 0; i < messages.length; i += 2000) await producer.send({ topic, messages: messages.slice(i, i + 2000) });
      const produced = performance.now();
      const deadline = Date.now() + 120_000;
      while (seen < CEILING_MESSAGES && Date.now() < deadline) await sleep(20);
      runsCeiling.push({
        produce_msgs_per_s: round(CEILING_MESSAGES / ((produced - t0) / 1000)),
        produce_consume_msgs_per_s: round(seen / ((lastAt - t0) / 1000)),
      });
      await consumer.disconnect();
    }
    results.ceiling_kafkajs = {
      messages: CEILING_MESSAGES,
      runs: runsCeiling,
      produce_msgs_per_s: median(runsCeiling.map((r) => r.produce_msgs_per_s)),
      produce_consume_msgs_per_s: median(runsCeiling.map((r) => r.produce_consume_msgs_per_s)),
    };
    // Kafka's own JVM performance tools, same record size (random bytes instead of JSON).
    const jars = path.join(stackLib.kafkaJarDir(stackLib.kafkaRelease()), '*');
    const perfTopic = `bench-perf-${runTag}`;
    await admin.createTopics({ topics: [{ topic: perfTopic, numPartitions: 6 }], waitForLeaders: true });
    const java = (cls, args) => spawnSync('java', ['-Xmx256m', '-cp', jars, cls, ...args], { encoding: 'utf8', timeout: 180_000 });
    const p = java('org.apache.kafka.tools.ProducerPerformance', [
      '--topic',
      perfTopic,
      '--num-records',
      String(CEILING_MESSAGES * 3),
      '--record-size',
      String(meanBytes),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${stack.kafkaBrokers}`,
      'acks=all',
    ]);
    const pm = /([\d.]+) records\/sec/.exec(p.stdout.trim().split('\n').pop() ?? '');
    const c = java('org.apache.kafka.tools.ConsumerPerformance', [
      '--bootstrap-server',
      stack.kafkaBrokers,
      '--topic',
      perfTopic,
      '--messages',
      String(CEILING_MESSAGES * 3),
      '--timeout',
      '60000',
    ]);
    const cl = c.stdout.trim().split('\n');
    const header = cl
      .find((l) => l.includes('nMsg.sec'))
      ?.split(',')
      .map((s) => s.trim());
    const values = cl[cl.length - 1]?.split(',').map((s) => s.trim());
    results.ceiling_jvm_tools = {
      records: CEILING_MESSAGES * 3,
      record_bytes: meanBytes,
      producer_records_per_s: pm ? round(Number(pm[1])) : `failed: ${(p.stderr || p.stdout).slice(-300)}`,
      consumer_records_per_s:
        header && values
          ? round(Number(values[header.indexOf(header.includes('fetch.nMsg.sec') ? 'fetch.nMsg.sec' : 'nMsg.sec')]))
          : `failed: ${(c.stderr || c.stdout).slice(-300)}`,
    };
    log('ceiling', JSON.stringify(results.ceiling_kafkajs), JSON.stringify(results.ceiling_jvm_tools));
  }

  // -------------------------------------------------------------------------------------------------
  // The five services.
  log('starting the five services');
  for (const { name } of stackLib.SERVICES) await startService(name, name === 'scorer' ? { STREAM_EXPLANATIONS: String(EXPLANATIONS[0]) } : {});
  await Promise.all([...services.values()].map((s) => stackLib.waitUntilReady(s, 120_000)));

  // The probe: every prediction, matched to the events it covers.
  const pending = new Map(); // customer → [{ id, intended, mayMakeNone }] in send order
  const pendingFeatures = new Map(); // the same, for the customer-features messages (the ingest hop)
  const latencies = []; // ms, event → prediction, of the current phase
  const featureLatencies = []; // ms, event → customer-features message
  let covered = 0; // events covered by a prediction (sign-ups included)
  let predictions = 0;
  let lastPredictionAt = 0;
  // maxWaitTimeInMs only bounds a fetch that finds nothing: new data answers it at once (measured: 20 and 250 ms give the
  // same latency), so the services' 250 ms is kept and the probe adds little polling load to the broker.
  const probe = kafka.consumer({ groupId: `bench-probe-${runTag}`, maxWaitTimeInMs: 250 });
  await probe.connect();
  await probe.subscribe({ topics: [Topics.predictions, Topics.customerFeatures], fromBeginning: false });
  let joined = false;
  probe.on(probe.events.GROUP_JOIN, () => (joined = true));
  await probe.run({
    partitionsConsumedConcurrently: 12,
    eachMessage: async ({ topic, message }) => {
      const now = performance.now();
      if (topic === Topics.customerFeatures) {
        const value = JSON.parse(message.value.toString());
        const queue = pendingFeatures.get(value.customer_id);
        const upTo = queue ? queue.findIndex((p) => p.id === value.source_event_id) : -1;
        if (upTo < 0) return;
        for (const p of queue.splice(0, upTo + 1)) if (!p.mayMakeNone && p.intended !== undefined) featureLatencies.push(now - p.intended);
        if (queue.length === 0) pendingFeatures.delete(value.customer_id);
        return;
      }
      predictions++;
      lastPredictionAt = now;
      const value = JSON.parse(message.value.toString());
      const queue = pending.get(value.customer_id);
      if (!queue) return;
      const upTo = queue.findIndex((p) => p.id === value.source_event_id);
      if (upTo < 0) return;
      for (const p of queue.splice(0, upTo + 1)) {
        covered++;
        if (!p.mayMakeNone && p.intended !== undefined) latencies.push(now - p.intended);
      }
      if (queue.length === 0) pending.delete(value.customer_id);
    },
  });
  while (!joined) await sleep(50);

  const track = (events, intendedOf) => {
    events.forEach((e, i) => {
      // A sign-up alone (incomplete state) and a cancellation (the customer is no longer scored) need make no prediction.
      const cancels = e.event_type === 'subscription.cancelled';
      const entry = { id: e.event_id, intended: intendedOf(i), mayMakeNone: e.event_type === 'customer.signed_up' || cancels, cancels };
      for (const map of [pending, pendingFeatures]) {
        if (!map.has(e.customer_id)) map.set(e.customer_id, []);
        map.get(e.customer_id).push(entry);
      }
    });
  };
  /** Events still waiting for a prediction, except customers whose only pending events need make none (see track). */
  const uncovered = () => {
    let n = 0;
    // A customer whose pending events end in a cancellation may get no prediction for any of them: ingest
    // sends no vector for a customer cancelled by the end of its batch.
    for (const q of pending.values()) if (!q.every((p) => p.mayMakeNone) && !q[q.length - 1].cancels) n += q.length;
    return n;
  };
  const downstreamLag = async () => {
    const { groups } = await admin.listGroups();
    let lag = 0;
    const ends = await admin.fetchTopicOffsets(Topics.predictions);
    for (const g of groups.filter((x) => x.groupId.startsWith(groupPrefix) && !x.groupId.endsWith('.scorer') && !x.groupId.endsWith('.ingest'))) {
      const [offsets] = await admin.fetchOffsets({ groupId: g.groupId, topics: [Topics.predictions] });
      if (!offsets) continue;
      for (const end of ends) {
        const committed = offsets.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        lag += Number(BigInt(end.high) - (committed === '-1' ? BigInt(end.low) : BigInt(committed)));
      }
    }
    return lag;
  };
  const waitDrained = async (t0) => {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (uncovered() > 0 && Date.now() < deadline) await sleep(20);
    const predictionsDoneAt = lastPredictionAt;
    let lag = await downstreamLag();
    while (lag > 0 && Date.now() < deadline) {
      await sleep(100);
      lag = await downstreamLag();
    }
    return {
      uncovered: uncovered(),
      downstream_lag: lag,
      predictions_done_s: round((predictionsDoneAt - t0) / 1000, 2),
      downstream_done_s: round((performance.now() - t0) / 1000, 2),
    };
  };
  const resetPhase = () => {
    latencies.length = 0;
    featureLatencies.length = 0;
    covered = 0;
    predictions = 0;
    pending.clear();
    pendingFeatures.clear();
  };

  /** One measured phase: tracks the events, publishes them with `send(t0)`, waits until every event is
   * covered by a prediction and the downstream consumers have caught up; CPU, batches and load around it. */
  const runPhase = async (events, intendedOf, send) => {
    resetPhase();
    const batchesBefore = await scrapeBatches();
    const cpuBefore = cpuSnapshot();
    const jitBefore = jitCpu(brokerPid);
    const loadBefore = loadavg();
    const t0 = performance.now();
    track(events, (i) => intendedOf(t0, i));
    await send(t0);
    const sendSeconds = (performance.now() - t0) / 1000;
    const predictionsInWindow = predictions;
    const drained = await waitDrained(t0);
    const wall = (performance.now() - t0) / 1000;
    const measured = {
      ...drained,
      load_before: loadBefore,
      load_after: loadavg(),
      ...cpuPer1000(cpuBefore, cpuSnapshot(), events.length, wall),
      broker_jit_cpu_s: round(jitCpu(brokerPid) - jitBefore, 2),
      batches: batchStats(batchesBefore, await scrapeBatches()),
    };
    return { sendSeconds, predictionsInWindow, drained, measured };
  };
  const burst = (events, chunk) => async () => {
    for (let i = 0; i < events.length; i += chunk) await producer.send({ topic: Topics.customerEvents, messages: events.slice(i, i + chunk).map(toMessage) });
  };
  /** Event i is due at t0 + i / rate; whatever is due is published at once, at most every LINGER_MS. */
  const paced = (events, rate) => async (t0) => {
    let sent = 0;
    let lastSend = -Infinity;
    while (sent < events.length) {
      const due = Math.min(events.length, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      if (due > sent) {
        lastSend = performance.now();
        await producer.send({ topic: Topics.customerEvents, messages: events.slice(sent, due).map(toMessage) });
        sent = due;
      }
      // The next event's due time, but not before the linger since the last publish has passed.
      const wait = Math.max(t0 + (sent / rate) * 1000, lastSend + LINGER_MS) - performance.now();
      if (wait > 0) await sleep(Math.max(1, Math.min(wait, 10)));
    }
  };
  // Warm-up: the services' first batches (JIT, ONNX session, pools) are not measured.
  const warmUp = async (n) => {
    const warm = eventStream(n);
    await runPhase(warm, () => undefined, burst(warm, 500));
  };
  await warmUp(3000);
  // Then steady traffic until the JVM's and V8's compilers have done their work (see --warmup-seconds).
  if (WARMUP_SECONDS > 0) {
    const warm = eventStream(WARMUP_RATE * WARMUP_SECONDS);
    const { measured } = await runPhase(warm, (t0, i) => t0 + (i / WARMUP_RATE) * 1000, paced(warm, WARMUP_RATE));
    const p99 = quantile(
      [...latencies].sort((a, b) => a - b),
      0.99,
    );
    results.warmup.p99_ms = round(p99);
    results.warmup.broker_jit_cpu_s = measured.broker_jit_cpu_s;
    results.warmup.cores_busy = measured.cores_busy;
    log(`warm-up ${WARMUP_SECONDS} s at ${WARMUP_RATE} events/s: p99 ${round(p99)} ms, broker JIT ${measured.broker_jit_cpu_s} CPU-s`);
  }

  // Idle cost: the five services, the broker and Postgres with no traffic for 10 s (polling, lag polls, metrics).
  {
    const before = cpuSnapshot();
    await sleep(10_000);
    results.idle_cores_busy = cpuPer1000(before, cpuSnapshot(), 1, 10).cores_busy;
    log('idle cores busy', JSON.stringify(results.idle_cores_busy));
  }

  results.settings = [];
  for (const explanations of EXPLANATIONS) {
    if (explanations !== EXPLANATIONS[0]) {
      log('restarting the scorer with STREAM_EXPLANATIONS', explanations);
      await stackLib.stopService(services.get('scorer'), logger);
      const scorer = await startService('scorer', { STREAM_EXPLANATIONS: String(explanations) });
      await stackLib.waitUntilReady(scorer, 120_000);
      await warmUp(2000);
    }
    const setting = { stream_explanations: explanations, fixed_rate: [], saturation: null };
    results.settings.push(setting);

    // 1. Fixed offered rates: event i is due at t0 + i / rate; whatever is due is sent at once.
    for (const rate of RATES) {
      const runs = [];
      for (let r = 0; r < RUNS; r++) {
        const events = eventStream(rate * SECONDS);
        const { sendSeconds, predictionsInWindow, drained, measured } = await runPhase(events, (t0, i) => t0 + (i / rate) * 1000, paced(events, rate));
        latencies.sort((a, b) => a - b);
        featureLatencies.sort((a, b) => a - b);
        const pct = (xs) => ({ p50: round(quantile(xs, 0.5)), p95: round(quantile(xs, 0.95)), p99: round(quantile(xs, 0.99)), max: round(xs[xs.length - 1]) });
        const run = {
          offered_events_per_s: rate,
          achieved_send_events_per_s: round(events.length / sendSeconds),
          events: events.length,
          predictions,
          predictions_per_s_during_send: round(predictionsInWindow / sendSeconds),
          events_per_s_end_to_end: round(events.length / Math.max(sendSeconds, drained.predictions_done_s ?? sendSeconds)),
          latency_samples: latencies.length,
          latency_ms: pct(latencies),
          event_to_features_latency_ms: pct(featureLatencies),
          ...measured,
        };
        runs.push(run);
        log(
          `explanations=${explanations} rate=${rate} run ${r + 1}/${RUNS}`,
          JSON.stringify({
            p50: run.latency_ms.p50,
            p95: run.latency_ms.p95,
            p99: run.latency_ms.p99,
            features_p99: run.event_to_features_latency_ms.p99,
            achieved: run.achieved_send_events_per_s,
            uncovered: run.uncovered,
            broker_jit_s: run.broker_jit_cpu_s,
          }),
        );
      }
      const pick = (f) => median(runs.map(f));
      setting.fixed_rate.push({
        offered_events_per_s: rate,
        runs,
        median: {
          achieved_send_events_per_s: pick((r) => r.achieved_send_events_per_s),
          predictions_per_s_during_send: pick((r) => r.predictions_per_s_during_send),
          p50_ms: pick((r) => r.latency_ms.p50),
          p95_ms: pick((r) => r.latency_ms.p95),
          p99_ms: pick((r) => r.latency_ms.p99),
          features_p99_ms: pick((r) => r.event_to_features_latency_ms.p99),
          uncovered: pick((r) => r.uncovered),
        },
      });
    }

    // 2. Saturation: a burst published as fast as the producer goes (1,000 customers interleaved).
    if (!flag('skip-saturation')) {
      const runs = [];
      for (let r = 0; r < RUNS; r++) {
        const events = eventStream(SATURATION_EVENTS, 1000);
        const { sendSeconds, drained, measured } = await runPhase(events, () => undefined, burst(events, 2000));
        const seconds = drained.predictions_done_s;
        const run = {
          events: events.length,
          predictions,
          publish_s: round(sendSeconds, 2),
          events_per_s: round(events.length / seconds),
          predictions_per_s: round(predictions / seconds),
          events_per_s_incl_downstream: round(events.length / drained.downstream_done_s),
          ...measured,
        };
        runs.push(run);
        log(
          `explanations=${explanations} saturation run ${r + 1}/${RUNS}`,
          JSON.stringify({ events_per_s: run.events_per_s, predictions_per_s: run.predictions_per_s, uncovered: run.uncovered, cores: run.cores_busy }),
        );
      }
      setting.saturation = {
        runs,
        median: {
          events_per_s: median(runs.map((r) => r.events_per_s)),
          predictions_per_s: median(runs.map((r) => r.predictions_per_s)),
          events_per_s_incl_downstream: median(runs.map((r) => r.events_per_s_incl_downstream)),
        },
      };
      if (results.ceiling_kafkajs)
        setting.saturation.ratio_to_ceiling = round(setting.saturation.median.events_per_s / results.ceiling_kafkajs.produce_consume_msgs_per_s, 4);
    }
  }
  await probe.disconnect();
} finally {
  results.load_after = loadavg();
  results.finished = new Date().toISOString();
  await stopAll();
  await producer.disconnect().catch(() => undefined);
  await admin.disconnect().catch(() => undefined);
  await stack.stop();
}

// Chart data and the chart.
results.chart_subtitle = `${results.machine.split(',')[0]}; load ${results.load_before} → ${results.load_after}; ${results.started.slice(0, 16)} UTC; median of ${RUNS} run(s) of ${SECONDS} s per rate`;
const tuning =
  Object.entries(results.service_env)
    .filter(([, v]) => v !== '(default)')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ') || 'default consumer settings';
results.chart_points = results.settings.flatMap((s) =>
  s.fixed_rate.flatMap((f) =>
    ['p50', 'p95', 'p99'].map((p) => ({
      config: tuning,
      explanations: s.stream_explanations ? 'on' : 'off',
      offered: f.offered_events_per_s,
      achieved: f.median.achieved_send_events_per_s,
      percentile: p,
      ms: Math.max(1, f.median[`${p}_ms`] ?? 0),
    })),
  ),
);
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
if (!flag('no-chart')) {
  const { renderLatencyChart } = await import('./chart.mjs');
  const svgPath = path.resolve(root, opt('chart', 'bench/results/pipeline/latency-vs-load.svg'));
  fs.writeFileSync(svgPath, await renderLatencyChart(results.chart_points, results.chart_subtitle));
  log('chart', path.relative(root, svgPath));
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
