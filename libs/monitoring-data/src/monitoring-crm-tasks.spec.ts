import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CrmActivity } from '@churn/contracts';
import { taskChangesOf } from './monitoring-customer-activity.repository';

const activity = (overrides: Partial<CrmActivity>): CrmActivity => ({
  schema_version: 1,
  activity_id: 'a',
  customer_id: 'c-1',
  crm: 'hubspot',
  kind: 'task_created',
  external_id: 'T-1',
  write: null,
  risk_score: null,
  alert_id: 'alrt-1',
  completed_by: null,
  occurred_at: '2026-03-10T12:00:00.000Z',
  ...overrides,
});

describe('taskChangesOf', () => {
  it("merges a task's creation and completion of one batch into one change, and leaves record writes out", () => {
    const changes = taskChangesOf([
      activity({ kind: 'task_completed', occurred_at: '2026-03-11T12:00:00.000Z' }),
      activity({}),
      activity({ activity_id: 'b', kind: 'task_created', occurred_at: '2026-03-10T13:00:00.000Z' }),
      activity({ kind: 'record_written', external_id: null, write: 'score', risk_score: 80 }),
      activity({ crm: 'salesforce', external_id: 'T-1' }),
    ]);
    assert.deepEqual(changes, [
      { crm: 'hubspot', external_id: 'T-1', customer_id: 'c-1', created_at: '2026-03-10T12:00:00.000Z', completed_at: '2026-03-11T12:00:00.000Z' },
      { crm: 'salesforce', external_id: 'T-1', customer_id: 'c-1', created_at: '2026-03-10T12:00:00.000Z', completed_at: null },
    ]);
  });
});
