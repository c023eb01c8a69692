import type { KafkaMessage } from 'kafkajs';
import type { z } from 'zod';
import { describeZodError } from '@churn/contracts';

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; code: string; reason: string };

/** Largest value we try to parse; anything bigger is dead-lettered unparsed. */
export const MAX_VALUE_BYTES = 1024 * 1024;

/** Bytes → JSON → schema, with a reason that names the field when the message is refused. */
export function decodeMessage<S extends z.ZodType>(schema: S, message: KafkaMessage): DecodeResult<z.output<S>> {
  const bytes = message.value;
  if (bytes === null || bytes.length === 0) return { ok: false, code: 'EMPTY_VALUE', reason: 'message has no value' };
  if (bytes.length > MAX_VALUE_BYTES) {
    return { ok: false, code: 'TOO_LARGE', reason: `value is ${bytes.length} bytes; the limit is ${MAX_VALUE_BYTES}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return { ok: false, code: 'NOT_JSON', reason: `value is not JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, code: 'SCHEMA_INVALID', reason: describeZodError(parsed.error) };
  return { ok: true, value: parsed.data };
}
