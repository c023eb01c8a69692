#!/usr/bin/env node
// What the pipeline bench's load generator costs the broker on its own: events of the bench's size
// published at 1,000/s the way pipeline.bench.mjs publishes them (whatever is due, every tick), no
// consumers; broker CPU (/proc utime+stime of the JVM) per phase. Fresh test stack, ports shifted by
// CHURN_TEST_PORT_OFFSET (default 720).
//   npx tsc -b tsconfig.json && node bench/pipeline/producer-cost.mjs [--seconds 10]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

process.env.CHURN_TEST_PORT_OFFSET ??= '720';
const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const stackLib = require(path.join(root, 'libs/local-stack/dist/index.js'));
const { createLogger } = require(path.join(root, 'libs/observability/dist/index.js'));
const { Kafka, logLevel, Partitioners } = require('kafkajs');

const argv = process.argv.slice(2);
const SECONDS = Number(argv.includes('--seconds') ? argv[argv.indexOf('--seconds') + 1] : 10);
const RATE = 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

for (const dir of ['kafka', 'postgres']) fs.rmSync(path.join(stackLib.stateDir(), dir, stackLib.testStackDataName()), { recursive: true, force: true });
const stack = await stackLib.startLocalStack({ profile: 'test', logger: createLogger({ service: 'producer-cost', level: 'warn' }) });
try {
  const brokerPid = Number(fs.readFileSync(path.join(stackLib.stateDir(), 'kafka', stack.dataName, 'broker.pid'), 'utf8'));
  const cpu = () => {
    const text = fs.readFileSync(`/proc/${brokerPid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' '); // utime and stime are fields 14 and 15
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  const kafka = new Kafka({ clientId: 'producer-cost', brokers: stack.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `producer-cost-${Date.now()}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: false }); // leaders appear within the 3 s below (waiting for them raced with a metadata error here)
  await sleep(3000);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const value = 'x'.repeat(314);
  const idle0 = cpu();
  await sleep(SECONDS * 1000);
  console.log(`idle: broker ${((cpu() - idle0) / SECONDS).toFixed(3)} cores (load ${load()})`);
  // tick = the longest sleep between two sends; pipeline.bench.mjs sleeps 1–10 ms (1 ms at 1,000/s).
  for (const tick of [1, 5, 1, 5]) {
    const c0 = cpu();
    const t0 = performance.now();
    let sent = 0;
    let requests = 0;
    while (sent < RATE * SECONDS) {
      const due = Math.min(RATE * SECONDS, Math.floor(((performance.now() - t0) / 1000) * RATE) + 1);
      if (due > sent) {
        await producer.send({ topic, messages: Array.from({ length: due - sent }, (_, i) => ({ key: `c${(sent + i) % 300}`, value })) });
        requests++;
        sent = due;
      }
      await sleep(tick);
    }
    const wall = (performance.now() - t0) / 1000;
    console.log(
      `${RATE} msg/s, tick ${tick} ms: ${(requests / wall).toFixed(0)} requests/s, broker ${((cpu() - c0) / wall).toFixed(3)} cores (load ${load()})`,
    );
  }
  await producer.disconnect();
  await admin.disconnect();
} finally {
  await stack.stop();
}
