import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startService, type RunningService } from '@churn/service-kit';
import { expectProblem, serviceTestEnv, signTestToken, waitUntilHttpReady } from '@churn/testing';
import { monitoringConfigSchema } from './config';
import { configureMonitoringHttp } from './http-setup';
import { MonitoringModule } from './monitoring.module';

const SECRET = 'alert-queue-proxy-spec-secret-of-32-chars';

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/** Alerting's refusal of an unknown level, as its exception filter words it. */
const ALERTING_400 = {
  type: 'urn:churn-radar:problem:VALIDATION_FAILED',
  title: 'Bad Request',
  status: 400,
  detail: 'level: Invalid option',
  instance: '/v1/alerts',
  code: 'VALIDATION_FAILED',
  errors: [{ field: 'level', message: 'Invalid option' }],
};

/** Alerting on loopback: records each request and answers 400 for `level=urgent` (as alerting does), 200 otherwise. */
async function startAlertingStandIn(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      if (req.url?.includes('level=urgent')) return void res.writeHead(400, { 'content-type': 'application/problem+json' }).end(JSON.stringify(ALERTING_400));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ forwarded: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Monitoring forwards the work queue to alerting: the agent role checked here, the caller's own token passed on, alerting's answers unchanged. */
describe('monitoring: the work queue forwarded to alerting', () => {
  let sut: RunningService;
  let alerting: Awaited<ReturnType<typeof startAlertingStandIn>>;

  before(async () => {
    alerting = await startAlertingStandIn();
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env: serviceTestEnv({ MONITORING_REFRESH_INTERVAL_MS: '600000', AUTH_JWT_SECRET: SECRET, ALERTING_URL: alerting.url }),
    });
    await waitUntilHttpReady(sut.url);
  });

  after(async () => {
    await sut?.close();
    await alerting?.close();
  });

  it('forwards list, assign, bulk, resolve and history with the query, the body and the caller’s token', async () => {
    const bearer = `Bearer ${await signTestToken(SECRET, ['agent'], { sub: 'jane@example.com' })}`;
    const call = (method: 'GET' | 'POST', route: string, body?: unknown) =>
      fetch(`${sut.url}${route}`, {
        method,
        headers: { authorization: bearer, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const before = alerting.received.length;
    const requests: [method: 'GET' | 'POST', route: string, body?: unknown][] = [
      ['GET', '/v1/alerts?owner=me&state=pending,acknowledged&overdue=true&sort=-level,due_at&page=2&page_size=25'],
      ['POST', '/v1/alerts/alrt-1/assign', { assignee: 'me' }],
      ['POST', '/v1/alerts/bulk', { action: 'resolve', ids: ['alrt-1', 'alrt-2'], note: 'done' }],
      ['POST', '/v1/alerts/alrt-1/resolve', { note: 'stayed' }],
      ['GET', '/v1/alerts/alrt-1/history'],
    ];
    for (const [method, route, body] of requests) {
      const response = await call(method, route, body);
      assert.equal(response.status, 200, route);
      assert.deepEqual(await response.json(), { forwarded: true });
    }
    const got = alerting.received.slice(before);
    assert.deepEqual(
      got.map((r) => [r.method, r.url, r.body ? JSON.parse(r.body) : null]),
      requests.map(([method, route, body]) => [method, route, body ?? null]),
    );
    assert.ok(
      got.every((r) => r.authorization === bearer),
      'the caller’s own token, so alerting sees the same subject as `me`',
    );
  });

  it('answers 401/403 itself and relays alerting’s 400 naming the parameter unchanged', async () => {
    const before = alerting.received.length;
    await expectProblem(await fetch(`${sut.url}/v1/alerts`), 401, 'UNAUTHENTICATED');
    const viewer = await signTestToken(SECRET, ['viewer']);
    await expectProblem(
      await fetch(`${sut.url}/v1/alerts/bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' },
        body: '{}',
      }),
      403,
      'FORBIDDEN',
    );
    assert.equal(alerting.received.length, before, 'refused before alerting');
    const agent = await signTestToken(SECRET, ['agent']);
    const invalid = await fetch(`${sut.url}/v1/alerts?level=urgent`, { headers: { authorization: `Bearer ${agent}` } });
    assert.deepEqual({ ...(await expectProblem(invalid, 400)) }, ALERTING_400, 'alerting’s problem, unchanged');
  });
});
