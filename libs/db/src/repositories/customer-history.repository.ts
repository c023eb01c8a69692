import type { BehaviourCounts, LoggedEvent } from '@churn/feature-state';
import type { Queryable } from '../database';

export type { BehaviourCounts, LoggedEvent };

/**
 * Reads of the event log for point-in-time features: behavioural aggregates as of a time, the events
 * of customers up to a time, and the customers that were active then.
 */
export class CustomerHistoryRepository {
  /**
   * Aggregates for many customers, each as of its own time, in one statement (the ingest calls it once
   * per batch). Uses the (customer_id, occurred_at) index: only the last 90 days of each customer are read.
   */
  async behaviourAsOf(db: Queryable, asOf: ReadonlyMap<string, string>): Promise<Map<string, BehaviourCounts>> {
    if (asOf.size === 0) return new Map();
    const rows = await db.query<{
      customer_id: string;
      pf30: string;
      pf90: string;
      st30: string;
      st90: string;
      usage_recent: string | null;
      usage_prior: string | null;
    }>(
      'customer_history.behaviour_as_of',
      `SELECT t.customer_id,
              count(*) FILTER (WHERE e.event_type = 'payment.failed' AND e.occurred_at > t.as_of - interval '30 days') AS pf30,
              count(*) FILTER (WHERE e.event_type = 'payment.failed' AND e.occurred_at > t.as_of - interval '90 days') AS pf90,
              count(*) FILTER (WHERE e.event_type = 'support.ticket_opened' AND e.occurred_at > t.as_of - interval '30 days') AS st30,
              count(*) FILTER (WHERE e.event_type = 'support.ticket_opened' AND e.occurred_at > t.as_of - interval '90 days') AS st90,
              sum((e.payload->>'quantity')::numeric) FILTER (WHERE e.event_type = 'usage.reported' AND e.occurred_at > t.as_of - interval '30 days') AS usage_recent,
              sum((e.payload->>'quantity')::numeric) FILTER (WHERE e.event_type = 'usage.reported' AND e.occurred_at <= t.as_of - interval '30 days' AND e.occurred_at > t.as_of - interval '60 days') AS usage_prior
         FROM unnest($1::text[], $2::timestamptz[]) AS t(customer_id, as_of)
         LEFT JOIN processed_events e
           ON e.customer_id = t.customer_id
          AND e.occurred_at > t.as_of - interval '90 days'
          AND e.occurred_at <= t.as_of
          AND e.event_type IN ('payment.failed', 'support.ticket_opened', 'usage.reported')
        GROUP BY t.customer_id`,
      [[...asOf.keys()], [...asOf.values()]],
    );
    const nullable = (value: string | null) => (value === null ? null : Number(value));
    return new Map(
      rows.map((row) => [
        row.customer_id,
        {
          paymentFailures30d: Number(row.pf30),
          paymentFailures90d: Number(row.pf90),
          supportTickets30d: Number(row.st30),
          supportTickets90d: Number(row.st90),
          usageLast30d: nullable(row.usage_recent),
          usagePrior30d: nullable(row.usage_prior),
        },
      ]),
    );
  }

  /** The logged events of these customers that occurred at or before `asOf`, oldest first per customer. */
  async eventsUpTo(db: Queryable, customerIds: readonly string[], asOf: string): Promise<LoggedEvent[]> {
    if (customerIds.length === 0) return [];
    return db.query<LoggedEvent>(
      'customer_history.events_up_to',
      `SELECT event_id AS "eventId", customer_id AS "customerId", event_type AS "eventType",
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt", payload
         FROM processed_events
        WHERE customer_id = ANY($1::text[]) AND occurred_at <= $2::timestamptz
        ORDER BY customer_id, occurred_at, processed_at, event_id`,
      [customerIds, asOf],
    );
  }

  /**
   * One page of the customers active at `asOf` — signed up by then and without a churn outcome observed
   * by then — in customer_id order after `after` (keyset pagination: no long-running cursor or lock).
   */
  async activeCustomerIds(db: Queryable, asOf: string, after: string | null, limit: number): Promise<string[]> {
    const rows = await db.query<{ customer_id: string }>(
      'customer_history.active_customers',
      `SELECT s.customer_id
         FROM customer_state s
        WHERE s.signed_up_at <= $1::timestamptz
          AND ($2::text IS NULL OR s.customer_id > $2::text)
          AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.customer_id = s.customer_id AND o.churned AND o.observed_at <= $1::timestamptz)
        ORDER BY s.customer_id
        LIMIT $3`,
      [asOf, after, limit],
    );
    return rows.map((row) => row.customer_id);
  }
}
