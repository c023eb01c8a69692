import type { Queryable } from '../database';

export interface NewAlertUpdateRow {
  readonly updateId: string;
  readonly customerId: string;
  readonly payload: Record<string, unknown>;
}

export interface AlertUpdateOutboxRow {
  id: string;
  update_id: string;
  customer_id: string;
  payload: Record<string, unknown>;
}

/**
 * The outbox of `alert-updates`: rows written in the transaction of each alert change, published by
 * one relay at a time (a transaction-scoped advisory lock) in id order, then marked published.
 */
export class AlertingAlertUpdatesRepository {
  async enqueue(tx: Queryable, rows: readonly NewAlertUpdateRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      'alert_updates_outbox.enqueue',
      `INSERT INTO alert_updates_outbox (update_id, customer_id, payload)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[]) ON CONFLICT (update_id) DO NOTHING`,
      [rows.map((r) => r.updateId), rows.map((r) => r.customerId), rows.map((r) => JSON.stringify(r.payload))],
    );
  }

  /**
   * Takes the relay's lock for the rest of the transaction; false when another instance's relay holds
   * it. One relay at a time keeps the topic in outbox order, which for one alert is the order of its changes.
   */
  async tryLockRelay(tx: Queryable): Promise<boolean> {
    const [row] = await tx.query<{ locked: boolean }>('alert_updates_outbox.lock_relay', `SELECT pg_try_advisory_xact_lock(hashtextextended('alerting:alert-updates-relay', 0)) AS locked`);
    return row?.locked === true;
  }

  async unpublished(tx: Queryable, limit: number): Promise<AlertUpdateOutboxRow[]> {
    return tx.query<AlertUpdateOutboxRow>(
      'alert_updates_outbox.unpublished',
      'SELECT id, update_id, customer_id, payload FROM alert_updates_outbox WHERE published_at IS NULL ORDER BY id LIMIT $1',
      [limit],
    );
  }

  async markPublished(tx: Queryable, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.query('alert_updates_outbox.mark_published', 'UPDATE alert_updates_outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  }

  /** Rows waiting, and the age in seconds of the oldest (0 when none waits). */
  async backlog(db: Queryable): Promise<{ waiting: number; oldestAgeSeconds: number }> {
    const [row] = await db.query<{ n: string; age: string | null }>(
      'alert_updates_outbox.backlog',
      'SELECT count(*) AS n, EXTRACT(EPOCH FROM now() - min(created_at)) AS age FROM alert_updates_outbox WHERE published_at IS NULL',
    );
    return { waiting: Number(row?.n ?? 0), oldestAgeSeconds: row?.age == null ? 0 : Number(row.age) };
  }

  /** Deletes rows published more than `keepSeconds` ago; returns how many. */
  async prunePublished(db: Queryable, keepSeconds: number): Promise<number> {
    const rows = await db.query<{ id: string }>(
      'alert_updates_outbox.prune',
      'DELETE FROM alert_updates_outbox WHERE published_at < now() - make_interval(secs => $1) RETURNING id',
      [keepSeconds],
    );
    return rows.length;
  }
}
