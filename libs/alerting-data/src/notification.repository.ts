import type { Queryable } from '@churn/db';

/** `slack` / `email`: churn alerts for the retention team; `ops_slack` / `ops_email`: model alerts for operators. */
export type NotificationChannel = 'slack' | 'email' | 'ops_slack' | 'ops_email';
export type NotificationKind = 'alert' | 'digest' | 'model_alert';
export type NotificationStatus = 'pending' | 'sent' | 'parked' | 'awaiting_digest' | 'in_digest';

export interface NewNotification {
  /** `slack:<alert_id>`, `email:<alert_id>`, `email-digest:<YYYY-MM-DD>`, `ops_slack:<model alert id>`…: one row per key, ever. */
  readonly idempotency_key: string;
  readonly channel: NotificationChannel;
  readonly kind: NotificationKind;
  readonly alert_id: string | null;
  readonly model_alert_id?: string | null;
  readonly level: string | null;
  /** `pending` (due now) or `awaiting_digest` (goes out with the channel's next digest). */
  readonly status: 'pending' | 'awaiting_digest';
}

export interface ClaimedNotification {
  id: string;
  idempotency_key: string;
  channel: NotificationChannel;
  kind: NotificationKind;
  alert_id: string | null;
  model_alert_id: string | null;
  level: string | null;
  status: NotificationStatus;
  attempts: number;
  send_alone: boolean;
  created_at: Date;
}

export interface FailedAttempt {
  readonly id: string;
  readonly status: 'pending' | 'parked';
  /** From now until the next attempt. */
  readonly delayMs: number;
  readonly error: string;
  /** Send this row on its own from now on (Slack refused a digest that carried it). */
  readonly sendAlone?: boolean;
}

export interface DestinationRow {
  channel: NotificationChannel;
  fingerprint: string;
  status: 'up' | 'dead';
  dead_reason: string | null;
  dead_since: Date | null;
  next_send_at: Date;
}

export interface DeliveredAlert {
  idempotency_key: string;
  channel: 'slack' | 'email';
  alert_id: string;
  customer_id: string;
  attempts: number;
  /** Carried by an e-mail digest (the row itself was not sent alone). */
  in_digest: boolean;
}

export interface NotificationCount {
  channel: NotificationChannel;
  status: NotificationStatus;
  count: number;
}

const LEVEL_ORDER = `CASE level WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`;
const RETURNED = 'id, idempotency_key, channel, kind, alert_id, model_alert_id, level, status, attempts, send_alone, created_at';

/**
 * The notification outbox. Rows are written in the transaction that creates their alert; a
 * dispatcher claims due rows with FOR UPDATE SKIP LOCKED and a lease (so instances share the work and
 * a crashed instance's claim runs out), sends, and records the result only if it still holds the claim.
 */
export class NotificationRepository {
  async enqueue(tx: Queryable, rows: readonly NewNotification[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await tx.query<{ id: string }>(
      'alert_notifications.enqueue',
      `INSERT INTO alert_notifications (idempotency_key, channel, kind, alert_id, level, status, model_alert_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [
        rows.map((r) => r.idempotency_key),
        rows.map((r) => r.channel),
        rows.map((r) => r.kind),
        rows.map((r) => r.alert_id),
        rows.map((r) => r.level),
        rows.map((r) => r.status),
        rows.map((r) => r.model_alert_id ?? null),
      ],
    );
    return inserted.length;
  }

  /**
   * Claims up to `limit` due rows of a live destination, most urgent level first. With `slotMs`, the
   * claim also takes the destination's send slot (skipped when another instance holds the row or the
   * slot is not due yet), so that all instances together keep to one message per slot. A row marked
   * `send_alone` is claimed by itself when it is the most urgent, and left out of other claims.
   */
  async claimDue(
    db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
    options: { channel: NotificationChannel; limit: number; owner: string; leaseMs: number; slotMs?: number },
  ): Promise<ClaimedNotification[]> {
    return db.transaction(async (tx) => {
      const destination = await tx.query<{ channel: string }>(
        'alert_destinations.lock_slot',
        `SELECT channel FROM alert_destinations
          WHERE channel = $1 AND status = 'up' AND ($2::boolean IS FALSE OR next_send_at <= now())
          FOR UPDATE SKIP LOCKED`,
        [options.channel, options.slotMs !== undefined],
      );
      if (destination.length === 0) return [];
      const due = await tx.query<{ id: string; send_alone: boolean }>(
        'alert_notifications.lock_due',
        `SELECT id, send_alone FROM alert_notifications
          WHERE channel = $1 AND status IN ('pending', 'parked') AND next_attempt_at <= now()
            AND (claimed_until IS NULL OR claimed_until < now())
          ORDER BY ${LEVEL_ORDER}, id
          LIMIT $2
          FOR UPDATE SKIP LOCKED`,
        [options.channel, options.limit],
      );
      const ids = due[0]?.send_alone ? [due[0].id] : due.filter((r) => !r.send_alone).map((r) => r.id);
      if (ids.length === 0) return [];
      const claimed = await tx.query<ClaimedNotification>(
        'alert_notifications.claim_due',
        `UPDATE alert_notifications
            SET claimed_by = $2, claimed_until = now() + make_interval(secs => $3::float8 / 1000)
          WHERE id = ANY($1::bigint[])
          RETURNING ${RETURNED}`,
        [ids, options.owner, options.leaseMs],
      );
      if (claimed.length > 0 && options.slotMs !== undefined) {
        await tx.query(
          'alert_destinations.take_slot',
          `UPDATE alert_destinations SET next_send_at = now() + make_interval(secs => $2::float8 / 1000) WHERE channel = $1`,
          [options.channel, options.slotMs],
        );
      }
      claimed.sort((a, b) => levelRank(a.level) - levelRank(b.level) || Number(a.id) - Number(b.id));
      return claimed;
    });
  }

  /**
   * Records delivery of claimed rows (and of the alerts a digest carried); returns the ids still held
   * by `owner`. `rejectedRecipients`: addresses the SMTP server refused while accepting the message.
   */
  async markSent(db: Queryable, ids: readonly string[], owner: string, deliveredVia: string, rejectedRecipients: readonly string[] = []): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.query<{ id: string }>(
      'alert_notifications.mark_sent',
      `UPDATE alert_notifications
          SET status = 'sent', sent_at = now(), attempts = attempts + 1, delivered_via = $3, last_error = NULL,
              rejected_recipients = $4::text[], claimed_by = NULL, claimed_until = NULL
        WHERE id = ANY($1::bigint[]) AND claimed_by = $2
        RETURNING id`,
      [[...ids], owner, deliveredVia, rejectedRecipients.length > 0 ? [...rejectedRecipients] : null],
    );
    await db.query(
      'alert_notifications.mark_digest_items_sent',
      `UPDATE alert_notifications SET status = 'sent', sent_at = now(), delivered_via = $2
        WHERE digest_id = ANY($1::bigint[]) AND status = 'in_digest'`,
      [rows.map((r) => r.id), deliveredVia],
    );
    return rows.map((r) => r.id);
  }

  /** Records failed attempts: back to pending after a delay, or parked (retried at the parked interval). */
  async markFailed(db: Queryable, owner: string, failures: readonly FailedAttempt[]): Promise<void> {
    if (failures.length === 0) return;
    await db.query(
      'alert_notifications.mark_failed',
      `UPDATE alert_notifications n
          SET status = f.status, attempts = n.attempts + 1, last_error = left(f.error, 1000),
              next_attempt_at = now() + make_interval(secs => f.delay_ms / 1000), claimed_by = NULL, claimed_until = NULL,
              send_alone = n.send_alone OR f.send_alone
         FROM unnest($1::bigint[], $2::text[], $3::float8[], $4::text[], $6::boolean[]) AS f(id, status, delay_ms, error, send_alone)
        WHERE n.id = f.id AND n.claimed_by = $5`,
      [
        failures.map((f) => f.id),
        failures.map((f) => f.status),
        failures.map((f) => f.delayMs),
        failures.map((f) => f.error),
        owner,
        failures.map((f) => f.sendAlone ?? false),
      ],
    );
  }

  /** Extends `owner`'s claim on a row to `leaseMs` from now; false when the claim is no longer its own. */
  async renewClaim(db: Queryable, id: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = await db.query(
      'alert_notifications.renew_claim',
      `UPDATE alert_notifications SET claimed_until = now() + make_interval(secs => $3::float8 / 1000)
        WHERE id = $1 AND claimed_by = $2 AND claimed_until > now() RETURNING id`,
      [id, owner, leaseMs],
    );
    return rows.length === 1;
  }

  /** Gives claimed rows back untouched (e.g. the destination answered 429 before they were tried). */
  async release(db: Queryable, ids: readonly string[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    await db.query(
      'alert_notifications.release',
      `UPDATE alert_notifications SET claimed_by = NULL, claimed_until = NULL WHERE id = ANY($1::bigint[]) AND claimed_by = $2`,
      [[...ids], owner],
    );
  }

  /**
   * Creates the channel's digest for `digestKey` (e.g. one per day) carrying every row awaiting a
   * digest. The unique key makes it one digest per key across instances; with nothing waiting, none.
   */
  async createDigest(
    db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
    channel: NotificationChannel,
    digestKey: string,
  ): Promise<{ id: string; items: number } | undefined> {
    return db.transaction(async (tx) => {
      const created = await tx.query<{ id: string }>(
        'alert_notifications.create_digest',
        `INSERT INTO alert_notifications (idempotency_key, channel, kind, status) VALUES ($1, $2, 'digest', 'pending')
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
        [digestKey, channel],
      );
      const digest = created[0];
      if (!digest) return undefined;
      const items = await tx.query<{ id: string }>(
        'alert_notifications.attach_to_digest',
        `UPDATE alert_notifications SET status = 'in_digest', digest_id = $1
          WHERE channel = $2 AND status = 'awaiting_digest' RETURNING id`,
        [digest.id, channel],
      );
      if (items.length === 0) {
        await tx.query('alert_notifications.drop_empty_digest', 'DELETE FROM alert_notifications WHERE id = $1', [digest.id]);
        return undefined;
      }
      return { id: digest.id, items: items.length };
    });
  }

  /** The alert ids a digest carries. */
  async digestAlertIds(db: Queryable, digestId: string): Promise<string[]> {
    const rows = await db.query<{ alert_id: string }>(
      'alert_notifications.digest_items',
      `SELECT alert_id FROM alert_notifications WHERE digest_id = $1 ORDER BY ${LEVEL_ORDER}, id`,
      [digestId],
    );
    return rows.map((r) => r.alert_id);
  }

  /**
   * The churn alerts behind these outbox rows (a digest row stands for the alerts it carried), with
   * their customer and the row's attempts so far: what a delivery fact reports. Model alerts name no
   * customer and are left out.
   */
  async deliveredAlerts(db: Queryable, ids: readonly string[]): Promise<DeliveredAlert[]> {
    if (ids.length === 0) return [];
    return db.query<DeliveredAlert>(
      'alert_notifications.delivered_alerts',
      `SELECT n.idempotency_key, n.channel, n.alert_id, a.customer_id, COALESCE(d.attempts, n.attempts) AS attempts, d.id IS NOT NULL AS in_digest
         FROM alert_notifications n
         JOIN alerts a ON a.alert_id = n.alert_id
         LEFT JOIN alert_notifications d ON d.id = n.digest_id AND d.id = ANY($1::bigint[])
        WHERE n.kind = 'alert' AND n.channel IN ('slack', 'email') AND (n.id = ANY($1::bigint[]) OR n.digest_id = ANY($1::bigint[]))
        ORDER BY n.id`,
      [[...ids]],
    );
  }

  async counts(db: Queryable): Promise<NotificationCount[]> {
    return db.query<NotificationCount>(
      'alert_notifications.counts',
      'SELECT channel, status, count(*)::int AS count FROM alert_notifications GROUP BY channel, status',
    );
  }

  async forAlert(
    db: Queryable,
    alertId: string,
  ): Promise<(ClaimedNotification & { delivered_via: string | null; last_error: string | null; rejected_recipients: string[] | null })[]> {
    return db.query(
      'alert_notifications.for_alert',
      `SELECT ${RETURNED}, delivered_via, last_error, rejected_recipients FROM alert_notifications
        WHERE alert_id = $1 OR id IN (SELECT digest_id FROM alert_notifications WHERE alert_id = $1 AND digest_id IS NOT NULL)
        ORDER BY id`,
      [alertId],
    );
  }

  // ---- destinations -------------------------------------------------------------------------

  /**
   * Registers the configured destination. A new fingerprint (another webhook URL, another SMTP
   * server) brings a dead destination back up: the operator has fixed what killed it.
   */
  async ensureDestination(db: Queryable, channel: NotificationChannel, fingerprint: string): Promise<DestinationRow> {
    const rows = await db.query<DestinationRow>(
      'alert_destinations.ensure',
      `INSERT INTO alert_destinations (channel, fingerprint) VALUES ($1, $2)
       ON CONFLICT (channel) DO UPDATE SET
         status = CASE WHEN alert_destinations.fingerprint = EXCLUDED.fingerprint THEN alert_destinations.status ELSE 'up' END,
         dead_reason = CASE WHEN alert_destinations.fingerprint = EXCLUDED.fingerprint THEN alert_destinations.dead_reason END,
         dead_since = CASE WHEN alert_destinations.fingerprint = EXCLUDED.fingerprint THEN alert_destinations.dead_since END,
         fingerprint = EXCLUDED.fingerprint, updated_at = now()
       RETURNING channel, fingerprint, status, dead_reason, dead_since, next_send_at`,
      [channel, fingerprint],
    );
    return rows[0]!;
  }

  async markDestinationDead(db: Queryable, channel: NotificationChannel, reason: string): Promise<void> {
    await db.query(
      'alert_destinations.mark_dead',
      `UPDATE alert_destinations SET status = 'dead', dead_reason = left($2, 500), dead_since = coalesce(dead_since, now()), updated_at = now()
        WHERE channel = $1`,
      [channel, reason],
    );
  }

  /** Brings a destination back and makes its parked notifications due now. */
  async reviveDestination(db: Queryable, channel: NotificationChannel): Promise<number> {
    await db.query(
      'alert_destinations.revive',
      `UPDATE alert_destinations SET status = 'up', dead_reason = NULL, dead_since = NULL, next_send_at = now(), updated_at = now()
        WHERE channel = $1`,
      [channel],
    );
    const rows = await db.query<{ id: string }>(
      'alert_notifications.unpark',
      `UPDATE alert_notifications SET next_attempt_at = now() WHERE channel = $1 AND status = 'parked' RETURNING id`,
      [channel],
    );
    return rows.length;
  }

  /** Holds the destination's send slot at least until `delayMs` from now (Slack's Retry-After). */
  async holdDestination(db: Queryable, channel: NotificationChannel, delayMs: number): Promise<void> {
    await db.query(
      'alert_destinations.hold',
      `UPDATE alert_destinations SET next_send_at = greatest(next_send_at, now() + make_interval(secs => $2::float8 / 1000)) WHERE channel = $1`,
      [channel, delayMs],
    );
  }

  async destinations(db: Queryable): Promise<DestinationRow[]> {
    return db.query<DestinationRow>(
      'alert_destinations.list',
      'SELECT channel, fingerprint, status, dead_reason, dead_since, next_send_at FROM alert_destinations ORDER BY channel',
    );
  }
}

function levelRank(level: string | null): number {
  return level === 'critical' ? 0 : level === 'high' ? 1 : level === 'medium' ? 2 : 3;
}
