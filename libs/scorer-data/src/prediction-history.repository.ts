import type { Queryable } from '@churn/db';

export interface PredictionHistoryRow {
  prediction_id: string;
  customer_id: string;
  model_version: string;
  role: 'champion' | 'shadow';
  source_event_id: string;
  churn_probability: number;
  risk_score: number;
  risk_level: string;
  recommended_action: string;
  intervention_cost: string;
  revenue_at_risk: string;
  top_factors: unknown[];
  experiment_name: string | null;
  experiment_arm: string | null;
  features: Record<string, unknown>;
  as_of: Date;
  scored_at: Date;
}

/** A customer's predictions, newest first, with everything the API shows. */
export class PredictionHistoryRepository {
  async forCustomer(db: Queryable, customerId: string, options: { limit: number; role?: 'champion' | 'shadow' }): Promise<PredictionHistoryRow[]> {
    return db.query<PredictionHistoryRow>(
      'predictions.history',
      `SELECT prediction_id, customer_id, model_version, role, source_event_id, churn_probability, risk_score, risk_level,
              recommended_action, intervention_cost, revenue_at_risk, top_factors, experiment_name, experiment_arm, features, as_of, scored_at
         FROM predictions
        WHERE customer_id = $1 AND ($2::text IS NULL OR role = $2)
        ORDER BY as_of DESC, scored_at DESC
        LIMIT $3`,
      [customerId, options.role ?? null, options.limit],
    );
  }
}
