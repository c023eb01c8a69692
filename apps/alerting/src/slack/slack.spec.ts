import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertRow } from '@churn/alerting-data';
import { slackPayloadProblem } from '@churn/testing';
import { anAlertRow } from '../alerts/alert-row.builder';
import { backoffDelayMs } from '../delivery/backoff';
import { truncateMrkdwn } from './mrkdwn';
import { SLACK_MAX_BLOCKS, slackAlertMessage, slackDigestMessage, slackModelAlertMessage } from './slack-message';
import { classifySlackResponse, retryAfterMsOf } from './slack-webhook.client';

function anAlert(i = 0, overrides: Partial<AlertRow> = {}): AlertRow {
  return anAlertRow({
    alert_id: `alrt-${String(i).padStart(24, '0')}`,
    customer_id: `C-<${i}>`,
    prediction_id: `p-${i}`,
    details: {
      recommended_action: 'Call & offer',
      revenue_at_risk: 1234.5,
      top_factors: [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.2 }],
      model_version: 'v7',
    },
    ...overrides,
  });
}

describe('Slack messages', () => {
  it('shows customer, score, level, factors, action, revenue at risk and the dashboard link, escaped', () => {
    const message = slackAlertMessage(anAlert(1), 'http://dash.local:3005/');
    const json = JSON.stringify(message);
    for (const expected of [
      'C-&lt;1&gt;',
      '88/100',
      'critical',
      'Contract = Month-to-month (+0.200)',
      'Call &amp; offer',
      '$1,235',
      'http://dash.local:3005/alerts/alrt-000000000000000000000001',
      'model v7',
    ]) {
      assert.ok(json.includes(expected), `missing ${expected}`);
    }
    assert.equal(message.blocks[0]!['type'], 'header');
  });

  it('writes a factor the customer has no value for as none', () => {
    const alert = anAlert(2, { details: { top_factors: [{ feature: 'days_since_login', value: null, contribution: 0.3 }] } });
    assert.ok(JSON.stringify(slackAlertMessage(alert, 'http://dash.local:3005/')).includes('days_since_login = none (+0.300)'));
  });

  it('keeps a digest within Slack’s 50-block limit and lists every alert once', () => {
    const alerts = Array.from({ length: 45 }, (_, i) => anAlert(i));
    const digest = slackDigestMessage(alerts, 'http://dash.local/');
    assert.ok(digest.blocks.length <= SLACK_MAX_BLOCKS);
    for (const a of alerts) assert.equal(JSON.stringify(digest).split(a.alert_id).length - 1, 2, `${a.alert_id} once in the link, once in the text`);
    assert.throws(() =>
      slackDigestMessage(
        Array.from({ length: 48 }, (_, i) => anAlert(i)),
        'http://dash.local/',
      ),
    );
  });

  it('escapes the top-level text too', () => {
    const message = slackAlertMessage(anAlert(2, { customer_id: 'A&B <Co>' }), 'http://dash.local/');
    assert.equal(message.text, 'Critical churn risk: customer A&amp;B &lt;Co&gt;, score 88/100');
  });

  it('never cuts an escape sequence, a link or a surrogate pair when it shortens a text', () => {
    for (let max = 2; max < 40; max++) {
      const cut = truncateMrkdwn('ab &amp; &lt;x&gt; <http://d.local/alerts/a|label> 😀😀 tail', max);
      assert.ok(cut.length <= max, `${cut} longer than ${max}`);
      assert.ok(cut.endsWith('…'));
      const body = cut.slice(0, -1);
      assert.doesNotMatch(body, /&(?!amp;|lt;|gt;)|&[a-z]*$/, `cut inside an escape: ${cut}`);
      assert.equal((body.match(/</g) ?? []).length, (body.match(/>/g) ?? []).length, `cut inside a link: ${cut}`);
      assert.doesNotMatch(body, /[\uD800-\uDBFF]$/, 'cut inside a surrogate pair');
    }
  });

  it('builds messages a strict Slack accepts, whatever the data', () => {
    const hostile = anAlert(3, {
      customer_id: `${'<&>'.repeat(900)}`,
      prediction_id: 'p&'.repeat(1500),
      details: {
        recommended_action: '&'.repeat(5000),
        revenue_at_risk: 1,
        top_factors: Array.from({ length: 5 }, () => ({ feature: '<f>'.repeat(400), value: '&'.repeat(400), contribution: 0.1 })),
        model_version: 'v<1>',
      },
    });
    assert.equal(slackPayloadProblem(JSON.stringify(slackAlertMessage(hostile, 'http://dash.local/'))), undefined);
    const digest = slackDigestMessage(
      Array.from({ length: 45 }, (_, i) => ({ ...hostile, alert_id: anAlert(i).alert_id })),
      'http://dash.local/',
    );
    assert.equal(slackPayloadProblem(JSON.stringify(digest)), undefined);
    const model = slackModelAlertMessage({
      alert_id: 'malrt-1',
      model_version: 'v<7>',
      kind: 'feature_drift',
      subject: 'Contract & <tenure>',
      condition_key: 'k',
      value: 0.41,
      threshold: 0.2,
      message: 'Contract has drifted & more '.repeat(300),
      created_at: new Date('2026-03-10T12:00:00Z'),
    });
    assert.equal(slackPayloadProblem(JSON.stringify(model)), undefined);
    assert.match(model.text, /v&lt;7&gt;/);
  });
});

describe('delivery results', () => {
  it('classifies Slack’s documented answers: a refused message is parked, only answers about the webhook kill it', () => {
    assert.deepEqual(classifySlackResponse(200, null, 'ok'), { kind: 'ok' });
    assert.deepEqual(classifySlackResponse(429, '7', 'rate_limited'), { kind: 'rate_limited', retryAfterMs: 7000, error: 'HTTP 429 rate_limited' });
    assert.equal(classifySlackResponse(500, null, 'rollup_error').kind, 'retry');
    assert.equal(classifySlackResponse(503, null, '').kind, 'retry');
    for (const body of ['invalid_payload', 'invalid_blocks', 'invalid_blocks_format', 'too_many_attachments', 'no_text', 'user_not_found']) {
      assert.deepEqual(classifySlackResponse(400, null, body), { kind: 'rejected', error: `HTTP 400 ${body}` });
    }
    assert.equal(classifySlackResponse(413, null, '').kind, 'rejected');
    for (const [status, body] of [
      [403, 'action_prohibited'],
      [403, 'invalid_token'],
      [403, 'posting_to_general_channel_denied'],
      [404, 'channel_not_found'],
      [404, 'no_service'],
      [410, 'channel_is_archived'],
      [410, 'no_active_hooks'],
      [400, 'no_service'],
    ] as const) {
      assert.deepEqual(classifySlackResponse(status, null, body), { kind: 'dead', error: `HTTP ${status} ${body}` });
    }
  });

  it('reads Retry-After as seconds or an HTTP date, one second when missing', () => {
    assert.equal(retryAfterMsOf('2'), 2000);
    assert.equal(retryAfterMsOf(null), 1000);
    assert.equal(retryAfterMsOf(new Date(10_000).toUTCString(), 5000), 5000);
  });

  it('backs off exponentially with jitter, within the cap', () => {
    assert.equal(
      backoffDelayMs(1, 1000, 60_000, () => 0),
      500,
    );
    assert.equal(
      backoffDelayMs(1, 1000, 60_000, () => 1),
      1000,
    );
    assert.equal(
      backoffDelayMs(4, 1000, 60_000, () => 1),
      8000,
    );
    assert.equal(
      backoffDelayMs(20, 1000, 60_000, () => 1),
      60_000,
    );
    const spread = new Set(Array.from({ length: 20 }, () => backoffDelayMs(3, 1000, 60_000)));
    assert.ok(spread.size > 1);
  });
});
