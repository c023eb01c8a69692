import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KafkaMessage } from 'kafkajs';
import { DEAD_LETTER_MAX_VALUE_BYTES, toDeadLetter } from './dead-letter.publisher';
import { MAX_VALUE_BYTES } from './message-decoder';

const message = (value: Buffer): KafkaMessage =>
  ({ key: Buffer.from('C-1'), value, offset: '42', timestamp: '0', attributes: 0, headers: {}, size: value.length }) as unknown as KafkaMessage;

describe('toDeadLetter', () => {
  it('carries the original bytes of an ordinary poison message', () => {
    const letter = toDeadLetter(
      { topic: 'customer-events', partition: 3, message: message(Buffer.from('not json')), code: 'NOT_JSON', reason: 'bad' },
      'churn.ingest',
    );
    assert.equal(Buffer.from(letter.value_base64!, 'base64').toString(), 'not json');
  });

  it('leaves out a value so big that the letter would exceed the broker limit, and says where the original is', () => {
    const big = Buffer.alloc(1_000_000, 0x61);
    const letter = toDeadLetter(
      { topic: 'customer-events', partition: 3, message: message(big), code: 'SCHEMA_INVALID', reason: 'event_type: unknown' },
      'churn.ingest',
    );
    assert.equal(letter.value_base64, null);
    assert.equal(letter.headers['x-dlq-value-omitted'], '1000000 bytes');
    assert.match(letter.reason, /^event_type: unknown \(original value of 1000000 bytes left out.*customer-events\/3@42\)$/);
    assert.ok(Buffer.byteLength(JSON.stringify(letter)) < 1024 * 1024, 'the letter fits the broker default');
  });

  it('keeps every letter of a value the consumer would parse under 1 MiB once base64-encoded', () => {
    assert.ok(Math.ceil((DEAD_LETTER_MAX_VALUE_BYTES * 4) / 3) + 8192 < 1024 * 1024);
    assert.ok(DEAD_LETTER_MAX_VALUE_BYTES < MAX_VALUE_BYTES);
  });
});
