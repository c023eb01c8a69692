import type { Admin, Kafka } from 'kafkajs';
import { TOPIC_SPECS, type TopicSpec } from '@churn/contracts';

/** How long new topics may take to get their leaders (a loaded single-broker stack takes seconds). */
const LEADERS_TIMEOUT_MS = 60_000;
/**
 * Metadata errors that only mean "not settled yet" right after a topic is created: the broker answers
 * UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition") until the new
 * partitions reach its metadata cache, and LEADER_NOT_AVAILABLE until their leaders are elected.
 * kafkajs's own `waitForLeaders` retries only the second and fails on the first (tulios/kafkajs#815);
 * sarama (IBM/sarama#3623) and rdkafka-ruby (karafka/rdkafka-ruby#935) poll metadata the same way.
 */
const NOT_SETTLED = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Creates the contract's topics that do not exist yet (existing ones are left as they are) and
 * waits until every partition of them has a leader, so producers and consumers can use them at once.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[] = TOPIC_SPECS, replicationFactor = 1): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
        })),
      });
      await waitForLeaders(admin, missing);
    }
    return missing.map((spec) => spec.name);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, specs: readonly TopicSpec[]): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  const topics = specs.map((spec) => spec.name);
  for (;;) {
    let waitingFor = 'the metadata of the new topics';
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.topics.flatMap((t) => {
        const expected = specs.find((s) => s.name === t.name)?.partitions ?? 0;
        const led = t.partitions.filter((p) => p.leader >= 0).length;
        return led < expected ? [`${t.name} (${led}/${expected} partitions led)`] : [];
      });
      if (leaderless.length === 0) return;
      waitingFor = `leaders of ${leaderless.join(', ')}`;
    } catch (error) {
      if (!NOT_SETTLED.has((error as { type?: string }).type ?? '')) throw error;
    }
    if (Date.now() > deadline) throw new Error(`new topics not ready within ${LEADERS_TIMEOUT_MS / 1000} s: waiting for ${waitingFor}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
