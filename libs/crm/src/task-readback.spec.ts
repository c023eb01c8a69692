import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@churn/observability';
import { FakeHubSpot, FakeSalesforce } from '@churn/testing';
import { crmEnvSchema, hubspotSettings, salesforceSettings, type HubSpotSettings, type SalesforceSettings } from './crm-config';
import type { CompletedTask } from './crm-gateway';
import { CHURN_NOTE_PREFIX } from './crm-payloads';
import { aTaskPayload } from './testing/score-payload.builder';
import { HubSpotGateway } from './hubspot.gateway';
import { SalesforceGateway } from './salesforce.gateway';

const logger = createLogger({ service: 'spec', level: 'silent' });
const T0 = new Date('2026-11-01T08:00:00Z');

async function readAll(
  read: (since: Date, onPage: (tasks: readonly CompletedTask[]) => Promise<void>) => Promise<void>,
  since: Date,
): Promise<CompletedTask[][]> {
  const pages: CompletedTask[][] = [];
  await read(since, async (tasks) => {
    pages.push([...tasks]);
  });
  return pages;
}

describe('reading completed tasks back from a local Salesforce org', () => {
  const org = new FakeSalesforce({ clientId: 'cid', clientSecret: 's', refreshToken: 'rt' });
  let settings: SalesforceSettings;
  before(async () => {
    await org.start();
    org.seed('Account', 'Customer_Id__c', ['C-1', 'C-2']);
    org.addUser('005000000000ANA', 'Ana Agent', 'ana@retention.example');
    settings = salesforceSettings(
      crmEnvSchema.parse({
        SALESFORCE_LOGIN_URL: org.loginUrl,
        SALESFORCE_CLIENT_ID: 'cid',
        SALESFORCE_CLIENT_SECRET: 's',
        SALESFORCE_REFRESH_TOKEN: 'rt',
        SALESFORCE_QUERY_BATCH_SIZE: '200',
      }),
    ) as SalesforceSettings;
  });
  after(() => org.stop());

  it('follows nextRecordsUrl past the first page, oldest first, and only closed tasks modified at or after the watermark', async () => {
    const gateway = new SalesforceGateway(settings, logger);
    org.seedCompletedTasks(450, { alertIdPrefix: 'A-PAGE-', at: T0 });
    const pages = await readAll((s, p) => gateway.readCompletedTasks(s, p), T0);
    assert.deepEqual(
      pages.map((p) => p.length),
      [200, 200, 50],
    );
    const all = pages.flat();
    assert.equal(new Set(all.map((t) => t.alertId)).size, 450);
    assert.deepEqual(
      all.map((t) => t.modifiedAt),
      [...all.map((t) => t.modifiedAt)].sort(),
    );
    assert.ok(
      org.requests.some((r) => /\/query\/01gFAKE\d+-200$/.test(r.path)),
      'the second page came from nextRecordsUrl',
    );
    // The watermark is inclusive: the task modified exactly then is read again, the ones before are not.
    const later = await readAll((s, p) => gateway.readCompletedTasks(s, p), new Date(T0.getTime() + 449_000));
    assert.deepEqual(
      later.flat().map((t) => t.alertId),
      ['A-PAGE-00449'],
    );
  });

  it('reads who completed a task of the platform, when, and what it was', async () => {
    const gateway = new SalesforceGateway(settings, logger);
    const [created] = await gateway.createTasks([aTaskPayload('C-1', 'A-OWNED')]);
    assert.equal(created!.ok, true);
    const since = new Date(Date.now() - 1000);
    assert.deepEqual((await readAll((s, p) => gateway.readCompletedTasks(s, p), since)).flat(), [], 'an open task is not read');
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    org.completeTask('A-OWNED', { at, ownerId: '005000000000ANA', subtype: 'Call' });
    const [task] = (await readAll((s, p) => gateway.readCompletedTasks(s, p), since)).flat();
    assert.deepEqual(task, {
      taskId: org.task('A-OWNED')!.Id,
      alertId: 'A-OWNED',
      owner: 'Ana Agent <ana@retention.example>',
      completedAt: at.toISOString(),
      modifiedAt: at.toISOString(),
      subject: 'Urgent churn risk: retention outreach (C-1)',
      type: 'call',
      closedOnChurn: false,
    });
  });

  it('writes a churn note to open tasks once, closes them in mode close, and leaves closed ones alone', async () => {
    const gateway = new SalesforceGateway(settings, logger);
    await gateway.createTasks([aTaskPayload('C-2', 'A-CH-1'), aTaskPayload('C-2', 'A-CH-2'), aTaskPayload('C-2', 'A-CH-3')]);
    org.completeTask('A-CH-3');
    const write = (mode: 'close' | 'annotate') => ({
      payload: { customer_id: 'C-2', churned_at: '2026-11-20T00:00:00.000Z', mode, source: { topic: 'outcomes', partition: 0, offset: '1' } },
      tasks: ['A-CH-1', 'A-CH-2', 'A-CH-3'].map((alertId) => ({ alertId, externalId: org.task(alertId)!.Id })),
    });
    assert.deepEqual(await gateway.writeChurn([write('close')]), [{ ok: true, externalId: null }]);
    for (const id of ['A-CH-1', 'A-CH-2']) {
      const fields = org.task(id)!.fields;
      assert.equal(fields['Status'], 'Completed');
      assert.equal(String(fields['Description']).split(CHURN_NOTE_PREFIX).length, 2, 'one note');
      assert.match(String(fields['Description']), /^alert A-CH-\d\n\nChurn Radar: customer churned on 2026-11-20\./);
    }
    assert.ok(!String(org.task('A-CH-3')!.fields['Description']).includes(CHURN_NOTE_PREFIX), 'a task completed before is left alone');
    const writes = org.writesOf('Task').length;
    await gateway.writeChurn([write('close'), write('annotate')]);
    assert.equal(org.writesOf('Task').length, writes, 'written again: nothing changes');
    // Read back, the tasks closed on churn say so (they record no intervention).
    const read = (await readAll((s, p) => gateway.readCompletedTasks(s, p), new Date(Date.now() - 60_000))).flat();
    assert.deepEqual(
      read
        .filter((t) => t.alertId?.startsWith('A-CH-'))
        .map((t) => [t.alertId, t.closedOnChurn])
        .sort(),
      [
        ['A-CH-1', true],
        ['A-CH-2', true],
        ['A-CH-3', false],
      ],
    );
  });

  it('refuses a datetime written as a string, as Salesforce does', async () => {
    const gateway = new SalesforceGateway(settings, logger);
    await gateway.readCompletedTasks(T0, async () => undefined);
    const response = await fetch(
      `${org.url}/services/data/v62.0/query?q=${encodeURIComponent("SELECT Id FROM Task WHERE LastModifiedDate >= '2026-01-01T00:00:00Z'")}`,
      {
        headers: { authorization: `Bearer ${(gateway.connection as unknown as { accessToken: string }).accessToken}` },
      },
    );
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { errorCode: string }[])[0]!.errorCode, 'INVALID_FIELD');
  });
});

describe('reading completed tasks back from a local HubSpot account', () => {
  const account = new FakeHubSpot({ accessToken: 'pat', idProperty: 'churn_customer_id' });
  let settings: HubSpotSettings;
  before(async () => {
    await account.start();
    account.seed('contacts', ['C-1']);
    settings = hubspotSettings(
      crmEnvSchema.parse({
        HUBSPOT_ACCESS_TOKEN: 'pat',
        HUBSPOT_BASE_PATH: account.url,
        HUBSPOT_BURST_REQUESTS: '1000',
        HUBSPOT_BURST_WINDOW_MS: '1000',
        HUBSPOT_SEARCH_PAGE_SIZE: '100',
      }),
    ) as HubSpotSettings;
  });
  after(() => account.stop());

  it('pages through the search and starts a new query at the result limit, reading every task once', async () => {
    account.searchResultCap = 250;
    const seeded = account.seedCompletedTasks(420, T0);
    const gateway = new HubSpotGateway({ ...settings, searchResultLimit: 250 }, logger);
    const pages = await readAll((s, p) => gateway.readCompletedTasks(s, p), T0);
    const ids = pages.flat().map((t) => t.taskId);
    assert.deepEqual(ids, seeded, 'each task once, oldest first');
    const searches = account.requests.filter((r) => r.path === '/crm/v3/objects/tasks/search');
    assert.ok(searches.length >= 5, `${searches.length} searches`);
    assert.ok(
      searches.every((r) => r.status === 200),
      'never asked past the result limit',
    );
    account.searchResultCap = 10_000;
  });

  it('reads a task of the platform completed by its owner, and writes a churn note once', async () => {
    const gateway = new HubSpotGateway(settings, logger);
    await gateway.prepare();
    const [created] = await gateway.createTasks([aTaskPayload('C-1', 'A-HS-1')]);
    assert.ok(created?.ok && created.externalId);
    const id = created!.externalId as string;
    const since = new Date(Date.now() - 1000);
    const churn = {
      payload: {
        customer_id: 'C-1',
        churned_at: '2026-11-20T00:00:00.000Z',
        mode: 'annotate' as const,
        source: { topic: 'outcomes', partition: 0, offset: '1' },
      },
      tasks: [{ alertId: 'A-HS-1', externalId: id }],
    };
    assert.deepEqual(await gateway.writeChurn([churn]), [{ ok: true, externalId: null }]);
    await gateway.writeChurn([churn]);
    assert.equal(account.taskUpdates.filter((u) => u.id === id).length, 1, 'annotated once');
    const task = account.tasks.find((t) => t.id === id)!;
    assert.equal(task.properties['hs_task_status'], 'NOT_STARTED', 'annotate leaves the task open');
    account.completeTask(id, { ownerId: '77' });
    const read = (await readAll((s, p) => gateway.readCompletedTasks(s, p), since)).flat().filter((t) => t.taskId === id);
    assert.equal(read.length, 1);
    assert.equal(read[0]!.owner, 'hubspot owner 77');
    assert.equal(read[0]!.type, 'todo');
    assert.equal(read[0]!.closedOnChurn, true, 'its body carries the churn note');
  });

  it('refuses what the search API refuses: a page over 200, an unknown property, paging past the limit', async () => {
    const post = (body: unknown) =>
      fetch(`${account.url}/crm/v3/objects/tasks/search`, {
        method: 'POST',
        headers: { authorization: 'Bearer pat', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const body of [
      { limit: 201 },
      { limit: 10, filterGroups: [{ filters: [{ propertyName: 'no_such', operator: 'EQ', value: 'x' }] }] },
      { limit: 100, after: '9950' },
    ]) {
      const response = await post(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(((await response.json()) as { category: string }).category, 'VALIDATION_ERROR');
    }
  });
});
