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

/** Builds the dead-letter record: original bytes, coordinates, reason and time. */
export function toDeadLetter(input: DeadLetterInput, consumerGroup: string, now = new Date()): DeadLetter {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return {
    source_topic: input.topic,
    partition: input.partition,
    offset: input.message.offset,
    key: input.message.key ? input.message.key.toString('utf8') : null,
    value_base64: input.message.value ? input.message.value.toString('base64') : null,
    headers,
    reason: input.reason.slice(0, 4000),
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
