import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger, createMetricsRegistry, type Registry } from '@churn/observability';
import { MONITORING_ERROR_STATUSES } from '../http-error-statuses';
import { UpstreamError } from './upstream-error';
import { UPSTREAM_TIMEOUT_MS, UpstreamForwarder } from './upstream-forwarder';

interface Received {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  body: string;
}

/** An upstream on loopback: `/hang` never answers; otherwise 403 with a JSON body, recording each request. */
async function startUpstream(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
      if (req.url === '/hang') return;
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"FORBIDDEN","message":"requires one of the roles: admin"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function counted(registry: Registry, upstream: string, status: string): Promise<number> {
  const metric = await registry.getSingleMetric('monitoring_upstream_requests_total')!.get();
  return metric.values.find((v) => v.labels['upstream'] === upstream && v.labels['status'] === status)?.value ?? 0;
}

describe('UpstreamForwarder', () => {
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let registry: Registry;
  let forwarder: UpstreamForwarder;

  before(async () => {
    upstream = await startUpstream();
    registry = createMetricsRegistry('forwarder-spec');
    forwarder = new UpstreamForwarder(createLogger({ service: 'forwarder-spec', level: 'silent' }), registry);
  });

  after(() => upstream?.close());

  it('passes the caller’s own Authorization header and body on, and returns the upstream’s 403 unchanged', async () => {
    const answer = await forwarder.forward('crm-sync', new URL('/v1/integrations/hubspot/resume', upstream.url), {
      method: 'POST',
      authorization: 'Bearer caller-token',
      body: { by: 'x' },
    });
    assert.equal(answer.status, 403);
    assert.deepEqual(await answer.json(), { error: 'FORBIDDEN', message: 'requires one of the roles: admin' });
    assert.deepEqual(upstream.received.at(-1), {
      method: 'POST',
      url: '/v1/integrations/hubspot/resume',
      authorization: 'Bearer caller-token',
      body: '{"by":"x"}',
    });
    assert.equal(await counted(registry, 'crm-sync', '403'), 1);
  });

  it('sends no Authorization header when the caller had none (no credential of its own)', async () => {
    await forwarder.forward('crm-sync', new URL('/v1/integrations', upstream.url), { method: 'GET' });
    assert.equal(upstream.received.at(-1)!.authorization, undefined);
  });

  it('answers 502 with a code naming the upstream when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    for (const [name, code] of [
      ['crm-sync', 'CRM_SYNC_UNAVAILABLE'],
      ['alerting', 'ALERTING_UNAVAILABLE'],
      ['sandbox', 'SANDBOX_UNAVAILABLE'],
      ['scorer', 'SCORER_UNAVAILABLE'],
    ] as const) {
      const error = await forwarder.forward(name, new URL(`http://127.0.0.1:${port}/v1/x`), { method: 'GET' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof UpstreamError, String(error));
      assert.deepEqual([error.code, MONITORING_ERROR_STATUSES[error.code], error.details], [code, 502, { upstream: name }]);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port} could not be reached`));
      assert.equal(await counted(registry, name, 'unreachable'), 1);
    }
  });

  it(`answers 504 when the upstream does not answer within ${UPSTREAM_TIMEOUT_MS} ms`, async () => {
    const started = Date.now();
    const error = await forwarder.forward('alerting', new URL('/hang', upstream.url), { method: 'GET' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof UpstreamError && error.code === 'UPSTREAM_TIMEOUT' && MONITORING_ERROR_STATUSES[error.code] === 504, String(error));
    assert.deepEqual(error.details, { upstream: 'alerting' });
    assert.equal(await counted(registry, 'alerting', 'timeout'), 1);
    assert.ok(Date.now() - started >= UPSTREAM_TIMEOUT_MS - 50, `gave up after ${Date.now() - started} ms`);
  });
});
