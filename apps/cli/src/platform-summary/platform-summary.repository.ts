import type { Queryable } from '@churn/db';

export interface RiskLevelSummary {
  readonly riskLevel: string;
  readonly customers: number;
  readonly revenueAtRisk: number;
  readonly interventionCost: number;
}

export interface ScoredOutcome {
  readonly customerId: string;
  readonly churnProbability: number;
  readonly churned: boolean;
}

/**
 * Read-only figures over the whole platform for the demo's summary and smoke checks: each
 * customer's latest champion prediction, alerts raised, and predictions joined with outcomes.
 */
export class PlatformSummaryRepository {
  async countScoredCustomers(db: Queryable): Promise<number> {
    const rows = await db.query<{ n: string }>(
      'summary.count_scored_customers',
      "SELECT count(DISTINCT customer_id) AS n FROM predictions WHERE role = 'champion'",
    );
    return Number(rows[0]?.n ?? 0);
  }

  async riskDistribution(db: Queryable): Promise<RiskLevelSummary[]> {
    const rows = await db.query<{ risk_level: string; customers: string; revenue_at_risk: string; intervention_cost: string }>(
      'summary.risk_distribution',
      `WITH latest AS (
         SELECT DISTINCT ON (customer_id) customer_id, risk_level, revenue_at_risk, intervention_cost
           FROM predictions WHERE role = 'champion'
          ORDER BY customer_id, as_of DESC, scored_at DESC)
       SELECT risk_level, count(*) AS customers, sum(revenue_at_risk) AS revenue_at_risk, sum(intervention_cost) AS intervention_cost
         FROM latest GROUP BY risk_level`,
    );
    return rows.map((r) => ({
      riskLevel: r.risk_level,
      customers: Number(r.customers),
      revenueAtRisk: Number(r.revenue_at_risk),
      interventionCost: Number(r.intervention_cost),
    }));
  }

  /**
   * Of `customerIds`, those with a champion prediction as of `asOf` or later that alerting has evaluated
   * (its score row is written in the transaction that decides the alert): the customers a replay may
   * cancel now, their last prediction made and acted on.
   */
  async scoredAndEvaluated(db: Queryable, customerIds: readonly string[], asOf: string): Promise<Set<string>> {
    if (customerIds.length === 0) return new Set();
    const rows = await db.query<{ customer_id: string }>(
      'summary.scored_and_evaluated',
      `SELECT DISTINCT p.customer_id FROM predictions p
        WHERE p.customer_id = ANY($1::text[]) AND p.role = 'champion' AND p.as_of >= $2::timestamptz
          AND EXISTS (SELECT 1 FROM alerting_scores s WHERE s.prediction_id = p.prediction_id)`,
      [customerIds, asOf],
    );
    return new Set(rows.map((r) => r.customer_id));
  }

  async countAlerts(db: Queryable): Promise<number> {
    const rows = await db.query<{ n: string }>('summary.count_alerts', 'SELECT count(*) AS n FROM alerts');
    return Number(rows[0]?.n ?? 0);
  }

  async countAlertsResolvedByChurn(db: Queryable): Promise<number> {
    const rows = await db.query<{ n: string }>('summary.count_alerts_resolved_by_churn', "SELECT count(*) AS n FROM alerts WHERE resolution = 'churned'");
    return Number(rows[0]?.n ?? 0);
  }

  async countOutcomes(db: Queryable): Promise<number> {
    const rows = await db.query<{ n: string }>('summary.count_outcomes', 'SELECT count(DISTINCT customer_id) AS n FROM outcomes');
    return Number(rows[0]?.n ?? 0);
  }

  /** Each customer's latest champion prediction made no later than its latest outcome, with that outcome. */
  async scoredOutcomes(db: Queryable): Promise<ScoredOutcome[]> {
    const rows = await db.query<{ customer_id: string; churn_probability: number; churned: boolean }>(
      'summary.scored_outcomes',
      `WITH last_outcome AS (
         SELECT DISTINCT ON (customer_id) customer_id, churned, observed_at FROM outcomes ORDER BY customer_id, observed_at DESC)
       SELECT o.customer_id, p.churn_probability, o.churned
         FROM last_outcome o
         JOIN LATERAL (
           SELECT churn_probability FROM predictions p
            WHERE p.customer_id = o.customer_id AND p.role = 'champion' AND p.as_of <= o.observed_at
            ORDER BY p.as_of DESC, p.scored_at DESC LIMIT 1) p ON true`,
    );
    return rows.map((r) => ({ customerId: r.customer_id, churnProbability: Number(r.churn_probability), churned: r.churned }));
  }
}
