import type { Queryable } from '../database';

/**
 * The transactional outboxes of the platform's topics, each a table its service owns. Each has the
 * same shape: a unique message id (the consumers' dedupe key), the customer (the Kafka key), the
 * message, when it was written and when it was published. A closed set: statements are built from
 * these constants only.
 */
const OUTBOX_TABLES = {
  alert_updates: { table: 'alert_updates_outbox', id: 'update_id', lock: 'alerting:alert-updates-relay' },
  alert_notifications: { table: 'alert_notifications_outbox', id: 'notification_id', lock: 'alerting:alert-notifications-relay' },
  crm_activity: { table: 'crm_activity_outbox', id: 'activity_id', lock: 'crm-sync:crm-activity-relay' },
  model_registry: { table: 'model_registry_outbox', id: 'change_id', lock: 'scorer:model-registry-relay' },
} as const;

export type TopicOutboxName = keyof typeof OUTBOX_TABLES;

export interface NewOutboxMessage {
  /** Unique per message; enqueueing the same id again is a no-op. */
  readonly messageId: string;
  readonly customerId: string;
  readonly payload: Record<string, unknown>;
}

export interface OutboxMessageRow {
  id: string;
  message_id: string;
  customer_id: string;
  payload: Record<string, unknown>;
}

interface OutboxStatements {
  readonly enqueue: string;
  readonly lock: string;
  readonly unpublished: string;
  readonly markPublished: string;
  readonly backlog: string;
  readonly prune: string;
}

// Concatenated from OUTBOX_TABLES (the SQL-parameter scan reads template literals only).
const STATEMENTS = Object.fromEntries(
  Object.entries(OUTBOX_TABLES).map(([name, t]) => [
    name,
    {
      enqueue:
        'INSERT INTO ' +
        t.table +
        ' (' +
        t.id +
        ', customer_id, payload) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[]) ON CONFLICT (' +
        t.id +
        ') DO NOTHING RETURNING id',
      lock: "SELECT pg_try_advisory_xact_lock(hashtextextended('" + t.lock + "', 0)) AS locked",
      unpublished: 'SELECT id, ' + t.id + ' AS message_id, customer_id, payload FROM ' + t.table + ' WHERE published_at IS NULL ORDER BY id LIMIT $1',
      markPublished: 'UPDATE ' + t.table + ' SET published_at = now() WHERE id = ANY($1::bigint[])',
      backlog: 'SELECT count(*) AS n, EXTRACT(EPOCH FROM now() - min(created_at)) AS age FROM ' + t.table + ' WHERE published_at IS NULL',
      prune: 'DELETE FROM ' + t.table + ' WHERE published_at < now() - make_interval(secs => $1) RETURNING id',
    } satisfies OutboxStatements,
  ]),
) as Record<TopicOutboxName, OutboxStatements>;

/**
 * One topic's outbox: rows written in the transaction of the state change they report, published by one
 * relay at a time (a transaction-scoped advisory lock) in id order, then marked published.
 */
export class TopicOutboxRepository {
  private readonly sql: OutboxStatements;
  private readonly table: string;

  constructor(readonly name: TopicOutboxName) {
    this.sql = STATEMENTS[name];
    this.table = OUTBOX_TABLES[name].table;
  }

  /** Writes messages in the caller's transaction; returns how many were new. */
  async enqueue(tx: Queryable, rows: readonly NewOutboxMessage[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await tx.query<{ id: string }>(this.table + '.enqueue', this.sql.enqueue, [
      rows.map((r) => r.messageId),
      rows.map((r) => r.customerId),
      rows.map((r) => JSON.stringify(r.payload)),
    ]);
    return inserted.length;
  }

  /**
   * Takes the relay's lock for the rest of the transaction; false when another instance's relay holds
   * it. One relay at a time keeps the topic in outbox order, which for one customer is the order of its changes.
   */
  async tryLockRelay(tx: Queryable): Promise<boolean> {
    const [row] = await tx.query<{ locked: boolean }>(this.table + '.lock_relay', this.sql.lock);
    return row?.locked === true;
  }

  async unpublished(tx: Queryable, limit: number): Promise<OutboxMessageRow[]> {
    return tx.query<OutboxMessageRow>(this.table + '.unpublished', this.sql.unpublished, [limit]);
  }

  async markPublished(tx: Queryable, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(this.table + '.mark_published', this.sql.markPublished, [ids]);
  }

  /** Rows waiting, and the age in seconds of the oldest (0 when none waits). */
  async backlog(db: Queryable): Promise<{ waiting: number; oldestAgeSeconds: number }> {
    const [row] = await db.query<{ n: string; age: string | null }>(this.table + '.backlog', this.sql.backlog);
    return { waiting: Number(row?.n ?? 0), oldestAgeSeconds: row?.age == null ? 0 : Number(row.age) };
  }

  /** Deletes rows published more than `keepSeconds` ago; returns how many. */
  async prunePublished(db: Queryable, keepSeconds: number): Promise<number> {
    const rows = await db.query<{ id: string }>(this.table + '.prune', this.sql.prune, [keepSeconds]);
    return rows.length;
  }
}
