import { Kafka, logLevel, Partitioners, type Consumer, type Producer } from 'kafkajs';
import { eventually, until } from './eventually';
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
  /** Per topic, each partition's end offset once the probe had joined: what was there before is not its to read. */
  private readonly startEnds = new Map<string, Map<number, number>>();
  /** The next offset to read, per `topic:partition`, from the batches the probe has processed. */
  private readonly readUpTo = new Map<string, number>();

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
    // Offsets, not messages: a transactional producer's commit markers take offsets no message has.
    // kafkajs reports a batch of markers only as a batch (runner.js: "If the batch contained only
    // control records … emit batch instrumentation events", kafkajs#1256).
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}:${payload.partition}`;
      this.readUpTo.set(key, Math.max(this.readUpTo.get(key) ?? 0, Number(payload.lastOffset) + 1));
    });
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
    // A probe slow to join carries on after 30 s: the spec's own waits then fail, naming what never arrived.
    await until('the probe to join its group', () => this.joined, { timeoutMs: 30_000, intervalMs: 50 }).catch(() => undefined);
    // The group has joined; give the "latest" offset reset a moment to resolve before anything is produced
    // (kafkajs reports no event for it: a pause, not a wait on a condition).
    await new Promise((r) => setTimeout(r, 500));
    // Only caughtUp reads these; a probe that cannot read them still probes, and caughtUp then counts
    // every offset of the topic as its to read.
    for (const topic of this.topics) this.startEnds.set(topic, await endsOf(topic).catch(() => new Map<number, number>()));
  }

  /** Waits until `count` messages match, or fails with what did arrive. */
  async waitFor(predicate: (m: ProbedMessage) => boolean, count = 1, timeoutMs = 20_000): Promise<ProbedMessage[]> {
    const matching = () => this.messages.filter(predicate);
    return eventually(`${count} matching message(s) on ${this.topics.join(', ')}`, () => (matching().length >= count ? matching() : undefined), {
      timeoutMs,
      intervalMs: 50,
    }).catch((error: Error) => {
      throw new Error(`${error.message}; got ${matching().length} (of ${this.messages.length} seen)`, { cause: error });
    });
  }

  /**
   * Waits until the probe has read every partition of `topic` up to its end as it is now: after it, a
   * message that is not there was not published (rather than on its way), without a fixed sleep.
   */
  async caughtUp(topic: string, timeoutMs = 20_000): Promise<void> {
    const ends = await endsOf(topic);
    const start = this.startEnds.get(topic) ?? new Map<number, number>();
    const read = (partition: number, end: number) => end <= (start.get(partition) ?? 0) || (this.readUpTo.get(`${topic}:${partition}`) ?? 0) >= end;
    await until(`the probe to read ${topic} up to ${JSON.stringify([...ends])}`, () => [...ends].every(([partition, end]) => read(partition, end)), {
      timeoutMs,
      intervalMs: 50,
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** The end offset of each partition of `topic`, as the broker reports it now. */
async function endsOf(topic: string): Promise<Map<number, number>> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
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
