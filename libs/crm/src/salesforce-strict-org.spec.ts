import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@churn/observability';
import { FakeSalesforce } from '@churn/testing';
import { crmEnvCheckedSchema, salesforceSettings, type SalesforceSettings } from './crm-config';
import { CrmCallError } from './crm-errors';
import { SalesforceGateway } from './salesforce.gateway';
import { aScorePayload } from './testing/score-payload.builder';

const logger = createLogger({ service: 'spec', level: 'silent' });
const SF = { clientId: 'cid', clientSecret: 'secret', refreshToken: 'rt' };
const POLL = { intervalMs: 20, timeoutMs: 5000 };

/**
 * What a real org refuses, and the gateway's reading of it: a request limit that stays exceeded,
 * Bulk API 2.0 jobs that take their time or fail (unknown and required fields, the field check and
 * missing customers are gateways.spec's).
 */
describe('SalesforceGateway against a strict org', () => {
  const sut = new FakeSalesforce(SF);
  let settings: SalesforceSettings;
  before(async () => {
    await sut.start();
    sut.seed('Account', 'Customer_Id__c', ['C-1', 'C-2', 'C-3']);
    settings = salesforceSettings(
      crmEnvCheckedSchema.parse({
        SALESFORCE_LOGIN_URL: sut.loginUrl,
        SALESFORCE_CLIENT_ID: SF.clientId,
        SALESFORCE_CLIENT_SECRET: SF.clientSecret,
        SALESFORCE_REFRESH_TOKEN: SF.refreshToken,
        CRM_CALL_TIMEOUT_MS: '2000',
      }),
    ) as SalesforceSettings;
  });
  after(() => sut.stop());

  it('keeps answering REQUEST_LIMIT_EXCEEDED once the daily limit is used up, until it resets', async () => {
    const gateway = new SalesforceGateway(settings, logger);
    await gateway.pushScores([aScorePayload('C-1', 42)]);
    sut.exhaustRequestLimit();
    try {
      for (let i = 0; i < 3; i++)
        await assert.rejects(
          gateway.pushScores([aScorePayload('C-1', 43)]),
          (e: CrmCallError) => e.kind === 'rate_limited' && e.code === 'REQUEST_LIMIT_EXCEEDED',
        );
    } finally {
      sut.resetRequestLimit();
    }
    assert.equal((await gateway.pushScores([aScorePayload('C-1', 44)]))[0]!.ok, true);
  });

  it('waits out a Bulk API 2.0 job that stays InProgress, and fails every row of a job that ends Failed', async () => {
    const gateway = new SalesforceGateway(settings, logger);
    sut.bulkJobsStayInProgress(3);
    try {
      const slow = await gateway.bulkUpsertScores([aScorePayload('C-1', 50), aScorePayload('C-2', 51)], POLL);
      assert.deepEqual([...slow.succeeded].sort(), ['C-1', 'C-2']);
      assert.ok(sut.requests.filter((r) => r.method === 'GET' && /\/jobs\/ingest\/\w+$/.test(r.path)).length >= 4, 'polled through InProgress');
    } finally {
      sut.bulkJobsStayInProgress(0);
    }
    sut.failNextBulkJobs('InvalidBatch : Failed to process query: too many locks');
    const failed = await gateway.bulkUpsertScores([aScorePayload('C-1', 52), aScorePayload('C-2', 53)], POLL);
    assert.equal(failed.succeeded.size, 0);
    assert.deepEqual([...failed.failed.keys()].sort(), ['C-1', 'C-2']);
    assert.match(failed.failed.get('C-1')!, /^BULK_JOB_FAILED: .*too many locks/);
  });

  it('fails every row of a Bulk job still in progress at the poll timeout, and a job naming an unknown field', async () => {
    const gateway = new SalesforceGateway(settings, logger);
    sut.bulkJobsStayInProgress(1000);
    try {
      const late = await gateway.bulkUpsertScores([aScorePayload('C-1', 54)], { intervalMs: 20, timeoutMs: 200 });
      assert.match(late.failed.get('C-1')!, /^BULK_JOB_FAILED: /);
    } finally {
      sut.bulkJobsStayInProgress(0);
    }
    sut.removeField('Account', 'Retention_Action__c');
    try {
      const unknownField = await gateway.bulkUpsertScores([aScorePayload('C-1', 55)], POLL);
      assert.match(unknownField.failed.get('C-1')!, /Field name not found : Retention_Action__c/);
    } finally {
      sut.addField('Account', { name: 'Retention_Action__c', type: 'string' });
    }
  });
});
