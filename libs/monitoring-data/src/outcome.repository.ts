import type { Outcome, OutcomeSource } from '@churn/contracts';
import type { Queryable } from '@churn/db';
import { outcomeId } from '@churn/db';

/** A customer's latest outcome: what a training set labels the customer with. */
export interface LatestOutcome {
  readonly customerId: string;
  readonly churned: boolean;
  /** ISO-8601 in UTC. */
  readonly observedAt: string;
}

export class OutcomeRepository {
  /**
   * Stores outcomes, one per outcome id (`outcomeId`: the message's own, or derived from customer and
   * observed_at): an id stored already is left as it is. `source` overrides the messages' own (people's
   * records are `api` / `import` whatever they say); otherwise a message without one is a `feed`.
   * Returns how many were new.
   */
  async insertNew(tx: Queryable, outcomes: readonly Outcome[], source?: OutcomeSource): Promise<number> {
    if (outcomes.length === 0) return 0;
    const rows = await tx.query<{ outcome_id: string }>(
      'outcomes.insert_new',
      `INSERT INTO outcomes (outcome_id, source, customer_id, churned, observed_at, intervention_applied, intervention_cost, revenue_impact, experiment_arm)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::timestamptz[], $6::boolean[], $7::numeric[], $8::numeric[], $9::text[])
       ON CONFLICT (outcome_id) DO NOTHING
       RETURNING outcome_id`,
      [
        outcomes.map((o) => outcomeId(o)),
        outcomes.map((o) => source ?? o.source ?? 'feed'),
        outcomes.map((o) => o.customer_id),
        outcomes.map((o) => o.churned),
        outcomes.map((o) => o.observed_at),
        outcomes.map((o) => o.intervention_applied ?? null),
        outcomes.map((o) => o.intervention_cost ?? null),
        outcomes.map((o) => o.revenue_impact ?? null),
        outcomes.map((o) => o.experiment_arm ?? null),
      ],
    );
    return rows.length;
  }

  /** Outcomes stored from one source (`cancellation`: churns ingest derived from the event stream). */
  async countBySource(db: Queryable, source: OutcomeSource): Promise<number> {
    const rows = await db.query<{ n: string }>('outcomes.count_by_source', 'SELECT count(*) AS n FROM outcomes WHERE source = $1', [source]);
    return Number(rows[0]?.n ?? 0);
  }

  async count(db: Queryable): Promise<number> {
    const rows = await db.query<{ n: string }>('outcomes.count', 'SELECT count(*) AS n FROM outcomes');
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * One page of customers' latest outcomes, in customer_id order after `after` (keyset pagination over
   * the (customer_id, observed_at) index: no long-running cursor or lock). Two outcomes at the same
   * time (a feed's and a derived one): the one stored last.
   */
  async latestPage(db: Queryable, after: string | null, limit: number): Promise<LatestOutcome[]> {
    return db.query<LatestOutcome>(
      'outcomes.latest_page',
      `SELECT DISTINCT ON (customer_id) customer_id AS "customerId", churned,
              to_char(observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "observedAt"
         FROM outcomes
        WHERE $1::text IS NULL OR customer_id > $1::text
        ORDER BY customer_id, observed_at DESC, seq DESC
        LIMIT $2`,
      [after, limit],
    );
  }
}
