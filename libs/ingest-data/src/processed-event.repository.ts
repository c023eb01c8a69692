import type { Queryable } from '@churn/db';

export interface ProcessedEventRow {
  readonly eventId: string;
  readonly customerId: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly payload: unknown;
  readonly sourceTopic?: string;
  readonly sourcePartition?: number;
  readonly sourceOffset?: string;
}

/** The processed-event ledger: the idempotency record of ingest and the event log of every customer. */
export class ProcessedEventRepository {
  /**
   * Records events not seen before and returns the ids that are new. A concurrent transaction holding
   * the same id makes this wait for it, then report the id as not new: each event applies once.
   */
  async insertNew(tx: Queryable, rows: readonly ProcessedEventRow[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const inserted = await tx.query<{ event_id: string }>(
      'processed_events.insert_new',
      `INSERT INTO processed_events (event_id, customer_id, event_type, occurred_at, payload, applied, source_topic, source_partition, source_offset)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[], $6::boolean[], $7::text[], $8::int[], $9::bigint[])
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      [
        rows.map((r) => r.eventId),
        rows.map((r) => r.customerId),
        rows.map((r) => r.eventType),
        rows.map((r) => r.occurredAt),
        rows.map((r) => JSON.stringify(r.payload)),
        rows.map(() => true),
        rows.map((r) => r.sourceTopic ?? null),
        rows.map((r) => r.sourcePartition ?? null),
        rows.map((r) => r.sourceOffset ?? null),
      ],
    );
    return new Set(inserted.map((row) => row.event_id));
  }

  /** Marks events that were recorded but lost to a newer value (last-write-wins by occurred_at). */
  async markNotApplied(tx: Queryable, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await tx.query('processed_events.mark_not_applied', 'UPDATE processed_events SET applied = false WHERE event_id = ANY($1::text[])', [eventIds]);
  }

  async count(db: Queryable, customerIds?: readonly string[]): Promise<number> {
    const rows = customerIds
      ? await db.query<{ n: string }>('processed_events.count_for', 'SELECT count(*) AS n FROM processed_events WHERE customer_id = ANY($1::text[])', [
          customerIds,
        ])
      : await db.query<{ n: string }>('processed_events.count', 'SELECT count(*) AS n FROM processed_events');
    return Number(rows[0]?.n ?? 0);
  }
}
