import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { healthProblemSchema, PROBLEM_JSON } from '@churn/contracts';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { serveWorkerHttp } from './worker-http';

describe('the jobs worker’s health routes with Postgres unreachable', () => {
  let server: { port: number; close(): Promise<void> };
  let db: Database;

  before(async () => {
    // A port that was free a moment ago and is closed now: connections to it are refused at once.
    const probe = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    db = new Database(
      { url: `postgres://churn@127.0.0.1:${closedPort}/churn`, poolSize: 1, applicationName: 'worker-http-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('worker-http-spec-db'),
    );
    server = await serveWorkerHttp(0, createMetricsRegistry('worker-http-spec'), db);
  });

  after(async () => {
    await server.close();
    await db.close();
  });

  it('stays live and answers not ready as a problem naming the failing check', async () => {
    const live = await fetch(`http://127.0.0.1:${server.port}/health/live`);
    assert.equal(live.status, 200);
    const ready = await fetch(`http://127.0.0.1:${server.port}/health/ready`);
    assert.equal(ready.status, 503);
    assert.equal(ready.headers.get('content-type'), PROBLEM_JSON);
    const problem = healthProblemSchema.parse(await ready.json());
    assert.deepEqual(
      [problem.code, problem.title, problem.detail, problem.instance, problem.checks],
      ['NOT_READY', 'Service Unavailable', 'failing: postgres', '/health/ready', { postgres: 'failing' }],
    );
  });
});
