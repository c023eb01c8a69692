import type { Prediction, PredictionRole } from '@churn/contracts';
import type { Queryable } from '@churn/db';

export interface StoredPrediction {
  readonly prediction: Prediction;
  readonly role: PredictionRole;
  /** The exact feature vector the model read. */
  readonly features: Record<string, unknown>;
}

export class PredictionRepository {
  /** Inserts predictions not stored yet and returns the ids that are new (redelivery inserts nothing). */
  async insertNew(tx: Queryable, rows: readonly StoredPrediction[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const p = rows.map((r) => r.prediction);
    const inserted = await tx.query<{ prediction_id: string }>(
      'predictions.insert_new',
      `INSERT INTO predictions (prediction_id, customer_id, model_version, role, source_event_id, churn_probability, risk_score,
         risk_level, recommended_action, intervention_cost, revenue_at_risk, top_factors, experiment_name, experiment_arm,
         features, as_of, scored_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::smallint[],
         $8::text[], $9::text[], $10::numeric[], $11::numeric[], $12::jsonb[], $13::text[], $14::text[], $15::jsonb[],
         $16::timestamptz[], $17::timestamptz[])
       ON CONFLICT DO NOTHING
       RETURNING prediction_id`,
      [
        p.map((x) => x.prediction_id),
        p.map((x) => x.customer_id),
        p.map((x) => x.model_version),
        rows.map((r) => r.role),
        p.map((x) => x.source_event_id),
        p.map((x) => x.churn_probability),
        p.map((x) => x.risk_score),
        p.map((x) => x.risk_level),
        p.map((x) => x.recommended_action),
        p.map((x) => x.intervention_cost),
        p.map((x) => x.revenue_at_risk),
        p.map((x) => JSON.stringify(x.top_factors)),
        p.map((x) => x.experiment?.name ?? null),
        p.map((x) => x.experiment?.arm ?? null),
        rows.map((r) => JSON.stringify(r.features)),
        p.map((x) => x.as_of),
        p.map((x) => x.scored_at),
      ],
    );
    return new Set(inserted.map((row) => row.prediction_id));
  }

  async findByCustomer(db: Queryable, customerId: string, limit = 100): Promise<StoredPredictionRow[]> {
    return db.query<StoredPredictionRow>(
      'predictions.find_by_customer',
      `SELECT prediction_id, customer_id, model_version, role, source_event_id, churn_probability, risk_score, risk_level,
              features, as_of, scored_at
         FROM predictions WHERE customer_id = $1 ORDER BY as_of DESC, scored_at DESC LIMIT $2`,
      [customerId, limit],
    );
  }

  async countBySourceEvent(db: Queryable, sourceEventIds: readonly string[]): Promise<number> {
    const rows = await db.query<{ n: string }>(
      'predictions.count_by_source_event',
      'SELECT count(*) AS n FROM predictions WHERE source_event_id = ANY($1::text[])',
      [sourceEventIds],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

export interface StoredPredictionRow {
  prediction_id: string;
  customer_id: string;
  model_version: string;
  role: PredictionRole;
  source_event_id: string;
  churn_probability: number;
  risk_score: number;
  risk_level: string;
  features: Record<string, unknown>;
  as_of: Date;
  scored_at: Date;
}
