import { Kafka, logLevel, Partitioners, type Consumer, type Producer } from 'kafkajs';
import { uniqueId, testInfra } from './test-env';

export interface ProbedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
}

/**
 * Reads what arrives on topics from the moment the probe starts, for tests to wait on. It is a real
 * consumer of the real broker, in a group of its own.
 */
export class TopicProbe {
  readonly messages: ProbedMessage[] = [];
  private readonly consumer: Consumer;
  private joined = false;

  private constructor(
    kafka: Kafka,
    private readonly topics: readonly string[],
  ) {
    this.consumer = kafka.consumer({ groupId: uniqueId('probe'), maxWaitTimeInMs: 100 });
  }

  static async start(topics: readonly string[]): Promise<TopicProbe> {
    const probe = new TopicProbe(testKafka(), topics);
    await probe.run();
    return probe;
  }

  private async run(): Promise<void> {
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.joined = true));
    await this.consumer.connect();
    for (const topic of this.topics) await this.consumer.subscribe({ topic, fromBeginning: false });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
        this.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers,
        });
      },
    });
    const deadline = Date.now() + 30_000;
    while (!this.joined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // The group has joined; give the "latest" offset reset a moment to resolve before anything is produced.
    await new Promise((r) => setTimeout(r, 500));
  }

  /** Waits until `count` messages match, or fails with what did arrive. */
  async waitFor(predicate: (m: ProbedMessage) => boolean, count = 1, timeoutMs = 20_000): Promise<ProbedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.filter(predicate);
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} matching message(s) on ${this.topics.join(', ')} within ${timeoutMs} ms; got ${found.length} (of ${this.messages.length} seen)`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'churn-test', brokers: testInfra().kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
}

/** A plain kafkajs producer: tests publish raw bytes the way any outside client would. */
export async function rawProducer(): Promise<Producer & { close(): Promise<void> }> {
  const producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return Object.assign(producer, { close: () => producer.disconnect() });
}

/**
 * Drops every record now on the topics, so that consumer groups started by later specs (which read
 * from the beginning) do not have to wade through a large spec's traffic first.
 */
export async function truncateTopics(topics: readonly string[]): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.deleteTopicRecords({ topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
    }
  } finally {
    await admin.disconnect();
  }
}
