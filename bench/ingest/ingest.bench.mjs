#!/usr/bin/env node
// Ingest benchmark against a real Kafka broker and a real Postgres (the test stack of this checkout).
//   npm run build   (or: npx tsc -b tsconfig.json)
//   CHURN_TEST_PORT_OFFSET=200 node bench/ingest/ingest.bench.mjs [--events 100000] [--rate 1000] [--seconds 30]
// 1. baseline: the broker's own produce→consume rate for messages of the same size (no processing);
// 2. throughput: N Telco-replay events published first, then the ingest service (its own process)
//    drains them — events/s from the first to the last ledger row;
// 3. latency: with ingest caught up, events published at --rate events/s; for every event, the time
//    from its publication to the arrival of the customer-features message that covers it.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import localStack from '@churn/local-stack';
import contracts from '@churn/contracts';
import db from '@churn/db';
import observability from '@churn/observability';
import telco from '@churn/telco-replay';

const { startLocalStack, spawnService, stopService, waitUntilReady, stateDir, testStackDataName, REPO_ROOT, testPortOffset } = localStack;
const { Topics } = contracts;
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const N = Number(args.events ?? 100_000);
const RATE = Number(args.rate ?? 1000);
const SECONDS = Number(args.seconds ?? 30);
const logger = observability.createLogger({ service: 'bench', level: 'warn' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

for (const dir of ['kafka', 'postgres']) fs.rmSync(path.join(stateDir(), dir, testStackDataName()), { recursive: true, force: true });
const stack = await startLocalStack({ profile: 'test', logger });
const kafka = new Kafka({ clientId: 'bench', brokers: stack.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
const database = new db.Database({ url: stack.databaseUrl, poolSize: 2, applicationName: 'bench' }, logger, observability.createMetricsRegistry('bench'));
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
const rows = telco.parseTelcoCsv(fs.readFileSync(path.join(REPO_ROOT, 'data/telco/train.csv')));
/** Telco histories of fresh customers (ids of this run), customer after customer, until `count` events. */
function eventsOf(count, tag) {
  const out = [];
  for (let i = 0; out.length < count; i++) {
    const row = rows[i % rows.length];
    for (const e of telco.customerHistory({ ...row, customerID: `${row.customerID}-${tag}-${Math.floor(i / rows.length)}` })) out.push(e);
  }
  return out.slice(0, count);
}
async function publish(topic, events, chunk = 5000) {
  for (let i = 0; i < events.length; i += chunk) {
    await producer.send({ topic, messages: events.slice(i, i + chunk).map((e) => ({ key: e.customer_id, value: JSON.stringify(e) })) });
  }
}
const result = {
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  loadBefore: os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' '),
  events: N,
};

// 1. Baseline: same bytes, a topic of the same partitioning, a consumer that does nothing.
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: 'bench-baseline', numPartitions: 6 }] });
const baselineEvents = eventsOf(N, `base${randomUUID().slice(0, 4)}`);
result.meanEventBytes = Math.round(baselineEvents.reduce((n, e) => n + JSON.stringify(e).length, 0) / N);
await publish('bench-baseline', baselineEvents);
{
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'bench-baseline', fromBeginning: true });
  let seen = 0;
  let first = 0;
  const done = new Promise((resolve) => {
    consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        if (!first) first = Date.now();
        seen += batch.messages.length;
        if (seen >= N) resolve(Date.now());
      },
    });
  });
  const last = await done;
  result.baselineEventsPerSecond = Math.round(N / ((last - first) / 1000));
  await consumer.disconnect();
}

// 2. Throughput: a backlog of N events, then ingest (its own process) drains it.
const runTag = randomUUID().slice(0, 6);
const backlog = eventsOf(N, `tp${runTag}`);
await publish(Topics.customerEvents, backlog);
const port = 13000 + testPortOffset() + 50;
const env = { KAFKA_BROKERS: stack.kafkaBrokers, DATABASE_URL: stack.databaseUrl, KAFKA_GROUP_PREFIX: `bench-${runTag}`, LOG_LEVEL: 'warn' };
const ingest = spawnService('ingest', env, { port });
await waitUntilReady(ingest);
const ledgerCount = async () => Number((await database.query('bench.count', 'SELECT count(*) AS n FROM processed_events'))[0].n);
while ((await ledgerCount()) < N) await sleep(250);
const [span] = await database.query('bench.span', 'SELECT extract(epoch FROM max(processed_at) - min(processed_at)) AS s FROM processed_events');
result.ingestEventsPerSecond = Math.round(N / Number(span.s));
result.ratioToBaseline = Number((result.ingestEventsPerSecond / result.baselineEventsPerSecond).toFixed(3));

// 3. Latency at RATE events/s.
const probe = kafka.consumer({ groupId: `bench-probe-${runTag}`, maxWaitTimeInMs: 50 });
await probe.connect();
await probe.subscribe({ topic: Topics.customerFeatures, fromBeginning: false });
const pending = new Map(); // customer → [{ id, sentAt }]
const latencies = [];
let joined = false;
probe.on(probe.events.GROUP_JOIN, () => (joined = true));
await probe.run({
  eachMessage: async ({ message }) => {
    const now = Date.now();
    const value = JSON.parse(message.value.toString());
    const queue = pending.get(value.customer_id);
    if (!queue) return;
    const upTo = queue.findIndex((p) => p.id === value.source_event_id);
    if (upTo < 0) return;
    for (const p of queue.splice(0, upTo + 1)) latencies.push(now - p.sentAt);
  },
});
while (!joined) await sleep(50);
await sleep(1000);
const stream = eventsOf(RATE * SECONDS, `lat${runTag}`);
const tick = 20; // ms
const perTick = Math.max(1, Math.round((RATE * tick) / 1000));
const started = Date.now();
for (let i = 0; i < stream.length; i += perTick) {
  const part = stream.slice(i, i + perTick);
  const sentAt = Date.now();
  for (const e of part) {
    if (!pending.has(e.customer_id)) pending.set(e.customer_id, []);
    pending.get(e.customer_id).push({ id: e.event_id, sentAt });
  }
  await producer.send({ topic: Topics.customerEvents, messages: part.map((e) => ({ key: e.customer_id, value: JSON.stringify(e) })) });
  const due = started + ((i + perTick) / RATE) * 1000;
  if (due > Date.now()) await sleep(due - Date.now());
}
result.latencyOfferedRate = Math.round(stream.length / ((Date.now() - started) / 1000));
const deadline = Date.now() + 30_000;
while (latencies.length < stream.length && Date.now() < deadline) await sleep(100);
latencies.sort((a, b) => a - b);
result.latencyEvents = latencies.length;
result.latencyMs = { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), p99: quantile(latencies, 0.99), max: latencies[latencies.length - 1] };
result.loadAfter = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
result.ingestEnv = {
  INGEST_PARTITIONS_CONCURRENTLY: process.env.INGEST_PARTITIONS_CONCURRENTLY ?? '(default)',
  DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '(default)',
};

await probe.disconnect();
await stopService(ingest, logger);
await producer.disconnect();
await admin.disconnect();
await database.close();
await stack.stop();
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
