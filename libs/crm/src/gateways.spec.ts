import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@churn/observability';
import { FakeHubSpot, FakeSalesforce } from '@churn/testing';
import { crmEnvSchema, hubspotSettings, salesforceSettings, type HubSpotSettings, type SalesforceSettings } from './crm-config';
import { CrmCallError } from './crm-errors';
import { aScorePayload } from './testing/score-payload.builder';
import { HubSpotGateway } from './hubspot.gateway';
import { SalesforceGateway } from './salesforce.gateway';

const logger = createLogger({ service: 'spec', level: 'silent' });
const score = aScorePayload;

describe('SalesforceGateway against a local org', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sut = new FakeSalesforce({ clientId: 'cid', refreshToken: 'rt', jwt: { publicKey, username: 'integration@example.com' } });
  let settings: SalesforceSettings;
  before(async () => {
    await sut.start();
    sut.seed('Account', 'Customer_Id__c', ['C-1', 'C-2', 'C-3', 'C-4', 'C-5']);
    settings = salesforceSettings(
      crmEnvSchema.parse({ SALESFORCE_LOGIN_URL: sut.loginUrl, SALESFORCE_CLIENT_ID: 'cid', SALESFORCE_CLIENT_SECRET: 's', SALESFORCE_REFRESH_TOKEN: 'rt' }),
    ) as SalesforceSettings;
  });
  after(() => sut.stop());

  it('refreshes an expired session and repeats the call, on API version 62.0', async () => {
    const gateway = new SalesforceGateway(settings, logger);
    assert.deepEqual(await gateway.pushScores([score('C-1', 70)]), [{ ok: true, externalId: sut.records.get('Account')!.get('C-1')!.Id }]);
    sut.expireSessions();
    const [result] = await gateway.pushScores([score('C-1', 75)]);
    assert.equal(result!.ok, true);
    assert.equal(sut.tokenGrants.filter((g) => g === 'refresh_token').length, 2);
    assert.deepEqual([...sut.apiVersions], ['62.0']);
    assert.ok(gateway.quota()!.remaining! < 15000);
  });

  it('returns per-record lock errors as retryable and the rest as sent', async () => {
    const gateway = new SalesforceGateway(settings, logger);
    sut.failNextRecordsWithLock(1);
    const results = await gateway.pushScores([score('C-2', 10), score('C-3', 20)]);
    assert.deepEqual(results[0], { ok: false, kind: 'retryable', code: 'UNABLE_TO_LOCK_ROW', message: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record' });
    assert.equal(results[1]!.ok, true);
  });

  it('turns REQUEST_LIMIT_EXCEEDED into a rate limit and an outage into an outage', async () => {
    const gateway = new SalesforceGateway(settings, logger, undefined, 1234);
    sut.failNextCallsWithRequestLimit(1);
    await assert.rejects(gateway.pushScores([score('C-4', 10)]), (e: CrmCallError) => e.kind === 'rate_limited' && e.retryAfterMs === 1234);
    sut.outageFor(300);
    await assert.rejects(gateway.pushScores([score('C-4', 10)]), (e: CrmCallError) => e.kind === 'outage' && e.code === 'SERVER_UNAVAILABLE');
    await new Promise((r) => setTimeout(r, 350));
  });

  it('authenticates with the JWT bearer flow when a private key is configured', async () => {
    const jwt = { ...settings, flow: 'jwt_bearer' as const, refreshToken: undefined, username: 'integration@example.com', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    const gateway = new SalesforceGateway(jwt, logger);
    const [result] = await gateway.pushScores([score('C-5', 30)]);
    assert.equal(result!.ok, true);
    assert.ok(sut.tokenGrants.includes('urn:ietf:params:oauth:grant-type:jwt-bearer'));
  });
});

describe('HubSpotGateway against a local account', () => {
  const sut = new FakeHubSpot({ accessToken: 'pat', idProperty: 'churn_customer_id' });
  let settings: HubSpotSettings;
  before(async () => {
    await sut.start();
    settings = hubspotSettings(crmEnvSchema.parse({ HUBSPOT_ACCESS_TOKEN: 'pat', HUBSPOT_BASE_PATH: sut.url })) as HubSpotSettings;
    sut.seed('contacts', ['C-1', 'C-2']);
  });
  after(() => sut.stop());

  it('creates the missing properties once, then maps a 207 to the inputs that failed', async () => {
    const gateway = new HubSpotGateway(settings, logger);
    await gateway.prepare();
    await gateway.prepare();
    assert.deepEqual([...sut.properties.get('contacts')!.keys()].sort(), ['churn_customer_id', 'churn_risk_category', 'churn_risk_score', 'retention_action']);
    assert.equal(sut.requests.filter((r) => r.method === 'POST' && r.path === '/crm/v3/properties/contacts').length, 4);
    const results = await gateway.pushScores([score('C-1', 70), score('C-404', 20), score('C-2', 81)]);
    assert.equal(results[0]!.ok, true);
    assert.deepEqual(results[1], { ok: false, kind: 'permanent', code: 'OBJECT_NOT_FOUND', message: 'Could not get some records' });
    assert.equal(results[2]!.ok, true);
    assert.deepEqual(sut.objects.get('contacts')!.get('C-2')!.properties['churn_risk_category'], 'critical');
    assert.equal(gateway.quota()!.limit, 250000);
  });

  it('honours Retry-After on a 429 and does not retry by itself', async () => {
    const gateway = new HubSpotGateway(settings, logger);
    await gateway.prepare();
    sut.rateLimitNextCalls(1, 7);
    const before = sut.requests.length;
    await assert.rejects(gateway.pushScores([score('C-1', 10)]), (e: CrmCallError) => e.kind === 'rate_limited' && e.retryAfterMs === 7000);
    assert.equal(sut.requests.length - before, 1, 'one attempt: the outbox retries, not the client');
  });
});
