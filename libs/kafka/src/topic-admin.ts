import type { Kafka } from 'kafkajs';
import { TOPIC_SPECS, type TopicSpec } from '@churn/contracts';

/**
 * Creates the contract's topics that do not exist yet (existing ones are left as they are) and
 * waits until their leaders are elected, so producers can use them at once.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[] = TOPIC_SPECS, replicationFactor = 1): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
        })),
      });
    }
    return missing.map((spec) => spec.name);
  } finally {
    await admin.disconnect();
  }
}
