import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { deadLetterSchema, Topics, type TopicName } from '@churn/contracts';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { rawProducer, testInfra, testKafka, TopicProbe, uniqueId, until } from '@churn/testing';
import { BatchConsumer, subscription, type BatchHandler } from './batch-consumer';
import { PermanentMessageError } from './errors';
import { createKafka } from './kafka-client';
import { TopicProducer } from './topic-producer';

const itemSchema = z.object({ id: z.number().int(), fail: z.enum(['never', 'permanent']).default('never') });
type Item = z.infer<typeof itemSchema>;

const logger = createLogger({ service: 'kafka-spec', level: 'silent' });

async function createTopic(partitions = 2): Promise<TopicName> {
  const topic = uniqueId('spec-topic');
  const admin = testKafka().admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
  await admin.disconnect();
  return topic as TopicName;
}

function consumerFor(topic: TopicName, groupId: string, handler: BatchHandler<Item>, batching: 'fetch' | 'partition' = 'fetch') {
  const registry = createMetricsRegistry('kafka-spec');
  const kafka = createKafka({ KAFKA_BROKERS: testInfra().kafkaBrokers.split(','), KAFKA_SSL: false, KAFKA_GROUP_PREFIX: 'spec' }, 'kafka-spec', logger);
  const producer = new TopicProducer(kafka, logger, registry);
  const consumer = new BatchConsumer(
    kafka,
    producer,
    {
      groupId,
      batching,
      subscriptions: [subscription({ topic, schema: itemSchema, handler })],
      deadLetterTopic: Topics.customerEventsDlq,
      retry: { initialDelayMs: 20, maxDelayMs: 100 },
    },
    logger,
    registry,
  );
  return {
    consumer,
    registry,
    stop: async () => {
      await consumer.stop();
      await producer.disconnect();
    },
  };
}

async function committedOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Object.fromEntries(offsets!.partitions.map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

/** The consumer's progress is in memory: look often. */
const SOON = { timeoutMs: 20_000, intervalMs: 50 };

describe('BatchConsumer against the real broker', () => {
  let dlq: TopicProbe;
  before(async () => {
    dlq = await TopicProbe.start([Topics.customerEventsDlq]);
  });
  after(async () => {
    await dlq.stop();
  });

  it('hands valid messages to the handler in batches and dead-letters invalid ones with their bytes, then goes on', async () => {
    const topic = await createTopic();
    const seen: number[] = [];
    let batches = 0;
    const sut = consumerFor(topic, uniqueId('group'), async (messages) => {
      batches++;
      seen.push(...messages.map((m) => m.value.id));
    });
    await sut.consumer.start();
    const producer = await rawProducer();
    const poison = Buffer.from([0x7b, 0xff, 0x00]);
    await producer.send({
      topic,
      messages: [
        { key: 'a', value: JSON.stringify({ id: 1 }) },
        { key: 'a', value: poison },
        { key: 'a', value: JSON.stringify({ id: 'two' }) },
        ...Array.from({ length: 50 }, (_, i) => ({ key: 'a', value: JSON.stringify({ id: 100 + i }) })),
      ],
    });
    await until('seen.length === 51', () => seen.length === 51, SOON);
    const letters = await dlq.waitFor((m) => m.value !== null && JSON.parse(m.value).source_topic === topic, 2);
    const records = letters.map((m) => deadLetterSchema.parse(JSON.parse(m.value!)));
    assert.deepEqual(Buffer.from(records.find((r) => r.error_code === 'NOT_JSON')!.value_base64!, 'base64'), poison);
    assert.match(records.find((r) => r.error_code === 'SCHEMA_INVALID')!.reason, /^id: /);
    assert.ok(batches < 51, `expected batching, got ${batches} handler calls for 51 messages`);
    await producer.close();
    await sut.stop();
  });

  it('retries an infrastructure failure in place and dead-letters nothing', async () => {
    const topic = await createTopic(1);
    let attempts = 0;
    const processed: number[] = [];
    const sut = consumerFor(topic, uniqueId('group'), async (messages) => {
      attempts++;
      if (attempts <= 2) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      processed.push(...messages.map((m) => m.value.id));
    });
    await sut.consumer.start();
    const producer = await rawProducer();
    await producer.send({ topic, messages: [1, 2, 3].map((id) => ({ key: 'k', value: JSON.stringify({ id }) })) });
    await until('processed.length === 3', () => processed.length === 3, SOON);
    assert.deepEqual(processed, [1, 2, 3]);
    const metrics = await sut.registry.getSingleMetricAsString('churn_kafka_handler_failures_total');
    assert.match(metrics, /kind="transient"[^\n]* 2/);
    assert.equal(dlq.messages.filter((m) => m.value !== null && JSON.parse(m.value).source_topic === topic).length, 0);
    await producer.close();
    await sut.stop();
  });

  it('isolates a message that fails permanently: only it is dead-lettered, the rest are processed', async () => {
    const topic = await createTopic(1);
    const processed: number[] = [];
    const sut = consumerFor(topic, uniqueId('group'), async (messages) => {
      const bad = messages.find((m) => m.value.fail === 'permanent');
      if (bad) throw new PermanentMessageError('UNSCORABLE', `item ${bad.value.id} cannot be processed`);
      processed.push(...messages.map((m) => m.value.id));
    });
    await sut.consumer.start();
    const producer = await rawProducer();
    await producer.send({
      topic,
      messages: [{ id: 1 }, { id: 2, fail: 'permanent' }, { id: 3 }].map((v) => ({ key: 'k', value: JSON.stringify(v) })),
    });
    await until('processed.length === 2', () => processed.length === 2, SOON);
    assert.deepEqual(processed.sort(), [1, 3]);
    const [letter] = await dlq.waitFor((m) => m.value !== null && JSON.parse(m.value).source_topic === topic);
    const record = deadLetterSchema.parse(JSON.parse(letter!.value!));
    assert.equal(record.error_code, 'UNSCORABLE');
    assert.equal(JSON.parse(Buffer.from(record.value_base64!, 'base64').toString()).id, 2);
    await producer.close();
    await sut.stop();
  });

  it('commits offsets only after the handler: a restarted group does not see processed messages again', async () => {
    const topic = await createTopic(1);
    const groupId = uniqueId('group');
    const first: number[] = [];
    const one = consumerFor(topic, groupId, async (messages) => void first.push(...messages.map((m) => m.value.id)));
    await one.consumer.start();
    const producer = await rawProducer();
    await producer.send({ topic, messages: [1, 2].map((id) => ({ key: 'k', value: JSON.stringify({ id }) })) });
    await until('first.length === 2', () => first.length === 2, SOON);
    await one.stop();

    const second: number[] = [];
    const two = consumerFor(topic, groupId, async (messages) => void second.push(...messages.map((m) => m.value.id)));
    await two.consumer.start();
    await producer.send({ topic, messages: [{ key: 'k', value: JSON.stringify({ id: 3 }) }] });
    await until('second.length >= 1', () => second.length >= 1, SOON);
    assert.deepEqual(second, [3]);
    await producer.close();
    await two.stop();
  });
  it('hands the batches of several partitions from one fetch to one handler call and commits every partition', async () => {
    const topic = await createTopic(3);
    const groupId = uniqueId('group');
    const producer = await rawProducer();
    // Published before the consumer starts, so that its first fetch brings data for all three partitions.
    await producer.send({
      topic,
      messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 3}`, partition: i % 3, value: JSON.stringify({ id: i }) })),
    });
    const calls: { ids: number[]; partitions: number[]; messagePartitions: Set<number> }[] = [];
    const one = consumerFor(topic, groupId, async (messages, context) => {
      calls.push({ ids: messages.map((m) => m.value.id), partitions: [...context.partitions], messagePartitions: new Set(messages.map((m) => m.partition)) });
    });
    await one.consumer.start();
    await until('calls.reduce((n, c) => n + c.ids.length, 0) === 30', () => calls.reduce((n, c) => n + c.ids.length, 0) === 30, SOON);
    assert.ok(
      calls.some((c) => c.messagePartitions.size > 1),
      `expected one call for several partitions, got ${JSON.stringify(calls.map((c) => c.partitions))}`,
    );
    for (const call of calls) assert.deepEqual([...call.messagePartitions].sort(), [...call.partitions].sort());
    // Each partition's messages reach the handler in offset order.
    for (const partition of [0, 1, 2]) {
      const ids = calls.flatMap((c) => c.ids).filter((id) => id % 3 === partition);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      );
    }
    await one.stop();
    assert.deepEqual(await committedOffsets(groupId, topic), { 0: '10', 1: '10', 2: '10' }, 'offsets of every partition were committed');

    // A marker on every partition: a message of the first run delivered again would come before it.
    const second: number[] = [];
    const two = consumerFor(topic, groupId, async (messages) => void second.push(...messages.map((m) => m.value.id)));
    await two.consumer.start();
    await producer.send({
      topic,
      messages: [0, 1, 2].map((partition) => ({ key: `k${partition}`, partition, value: JSON.stringify({ id: 100 + partition }) })),
    });
    await until('[100, 101, 102].every((id) => second.includes(id))', () => [100, 101, 102].every((id) => second.includes(id)), SOON);
    assert.deepEqual(
      second.sort((a, b) => a - b),
      [100, 101, 102],
      'nothing of the first run was delivered again',
    );
    await producer.close();
    await two.stop();
  });

  it('isolates a permanent failure within a batch of several partitions', async () => {
    const topic = await createTopic(3);
    const producer = await rawProducer();
    await producer.send({
      topic,
      messages: Array.from({ length: 40 }, (_, i) => ({
        key: `k${i % 3}`,
        partition: i % 3,
        value: JSON.stringify({ id: i, fail: i === 17 ? 'permanent' : 'never' }),
      })),
    });
    const processed: number[] = [];
    let calls = 0;
    const sut = consumerFor(topic, uniqueId('group'), async (messages) => {
      calls++;
      const bad = messages.find((m) => m.value.fail === 'permanent');
      if (bad) throw new PermanentMessageError('UNSCORABLE', `item ${bad.value.id} cannot be processed`);
      processed.push(...messages.map((m) => m.value.id));
    });
    await sut.consumer.start();
    await until('processed.length === 39', () => processed.length === 39, SOON);
    assert.deepEqual(
      processed.sort((a, b) => a - b),
      Array.from({ length: 40 }, (_, i) => i).filter((i) => i !== 17),
    );
    const [letter] = await dlq.waitFor((m) => m.value !== null && JSON.parse(m.value).source_topic === topic);
    const record = deadLetterSchema.parse(JSON.parse(letter!.value!));
    assert.equal(record.error_code, 'UNSCORABLE');
    assert.equal(record.partition, 17 % 3);
    assert.ok(calls < 40, `expected the failure isolated by halving, got ${calls} handler calls`);
    await producer.close();
    await sut.stop();
  });

  it("with batching 'partition', hands one partition's batch at a time", async () => {
    const topic = await createTopic(3);
    const producer = await rawProducer();
    await producer.send({ topic, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 3}`, partition: i % 3, value: JSON.stringify({ id: i }) })) });
    const partitionsPerCall: number[] = [];
    let seen = 0;
    const sut = consumerFor(
      topic,
      uniqueId('group'),
      async (messages, context) => {
        partitionsPerCall.push(new Set(messages.map((m) => m.partition)).size, context.partitions.length);
        seen += messages.length;
      },
      'partition',
    );
    await sut.consumer.start();
    await until('seen === 30', () => seen === 30, SOON);
    assert.ok(partitionsPerCall.every((n) => n === 1));
    await producer.close();
    await sut.stop();
  });
});
