import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startService, type RunningService } from '@churn/service-kit';
import { expectProblem, serviceTestEnv, waitUntilHttpReady } from '@churn/testing';
import { monitoringConfigSchema } from '../config';
import { configureMonitoringHttp } from '../http-setup';
import { MonitoringModule } from '../monitoring.module';

/**
 * The routes anyone may call: aggregates that name no customer (the model registry's versions and
 * roles among them), the health and metrics endpoints,
 * who-am-I, and the dashboard's link to an alert (a redirect to the page, which then asks for
 * credentials). Every other route of monitoring's OpenAPI document must refuse an anonymous caller;
 * a new open route fails this spec until it is added here on purpose.
 */
const PUBLIC_ROUTES = new Set([
  'GET /alerts/{id}',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'GET /v1/dashboard',
  'GET /v1/drift',
  'GET /v1/experiments',
  'GET /v1/experiments/{name}',
  'GET /v1/integrations',
  'GET /v1/metrics/model',
  'GET /v1/metrics/roi/series',
  'GET /v1/metrics/rollout',
  'GET /v1/models',
  'GET /v1/roi',
  'GET /v1/session',
]);

/** Alerting, crm-sync, the scorer and the sandbox as strict as they are: 401 without a bearer token (crm-sync's integration list and the scorer's model list are open). */
async function startStrictUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    if (!req.headers.authorization && !(req.method === 'GET' && (req.url === '/v1/integrations' || req.url === '/v1/models'))) {
      const problem = {
        type: 'urn:churn-radar:problem:UNAUTHENTICATED',
        title: 'Unauthorized',
        status: 401,
        detail: 'a bearer token is required',
        instance: req.url,
        code: 'UNAUTHENTICATED',
      };
      return void res.writeHead(401, { 'content-type': 'application/problem+json' }).end(JSON.stringify(problem));
    }
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("monitoring's routes, called without a token or a session", () => {
  let sut: RunningService;
  let upstream: Awaited<ReturnType<typeof startStrictUpstream>>;
  let routes: { method: string; path: string }[];

  before(async () => {
    upstream = await startStrictUpstream();
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env: serviceTestEnv({
        AUTH_JWT_SECRET: 'anonymous-spec-secret-of-at-least-32-characters',
        MONITORING_REFRESH_INTERVAL_MS: '600000',
        ALERTING_URL: upstream.url,
        CRM_SYNC_URL: upstream.url,
        SCORER_URL: upstream.url,
        MONITORING_SANDBOX_URL: upstream.url,
        // Sign-in on (the provider is only asked at a sign-in), so the session path of the guard runs too.
        OIDC_ISSUER_URL: 'http://127.0.0.1:9/',
        OIDC_CLIENT_ID: 'churn-radar',
        OIDC_CLIENT_SECRET: 'anonymous-spec',
        OIDC_REDIRECT_URL: 'http://127.0.0.1:9/auth/callback',
        OIDC_ROLE_MAP: 'churn-agents:agent,churn-admins:admin',
      }),
    });
    await waitUntilHttpReady(sut.url);
    const document = (await (await fetch(`${sut.url}/docs/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })));
  });

  after(async () => {
    await sut?.close();
    await upstream?.close();
  });

  // A valid value of each path parameter, so that a refusal is the guard's and not the parameter's.
  const PARAMETERS: Record<string, string> = { crm: 'hubspot' };
  const call = (route: { method: string; path: string }, headers: Record<string, string> = {}) =>
    fetch(`${sut.url}${route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => PARAMETERS[name] ?? 'spec-x')}`, {
      method: route.method,
      redirect: 'manual',
      headers: { 'content-type': 'application/json', ...headers },
      ...(route.method === 'GET' ? {} : { body: '{}' }),
    });

  it('every route but the public ones answers 401 problem+json, anonymous and with an unknown session cookie', async () => {
    assert.ok(routes.length > 20, `the OpenAPI document lists ${routes.length} routes`);
    const guarded = routes.filter((r) => !PUBLIC_ROUTES.has(`${r.method} ${r.path}`));
    assert.ok(
      guarded.some((r) => r.path === '/v1/dashboard/alerts'),
      'customer-level routes are among them',
    );
    for (const route of guarded) {
      const anonymous = await expectProblem(await call(route), 401);
      assert.ok(['UNAUTHENTICATED', 'SESSION_ENDED'].includes(anonymous.code), `${route.method} ${route.path} anonymous: ${anonymous.code}`);
      const stale = await expectProblem(await call(route, { cookie: 'churn_session=not-a-session' }), 401);
      assert.ok(['UNAUTHENTICATED', 'SESSION_ENDED'].includes(stale.code), `${route.method} ${route.path} with an unknown session: ${stale.code}`);
    }
  });

  it('the public routes are routes, and open', async () => {
    const documented = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const route of PUBLIC_ROUTES) {
      assert.ok(documented.has(route), `${route} is in the OpenAPI document`);
      const [method, path] = route.split(' ') as [string, string];
      assert.notEqual((await call({ method, path })).status, 401, route);
    }
  });
});
