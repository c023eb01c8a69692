import type { KafkaMessage } from 'kafkajs';

/** A message that passed its topic's schema, with its coordinates for logging and dead-lettering. */
export interface ConsumedMessage<T> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: T;
  readonly headers: Record<string, string>;
  /** Broker timestamp, milliseconds since the epoch. */
  readonly timestamp: number;
  readonly raw: KafkaMessage;
}

export function headersOf(message: KafkaMessage): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return result;
}
