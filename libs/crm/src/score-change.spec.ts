import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs } from './crm-errors';
import { taskPayloadOf } from './crm-payloads';
import { decideScorePush } from './score-change';

describe('decideScorePush', () => {
  const base = { score: 50, level: 'medium', asOf: 1000 };
  it('pushes the first score, a category change, and a move of at least the threshold', () => {
    assert.equal(decideScorePush(undefined, { score: 10, level: 'low', asOf: 1 }, 5), 'push');
    assert.equal(decideScorePush(base, { score: 59, level: 'medium', asOf: 2000 }, 10), 'unchanged');
    assert.equal(decideScorePush(base, { score: 60, level: 'high', asOf: 2000 }, 10), 'push');
    assert.equal(decideScorePush(base, { score: 45, level: 'medium', asOf: 2000 }, 5), 'push');
    assert.equal(decideScorePush(base, { score: 46, level: 'medium', asOf: 2000 }, 5), 'unchanged');
  });
  it('never lets an older prediction overwrite a newer one', () => {
    assert.equal(decideScorePush(base, { score: 90, level: 'critical', asOf: 999 }, 5), 'stale');
  });
});

describe('taskPayloadOf', () => {
  const alert = {
    alert_id: 'A-1',
    customer_id: 'C-1',
    level: 'critical' as const,
    risk_score: 88,
    message: 'jump',
    prediction_id: 'P-1',
    created_at: '2025-01-31T20:00:00Z',
  };
  const source = { topic: 'alerts', partition: 0, offset: '1' };
  it('dates the task by the level SLA and lists the factors and the action', () => {
    const task = taskPayloadOf(
      alert,
      { recommendedAction: 'Call now', topFactors: [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.2 }] },
      { critical: 24, high: 48 },
      source,
    );
    assert.equal(task.due_date, '2025-02-01');
    assert.equal(task.due_at, '2025-02-01T20:00:00.000Z');
    assert.equal(task.priority, 'High');
    assert.match(task.description, /Recommended action: Call now/);
    assert.match(task.description, /Contract = Month-to-month \(\+0\.200\)/);
    assert.equal(taskPayloadOf({ ...alert, level: 'high' }, {}, { critical: 24, high: 48 }, source).due_date, '2025-02-02');
  });
});

describe('backoffMs', () => {
  it('doubles per attempt within jitter and stays under the cap', () => {
    assert.equal(
      backoffMs(1, 1000, 60_000, () => 1),
      1000,
    );
    assert.equal(
      backoffMs(3, 1000, 60_000, () => 0),
      2000,
    );
    assert.equal(
      backoffMs(20, 1000, 60_000, () => 1),
      60_000,
    );
  });
});
