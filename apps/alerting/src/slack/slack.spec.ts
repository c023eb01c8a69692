import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertRow } from '@churn/db';
import { backoffDelayMs } from '../delivery/backoff';
import { classifySmtpError } from '../email/smtp.mailer';
import { SLACK_MAX_BLOCKS, slackAlertMessage, slackDigestMessage } from './slack-message';
import { classifySlackResponse, retryAfterMsOf } from './slack-webhook.client';

function anAlert(i = 0, overrides: Partial<AlertRow> = {}): AlertRow {
  return {
    alert_id: `alrt-${String(i).padStart(24, '0')}`,
    customer_id: `C-<${i}>`,
    prediction_id: `p-${i}`,
    level: 'critical',
    risk_score: 88,
    message: 'm',
    reason: 'level',
    details: { recommended_action: 'Call & offer', revenue_at_risk: 1234.5, top_factors: [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.2 }], model_version: 'v7' },
    status: 'pending',
    created_at: new Date('2026-03-10T12:00:00Z'),
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    ...overrides,
  };
}

describe('Slack messages', () => {
  it('shows customer, score, level, factors, action, revenue at risk and the dashboard link, escaped', () => {
    const message = slackAlertMessage(anAlert(1), 'http://dash.local:3005/');
    const json = JSON.stringify(message);
    for (const expected of ['C-&lt;1&gt;', '88/100', 'critical', 'Contract = Month-to-month (+0.200)', 'Call &amp; offer', '$1,235', 'http://dash.local:3005/alerts/alrt-000000000000000000000001', 'model v7']) {
      assert.ok(json.includes(expected), `missing ${expected}`);
    }
    assert.equal(message.blocks[0]!['type'], 'header');
  });

  it('keeps a digest within Slack’s 50-block limit and lists every alert once', () => {
    const alerts = Array.from({ length: 45 }, (_, i) => anAlert(i));
    const digest = slackDigestMessage(alerts, 'http://dash.local/');
    assert.ok(digest.blocks.length <= SLACK_MAX_BLOCKS);
    for (const a of alerts) assert.equal(JSON.stringify(digest).split(a.alert_id).length - 1, 2, `${a.alert_id} once in the link, once in the text`);
    assert.throws(() => slackDigestMessage(Array.from({ length: 48 }, (_, i) => anAlert(i)), 'http://dash.local/'));
  });
});

describe('delivery results', () => {
  it('classifies Slack’s documented answers', () => {
    assert.deepEqual(classifySlackResponse(200, null, 'ok'), { kind: 'ok' });
    assert.deepEqual(classifySlackResponse(429, '7', 'rate_limited'), { kind: 'rate_limited', retryAfterMs: 7000, error: 'HTTP 429 rate_limited' });
    assert.equal(classifySlackResponse(500, null, 'rollup_error').kind, 'retry');
    assert.equal(classifySlackResponse(503, null, '').kind, 'retry');
    for (const [status, body] of [[400, 'invalid_payload'], [403, 'action_prohibited'], [404, 'channel_not_found'], [404, 'no_service'], [410, 'channel_is_archived']] as const) {
      assert.deepEqual(classifySlackResponse(status, null, body), { kind: 'dead', error: `HTTP ${status} ${body}` });
    }
  });

  it('reads Retry-After as seconds or an HTTP date, one second when missing', () => {
    assert.equal(retryAfterMsOf('2'), 2000);
    assert.equal(retryAfterMsOf(null), 1000);
    assert.equal(retryAfterMsOf(new Date(10_000).toUTCString(), 5000), 5000);
  });

  it('classifies SMTP failures', () => {
    assert.equal(classifySmtpError({ code: 'EAUTH', responseCode: 535, message: 'Invalid login' }).kind, 'dead');
    assert.equal(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, message: 'no such user' }).kind, 'dead');
    assert.equal(classifySmtpError({ code: 'EMESSAGE', responseCode: 552, message: 'too big' }).kind, 'rejected');
    assert.equal(classifySmtpError({ code: 'EMESSAGE', responseCode: 451, message: 'later' }).kind, 'retry');
    assert.equal(classifySmtpError({ code: 'ECONNECTION', message: 'refused' }).kind, 'retry');
  });

  it('backs off exponentially with jitter, within the cap', () => {
    assert.equal(backoffDelayMs(1, 1000, 60_000, () => 0), 500);
    assert.equal(backoffDelayMs(1, 1000, 60_000, () => 1), 1000);
    assert.equal(backoffDelayMs(4, 1000, 60_000, () => 1), 8000);
    assert.equal(backoffDelayMs(20, 1000, 60_000, () => 1), 60_000);
    const spread = new Set(Array.from({ length: 20 }, () => backoffDelayMs(3, 1000, 60_000)));
    assert.ok(spread.size > 1);
  });
});
