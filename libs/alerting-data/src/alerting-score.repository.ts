import type { Queryable } from '@churn/db';

export interface ScoreObservation {
  prediction_id: string;
  customer_id: string;
  risk_score: number;
  as_of: Date;
}

/** Alerting's own record of every prediction's score, for the score-jump rule. */
export class AlertingScoreRepository {
  async insert(tx: Queryable, rows: readonly ScoreObservation[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      'alerting_scores.insert',
      `INSERT INTO alerting_scores (prediction_id, customer_id, risk_score, as_of)
       SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [rows.map((r) => r.prediction_id), rows.map((r) => r.customer_id), rows.map((r) => r.risk_score), rows.map((r) => r.as_of)],
    );
  }

  /** Scores of these customers with `as_of` at or after `since`. */
  async forCustomers(tx: Queryable, customerIds: readonly string[], since: Date): Promise<ScoreObservation[]> {
    if (customerIds.length === 0) return [];
    return tx.query<ScoreObservation>(
      'alerting_scores.for_customers',
      `SELECT prediction_id, customer_id, risk_score, as_of FROM alerting_scores
        WHERE customer_id = ANY($1::text[]) AND as_of >= $2`,
      [[...new Set(customerIds)], since],
    );
  }

  /** Forgets observations recorded more than `days` ago; returns how many. */
  async prune(db: Queryable, days: number): Promise<number> {
    const rows = await db.query<{ n: number }>(
      'alerting_scores.prune',
      `WITH gone AS (DELETE FROM alerting_scores WHERE recorded_at < now() - make_interval(days => $1) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [days],
    );
    return rows[0]?.n ?? 0;
  }
}
