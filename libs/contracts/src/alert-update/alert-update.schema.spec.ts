import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertUpdateSchema } from './alert-update.schema';

const valid = {
  schema_version: 1,
  update_id: 'alrt-1:raised',
  alert_id: 'alrt-1',
  customer_id: 'c-1',
  level: 'critical',
  state: 'pending',
  change: 'raised',
  assignee: null,
  by: null,
  note: null,
  due_at: '2026-03-11T12:00:00.000Z',
  occurred_at: '2026-03-10T12:00:00.000Z',
};

describe('alertUpdateSchema', () => {
  it('accepts an update as alerting writes it', () => {
    assert.equal(alertUpdateSchema.safeParse(valid).success, true);
  });

  it('refuses an unknown state or change, and a timestamp without zone', () => {
    for (const bad of [{ state: 'open' }, { change: 'closed' }, { occurred_at: '2026-03-10T12:00:00' }, { schema_version: 2 }]) {
      const result = alertUpdateSchema.safeParse({ ...valid, ...bad });
      assert.equal(result.success, false, JSON.stringify(bad));
      assert.equal(String(result.error?.issues[0]?.path[0]), Object.keys(bad)[0]);
    }
  });

  it('carries the alert’s figures, and still reads an update written before they were carried', () => {
    const figures = { risk_score: 91, message: 'risk critical', raised_at: '2026-03-10T12:00:00.000Z', acknowledged_at: null };
    assert.deepEqual(alertUpdateSchema.parse({ ...valid, ...figures }), { ...valid, ...figures });
    assert.equal(alertUpdateSchema.parse(valid).raised_at, undefined);
    for (const bad of [{ risk_score: 101 }, { raised_at: '2026-03-10T12:00:00' }, { acknowledged_at: 'yesterday' }]) {
      const result = alertUpdateSchema.safeParse({ ...valid, ...figures, ...bad });
      assert.equal(result.success, false, JSON.stringify(bad));
      assert.equal(String(result.error?.issues[0]?.path[0]), Object.keys(bad)[0]);
    }
  });
});
