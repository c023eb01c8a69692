#!/usr/bin/env node
// Open-loop load generator for POST /v1/predict, run as its own process (so that its timers and JSON
// work do not share an event loop with the scorer it measures). Request i is *intended* at
// start + i / rate; it is sent when its time comes whether or not earlier requests have answered, and
// its latency is measured from that intended time, so a stall of the server (or of this client)
// counts in full instead of silently delaying later requests (no coordinated omission).
//   node bench/scorer/fixed-rate-client.mjs --url http://127.0.0.1:PORT/v1/predict --bodies FILE.json
//        [--rate 200] [--seconds 30] [--warmup-seconds 5] [--timeout-ms 5000]
// Loopback only. Prints one JSON object on stdout.
import fs from 'node:fs';
import http from 'node:http';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const url = new URL(option('--url'));
if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`loopback only, not ${url.hostname}`);
const bodies = JSON.parse(fs.readFileSync(option('--bodies'), 'utf8'));
const rate = Number(option('--rate', 200));
const seconds = Number(option('--seconds', 30));
const warmupSeconds = Number(option('--warmup-seconds', 5));
const timeoutMs = Number(option('--timeout-ms', 5000));
const intervalMs = 1000 / rate;
const warmupCount = Math.round(warmupSeconds * rate);
const total = warmupCount + Math.round(seconds * rate);
const now = () => performance.now();

// Unbounded sockets (a stalled server must not hold back later sends), but few idle ones kept and used
// round-robin, so none sits idle until the server's keep-alive timeout closes it under a request.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 32, scheduling: 'fifo' });
const latencies = [];
const sendLag = [];
const statuses = {};
let errors = 0;
let done = 0;
let firstMeasured = 0;
let lastDone = 0;

function send(i, intended) {
  const body = bodies[i % bodies.length];
  const measured = i >= warmupCount;
  if (measured) sendLag.push(now() - intended);
  const request = http.request(
    url,
    { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs },
    (response) => {
      response.resume();
      response.on('end', () => {
        const t = now();
        if (measured) {
          latencies.push(t - intended);
          statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
          lastDone = t;
        }
        finish();
      });
    },
  );
  request.on('timeout', () => request.destroy(new Error('timeout')));
  request.on('error', (error) => {
    if (measured) {
      errors++;
      const code = `error:${error.code ?? error.message}`;
      statuses[code] = (statuses[code] ?? 0) + 1;
    }
    finish();
  });
  request.end(body);
}

let resolveAll;
const allDone = new Promise((resolve) => (resolveAll = resolve));
function finish() {
  if (++done === total) resolveAll();
}

const start = now() + 50;
let next = 0;
function tick() {
  // Send every request whose intended time has come (several if this timer fired late).
  while (next < total && start + next * intervalMs <= now()) {
    const intended = start + next * intervalMs;
    if (next === warmupCount) firstMeasured = intended;
    send(next++, intended);
  }
  if (next < total) setTimeout(tick, Math.max(0, start + next * intervalMs - now()));
}
setTimeout(tick, 50);
await allDone;
agent.destroy();

const sorted = [...latencies].sort((a, b) => a - b);
const pct = (q) => (sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)].toFixed(3)) : null);
const lag = [...sendLag].sort((a, b) => a - b);
const measuredCount = total - warmupCount;
const spanS = (lastDone - firstMeasured) / 1000;
process.stdout.write(
  `${JSON.stringify({
    target_rate: rate,
    measured_requests: measuredCount,
    warmup_requests: warmupCount,
    ok: statuses[200] ?? 0,
    statuses,
    errors,
    achieved_rate: Number(((statuses[200] ?? 0) / spanS).toFixed(1)),
    latency_ms: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), p999: pct(0.999), max: sorted.length ? Number(sorted.at(-1).toFixed(3)) : null },
    client_send_lag_ms: {
      p50: Number(lag[Math.floor(lag.length * 0.5)].toFixed(3)),
      p99: Number(lag[Math.floor(lag.length * 0.99)].toFixed(3)),
      max: Number(lag.at(-1).toFixed(3)),
    },
  })}\n`,
);
