import type { LoggedEvent } from '@churn/feature-state';
import type { Queryable } from '@churn/db';

export type { LoggedEvent };

/** An event's time as the evaluator reads it: ISO-8601 in UTC, to the millisecond. */
const OCCURRED_AT_ISO = `to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Reads of the event log for point-in-time features: the events of customers up to a time (ingest
 * computes live aggregates from the customer's state).
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
}
