import type { Queryable } from '@churn/db';
import { ALERT_COLUMNS, type AlertRow } from './alert.repository';

/** The alert's columns qualified by the `alerts a` alias, for a RETURNING beside a joined table. */
const ALIASED_ALERT_COLUMNS = ALERT_COLUMNS.split(',')
  .map((c) => 'a.' + c.trim())
  .join(', ');

export interface CustomerChurn {
  readonly customerId: string;
  readonly churnedAt: string;
}

/** Alerting's side of a churn: who churned when, and their open alerts resolved with reason `churned`. */
export class AlertingChurnRepository {
  /** Records each customer's churn time (a later one replaces an earlier one). */
  async record(tx: Queryable, churns: readonly CustomerChurn[]): Promise<void> {
    if (churns.length === 0) return;
    await tx.query(
      'alerting_churned.record',
      `INSERT INTO alerting_churned_customers (customer_id, churned_at)
       SELECT customer_id, max(churned_at) FROM unnest($1::text[], $2::timestamptz[]) AS t(customer_id, churned_at) GROUP BY customer_id
       ON CONFLICT (customer_id) DO UPDATE SET churned_at = EXCLUDED.churned_at, updated_at = now()
        WHERE EXCLUDED.churned_at > alerting_churned_customers.churned_at`,
      [churns.map((c) => c.customerId), churns.map((c) => c.churnedAt)],
    );
  }

  /** The churn time of those of `customerIds` that churned. */
  async churnedAt(db: Queryable, customerIds: readonly string[]): Promise<Map<string, Date>> {
    if (customerIds.length === 0) return new Map();
    const rows = await db.query<{ customer_id: string; churned_at: Date }>(
      'alerting_churned.find',
      'SELECT customer_id, churned_at FROM alerting_churned_customers WHERE customer_id = ANY($1::text[])',
      [customerIds],
    );
    return new Map(rows.map((r) => [r.customer_id, r.churned_at]));
  }

  /**
   * pending | acknowledged | expired → resolved with resolution `churned`, for the alerts of these customers
   * raised on a prediction made (as_of) at or before their churn. acknowledged_at stays as it was: a
   * churn is not an acknowledgment, and the SLA figures do not count it as one.
   */
  async resolveOpenAlerts(tx: Queryable, churns: readonly CustomerChurn[], by: string): Promise<AlertRow[]> {
    if (churns.length === 0) return [];
    return tx.query<AlertRow>(
      'alerts.resolve_churned',
      `UPDATE alerts a SET status = 'resolved', resolved_at = now(), resolved_by = $3, resolution = 'churned'
         FROM (SELECT customer_id, max(churned_at) AS churned_at FROM unnest($1::text[], $2::timestamptz[]) AS t(customer_id, churned_at) GROUP BY customer_id) c
        WHERE a.customer_id = c.customer_id AND a.status IN ('pending', 'acknowledged', 'expired')
          AND coalesce((a.details->>'as_of')::timestamptz, a.created_at) <= c.churned_at
        RETURNING ${ALIASED_ALERT_COLUMNS}`,
      [churns.map((c) => c.customerId), churns.map((c) => c.churnedAt), by],
    );
  }
}
