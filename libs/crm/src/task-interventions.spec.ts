import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interventionSchema } from '@churn/contracts';
import type { CompletedTask } from './crm-gateway';
import { churnNoteOf, CHURN_NOTE_PREFIX } from './crm-payloads';
import { classifyTasks, interventionOfTask, newestModified } from './task-interventions';

const task = (over: Partial<CompletedTask> = {}): CompletedTask => ({
  taskId: '00T000000000001',
  alertId: 'A-1',
  owner: 'Ana Agent <ana@retention.example>',
  completedAt: '2026-11-20T10:00:00.000Z',
  modifiedAt: '2026-11-20T10:00:05.000Z',
  subject: 'Urgent churn risk: retention outreach (C-1)',
  type: 'call',
  closedOnChurn: false,
  ...over,
});
const ours = { customer_id: 'C-1', alert_id: 'A-1', external_id: '00T000000000001' };

describe('completed CRM tasks as interventions', () => {
  it('maps a task to the intervention the topic carries: owner, completion time, subject, type, keyed by the task id, no cost', () => {
    const intervention = interventionOfTask('salesforce', task(), ours);
    assert.deepEqual(intervention, {
      customer_id: 'C-1',
      performed_by: 'Ana Agent <ana@retention.example>',
      performed_at: '2026-11-20T10:00:00.000Z',
      action: 'Urgent churn risk: retention outreach (C-1)',
      channel: 'call',
      source: 'salesforce',
      source_key: '00T000000000001',
    });
    assert.equal(interventionSchema.safeParse(intervention).success, true);
    assert.equal('channel' in interventionOfTask('hubspot', task({ type: null }), ours), false);
    // CRM text the contract refuses is cleaned: a NUL, blanks, an empty subject.
    const odd = interventionOfTask('hubspot', task({ subject: '  \u0000 ', owner: 'Ana\u0000 ', type: ' ' }), ours);
    assert.deepEqual([odd.action, odd.performed_by, 'channel' in odd], ['Task', 'Ana', false]);
    assert.equal(interventionSchema.safeParse(odd).success, true);
    assert.equal(interventionSchema.safeParse({ ...odd, action: 'a\u0000b' }).success, false);
  });

  it('records only the platform’s tasks (by alert id, or by the CRM id) that a person completed', () => {
    const byAlert = new Map([['A-1', ours]]);
    const byExternal = new Map([['HS-9', { ...ours, external_id: 'HS-9' }]]);
    const results = classifyTasks(
      [task(), task({ taskId: 'HS-9', alertId: null }), task({ taskId: 'X', alertId: 'A-OTHER' }), task({ alertId: 'A-1', closedOnChurn: true })],
      byAlert,
      byExternal,
    ).map((c) => c.result);
    assert.deepEqual(results, ['recorded', 'recorded', 'not_ours', 'closed_on_churn']);
  });

  it('moves the watermark to the newest modification of a page, and not at all for an empty one', () => {
    assert.equal(
      newestModified([
        task({ modifiedAt: '2026-11-20T10:00:05.000Z' }),
        task({ modifiedAt: '2026-11-21T00:00:00.000Z' }),
        task({ modifiedAt: '2026-11-19T00:00:00.000Z' }),
      ])?.toISOString(),
      '2026-11-21T00:00:00.000Z',
    );
    assert.equal(newestModified([]), null);
  });

  it('words the churn note by mode, with the day of the churn and the marker read-back looks for', () => {
    assert.equal(
      churnNoteOf({ churned_at: '2026-11-20T23:59:00.000Z', mode: 'annotate' }),
      `${CHURN_NOTE_PREFIX} 2026-11-20. No retention outreach is needed any more.`,
    );
    assert.match(churnNoteOf({ churned_at: '2026-11-20T00:00:00.000Z', mode: 'close' }), /Closed by Churn Radar/);
  });
});
