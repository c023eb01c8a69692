import type { Admin } from 'kafkajs';

/**
 * Messages a consumer group has not committed yet, per topic: the end offset of every partition
 * minus the group's committed offset there (the partition's low mark when the group has none).
 */
export async function consumerGroupLag(admin: Admin, groupId: string, topics: readonly string[]): Promise<Record<string, number>> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const lag: Record<string, number> = {};
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const at = committed.find((c) => c.topic === topic)?.partitions ?? [];
    lag[topic] = ends.reduce((sum, end) => {
      const offset = Number(at.find((p) => p.partition === end.partition)?.offset ?? -1);
      return sum + Math.max(0, Number(end.high) - Math.max(offset, Number(end.low)));
    }, 0);
  }
  return lag;
}
