import type { LoggedEvent } from '@churn/feature-state';
import type { Queryable } from '../database';

export type { LoggedEvent };

/** An event's time as the evaluator reads it: ISO-8601 in UTC, to the millisecond. */
const OCCURRED_AT_ISO = `to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Reads of the event log for point-in-time features: the events of customers up to a time, and the
 * customers that were active then (ingest computes live aggregates from the customer's state).
 */
export class CustomerHistoryRepository {
  /** The logged events of these customers that occurred at or before `asOf`, oldest first per customer. */
  async eventsUpTo(db: Queryable, customerIds: readonly string[], asOf: string): Promise<LoggedEvent[]> {
    if (customerIds.length === 0) return [];
    return db.query<LoggedEvent>(
      'customer_history.events_up_to',
      `SELECT event_id AS "eventId", customer_id AS "customerId", event_type AS "eventType",
              ${OCCURRED_AT_ISO} AS "occurredAt", payload
         FROM processed_events e
        WHERE customer_id = ANY($1::text[]) AND occurred_at <= $2::timestamptz
        ORDER BY customer_id, occurred_at, processed_at, event_id`,
      [customerIds, asOf],
    );
  }

  /**
   * The logged events of many customers, each up to its own time (inclusive): a point-in-time training
   * set reads every customer as of its own cut-off. Oldest first per customer, ties in arrival order.
   */
  async eventsUpToEach(db: Queryable, asOf: ReadonlyMap<string, string>): Promise<LoggedEvent[]> {
    if (asOf.size === 0) return [];
    return db.query<LoggedEvent>(
      'customer_history.events_up_to_each',
      `SELECT e.event_id AS "eventId", e.customer_id AS "customerId", e.event_type AS "eventType",
              ${OCCURRED_AT_ISO} AS "occurredAt", e.payload
         FROM unnest($1::text[], $2::timestamptz[]) AS t(customer_id, as_of)
         JOIN processed_events e ON e.customer_id = t.customer_id AND e.occurred_at <= t.as_of
        ORDER BY e.customer_id, e.occurred_at, e.processed_at, e.event_id`,
      [[...asOf.keys()], [...asOf.values()]],
    );
  }

  /**
   * One page of the customers active at `asOf` — with a first event by then and without a churn outcome
   * observed by then that no `subscription.reactivated` (by then) followed — in customer_id order after
   * `after` (keyset pagination: no long-running cursor or lock). A customer whose cancellation is in the
   * event log is left to the caller, which folds the log (the evaluator's subscription status).
   */
  async activeCustomerIds(db: Queryable, asOf: string, after: string | null, limit: number): Promise<string[]> {
    const rows = await db.query<{ customer_id: string }>(
      'customer_history.active_customers',
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
