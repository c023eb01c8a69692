import type { Queryable } from '@churn/db';
import { ALERT_COLUMNS, type AlertRow, type AlertStatus } from './alert.repository';

/** Sort keys of the queue; `-` first means descending. `level` ranks by severity (low < … < critical). */
export const QUEUE_SORT_KEYS = ['due_at', '-due_at', 'level', '-level', 'created_at', '-created_at'] as const;
export type QueueSortKey = (typeof QUEUE_SORT_KEYS)[number];

/** Most sort keys one page takes. */
export const QUEUE_MAX_SORT_KEYS = 3;

/**
 * One sort position as an ascending number, the key a bound parameter ($K): descending keys negate
 * it. Epoch seconds keep the microseconds of a timestamp. An unused position ($K null) sorts nothing.
 */
const SORT_POSITION = `CASE $K::text
    WHEN 'due_at' THEN extract(epoch FROM d.due_at) WHEN '-due_at' THEN -extract(epoch FROM d.due_at)
    WHEN 'level' THEN t.rank WHEN '-level' THEN -t.rank
    WHEN 'created_at' THEN extract(epoch FROM a.created_at) WHEN '-created_at' THEN -extract(epoch FROM a.created_at) END`;
const ORDER_SQL = [13, 14, 15].map((n) => SORT_POSITION.replaceAll('$K', '$' + String(n))).join(', ');

const QUEUE_FROM = `FROM alerts a JOIN unnest($1::text[], $2::float8[], $3::int[]) AS t(level, target, rank) ON t.level = a.level
      CROSS JOIN LATERAL (SELECT a.created_at + make_interval(secs => t.target) AS due_at) d
     WHERE ($4::text[] IS NULL OR a.level = ANY($4::text[]))
       AND ($5::text[] IS NULL OR a.status = ANY($5::text[]))
       AND ($6::text IS NULL OR ($6 = 'none' AND a.assignee IS NULL) OR ($6 = 'person' AND a.assignee = $7::text))
       AND ($8::boolean IS NULL OR (a.status = 'pending' AND d.due_at < now()) = $8)
       AND ($9::text IS NULL OR a.customer_id = $9)
       AND ($10::timestamptz IS NULL OR a.created_at >= $10)`;

/** Who an alert is assigned to: nobody, or one person. */
export type QueueOwner = { readonly kind: 'none' } | { readonly kind: 'person'; readonly name: string };

export interface QueueFilter {
  readonly levels?: readonly string[];
  readonly states?: readonly AlertStatus[];
  readonly owner?: QueueOwner;
  /** true: pending past their deadline only; false: everything else. */
  readonly overdue?: boolean;
  readonly customerId?: string;
  readonly since?: Date;
}

/** Each level's time-to-acknowledge target in seconds and its severity rank (higher is more severe). */
export interface LevelTargets {
  readonly levels: readonly string[];
  readonly targetSeconds: readonly number[];
  readonly ranks: readonly number[];
}

export interface QueuePage {
  readonly sort: readonly QueueSortKey[];
  readonly offset: number;
  readonly limit: number;
}

export type QueueRow = AlertRow & { due_at: Date; overdue: boolean };

const QUEUE_COLUMNS = ALERT_COLUMNS.split(',')
  .map((c) => 'a.' + c.trim())
  .join(', ');

/**
 * Alerting's work queue over the alerts table: filtered, counted and paged lists with each alert's
 * deadline (creation + its level's SLA target, passed in because the rules file can change it),
 * assignment, and the expiry of old acknowledgments.
 */
export class AlertingQueueRepository {
  async page(db: Queryable, filter: QueueFilter, targets: LevelTargets, page: QueuePage): Promise<{ total: number; rows: QueueRow[] }> {
    const params = [
      targets.levels,
      targets.targetSeconds,
      targets.ranks,
      filter.levels ?? null,
      filter.states ?? null,
      filter.owner?.kind ?? null,
      filter.owner?.kind === 'person' ? filter.owner.name : null,
      filter.overdue ?? null,
      filter.customerId ?? null,
      filter.since ?? null,
    ];
    const [count] = await db.query<{ n: string }>('alerts.queue_count', `SELECT count(*) AS n ${QUEUE_FROM}`, params);
    if (page.sort.length > QUEUE_MAX_SORT_KEYS) throw new RangeError(`at most ${QUEUE_MAX_SORT_KEYS} sort keys`);
    const sort = Array.from({ length: QUEUE_MAX_SORT_KEYS }, (_, i) => page.sort[i] ?? null);
    const rows = await db.query<QueueRow>(
      'alerts.queue_page',
      `SELECT ${QUEUE_COLUMNS}, d.due_at, (a.status = 'pending' AND d.due_at < now()) AS overdue ${QUEUE_FROM}
        ORDER BY ${ORDER_SQL}, a.alert_id ASC LIMIT $11 OFFSET $12`,
      [...params, page.limit, page.offset, ...sort],
    );
    return { total: Number(count?.n ?? 0), rows };
  }

  /** The alert, locked for the rest of the transaction, so its change and the update that records it are in one order. */
  async findForUpdate(tx: Queryable, alertId: string): Promise<AlertRow | undefined> {
    const rows = await tx.query<AlertRow>('alerts.find_for_update', `SELECT ${ALERT_COLUMNS} FROM alerts WHERE alert_id = $1 FOR UPDATE`, [alertId]);
    return rows[0];
  }

  /** Sets or clears the assignee of an alert that is not resolved; undefined when nothing changed. */
  async assign(tx: Queryable, alertId: string, assignee: string | null): Promise<AlertRow | undefined> {
    const rows = await tx.query<AlertRow>(
      'alerts.assign',
      `UPDATE alerts SET assignee = $2::text, assigned_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END
        WHERE alert_id = $1 AND status <> 'resolved' AND assignee IS DISTINCT FROM $2::text
        RETURNING ${ALERT_COLUMNS}`,
      [alertId, assignee],
    );
    return rows[0];
  }

  /**
   * acknowledged → expired for up to `limit` alerts acknowledged at least `expirySeconds` ago, with
   * `expired_at` the moment the acknowledgment ran out (not the moment of the sweep). Rows another
   * transaction holds are skipped and taken by the next sweep.
   */
  async expireAcknowledged(tx: Queryable, expirySeconds: number, limit: number): Promise<AlertRow[]> {
    return tx.query<AlertRow>(
      'alerts.expire_acknowledged',
      `UPDATE alerts a SET status = 'expired', expired_at = a.acknowledged_at + make_interval(secs => $1)
         FROM (SELECT alert_id FROM alerts WHERE status = 'acknowledged' AND acknowledged_at <= now() - make_interval(secs => $1)
                ORDER BY acknowledged_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
        WHERE a.alert_id = due.alert_id
        RETURNING ${QUEUE_COLUMNS}`,
      [expirySeconds, limit],
    );
  }

  /** Alerts by state and level, and the pending ones past their deadline, for the queue gauges. */
  async stateCounts(db: Queryable, targets: LevelTargets): Promise<{ state: AlertStatus; level: string; n: number; overdue: number }[]> {
    const rows = await db.query<{ state: AlertStatus; level: string; n: string; overdue: string }>(
      'alerts.queue_state_counts',
      `SELECT a.status AS state, a.level, count(*) AS n,
              count(*) FILTER (WHERE a.status = 'pending' AND a.created_at + make_interval(secs => t.target) < now()) AS overdue
         FROM alerts a JOIN unnest($1::text[], $2::float8[]) AS t(level, target) ON t.level = a.level
        WHERE a.status <> 'resolved'
        GROUP BY a.status, a.level`,
      [targets.levels, targets.targetSeconds],
    );
    return rows.map((r) => ({ state: r.state, level: r.level, n: Number(r.n), overdue: Number(r.overdue) }));
  }
}
