import type { Queryable } from '@churn/db';

/**
 * The customers a rescore covers. An admin read across owners (the CLI may read every service's
 * tables): ingest's customer state and event log, and monitoring's observed churn outcomes.
 */
export class ActiveCustomersQuery {
  /**
   * One page of the customers active at `asOf` — with a first event by then and without a churn outcome
   * observed by then that no `subscription.reactivated` (by then) followed — in customer_id order after
   * `after` (keyset pagination: no long-running cursor or lock). A customer whose cancellation is in the
   * event log is left to the caller, which folds the log (the evaluator's subscription status).
   */
  async activeCustomerIds(db: Queryable, asOf: string, after: string | null, limit: number): Promise<string[]> {
    const rows = await db.query<{ customer_id: string }>(
      'rescore.active_customers',
      `SELECT s.customer_id
         FROM customer_state s
        WHERE s.first_event_at <= $1::timestamptz
          AND ($2::text IS NULL OR s.customer_id > $2::text)
          AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.customer_id = s.customer_id AND o.churned AND o.observed_at <= $1::timestamptz
                            AND NOT EXISTS (SELECT 1 FROM processed_events e
                                             WHERE e.customer_id = s.customer_id AND e.event_type = 'subscription.reactivated'
                                               AND e.occurred_at > o.observed_at AND e.occurred_at <= $1::timestamptz))
        ORDER BY s.customer_id
        LIMIT $3`,
      [asOf, after, limit],
    );
    return rows.map((row) => row.customer_id);
  }
}
