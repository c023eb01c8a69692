import type { DeadLetter, TopicName } from '@churn/contracts';
import type { ConsumedMessage } from './consumed-message';
import type { TopicProducer } from './topic-producer';
import type { KafkaMessage } from 'kafkajs';

export interface DeadLetterInput {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly code: string;
  readonly reason: string;
}

/**
 * Largest original value a letter carries. Base64 makes bytes a third bigger, and the broker refuses
 * a record over its max message size (1 MiB by default): a letter carrying a ~1 MB poison message
 * was refused, the consumer stopped on the producer's non-retriable error and its partitions stalled
 * (found by the chaos suite). Bigger values are left out of the letter; its coordinates still say
 * where the original is (the source topic keeps it for its retention).
 */
export const DEAD_LETTER_MAX_VALUE_BYTES = 512 * 1024;

/** Builds the dead-letter record: original bytes (unless too big), coordinates, reason and time. */
export function toDeadLetter(input: DeadLetterInput, consumerGroup: string, now = new Date()): DeadLetter {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  const size = input.message.value?.length ?? 0;
  const omitted = size > DEAD_LETTER_MAX_VALUE_BYTES;
  return {
    source_topic: input.topic,
    partition: input.partition,
    offset: input.message.offset,
    key: input.message.key ? input.message.key.toString('utf8') : null,
    value_base64: input.message.value && !omitted ? input.message.value.toString('base64') : null,
    headers: omitted ? { ...headers, 'x-dlq-value-omitted': `${size} bytes` } : headers,
    reason: (omitted
      ? `${input.reason} (original value of ${size} bytes left out of the letter; read it at ${input.topic}/${input.partition}@${input.message.offset})`
      : input.reason
    ).slice(0, 4000),
    error_code: input.code,
    consumer_group: consumerGroup,
    failed_at: now.toISOString(),
  };
}

export async function publishDeadLetters(
  producer: TopicProducer,
  dlqTopic: TopicName,
  consumerGroup: string,
  inputs: readonly DeadLetterInput[],
): Promise<void> {
  if (inputs.length === 0) return;
  await producer.sendRaw(
    dlqTopic,
    inputs.map((input) => {
      const record = toDeadLetter(input, consumerGroup);
      return {
        key: record.key,
        value: JSON.stringify(record),
        headers: { 'x-dlq-reason': record.reason.slice(0, 500), 'x-dlq-code': record.error_code },
      };
    }),
  );
}

export function deadLetterInputOf(message: ConsumedMessage<unknown>, code: string, reason: string): DeadLetterInput {
  return { topic: message.topic, partition: message.partition, message: message.raw, code, reason };
}
