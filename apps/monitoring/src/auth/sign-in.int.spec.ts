import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, jwtVerify } from 'jose';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { LocalOpenIdProvider } from '@churn/sandbox';
import { startService, type RunningService } from '@churn/service-kit';
import { expectProblem, freeLoopbackPort, problemFields, serviceTestEnv, testInfra, waitUntilHttpReady } from '@churn/testing';
import { monitoringConfigSchema } from '../config';
import { configureMonitoringHttp } from '../http-setup';
import { MonitoringModule } from '../monitoring.module';

const SECRET = 'sign-in-spec-secret-of-at-least-32-characters';
const COOKIE = 'churn_session';

/** Cookies by name, as a browser keeps them for 127.0.0.1 (ports share cookies); paths ignored, which only sends more. */
class CookieJar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) <= Date.now()));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(at + 1).trim());
    }
  }

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = { ...(init.headers as Record<string, string> | undefined), ...(this.cookies.size ? { cookie: this.header() } : {}) };
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(response);
    return response;
  }
}

/** Alerting's and crm-sync's APIs as strict as they are about tokens: 401 without one; the Authorization headers recorded. */
async function startUpstreamStandIn(): Promise<{ url: string; authorizations: (string | undefined)[]; close(): Promise<void> }> {
  const authorizations: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    authorizations.push(req.headers.authorization);
    res.setHeader('content-type', 'application/json');
    if (!req.headers.authorization) return void res.writeHead(401).end('{"error":"UNAUTHENTICATED"}');
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('signing in with OpenID Connect through the local provider, over HTTP', () => {
  let sut: RunningService;
  let provider: LocalOpenIdProvider;
  let upstream: Awaited<ReturnType<typeof startUpstreamStandIn>>;
  let db: Database;

  /**
   * What a browser does: monitoring's /auth/login, the provider's redirects and its login form
   * submitted with the person's credentials (a form of hidden fields, the provider's own self-posting
   * page, submitted as it is), back to monitoring's callback. Returns the last answer (monitoring's
   * redirect to the page, or its refusal page), the callback URL the provider sent, the
   * authorization request monitoring redirected to, and whether the provider asked for credentials.
   */
  async function signIn(
    jar: CookieJar,
    username: string,
    password: string,
    returnTo = '/queue?level=high',
    stopAtCallback = false,
  ): Promise<{ response: Response; callback: string; authorization: URL; askedForCredentials: boolean }> {
    let response = await jar.fetch(`${sut.url}/auth/login?return_to=${encodeURIComponent(returnTo)}`);
    assert.equal(response.status, 302, `login: ${await response.clone().text()}`);
    const authorization = new URL(response.headers.get('location')!);
    let callback = '';
    let askedForCredentials = false;
    for (let hop = 0; hop < 10; hop++) {
      if (response.status >= 300 && response.status < 400) {
        const next = new URL(response.headers.get('location')!, response.url);
        if (next.href.startsWith(`${sut.url}/auth/callback`)) {
          callback = next.href;
          if (stopAtCallback) return { response, callback, authorization, askedForCredentials };
        }
        if (next.origin === sut.url && !next.pathname.startsWith('/auth/')) return { response, callback, authorization, askedForCredentials };
        response = await jar.fetch(next);
        continue;
      }
      const html = await response.text();
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
      if (response.status !== 200 || !action)
        return { response: new Response(html, { status: response.status }), callback, authorization, askedForCredentials };
      const credentialsForm = html.includes('name="username"');
      askedForCredentials ||= credentialsForm;
      const fields = credentialsForm
        ? { username, password }
        : Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      response = await jar.fetch(new URL(action.replace(/&amp;/g, '&'), response.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    }
    throw new Error('sign-in did not finish within 10 redirects');
  }

  const sessionOf = async (jar: CookieJar) => (await jar.fetch(`${sut.url}/v1/session`)).json() as Promise<Record<string, unknown>>;
  const metric = async (name: string, labels: string) => {
    const line = (await (await fetch(`${sut.url}/metrics`)).text()).split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  };

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'sign-in-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    upstream = await startUpstreamStandIn();
    const port = await freeLoopbackPort();
    provider = await LocalOpenIdProvider.start({ redirectUri: `http://127.0.0.1:${port}/auth/callback` });
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env: serviceTestEnv({
        PORT: String(port),
        AUTH_JWT_SECRET: SECRET,
        MONITORING_REFRESH_INTERVAL_MS: '600000',
        ALERTING_URL: upstream.url,
        CRM_SYNC_URL: upstream.url,
        MONITORING_SANDBOX_URL: upstream.url,
        ...provider.monitoringEnv(),
      }),
    });
    await waitUntilHttpReady(sut.url);
  });

  after(async () => {
    await sut?.close();
    await provider?.stop();
    await upstream?.close();
    await db?.close();
  });

  it('signs an agent in: a session cookie (httpOnly, SameSite=Lax), back to the page, who they are, an agent endpoint 200, an admin one 403', async () => {
    const jar = new CookieJar();
    const { response } = await signIn(jar, 'agent', 'agent-demo');
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), '/queue?level=high', 'back to the page the sign-in started from');
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`))!;
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    assert.doesNotMatch(setCookie, /Secure/i, 'http redirect URL: no Secure attribute');

    const me = await sessionOf(jar);
    assert.equal(me['signed_in'], true);
    assert.equal(me['subject'], 'agent@sandbox.invalid');
    assert.equal(me['name'], 'Ada Agent');
    assert.deepEqual(me['roles'], ['agent']);
    assert.equal(typeof me['csrf_token'], 'string');
    assert.ok(Date.parse(me['expires_at'] as string) > Date.now());

    assert.equal((await jar.fetch(`${sut.url}/v1/dashboard/alerts`)).status, 200, 'agent endpoint');
    const admin = await jar.fetch(`${sut.url}/v1/jobs/runs`);
    await expectProblem(admin, 403, 'FORBIDDEN');
    const stored = await db.query<{ session_hash: string }>(
      'spec.sessions',
      `SELECT session_hash FROM monitoring_sessions WHERE subject = 'agent@sandbox.invalid'`,
    );
    assert.ok(
      stored.every((r) => r.session_hash !== jar.cookies.get(COOKIE)),
      'the cookie value itself is not stored',
    );
  });

  it('an admin reaches the admin endpoint', async () => {
    const jar = new CookieJar();
    await signIn(jar, 'admin', 'admin-demo');
    assert.deepEqual((await sessionOf(jar))['roles'], ['admin']);
    assert.equal((await jar.fetch(`${sut.url}/v1/jobs/runs`)).status, 200);
  });

  it('a state-changing request with the cookie needs the session’s CSRF token: without it 403, with it the request goes through', async () => {
    const jar = new CookieJar();
    await signIn(jar, 'agent', 'agent-demo');
    const { csrf_token } = (await sessionOf(jar)) as { csrf_token: string };
    const post = (headers: Record<string, string>) =>
      jar.fetch(`${sut.url}/v1/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '[]' });
    const missing = await post({});
    await expectProblem(missing, 403, 'CSRF_TOKEN_INVALID');
    assert.equal((await post({ 'x-csrf-token': 'not-the-token' })).status, 403);
    const passed = await post({ 'x-csrf-token': csrf_token });
    assert.ok(![401, 403].includes(passed.status), `with the token: ${passed.status} ${await passed.text()}`);
    assert.ok((await metric('monitoring_session_refusals_total', 'reason="csrf"')) >= 2);
  });

  it('forwards a signed-in person’s request to alerting with a bearer minted for them that lives at most 5 minutes', async () => {
    const jar = new CookieJar();
    await signIn(jar, 'agent', 'agent-demo');
    const before = upstream.authorizations.length;
    assert.equal((await jar.fetch(`${sut.url}/v1/alerts/A-1`)).status, 200);
    const { csrf_token } = (await sessionOf(jar)) as { csrf_token: string };
    const ack = await jar.fetch(`${sut.url}/v1/alerts/A-1/acknowledge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf_token },
      body: JSON.stringify({ by: 'Ada' }),
    });
    assert.equal(ack.status, 200);
    const sent = upstream.authorizations.slice(before);
    assert.equal(sent.length, 2);
    for (const header of sent) {
      const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
      assert.ok(token, 'a bearer token');
      const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ['HS256'] });
      assert.equal(payload.sub, 'agent@sandbox.invalid');
      assert.deepEqual(payload['roles'], ['agent']);
      assert.ok(payload.exp! - payload.iat! <= 300, `lives ${payload.exp! - payload.iat!} s`);
    }
    const noCsrf = await jar.fetch(`${sut.url}/v1/alerts/A-1/acknowledge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'Ada' }),
    });
    assert.equal(noCsrf.status, 403, 'a forwarded state change needs the CSRF token too');
    assert.equal(upstream.authorizations.length, before + 2, 'and is not forwarded');
  });

  it('an expired session and an idle one answer 401 with a JSON body saying to sign in again', async () => {
    for (const column of ['expires_at', 'last_seen_at'] as const) {
      const jar = new CookieJar();
      await signIn(jar, 'agent', 'agent-demo');
      assert.equal((await jar.fetch(`${sut.url}/v1/dashboard/alerts`)).status, 200);
      const { csrf_token } = (await sessionOf(jar)) as { csrf_token: string };
      // Move the session's clock instead of waiting: past its absolute end, or unused for a day.
      await db.query('spec.age_session', `UPDATE monitoring_sessions SET ${column} = now() - interval '1 day' WHERE csrf_token = $1`, [csrf_token]);
      const ended = await jar.fetch(`${sut.url}/v1/dashboard/alerts`);
      const body = await expectProblem(ended, 401, 'SESSION_ENDED');
      assert.match(body.detail ?? '', /sign in again/);
      assert.equal(body['sign_in'], '/auth/login');
      assert.equal((await jar.fetch(`${sut.url}/v1/session`)).status, 401);
    }
  });

  it('sign-out deletes the session (CSRF-checked): the old cookie answers 401', async () => {
    const jar = new CookieJar();
    await signIn(jar, 'agent', 'agent-demo');
    const cookie = jar.cookies.get(COOKIE)!;
    const { csrf_token } = (await sessionOf(jar)) as { csrf_token: string };
    assert.equal((await jar.fetch(`${sut.url}/auth/logout`, { method: 'POST' })).status, 403, 'without the CSRF token');
    const out = await jar.fetch(`${sut.url}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': csrf_token } });
    assert.equal(out.status, 204);
    assert.equal(jar.cookies.has(COOKIE), false, 'the cookie is cleared');
    assert.deepEqual(await sessionOf(jar), { oidc: true, signed_in: false, login_url: '/auth/login' });
    assert.equal((await fetch(`${sut.url}/v1/dashboard/alerts`, { headers: { cookie: `${COOKIE}=${cookie}` } })).status, 401, 'the old cookie, replayed');
  });

  it('after a sign-out the next sign-in asks the provider for credentials (prompt=login), so another person signs in; without one the provider signs the same person in again', async () => {
    const jar = new CookieJar();
    const first = await signIn(jar, 'agent', 'agent-demo');
    assert.equal(first.askedForCredentials, true);
    assert.equal(first.authorization.searchParams.get('prompt'), null);

    // Signing in again without signing out: the provider's own session answers, no form.
    const defaults = await metric('monitoring_sign_in_redirects_total', 'prompt="default"');
    const again = await signIn(jar, 'agent', 'agent-demo');
    assert.equal(again.askedForCredentials, false, 'the provider reuses its session');
    assert.equal(await metric('monitoring_sign_in_redirects_total', 'prompt="default"'), defaults + 1);

    const { csrf_token } = (await sessionOf(jar)) as { csrf_token: string };
    assert.equal((await jar.fetch(`${sut.url}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': csrf_token } })).status, 204);
    assert.equal(jar.cookies.get(`${COOKIE}_signed_out`), '1', 'the sign-out is remembered for the next sign-in');

    // The provider still knows Ada Agent, but asks; Alex Admin signs in, and the provider's session becomes his.
    const prompts = await metric('monitoring_sign_in_redirects_total', 'prompt="login"');
    const next = await signIn(jar, 'admin', 'admin-demo');
    assert.equal(next.authorization.searchParams.get('prompt'), 'login');
    assert.equal(next.askedForCredentials, true);
    assert.equal(next.response.status, 302, 'back to the page');
    const admin = await sessionOf(jar);
    assert.deepEqual([admin['name'], admin['roles']], ['Alex Admin', ['admin']]);
    assert.equal(jar.cookies.has(`${COOKIE}_signed_out`), false, 'a sign-in clears the sign-out');
    assert.equal(await metric('monitoring_sign_in_redirects_total', 'prompt="login"'), prompts + 1);
    const after = await signIn(jar, 'agent', 'agent-demo');
    assert.equal(after.askedForCredentials, false);
    assert.equal((await sessionOf(jar))['name'], 'Alex Admin', 'the provider’s session is the admin’s now');
  });

  it('prompt=login can be asked for; any other prompt is refused naming the field', async () => {
    const asked = await fetch(`${sut.url}/auth/login?prompt=login`, { redirect: 'manual' });
    assert.equal(asked.status, 302);
    assert.equal(new URL(asked.headers.get('location')!).searchParams.get('prompt'), 'login');
    for (const prompt of ['none', 'consent', '']) {
      const refused = await fetch(`${sut.url}/auth/login?prompt=${prompt}`, { redirect: 'manual' });
      assert.deepEqual(problemFields(await expectProblem(refused, 400, 'VALIDATION_FAILED')), ['prompt'], prompt);
    }
  });

  it('signing in again replaces the session the browser held (no fixation); a replayed callback signs nobody in', async () => {
    const jar = new CookieJar();
    const { callback } = await signIn(jar, 'agent', 'agent-demo');
    const first = jar.cookies.get(COOKIE)!;
    await signIn(jar, 'agent', 'agent-demo');
    assert.notEqual(jar.cookies.get(COOKIE), first);
    assert.equal((await fetch(`${sut.url}/v1/dashboard/alerts`, { headers: { cookie: `${COOKIE}=${first}` } })).status, 401, 'the earlier session is gone');
    const replay = await jar.fetch(callback);
    assert.equal(replay.status, 400);
    assert.equal(replay.headers.get('content-type')?.split(';')[0], 'text/html');
    assert.match(await replay.text(), /not started in this browser|already used/);
    // A client that asks for JSON gets the same refusal as a problem.
    const asked = await jar.fetch(callback, { headers: { accept: 'application/problem+json, application/json' } });
    const problem = await expectProblem(asked, 400, 'SIGN_IN_NOT_RECOGNISED');
    assert.match(String(problem.detail), /not started in this browser|already used/);
  });

  it('refuses a person whose claims map to no role, with a page that says so, and counts it', async () => {
    const before = await metric('monitoring_sign_ins_total', 'result="no_role"');
    const jar = new CookieJar();
    const { response } = await signIn(jar, 'visitor', 'visitor-demo');
    assert.equal(response.status, 403);
    assert.match(await response.text(), /no role in Churn Radar/);
    assert.equal(jar.cookies.has(COOKIE), false);
    assert.equal(await metric('monitoring_sign_ins_total', 'result="no_role"'), before + 1);
  });

  it('return_to must be a path on this site (no open redirect)', async () => {
    for (const target of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const response = await fetch(`${sut.url}/auth/login?return_to=${encodeURIComponent(target)}`, { redirect: 'manual' });
      assert.deepEqual(problemFields(await expectProblem(response, 400, 'VALIDATION_FAILED')), ['return_to'], target);
    }
  });

  it('the provider is strict: another redirect_uri is refused, PKCE is required, a code is used once', async () => {
    const { issuer, clientId, clientSecret, redirectUri } = provider;
    const authorize = (params: Record<string, string>) =>
      fetch(`${issuer}/auth?${new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', state: 's', ...params })}`, {
        redirect: 'manual',
      });
    const evil = await authorize({ redirect_uri: 'http://evil.example/cb', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    assert.equal(evil.status, 400, 'no redirect to an unregistered URI');
    assert.equal(evil.headers.get('location'), null);
    const noPkce = await authorize({ redirect_uri: redirectUri });
    const error = new URL(noPkce.headers.get('location')!);
    assert.equal(error.searchParams.get('error'), 'invalid_request');
    assert.match(error.searchParams.get('error_description') ?? '', /PKCE/);

    // A code exchanged by someone else first (the test, with the verifier monitoring stored) is refused to monitoring.
    const jar = new CookieJar();
    const { callback } = await signIn(jar, 'agent', 'agent-demo', '/', true);
    const url = new URL(callback);
    const [pending] = await db.query<{ code_verifier: string }>('spec.pending', `SELECT code_verifier FROM monitoring_sign_ins WHERE state = $1`, [
      url.searchParams.get('state'),
    ]);
    const exchange = () =>
      fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: url.searchParams.get('code')!,
          redirect_uri: redirectUri,
          code_verifier: pending!.code_verifier,
        }).toString(),
      });
    const firstUse = await exchange();
    assert.equal(firstUse.status, 200);
    assert.deepEqual(
      decodeJwt(((await firstUse.json()) as { id_token: string }).id_token)['groups'],
      ['churn-agents', 'everyone'],
      'the roles claim is in the ID token',
    );
    const secondUse = await exchange();
    assert.equal(secondUse.status, 400);
    assert.equal(((await secondUse.json()) as { error: string }).error, 'invalid_grant');
    const before = await metric('monitoring_sign_ins_total', 'result="failed"');
    const refused = await jar.fetch(callback);
    assert.equal(refused.status, 401);
    assert.equal(jar.cookies.has(COOKIE), false);
    assert.equal(await metric('monitoring_sign_ins_total', 'result="failed"'), before + 1);
  });
});
