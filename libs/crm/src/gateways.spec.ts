import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@churn/observability';
import { FakeHubSpot, FakeSalesforce } from '@churn/testing';
import { crmEnvSchema, hubspotSettings, salesforceSettings, type HubSpotSettings, type SalesforceSettings } from './crm-config';
import { CrmCallError, pauseReasonOf, type RecordResult } from './crm-errors';
import { msUntilMidnight } from './rate-limit-window';
import { aScorePayload, aTaskPayload } from './testing/score-payload.builder';
import { HubSpotGateway } from './hubspot.gateway';
import { SalesforceGateway } from './salesforce.gateway';

const logger = createLogger({ service: 'spec', level: 'silent' });
const score = aScorePayload;
const task = aTaskPayload;
const isMisconfigured = (code: string) => (e: unknown) => e instanceof CrmCallError && e.kind === 'misconfigured' && e.code === code;

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
    assert.deepEqual(results[0], {
      ok: false,
      kind: 'retryable',
      code: 'UNABLE_TO_LOCK_ROW',
      message: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record',
    });
    assert.equal(results[1]!.ok, true);
  });

  it('turns REQUEST_LIMIT_EXCEEDED into a rate limit and an outage into an outage', async () => {
    const gateway = new SalesforceGateway({ ...settings, requestLimitWaitMs: 1234 }, logger);
    sut.failNextCallsWithRequestLimit(1);
    await assert.rejects(gateway.pushScores([score('C-4', 10)]), (e: CrmCallError) => e.kind === 'rate_limited' && e.retryAfterMs === 1234);
    sut.outageFor(60_000);
    await assert.rejects(gateway.pushScores([score('C-4', 10)]), (e: CrmCallError) => e.kind === 'outage' && e.code === 'SERVER_UNAVAILABLE');
    sut.outageFor(0);
    assert.equal((await gateway.pushScores([score('C-4', 11)]))[0]!.ok, true, 'the outage is over');
  });

  it('turns a field the org does not have into a misconfiguration, and the field check names it', async () => {
    const gateway = new SalesforceGateway(settings, logger);
    assert.deepEqual(await gateway.missingFields(), []);
    const probability = sut.removeField('Account', 'Churn_Probability__c')!;
    const alertId = sut.removeField('Task', 'Churn_Alert_Id__c')!;
    try {
      await assert.rejects(gateway.pushScores([score('C-4', 10)]), isMisconfigured('INVALID_FIELD'));
      assert.deepEqual(await gateway.missingFields(), [
        { object: 'Account', name: 'Churn_Probability__c' },
        { object: 'Task', name: 'Churn_Alert_Id__c' },
      ]);
    } finally {
      sut.addField('Account', probability);
      sut.addField('Task', alertId);
    }
  });

  it('skips a customer the org does not have, or creates it, by SALESFORCE_MISSING_CUSTOMER', async () => {
    const skip = new SalesforceGateway({ ...settings, missingCustomer: 'skip' }, logger);
    const [known, unknown] = await skip.pushScores([score('C-1', 40), score('C-new-1', 40)]);
    assert.equal(known!.ok, true);
    assert.deepEqual(unknown, { ok: false, missing: true, message: 'no Account with Customer_Id__c = C-new-1' });
    assert.equal(sut.records.get('Account')!.has('C-new-1'), false);
    const [missingTask] = await skip.createTasks([task('C-new-1', 'A-sf-1')]);
    assert.equal((missingTask as { missing?: boolean }).missing, true);

    const create = new SalesforceGateway({ ...settings, missingCustomer: 'create' }, logger);
    const [created] = await create.pushScores([score('C-new-1', 40)]);
    const record = sut.records.get('Account')!.get('C-new-1')!;
    assert.deepEqual(created, { ok: true, externalId: record.Id, created: true });
    assert.equal(record.fields['Name'], 'C-new-1');
    assert.equal(record.fields['Churn_Risk_Score__c'], 40);
    const [createdTask] = (await create.createTasks([task('C-new-2', 'A-sf-2')])) as [RecordResult];
    assert.equal(createdTask.ok && createdTask.created, true);
    const taskWrite = sut.writesOf('Task').find((w) => w.externalId === 'A-sf-2')!;
    assert.equal(taskWrite.fields['WhatId'], sut.records.get('Account')!.get('C-new-2')!.Id);
  });

  it('pauses (auth_failed), not retries, when the sign-in is refused', async () => {
    const gateway = new SalesforceGateway({ ...settings, refreshToken: 'revoked' }, logger);
    await assert.rejects(
      gateway.pushScores([score('C-1', 10)]),
      (e: unknown) => e instanceof CrmCallError && e.kind === 'misconfigured' && pauseReasonOf(e.code) === 'auth_failed',
    );
  });

  it('authenticates with the JWT bearer flow when a private key is configured', async () => {
    const jwt = {
      ...settings,
      flow: 'jwt_bearer' as const,
      refreshToken: undefined,
      username: 'integration@example.com',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
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
    settings = hubspotSettings(
      crmEnvSchema.parse({ HUBSPOT_ACCESS_TOKEN: 'pat', HUBSPOT_BASE_PATH: sut.url, HUBSPOT_BURST_REQUESTS: '1000', HUBSPOT_BURST_WINDOW_MS: '100' }),
    ) as HubSpotSettings;
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
    assert.deepEqual(
      results[1],
      { ok: false, missing: true, message: 'no contacts with churn_customer_id = C-404' },
      'HUBSPOT_MISSING_CUSTOMER=skip by default',
    );
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

  it('tells the daily limit (until midnight in the account time zone) from the 10-second burst (its interval)', async () => {
    const now = Date.parse('2026-03-07T17:00:00Z');
    const gateway = new HubSpotGateway({ ...settings, accountTimeZone: 'America/New_York' }, logger, undefined, 60_000, () => now);
    await gateway.prepare();
    sut.rateLimitNextCalls(1, undefined, 'DAILY');
    await assert.rejects(
      gateway.pushScores([score('C-1', 10)]),
      (e: CrmCallError) => e.code === 'HTTP_429_DAILY' && e.retryAfterMs === msUntilMidnight('America/New_York', now),
    );
    assert.equal(msUntilMidnight('America/New_York', now), 12 * 3_600_000);
    sut.rateLimitNextCalls(1, undefined, 'TEN_SECONDLY_ROLLING');
    await assert.rejects(gateway.pushScores([score('C-1', 10)]), (e: CrmCallError) => e.code === 'HTTP_429_TEN_SECONDLY_ROLLING' && e.retryAfterMs === 10_000);
  });

  it('turns missing scopes and a batch refused as a whole into a misconfiguration', async () => {
    const gateway = new HubSpotGateway(settings, logger);
    await gateway.prepare();
    sut.denyScopes(true);
    try {
      await assert.rejects(gateway.pushScores([score('C-1', 10)]), isMisconfigured('MISSING_SCOPES'));
      await assert.rejects(gateway.missingFields(), isMisconfigured('MISSING_SCOPES'));
    } finally {
      sut.denyScopes(false);
    }
    const unknownProperty = new HubSpotGateway({ ...settings, properties: { ...settings.properties, retentionAction: 'no_such_property' } }, logger);
    (unknownProperty as unknown as { prepared: boolean }).prepared = true;
    await assert.rejects(unknownProperty.pushScores([score('C-1', 10)]), isMisconfigured('VALIDATION_ERROR'));
  });

  it('skips a customer the account does not have, or creates it, by HUBSPOT_MISSING_CUSTOMER', async () => {
    const skip = new HubSpotGateway({ ...settings, missingCustomer: 'skip' }, logger);
    await skip.prepare();
    const [unknown, known] = await skip.pushScores([score('C-hs-new', 50), score('C-1', 50)]);
    assert.deepEqual(unknown, { ok: false, missing: true, message: 'no contacts with churn_customer_id = C-hs-new' });
    assert.equal(known!.ok, true);
    assert.equal(sut.objects.get('contacts')!.has('C-hs-new'), false);

    const create = new HubSpotGateway({ ...settings, missingCustomer: 'create' }, logger);
    await create.prepare();
    const [created] = await create.pushScores([score('C-hs-new', 50)]);
    const contact = sut.objects.get('contacts')!.get('C-hs-new')!;
    assert.deepEqual(created, { ok: true, externalId: contact.id, created: true });
    assert.equal(contact.properties['churn_risk_score'], '50');
    const [createdTask] = (await create.createTasks([task('C-hs-new-2', 'A-hs-2')])) as [RecordResult];
    assert.equal(createdTask.ok && createdTask.created, true);
    const hsTask = sut.tasks.find((t) => t.properties['hs_task_body'] === 'alert A-hs-2')!;
    assert.equal(hsTask.associations[0]!.to.id, sut.objects.get('contacts')!.get('C-hs-new-2')!.id);
  });

  it('paces its calls within the burst budget', async () => {
    const gateway = new HubSpotGateway({ ...settings, burst: { requests: 4, windowMs: 800 } }, logger);
    (gateway as unknown as { prepared: boolean }).prepared = true;
    const from = sut.requests.length;
    const results = await gateway.createTasks(['C-1', 'C-2', 'C-1', 'C-2', 'C-1', 'C-2'].map((c, i) => task(c, `A-pace-${i}`)));
    assert.ok(results.every((r) => r.ok));
    const calls = sut.requests.slice(from);
    assert.equal(calls.length, 7, 'one batch read and six task creations');
    // At most 4 calls arrive in any 800 ms: they leave 220 ms apart, the margin absorbing arrival jitter.
    for (let i = 4; i < calls.length; i++)
      assert.ok(calls[i]!.at - calls[i - 4]!.at >= 800, `calls ${i - 4}..${i} within ${calls[i]!.at - calls[i - 4]!.at} ms`);
  });
});
