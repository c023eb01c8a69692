import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { itRefusesKafkaSaslWithoutCredentials } from '@churn/testing';
import { crmSyncConfigSchema } from './config';

describe('crm-sync configuration', () => {
  itRefusesKafkaSaslWithoutCredentials(crmSyncConfigSchema);
});

const BASE = { KAFKA_BROKERS: '127.0.0.1:9092', DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' };
const issuesOf = (env: Record<string, string>) => {
  const result = crmSyncConfigSchema.safeParse({ ...BASE, ...env });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe("crm-sync's own config schema checks the Salesforce sign-in flow", () => {
  it('refuses a flow with a missing variable, naming it', () => {
    assert.deepEqual(issuesOf({ SALESFORCE_CLIENT_ID: 'app', SALESFORCE_USERNAME: 'integration@acme.example' }), [
      'SALESFORCE_PRIVATE_KEY: required by the Salesforce jwt_bearer sign-in flow',
    ]);
    assert.deepEqual(
      issuesOf({ SALESFORCE_AUTH_FLOW: 'client_credentials', SALESFORCE_CLIENT_ID: 'app', SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com' }),
      ['SALESFORCE_CLIENT_SECRET: required by the Salesforce client_credentials sign-in flow'],
    );
  });

  it('accepts each complete flow, and no Salesforce at all', () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.deepEqual(issuesOf({ SALESFORCE_CLIENT_ID: 'app', SALESFORCE_USERNAME: 'u', SALESFORCE_PRIVATE_KEY: key }), []);
    assert.deepEqual(
      issuesOf({
        SALESFORCE_AUTH_FLOW: 'client_credentials',
        SALESFORCE_CLIENT_ID: 'app',
        SALESFORCE_CLIENT_SECRET: 's',
        SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com',
      }),
      [],
    );
    assert.deepEqual(issuesOf({ SALESFORCE_CLIENT_ID: 'app', SALESFORCE_REFRESH_TOKEN: 'r' }), []);
    assert.deepEqual(issuesOf({}), []);
  });
});

describe("crm-sync's crm-activity relay settings", () => {
  it('has defaults, and names a setting out of range', () => {
    const parsed = crmSyncConfigSchema.parse(BASE);
    assert.deepEqual([parsed.CRM_ACTIVITY_RELAY_INTERVAL_MS, parsed.CRM_ACTIVITY_RELAY_BATCH, parsed.CRM_ACTIVITY_KEEP_HOURS], [1000, 500, 168]);
    assert.deepEqual(
      issuesOf({ CRM_ACTIVITY_RELAY_BATCH: '0', CRM_ACTIVITY_KEEP_HOURS: 'a week' }).map((i) => i.split(':')[0]),
      ['CRM_ACTIVITY_RELAY_BATCH', 'CRM_ACTIVITY_KEEP_HOURS'],
    );
  });
});
