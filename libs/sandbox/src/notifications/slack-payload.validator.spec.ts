import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slackPayloadProblem } from './slack-payload.validator';

const problem = (payload: unknown) => slackPayloadProblem(typeof payload === 'string' ? payload : JSON.stringify(payload));
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('the Slack fake refuses what a Slack incoming webhook refuses', () => {
  it('accepts text, and blocks within Block Kit’s limits', () => {
    assert.equal(problem({ text: 'hello' }), undefined);
    assert.equal(
      problem({
        text: 'fallback',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Critical churn risk' } },
          { type: 'section', fields: [{ type: 'mrkdwn', text: '*Customer*\nC-1' }] },
          section('x'.repeat(3000)),
          { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, url: 'http://d.local/a' }] },
          { type: 'divider' },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'alert a' }] },
        ],
      }),
      undefined,
    );
  });

  it('answers with Slack’s error strings', () => {
    assert.equal(problem('not json'), 'invalid_payload');
    assert.equal(problem([1]), 'invalid_payload');
    assert.equal(problem({ text: 'x'.repeat(40_001) }), 'invalid_payload');
    assert.equal(problem({}), 'no_text');
    assert.equal(problem({ text: '  ' }), 'no_text');
    assert.equal(problem({ text: 't', blocks: {} }), 'invalid_blocks_format');
    assert.equal(problem({ text: 't', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }), 'invalid_blocks');
    assert.equal(problem({ text: 't', blocks: [section('x'.repeat(3001))] }), 'invalid_blocks');
    assert.equal(problem({ text: 't', blocks: [{ type: 'section' }] }), 'invalid_blocks');
    assert.equal(problem({ text: 't', blocks: [{ type: 'section', text: { type: 'mrkdwn' } }] }), 'invalid_blocks');
    assert.equal(problem({ text: 't', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }), 'invalid_blocks');
    assert.equal(problem({ text: 't', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] }), 'invalid_blocks');
    assert.equal(problem({ text: 't', blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }] }), 'invalid_blocks');
    assert.equal(
      problem({ text: 't', blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) } }] }] }),
      'invalid_blocks',
    );
    assert.equal(problem({ text: 't', blocks: [{ type: 'banner' }] }), 'invalid_blocks');
  });
});
