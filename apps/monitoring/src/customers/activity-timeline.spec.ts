import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crmEntry, notificationEntry } from './activity-timeline';

const at = new Date('2026-03-10T12:00:00Z');

describe('activity timeline entries', () => {
  it('says how a notification attempt ended', () => {
    const base = {
      notification_id: 'n',
      alert_id: 'alrt-1',
      channel: 'slack',
      form: 'single',
      outcome: 'sent',
      attempt: 1,
      failure: null,
      parked: false,
      occurred_at: at,
    };
    assert.equal(notificationEntry(base).summary, 'Slack notification sent');
    const failed = notificationEntry({ ...base, channel: 'email', form: 'digest', outcome: 'failed', attempt: 3, failure: 'retry', parked: true });
    assert.equal(failed.summary, 'e-mail notification failed (in a digest): retry, attempt 3, parked');
    assert.equal(failed.kind, 'notification');
    assert.equal(failed.at, '2026-03-10T12:00:00.000Z');
  });

  it('says what was done in which CRM', () => {
    const base = {
      activity_id: 'a',
      crm: 'salesforce',
      kind: 'record_written',
      external_id: null,
      write: 'score',
      risk_score: 81,
      alert_id: null,
      completed_by: null,
      occurred_at: at,
    };
    assert.equal(crmEntry(base).summary, 'score 81 written to Salesforce');
    assert.equal(crmEntry({ ...base, write: 'churn', risk_score: null }).summary, 'churn written to Salesforce');
    assert.equal(crmEntry({ ...base, crm: 'hubspot', kind: 'task_created', write: null }).summary, 'retention task created in HubSpot');
    assert.equal(crmEntry({ ...base, kind: 'task_completed', write: null, completed_by: 'Jane' }).summary, 'retention task completed in Salesforce by Jane');
    assert.equal(crmEntry({ ...base, kind: 'task_completed', write: null }).summary, 'retention task closed in Salesforce on churn');
    assert.equal(crmEntry(base).activity, 'record_written');
  });
});
