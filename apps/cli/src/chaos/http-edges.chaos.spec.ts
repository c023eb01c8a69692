import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { PROBLEM_JSON } from '@churn/contracts';
import type { ServiceName } from '@churn/local-stack';
import { CHAOS_SECRETS, startChaosPlatform, type ChaosPlatform } from './chaos-platform';
import { assertNoSecretsInLogs } from './secrets-in-logs';

const key = (secret: string) => new TextEncoder().encode(secret);
function token(roles: string[], secret: string, expires: string | number = '5m'): Promise<string> {
  return new SignJWT({ roles }).setProtectedHeader({ alg: 'HS256' }).setSubject('chaos@example.com').setIssuedAt().setExpirationTime(expires).sign(key(secret));
}

/** Bodies no client should send: each must get a clear 4xx, never a 5xx or a dead service. */
function badBodies(): { name: string; body: string; type?: string }[] {
  let nested = '1';
  for (let i = 0; i < 10_000; i += 1) nested = `[${nested}]`;
  let nestedObject = '1';
  for (let i = 0; i < 10_000; i += 1) nestedObject = `{"customer_id":${nestedObject}}`;
  return [
    { name: 'malformed JSON', body: '{"customer_id": "C-1", ' },
    { name: 'wrong types', body: JSON.stringify({ customer_id: 42, features: 'all', tenure: [1], by: {}, limit: 'many' }) },
    { name: 'missing fields', body: '{}' },
    { name: 'an array', body: '[]' },
    { name: '10,000 nested arrays', body: nested },
    { name: '10,000 nested objects', body: nestedObject },
    { name: 'a 3 MB string', body: JSON.stringify({ customer_id: 'x'.repeat(3 * 1024 * 1024) }) },
    { name: 'a 10 MB body', body: JSON.stringify({ features: 'y'.repeat(10 * 1024 * 1024) }) },
    { name: 'not JSON at all', body: 'customer_id=C-1', type: 'application/x-www-form-urlencoded' },
    { name: 'a null byte', body: '{"customer_id":"\u0000"}' },
  ];
}

describe('chaos: HTTP edges (every OpenAPI route fuzzed) and admin token checks', () => {
  let platform: ChaosPlatform;

  before(async () => {
    platform = await startChaosPlatform(2);
  });
  after(async () => platform?.stop());

  const rss = async (name: ServiceName) => {
    const metrics = await (await fetch(`${platform.url(name)}/metrics`)).text();
    return Number(/^process_resident_memory_bytes\{[^}]*\} (\d+)/m.exec(metrics)?.[1]);
  };

  it('admin endpoints refuse missing, expired, forged, unsigned and wrong-role tokens', async () => {
    const routes: [ServiceName, string, string][] = [
      ['scorer', '/v1/models/v-none/activate', CHAOS_SECRETS.AUTH_JWT_SECRET],
      ['scorer', '/v1/models/v-none/shadow', CHAOS_SECRETS.AUTH_JWT_SECRET],
      ['scorer', '/v1/models/v-none/rollout', CHAOS_SECRETS.AUTH_JWT_SECRET],
      ['scorer', '/v1/models/rollout/rollback', CHAOS_SECRETS.AUTH_JWT_SECRET],
      ['alerting', '/v1/alerts/destinations/slack/revive', CHAOS_SECRETS.AUTH_JWT_SECRET],
      ['alerting', '/v1/alerts/digests/email', CHAOS_SECRETS.AUTH_JWT_SECRET],
    ];
    for (const [service, route, secret] of routes) {
      const cases: [string, string | undefined, number][] = [
        ['missing', undefined, 401],
        ['expired', await token(['admin'], secret, Math.floor(Date.now() / 1000) - 60), 401],
        ['forged (wrong secret)', await token(['admin'], 'an-attacker-secret-that-is-long-enough-0000'), 401],
        ['alg none', new UnsecuredJWT({ roles: ['admin'] }).setSubject('mallory').setExpirationTime('5m').encode(), 401],
        ['garbage', 'not.a.jwt', 401],
        ['wrong role', await token(['agent'], secret), 403],
      ];
      for (const [what, bearer, status] of cases) {
        const response = await fetch(`${platform.url(service)}${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
          body: '{}',
        });
        assert.equal(response.status, status, `${service} ${route} with a ${what} token`);
        assert.equal(response.headers.get('content-type')?.split(';')[0], PROBLEM_JSON, `${service} ${route} with a ${what} token: a problem`);
      }
    }
  });

  it('answers every route of the scorer OpenAPI document, and alerting and monitoring routes, with 4xx to bad input', { timeout: 240_000 }, async () => {
    const openApi = (await (await fetch(`${platform.url('scorer')}/docs/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const targets: [ServiceName, string, string][] = [];
    for (const [route, methods] of Object.entries(openApi.paths)) {
      for (const method of Object.keys(methods)) targets.push(['scorer', method.toUpperCase(), route.replace(/\{[^}]+\}/g, 'x%00%27')]);
    }
    targets.push(
      ['alerting', 'POST', '/v1/alerts/x/ack'],
      ['alerting', 'POST', '/v1/alerts/x/resolve'],
      ['alerting', 'GET', '/v1/alerts?limit=abc&since=yesterday&level=%00'],
      ['alerting', 'GET', '/v1/alerts/sla?since=not-a-date'],
      ['alerting', 'GET', '/v1/alerts?owner=&page=-1&sort=%00&state=open,,'],
      ['alerting', 'POST', '/v1/alerts/x/assign'],
      ['alerting', 'POST', '/v1/alerts/bulk'],
      ['monitoring', 'POST', '/v1/alerts/x/acknowledge'],
      ['monitoring', 'POST', '/v1/alerts/x/assign'],
      ['monitoring', 'POST', '/v1/alerts/bulk'],
      ['monitoring', 'GET', '/v1/metrics/model?window=-1&cohort=%27%3B'],
      ['monitoring', 'POST', '/v1/outcomes'],
      ['monitoring', 'POST', '/v1/interventions'],
    );
    assert.ok(targets.filter(([s]) => s === 'scorer').length >= 5, 'the OpenAPI document lists the scorer routes');
    const agent = await token(['agent', 'admin'], CHAOS_SECRETS.AUTH_JWT_SECRET);
    const admin = await token(['admin'], CHAOS_SECRETS.AUTH_JWT_SECRET);
    const baseline = new Map<ServiceName, number>();
    for (const name of ['scorer', 'alerting', 'monitoring'] as const) baseline.set(name, await rss(name));
    const failures: string[] = [];
    for (const [service, method, route] of targets) {
      const bearer = service === 'scorer' ? admin : agent;
      const bodies = method === 'GET' ? [{ name: 'query', body: '' }] : badBodies();
      for (const { name, body, type } of bodies) {
        const response = await fetch(`${platform.url(service)}${route}`, {
          method,
          headers: { authorization: `Bearer ${bearer}`, ...(method === 'GET' ? {} : { 'content-type': type ?? 'application/json' }) },
          ...(method === 'GET' ? {} : { body }),
        }).catch((error: Error) => ({ status: 0, headers: new Headers(), text: async () => error.message }));
        // 404/409 are clear answers for an id that does not exist; anything 5xx, a dropped socket or
        // an error that is not problem+json is a finding. A GET may also answer 200 (a route without
        // parameters, or ignored ones).
        const problem = response.headers.get('content-type')?.split(';')[0] === PROBLEM_JSON;
        if ((method !== 'GET' && response.status < 400) || response.status >= 500 || response.status === 0 || (response.status >= 400 && !problem))
          failures.push(`${service} ${method} ${route} with ${name}: ${response.status} ${(await response.text()).slice(0, 160)}`);
      }
    }
    // A NUL byte in a path parameter (customer id, model version, alert id) is refused with 400 by
    // IdentifierParamPipe before it can reach Postgres (which answers "invalid byte sequence").
    assert.deepEqual(failures, [], 'every bad request answered with a 4xx problem');
    for (const name of ['scorer', 'alerting', 'monitoring'] as const) {
      const ready = await fetch(`${platform.url(name)}/health/ready`);
      assert.equal(ready.status, 200, `${name} still ready`);
      const after = await rss(name);
      // Generous: a 10 MB body may be buffered once before the limit refuses it; what must not happen is growth per request.
      assert.ok(after < 1.5 * baseline.get(name)! + 64 * 1024 * 1024, `${name} RSS ${after} vs baseline ${baseline.get(name)}`);
    }
  });

  it('wrote none of the configured secrets to any service log (auth failures included)', () => {
    assertNoSecretsInLogs(platform);
  });
});
