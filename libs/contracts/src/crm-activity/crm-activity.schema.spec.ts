import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crmActivitySchema } from './crm-activity.schema';

const written = {
  schema_version: 1,
  activity_id: 'score:salesforce:pred-1:written',
  customer_id: 'c-1',
  crm: 'salesforce',
  kind: 'record_written',
  external_id: null,
  write: 'score',
  risk_score: 81,
  alert_id: null,
  completed_by: null,
  occurred_at: '2026-03-10T12:00:00.000Z',
};
const created = {
  ...written,
  activity_id: 'task:hubspot:alrt-1:created',
  crm: 'hubspot',
  kind: 'task_created',
  external_id: '9001',
  write: null,
  risk_score: null,
  alert_id: 'alrt-1',
};

describe('crmActivitySchema', () => {
  it('accepts a record write, a task created and a task completed', () => {
    assert.equal(crmActivitySchema.safeParse(written).success, true);
    assert.equal(crmActivitySchema.safeParse(created).success, true);
    assert.equal(
      crmActivitySchema.safeParse({ ...created, activity_id: 'task-completed:hubspot:9001', kind: 'task_completed', completed_by: 'Jane' }).success,
      true,
    );
  });

  it('names the field it refuses: an unknown CRM or kind, a task without its CRM id, a write kind on a task', () => {
    for (const [bad, field] of [
      [{ crm: 'zoho' }, 'crm'],
      [{ kind: 'record_deleted' }, 'kind'],
      [{ ...created, external_id: null }, 'external_id'],
      [{ ...created, write: 'score' }, 'write'],
      [{ write: null }, 'write'],
      [{ risk_score: 101 }, 'risk_score'],
      [{ occurred_at: 'yesterday' }, 'occurred_at'],
      [{ customer_id: 'c-\u0000' }, 'customer_id'],
    ] as const) {
      const result = crmActivitySchema.safeParse({ ...written, ...bad });
      assert.equal(result.success, false, JSON.stringify(bad));
      assert.equal(String(result.error?.issues[0]?.path[0]), field);
    }
  });
});
