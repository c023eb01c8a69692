import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@churn/observability';
import { eventuallyWhere, FakeHubSpot } from '@churn/testing';
import { crmEnvCheckedSchema, hubspotSettings, type HubSpotSettings } from './crm-config';
import { CrmCallError } from './crm-errors';
import { HubSpotGateway } from './hubspot.gateway';
import { aScorePayload, aTaskPayload } from './testing/score-payload.builder';

const logger = createLogger({ service: 'spec', level: 'silent' });
const TOKEN = 'pat-spec';

function settingsFor(sut: FakeHubSpot, env: Record<string, string> = {}): HubSpotSettings {
  return hubspotSettings(crmEnvCheckedSchema.parse({ HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_PATH: sut.url, ...env })) as HubSpotSettings;
}

describe('HubSpot properties: the group of the object, the project group, the existence check', () => {
  let sut: FakeHubSpot;
  before(async () => {
    sut = new FakeHubSpot({ accessToken: TOKEN, idProperty: 'churn_customer_id' });
    await sut.start();
    sut.seed('companies', ['K-1', 'K-2']);
    sut.seed('contacts', ['C-1']);
  });
  after(() => sut.stop());

  it('refuses, as HubSpot does, a property created in a group its object lacks', async () => {
    const response = await fetch(`${sut.url}/crm/v3/properties/companies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x_score', label: 'x', type: 'number', fieldType: 'number', groupName: 'contactinformation' }),
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { category: string }).category, 'VALIDATION_ERROR');
  });

  it('creates the churn properties of companies in companyinformation, then writes scores and company tasks', async () => {
    const gateway = new HubSpotGateway(settingsFor(sut, { HUBSPOT_OBJECT: 'companies' }), logger);
    assert.deepEqual(
      (await gateway.missingFields()).map((m) => `${m.object}.${m.name}`),
      ['companies.churn_customer_id', 'companies.churn_risk_score', 'companies.churn_risk_category', 'companies.retention_action'],
    );
    await gateway.prepare();
    const created = [...sut.properties.get('companies')!.values()];
    assert.deepEqual(
      created.map((p) => p['groupName']),
      ['companyinformation', 'companyinformation', 'companyinformation', 'companyinformation'],
    );
    assert.deepEqual(await gateway.missingFields(), []);
    const results = await gateway.pushScores([aScorePayload('K-1', 82), aScorePayload('K-2', 12)]);
    assert.ok(results.every((r) => r.ok));
    assert.equal(sut.objects.get('companies')!.get('K-1')!.properties['churn_risk_category'], 'critical');
    const [task] = await gateway.createTasks([aTaskPayload('K-1')]);
    assert.equal(task!.ok, true);
    assert.equal(sut.tasks.at(-1)!.associations[0]!.types[0]!.associationTypeId, 192);
  });

  it('creates a configured project group once, through the properties API, and the properties in it', async () => {
    const gateway = new HubSpotGateway(settingsFor(sut, { HUBSPOT_PROPERTY_GROUP: 'churn_radar' }), logger);
    await gateway.prepare();
    assert.deepEqual([...sut.groups.get('contacts')!], ['churn_radar']);
    assert.deepEqual(
      [...sut.properties.get('contacts')!.values()].map((p) => p['groupName']),
      ['churn_radar', 'churn_radar', 'churn_radar', 'churn_radar'],
    );
    assert.equal(sut.requests.filter((r) => r.method === 'POST' && r.path === '/crm/v3/properties/contacts/groups').length, 1);
    assert.ok((await gateway.pushScores([aScorePayload('C-1', 45)]))[0]!.ok);
  });

  it('names a property an admin deleted, and the batch it breaks is refused whole with PROPERTY_DOESNT_EXIST', async () => {
    const gateway = new HubSpotGateway(settingsFor(sut), logger);
    await gateway.prepare();
    sut.deleteProperty('contacts', 'retention_action');
    assert.deepEqual(await gateway.missingFields(), [{ object: 'contacts', name: 'retention_action' }]);
    await assert.rejects(
      gateway.pushScores([aScorePayload('C-1', 50)]),
      (e: CrmCallError) => e.kind === 'misconfigured' && e.code === 'VALIDATION_ERROR' && /PROPERTY_DOESNT_EXIST/.test(e.message),
    );
  });

  it('answers 429 as HubSpot does, without Retry-After: a ten-second burst and a daily limit that stays until reset', async () => {
    const gateway = new HubSpotGateway(settingsFor(sut), logger);
    sut.rateLimitNextCalls(1);
    await assert.rejects(
      gateway.missingFields(),
      (e: CrmCallError) => e.kind === 'rate_limited' && e.code === 'HTTP_429_TEN_SECONDLY_ROLLING' && e.retryAfterMs === 10_000,
      'the interval HubSpot names',
    );
    sut.exhaustDailyLimit();
    try {
      for (let i = 0; i < 2; i++) await assert.rejects(gateway.missingFields(), (e: CrmCallError) => e.code === 'HTTP_429_DAILY');
      const last = sut.requests.at(-1)!;
      assert.equal(last.status, 429);
    } finally {
      sut.resetDailyLimit();
    }
    await gateway.missingFields();
  });

  it('closes a call HubSpot never answers at the call deadline: nothing stays open at HubSpot', async () => {
    const gateway = new HubSpotGateway(settingsFor(sut, { CRM_CALL_TIMEOUT_MS: '300' }), logger);
    await gateway.prepare();
    sut.delayResponses(10_000);
    try {
      await assert.rejects(gateway.pushScores([aScorePayload('C-1', 61)]), (e: CrmCallError) => e.kind === 'outage' && e.code === 'TIMEOUT');
      // HubSpot answers after 10 s; a socket the client did not close would stay open until then.
      await eventuallyWhere(
        'no request still open at HubSpot',
        () => sut.http.openRequests,
        (open) => open === 0,
        { timeoutMs: 3000, intervalMs: 20 },
      );
    } finally {
      sut.delayResponses(0);
    }
  });
});
