import type { Queryable } from '@churn/db';

/** `expired`: acknowledged longer ago than ALERT_ACK_EXPIRY_HOURS; it no longer suppresses the customer's alerts. */
export type AlertStatus = 'pending' | 'acknowledged' | 'resolved' | 'expired';

export interface NewAlert {
  readonly alert_id: string;
  readonly customer_id: string;
  readonly prediction_id: string;
  readonly level: string;
  readonly risk_score: number;
  readonly message: string;
  /** The rule that fired: `level` or `score_jump`. */
  readonly reason: string;
  /** What notifications show: top factors, recommended action, revenue at risk, model version. */
  readonly details: Record<string, unknown>;
}

export interface AlertRow {
  alert_id: string;
  customer_id: string;
  prediction_id: string;
  level: string;
  risk_score: number;
  message: string;
  reason: string;
  details: Record<string, unknown>;
  status: AlertStatus;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  /** `churned`: resolved because the customer churned; null: by a person. */
  resolution: 'churned' | null;
  /** The person working the alert; null: nobody. */
  assignee: string | null;
  assigned_at: Date | null;
  acknowledge_note: string | null;
  resolve_note: string | null;
  /** When the acknowledgment stopped counting as an open intervention (acknowledged_at + the expiry). */
  expired_at: Date | null;
}

/** An alert that still bears on a customer's next one: recent (cool-down) or acknowledged and open (intervention). */
export interface RecentAlert {
  customer_id: string;
  level: string;
  status: AlertStatus;
  created_at: Date;
  acknowledged_at: Date | null;
}

export interface AckFigures {
  level: string;
  acknowledged: number;
  median_seconds: number | null;
  p90_seconds: number | null;
  acknowledged_late: number;
}

export interface PendingFigures {
  level: string;
  pending: number;
  breaching: number;
  oldest_pending_at: Date | null;
}

export const ALERT_COLUMNS = `alert_id, customer_id, prediction_id, level, risk_score, message, reason, details, status, created_at,
  acknowledged_at, acknowledged_by, resolved_at, resolved_by, resolution, assignee, assigned_at, acknowledge_note, resolve_note, expired_at`;
const COLUMNS = ALERT_COLUMNS;

/** The alerts table: creation idempotent on prediction_id, and the pending → acknowledged → resolved life cycle. */
export class AlertRepository {
  /**
   * Serialises alert decisions per customer across instances and rebalances for the rest of the
   * transaction. Taken in a fixed order so that two batches never deadlock.
   */
  async lockCustomers(tx: Queryable, customerIds: readonly string[]): Promise<void> {
    if (customerIds.length === 0) return;
    const sorted = [...new Set(customerIds)].sort();
    await tx.query(
      'alerts.lock_customers',
      `SELECT count(pg_advisory_xact_lock(hashtextextended('alerting:' || c, 0)))
         FROM (SELECT unnest($1::text[]) AS c ORDER BY 1) ordered`,
      [sorted],
    );
  }

  /** Inserts the alerts whose prediction has none yet; returns the rows that are new. */
  async insertNew(tx: Queryable, alerts: readonly NewAlert[]): Promise<AlertRow[]> {
    if (alerts.length === 0) return [];
    return tx.query<AlertRow>(
      'alerts.insert_new',
      `INSERT INTO alerts (alert_id, customer_id, prediction_id, level, risk_score, message, reason, details)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[], $7::text[], $8::jsonb[])
       ON CONFLICT DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        alerts.map((a) => a.alert_id),
        alerts.map((a) => a.customer_id),
        alerts.map((a) => a.prediction_id),
        alerts.map((a) => a.level),
        alerts.map((a) => a.risk_score),
        alerts.map((a) => a.message),
        alerts.map((a) => a.reason),
        alerts.map((a) => JSON.stringify(a.details)),
      ],
    );
  }

  /**
   * Alerts of these customers created within `withinSeconds`, plus every one acknowledged within
   * `ackExpirySeconds` (an open intervention). An acknowledgment older than that is not loaded for
   * being acknowledged, whether or not the expiry sweep has marked it yet, so suppression never depends
   * on the sweep's timing. Alerts resolved because the customer churned are left out: a customer who comes back
   * (reactivated) starts without a cool-down from before it left.
   */
  async recentForCustomers(tx: Queryable, customerIds: readonly string[], withinSeconds: number, ackExpirySeconds: number): Promise<RecentAlert[]> {
    if (customerIds.length === 0) return [];
    return tx.query<RecentAlert>(
      'alerts.recent_for_customers',
      `SELECT customer_id, level, status, created_at, acknowledged_at
         FROM alerts
        WHERE customer_id = ANY($1::text[]) AND resolution IS DISTINCT FROM 'churned'
          AND (created_at >= now() - make_interval(secs => $2) OR (status = 'acknowledged' AND acknowledged_at > now() - make_interval(secs => $3)))`,
      [[...new Set(customerIds)], withinSeconds, ackExpirySeconds],
    );
  }

  async findById(db: Queryable, alertId: string): Promise<AlertRow | undefined> {
    const rows = await db.query<AlertRow>('alerts.find_by_id', `SELECT ${COLUMNS} FROM alerts WHERE alert_id = $1`, [alertId]);
    return rows[0];
  }

  async findByIds(db: Queryable, alertIds: readonly string[]): Promise<AlertRow[]> {
    if (alertIds.length === 0) return [];
    return db.query<AlertRow>('alerts.find_by_ids', `SELECT ${COLUMNS} FROM alerts WHERE alert_id = ANY($1::text[])`, [[...alertIds]]);
  }

  /** pending → acknowledged; undefined when the alert is not pending (the caller tells why). */
  async acknowledge(tx: Queryable, alertId: string, by: string, note: string | null = null): Promise<AlertRow | undefined> {
    const rows = await tx.query<AlertRow>(
      'alerts.acknowledge',
      `UPDATE alerts SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2, acknowledge_note = $3
        WHERE alert_id = $1 AND status = 'pending'
        RETURNING ${COLUMNS}`,
      [alertId, by, note],
    );
    return rows[0];
  }

  /** pending | acknowledged | expired → resolved. Resolving an unacknowledged alert acknowledges it at the same moment. */
  async resolve(tx: Queryable, alertId: string, by: string, note: string | null = null): Promise<AlertRow | undefined> {
    const rows = await tx.query<AlertRow>(
      'alerts.resolve',
      `UPDATE alerts SET status = 'resolved', resolved_at = now(), resolved_by = $2, resolve_note = $3,
              acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, $2)
        WHERE alert_id = $1 AND status IN ('pending', 'acknowledged', 'expired')
        RETURNING ${COLUMNS}`,
      [alertId, by, note],
    );
    return rows[0];
  }

  /** Time to acknowledge per level for alerts created since `since`; targets are seconds per level. */
  async acknowledgementFigures(db: Queryable, since: Date, targets: Record<string, number>): Promise<AckFigures[]> {
    const levels = Object.keys(targets);
    return db.query<AckFigures>(
      'alerts.ack_figures',
      `SELECT a.level,
              count(*)::int AS acknowledged,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.acknowledged_at - a.created_at))::float8 AS median_seconds,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM a.acknowledged_at - a.created_at))::float8 AS p90_seconds,
              count(*) FILTER (WHERE extract(epoch FROM a.acknowledged_at - a.created_at) > t.target)::int AS acknowledged_late
         FROM alerts a JOIN unnest($2::text[], $3::float8[]) AS t(level, target) ON t.level = a.level
        WHERE a.acknowledged_at IS NOT NULL AND a.created_at >= $1
        GROUP BY a.level`,
      [since, levels, levels.map((l) => targets[l])],
    );
  }

  /** Pending alerts per level, and how many are older than their level's target (seconds). */
  async pendingFigures(db: Queryable, targets: Record<string, number>): Promise<PendingFigures[]> {
    const levels = Object.keys(targets);
    return db.query<PendingFigures>(
      'alerts.pending_figures',
      `SELECT a.level,
              count(*)::int AS pending,
              count(*) FILTER (WHERE a.created_at < now() - make_interval(secs => t.target))::int AS breaching,
              min(a.created_at) AS oldest_pending_at
         FROM alerts a JOIN unnest($1::text[], $2::float8[]) AS t(level, target) ON t.level = a.level
        WHERE a.status = 'pending'
        GROUP BY a.level`,
      [levels, levels.map((l) => targets[l])],
    );
  }
}
