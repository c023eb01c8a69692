import type { Outcome } from '@churn/contracts';
import type { Queryable } from '../database';

export class OutcomeRepository {
  /** Stores outcomes; the same customer and observation time twice is stored once. Returns how many were new. */
  async insertNew(tx: Queryable, outcomes: readonly Outcome[]): Promise<number> {
    if (outcomes.length === 0) return 0;
    const rows = await tx.query<{ outcome_id: string }>(
      'outcomes.insert_new',
      `INSERT INTO outcomes (customer_id, churned, observed_at, intervention_applied, intervention_cost, revenue_impact, experiment_arm)
       SELECT * FROM unnest($1::text[], $2::boolean[], $3::timestamptz[], $4::boolean[], $5::numeric[], $6::numeric[], $7::text[])
       ON CONFLICT (customer_id, observed_at) DO NOTHING
       RETURNING outcome_id`,
      [
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

  async count(db: Queryable): Promise<number> {
    const rows = await db.query<{ n: string }>('outcomes.count', 'SELECT count(*) AS n FROM outcomes');
    return Number(rows[0]?.n ?? 0);
  }
}
