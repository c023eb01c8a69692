import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KafkaMessage } from 'kafkajs';
import { outcomeSchema } from '@churn/contracts';
import { toDeadLetter } from './dead-letter.publisher';
import { isTransientError, PermanentMessageError } from './errors';
import { decodeMessage, MAX_VALUE_BYTES } from './message-decoder';

const message = (value: Buffer | string | null): KafkaMessage => ({
  key: Buffer.from('C-1'),
  value: value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(value),
  timestamp: '0',
  attributes: 0,
  offset: '41',
  headers: { trace: Buffer.from('abc') },
});

describe('decodeMessage', () => {
  it('returns the parsed value of a valid message', () => {
    const result = decodeMessage(outcomeSchema, message(JSON.stringify({ customer_id: 'C-1', churned: true, observed_at: '2024-01-01T00:00:00Z' })));
    assert.deepEqual(result, { ok: true, value: { customer_id: 'C-1', churned: true, observed_at: '2024-01-01T00:00:00Z' } });
  });

  it('gives each kind of refusal its own code', () => {
    const code = (value: Buffer | string | null) => {
      const result = decodeMessage(outcomeSchema, message(value));
      return result.ok ? 'ok' : result.code;
    };
    assert.equal(code(null), 'EMPTY_VALUE');
    assert.equal(code('{not json'), 'NOT_JSON');
    assert.equal(code(JSON.stringify({ customer_id: 'C-1' })), 'SCHEMA_INVALID');
    assert.equal(code(Buffer.alloc(MAX_VALUE_BYTES + 1, 0x20)), 'TOO_LARGE');
  });
});

describe('toDeadLetter', () => {
  it('keeps the original bytes, coordinates, reason and time', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x7b]);
    const letter = toDeadLetter(
      { topic: 'outcomes', partition: 2, message: message(bytes), code: 'NOT_JSON', reason: 'bad' },
      'churn.monitoring',
      new Date('2024-05-01T00:00:00Z'),
    );
    assert.deepEqual(Buffer.from(letter.value_base64!, 'base64'), bytes);
    assert.equal(letter.offset, '41');
    assert.equal(letter.partition, 2);
    assert.equal(letter.key, 'C-1');
    assert.deepEqual(letter.headers, { trace: 'abc' });
    assert.equal(letter.failed_at, '2024-05-01T00:00:00.000Z');
  });
});

describe('isTransientError', () => {
  it('treats connection loss, admin shutdown and serialization failures as transient', () => {
    assert.equal(isTransientError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), true);
    assert.equal(isTransientError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })), true);
    assert.equal(isTransientError(Object.assign(new Error('could not serialize'), { code: '40001' })), true);
    assert.equal(isTransientError(new Error('Connection terminated unexpectedly')), true);
  });

  it('treats constraint violations and message errors as permanent', () => {
    assert.equal(isTransientError(Object.assign(new Error('null value'), { code: '23502' })), false);
    assert.equal(isTransientError(new PermanentMessageError('UNSEEN_CATEGORY', 'Contract: "Three year"')), false);
    assert.equal(isTransientError('a string'), false);
  });
});
