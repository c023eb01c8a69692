import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { FakeSalesforce, until } from '@churn/testing';
import { CrmBreaker } from './crm-breaker';
import { crmEnvCheckedSchema, crmEnvSchema, salesforceSettings, type SalesforceSettings } from './crm-config';
import { CrmCallError, pauseReasonOf } from './crm-errors';
import { crmMetrics } from './crm-metrics';
import { aScorePayload } from './testing/score-payload.builder';
import { SalesforceGateway } from './salesforce.gateway';

const logger = createLogger({ service: 'spec', level: 'silent' });
const CLIENT = { id: 'connected-app', secret: 'app-secret', refreshToken: 'user-refresh', user: 'integration@acme.example' };
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

const score = aScorePayload;

/** Settings as crm-sync builds them from its environment (the checked schema: a bad combination fails here). */
function settingsFor(env: Record<string, string>): SalesforceSettings {
  const settings = salesforceSettings(crmEnvCheckedSchema.parse(env));
  assert.ok(!('disabled' in settings), 'Salesforce enabled');
  return settings;
}

/** Settles `work` or fails after `ms`: a sign-in loop must fail the spec, not hang it. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('Salesforce sign-in: the instance comes from the token response, the flows, bounded re-sign-in, cancellation', () => {
  const sut = new FakeSalesforce({
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    refreshToken: CLIENT.refreshToken,
    clientCredentials: true,
    jwt: { publicKey, username: CLIENT.user },
  });
  let base: Record<string, string>;
  before(async () => {
    await sut.start();
    sut.seed('Account', 'Customer_Id__c', ['C-1', 'C-2', 'C-3']);
    assert.notEqual(sut.loginUrl, sut.url, 'the fake signs in on one host and names another instance');
    base = { SALESFORCE_LOGIN_URL: sut.loginUrl, SALESFORCE_CLIENT_ID: CLIENT.id, CRM_CALL_TIMEOUT_MS: '5000' };
  });
  after(() => sut.stop());

  it('writes to the instance the token response names, even when another one is configured, after one sign-in', async () => {
    const grantsBefore = sut.tokenGrants.length;
    const requestsBefore = sut.requests.length;
    // A configured instance URL that is not the token's (an org moved, or the login host copied into it):
    // jsforce's own refresh sent every repeat there again and refreshed without end.
    const gateway = new SalesforceGateway(
      settingsFor({ ...base, SALESFORCE_INSTANCE_URL: sut.loginUrl, SALESFORCE_CLIENT_SECRET: CLIENT.secret, SALESFORCE_REFRESH_TOKEN: CLIENT.refreshToken }),
      logger,
    );
    const [result] = await within(5000, gateway.pushScores([score('C-1', 70)])).catch((error: Error) => {
      throw new Error(`${error.message}: ${sut.tokenGrants.length - grantsBefore} sign-ins, ${sut.loginRequests.length} requests at the login host`);
    });
    assert.deepEqual(result, { ok: true, externalId: sut.records.get('Account')!.get('C-1')!.Id });
    assert.deepEqual(sut.tokenGrants.slice(grantsBefore), ['refresh_token']);
    assert.equal(sut.requests.length - requestsBefore, 1, 'one call at the instance');
    assert.deepEqual(
      sut.loginRequests.filter((r) => r.path.startsWith('/services/data/')),
      [],
      'no data call at the login host',
    );
  });

  it('signs a JWT bearer assertion the org verifies: key, iss, sub, aud = the login host, short exp', async () => {
    const gateway = new SalesforceGateway(
      settingsFor({ ...base, SALESFORCE_USERNAME: CLIENT.user, SALESFORCE_PRIVATE_KEY: PRIVATE_PEM.replace(/\n/g, '\\n') }),
      logger,
    );
    const [result] = await within(5000, gateway.pushScores([score('C-2', 30)]));
    assert.equal(result!.ok, true);
    assert.equal(sut.tokenGrants.at(-1), 'urn:ietf:params:oauth:grant-type:jwt-bearer');
  });

  it('refuses an assertion for the wrong audience or signed with another key, as a misconfiguration (auth_failed) naming the OAuth error', async () => {
    const refusedBefore = sut.refusedGrants.length;
    const instanceAudience = new SalesforceGateway(
      settingsFor({ ...base, SALESFORCE_USERNAME: CLIENT.user, SALESFORCE_PRIVATE_KEY: PRIVATE_PEM, SALESFORCE_JWT_AUDIENCE: sut.url }),
      logger,
    );
    await assert.rejects(
      instanceAudience.pushScores([score('C-2', 31)]),
      (e: CrmCallError) => e.kind === 'misconfigured' && e.code === 'OAUTH_INVALID_GRANT' && pauseReasonOf(e.code) === 'auth_failed',
    );
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const wrongKey = new SalesforceGateway(settingsFor({ ...base, SALESFORCE_USERNAME: CLIENT.user, SALESFORCE_PRIVATE_KEY: otherKey }), logger);
    await assert.rejects(wrongKey.pushScores([score('C-2', 32)]), (e: CrmCallError) => e.code === 'OAUTH_INVALID_GRANT');
    const reasons = sut.refusedGrants.slice(refusedBefore).map((r) => r.reason);
    assert.match(reasons[0]!, /aud/);
    assert.match(reasons[1]!, /signature/);
  });

  it('signs in with client credentials', async () => {
    const gateway = new SalesforceGateway(
      settingsFor({ ...base, SALESFORCE_AUTH_FLOW: 'client_credentials', SALESFORCE_CLIENT_SECRET: CLIENT.secret }),
      logger,
    );
    const [result] = await within(5000, gateway.pushScores([score('C-3', 55)]));
    assert.equal(result!.ok, true);
    assert.equal(sut.tokenGrants.at(-1), 'client_credentials');
  });

  it('signs in again once when the session expires, and pauses (auth_failed) after one more rejection instead of looping', async () => {
    const gateway = new SalesforceGateway(
      settingsFor({ ...base, SALESFORCE_INSTANCE_URL: sut.url, SALESFORCE_CLIENT_SECRET: CLIENT.secret, SALESFORCE_REFRESH_TOKEN: CLIENT.refreshToken }),
      logger,
    );
    await gateway.pushScores([score('C-1', 71)]);
    sut.expireSessions();
    const grantsBefore = sut.tokenGrants.length;
    assert.equal((await gateway.pushScores([score('C-1', 72)]))[0]!.ok, true);
    assert.equal(sut.tokenGrants.length - grantsBefore, 1, 'one new sign-in for the expired session');

    sut.rejectSessions(true);
    try {
      const grants = sut.tokenGrants.length;
      const requests = sut.requests.length;
      await assert.rejects(
        within(5000, gateway.pushScores([score('C-1', 73)])),
        (e: CrmCallError) => e.kind === 'misconfigured' && e.code === 'INVALID_SESSION_ID' && pauseReasonOf(e.code) === 'auth_failed',
      );
      assert.equal(sut.tokenGrants.length - grants, 1, 'one sign-in per call, not one per 401');
      assert.equal(sut.requests.length - requests, 2, 'the call and its one repeat');
    } finally {
      sut.rejectSessions(false);
    }
  });

  it('cancels the request in flight at the call deadline, through the circuit breaker too: nothing stays open at the org', async () => {
    const gateway = new SalesforceGateway(
      settingsFor({
        ...base,
        SALESFORCE_INSTANCE_URL: sut.url,
        SALESFORCE_CLIENT_SECRET: CLIENT.secret,
        SALESFORCE_REFRESH_TOKEN: CLIENT.refreshToken,
        CRM_CALL_TIMEOUT_MS: '300',
      }),
      logger,
    );
    await gateway.pushScores([score('C-1', 74)]);
    const metrics = crmMetrics(createMetricsRegistry('spec'));
    const breaker = new CrmBreaker('salesforce', { timeoutMs: 300, errorThresholdPercentage: 50, volumeThreshold: 100, resetTimeoutMs: 1000 }, logger, metrics);
    sut.delayResponses(10_000);
    try {
      const started = Date.now();
      await assert.rejects(gateway.pushScores([score('C-1', 75)]), (e: CrmCallError) => e.kind === 'outage' && e.code === 'TIMEOUT');
      await assert.rejects(
        breaker.fire(() => gateway.pushScores([score('C-1', 76)])),
        (e: CrmCallError) => e.kind === 'outage' && e.code === 'TIMEOUT',
      );
      // The org answers after 10 s; a request the client abandoned without closing would stay open until then.
      await until('the org to see both requests closed', () => sut.http.openRequests === 0, { timeoutMs: 3000, intervalMs: 20 });
      assert.ok(Date.now() - started < 5000);
    } finally {
      sut.delayResponses(0);
      breaker.shutdown();
    }
  });
});

describe('Salesforce configuration: each flow names what it lacks', () => {
  const problems = (env: Record<string, string>) => {
    const result = crmEnvCheckedSchema.safeParse(env);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('names the missing variables of the chosen or inferred flow', () => {
    assert.deepEqual(problems({ SALESFORCE_AUTH_FLOW: 'jwt_bearer', SALESFORCE_CLIENT_ID: 'c' }), [
      'SALESFORCE_USERNAME: required by the Salesforce jwt_bearer sign-in flow',
      'SALESFORCE_PRIVATE_KEY: required by the Salesforce jwt_bearer sign-in flow',
    ]);
    assert.deepEqual(problems({ SALESFORCE_REFRESH_TOKEN: 'r' }), ['SALESFORCE_CLIENT_ID: required by the Salesforce refresh_token sign-in flow']);
    assert.match(problems({ SALESFORCE_CLIENT_ID: 'c' })[0]!, /^SALESFORCE_AUTH_FLOW: /);
    assert.deepEqual(problems({}), [], 'nothing set: Salesforce disabled, not an error');
    assert.ok('disabled' in salesforceSettings(crmEnvSchema.parse({})));
  });

  it('refuses a key that is not an RSA private key, and client credentials on a shared login host', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.deepEqual(problems({ SALESFORCE_CLIENT_ID: 'c', SALESFORCE_USERNAME: 'u', SALESFORCE_PRIVATE_KEY: ec }), [
      'SALESFORCE_PRIVATE_KEY: must be an RSA key (RS256), not ec',
    ]);
    assert.deepEqual(problems({ SALESFORCE_CLIENT_ID: 'c', SALESFORCE_USERNAME: 'u', SALESFORCE_PRIVATE_KEY: 'not a key' }), [
      'SALESFORCE_PRIVATE_KEY: is not a PEM private key',
    ]);
    assert.match(
      problems({ SALESFORCE_AUTH_FLOW: 'client_credentials', SALESFORCE_CLIENT_ID: 'c', SALESFORCE_CLIENT_SECRET: 's' })[0]!,
      /^SALESFORCE_LOGIN_URL: .*My Domain/,
    );
  });
});
