import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { deadLetterSchema, describeZodError, type DeadLetter } from '@churn/contracts';

export interface StoredDeadLetter {
  readonly partition: number;
  readonly offset: string;
  /** The record, or why it could not be read as one (it is listed, never skipped). */
  readonly letter: DeadLetter | undefined;
  readonly problem?: string;
}

/**
 * Reads a dead-letter topic from its start to the end it has now, without committing anything: a
 * throw-away consumer group is used and deleted, so listing or re-driving never consumes a letter.
 */
export async function readDeadLetters(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<StoredDeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `churn-cli-dlq-${randomUUID()}`;
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const pending = new Map(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
    const letters: StoredDeadLetter[] = [];
    if (pending.size === 0) return letters;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = pending.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            letters.push(decode(partition, message.offset, message.value));
            if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

function decode(partition: number, offset: string, value: Buffer | null): StoredDeadLetter {
  try {
    const parsed = deadLetterSchema.safeParse(JSON.parse(value?.toString('utf8') ?? 'null'));
    return parsed.success ? { partition, offset, letter: parsed.data } : { partition, offset, letter: undefined, problem: describeZodError(parsed.error) };
  } catch (error) {
    return { partition, offset, letter: undefined, problem: `not JSON: ${(error as Error).message}` };
  }
}
