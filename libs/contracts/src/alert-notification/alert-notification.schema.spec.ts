import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertNotificationSchema } from './alert-notification.schema';

const sent = {
  schema_version: 1,
  notification_id: 'slack:alrt-1:sent',
  alert_id: 'alrt-1',
  customer_id: 'c-1',
  channel: 'slack',
  form: 'single',
  outcome: 'sent',
  attempt: 1,
  failure: null,
  parked: false,
  occurred_at: '2026-03-10T12:00:00.000Z',
};

describe('alertNotificationSchema', () => {
  it('accepts a delivered and a failed attempt as alerting writes them', () => {
    assert.equal(alertNotificationSchema.safeParse(sent).success, true);
    const failed = { ...sent, notification_id: 'email:alrt-1:failed:2', channel: 'email', outcome: 'failed', attempt: 2, failure: 'retry' };
    assert.equal(alertNotificationSchema.safeParse(failed).success, true);
  });

  it('names the field it refuses: an operators channel, a failure on a sent message, a zoneless time, attempt 0', () => {
    for (const [bad, field] of [
      [{ channel: 'ops_slack' }, 'channel'],
      [{ failure: 'retry' }, 'failure'],
      [{ outcome: 'failed' }, 'failure'],
      [{ occurred_at: '2026-03-10T12:00:00' }, 'occurred_at'],
      [{ attempt: 0 }, 'attempt'],
      [{ schema_version: 2 }, 'schema_version'],
    ] as const) {
      const result = alertNotificationSchema.safeParse({ ...sent, ...bad });
      assert.equal(result.success, false, JSON.stringify(bad));
      assert.equal(String(result.error?.issues[0]?.path[0]), field);
    }
  });
});
