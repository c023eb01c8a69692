import type { Queryable } from '../database';

export interface PointInTimeRow {
  readonly customerId: string;
  /** The feature vector exactly as the scorer read it when it made the prediction. */
  readonly features: Record<string, unknown>;
  readonly churned: boolean;
  readonly predictedAsOf: Date;
  readonly observedAt: Date;
}

/**
 * Training sets for retraining, point-in-time correct: each customer's latest outcome joined with
 * the feature vector of the last champion prediction made at least the label delay before it, so
 * that nothing the model could not have known at prediction time leaks into training.
 */
export class TrainingSetRepository {
  async pointInTimeRows(db: Queryable, labelDelayDays: number): Promise<PointInTimeRow[]> {
    const rows = await db.query<{ customer_id: string; features: Record<string, unknown>; churned: boolean; as_of: Date; observed_at: Date }>(
      'training_set.point_in_time_rows',
      `WITH last_outcome AS (
         SELECT DISTINCT ON (customer_id) customer_id, churned, observed_at
           FROM outcomes ORDER BY customer_id, observed_at DESC)
       SELECT o.customer_id, p.features, o.churned, p.as_of, o.observed_at
         FROM last_outcome o
         JOIN LATERAL (
           SELECT features, as_of FROM predictions p
            WHERE p.customer_id = o.customer_id AND p.role = 'champion'
              AND p.as_of <= o.observed_at - make_interval(secs => $1::double precision * 86400)
            ORDER BY p.as_of DESC, p.scored_at DESC LIMIT 1) p ON true
        ORDER BY o.customer_id`,
      [labelDelayDays],
    );
    return rows.map((r) => ({ customerId: r.customer_id, features: r.features, churned: r.churned, predictedAsOf: r.as_of, observedAt: r.observed_at }));
  }
}
