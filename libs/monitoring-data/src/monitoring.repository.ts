import type { Prediction } from '@churn/contracts';
import type { Queryable } from '@churn/db';
import type { PredictionRole } from '@churn/contracts';

/** A stored prediction as monitoring reads it, with the intervention fields of the outcome that follows it. */
export interface MonitoredPrediction {
  customer_id: string;
  prediction_id: string;
  model_version: string;
  churn_probability: number;
  risk_score: number;
  risk_level: string;
  intervention_cost: number;
  revenue_at_risk: number;
  experiment_name: string | null;
  experiment_arm: string | null;
  as_of: Date;
  scored_at: Date;
  intervention_applied: boolean | null;
  outcome_intervention_cost: number | null;
}

/** An outcome joined to the last prediction of one model version made early enough before it. */
export interface LabelledPredictionRow extends MonitoredPrediction {
  churned: boolean;
  observed_at: Date;
  role: PredictionRole;
  /** The features cohorts are read from, from the vector the prediction's message carried; null when it carried none. */
  cohort_features: Record<string, unknown> | null;
}

/** A customer's latest champion prediction scored in a period, with the customer's latest outcome if any. */
export type ExposureRow = MonitoredPrediction;

/** A customer's latest prediction of one model version with the feature vector the scorer stored for it. */
export interface FeatureSampleRow {
  churn_probability: number;
  features: Record<string, unknown>;
}

export interface DailyScoreRow {
  day: string;
  predictions: number;
  average_risk_score: number;
}

export interface PredictionSummaryRow {
  predictions: number;
  customers: number;
  critical_customers: number;
  average_risk_score: number | null;
  low: number;
  medium: number;
  high: number;
  critical: number;
}

export interface PendingAlertRow {
  alert_id: string;
  customer_id: string;
  level: string;
  risk_score: number;
  message: string;
  status: string;
  created_at: Date;
}

const LABELLED_COLUMNS = `o.customer_id, o.churned, o.observed_at, o.intervention_applied,
       o.intervention_cost::float8 AS outcome_intervention_cost,
       m.prediction_id, m.model_version, m.role, m.churn_probability, m.risk_score, m.risk_level,
       m.intervention_cost::float8 AS intervention_cost, m.revenue_at_risk::float8 AS revenue_at_risk,
       m.experiment_name, m.experiment_arm, m.as_of, m.scored_at,
       (SELECT jsonb_object_agg(k, m.features->k) FROM unnest($3::text[]) AS k WHERE m.features ? k) AS cohort_features`;

/**
 * Monitoring's reads and writes: its own copy of consumed predictions, the outcome join, and the
 * figures the dashboard shows, each prediction with the feature vector its message carried, and
 * alerting's queue as `alert-updates` told it.
 */
export class MonitoringRepository {
  /**
   * Stores consumed predictions; a redelivered prediction_id is stored once. Returns how many were new.
   * The same statement moves each customer's newest-prediction pointer (monitoring_latest) forward when
   * a new prediction is newer than the one it holds, so a late, older prediction never replaces it.
   */
  async insertPredictions(tx: Queryable, role: PredictionRole, predictions: readonly Prediction[]): Promise<number> {
    if (predictions.length === 0) return 0;
    const rows = await tx.query<{ prediction_id: string }>(
      'monitoring_predictions.insert',
      `WITH inserted AS (
           INSERT INTO monitoring_predictions (prediction_id, customer_id, model_version, role, churn_probability, risk_score, risk_level,
             intervention_cost, revenue_at_risk, experiment_name, experiment_arm, as_of, scored_at, recommended_action, top_factors, features)
           SELECT u.prediction_id, u.customer_id, u.model_version, $13::text, u.churn_probability, u.risk_score, u.risk_level,
                  u.intervention_cost, u.revenue_at_risk, u.experiment_name, u.experiment_arm, u.as_of, u.scored_at,
                  u.recommended_action, u.top_factors::jsonb, u.features::jsonb
             FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::smallint[], $6::text[], $7::numeric[], $8::numeric[],
                         $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $14::text[], $15::text[], $16::text[])
               AS u(prediction_id, customer_id, model_version, churn_probability, risk_score, risk_level, intervention_cost,
                    revenue_at_risk, experiment_name, experiment_arm, as_of, scored_at, recommended_action, top_factors, features)
           ON CONFLICT (prediction_id) DO NOTHING
           RETURNING prediction_id, customer_id, model_version, role, as_of, scored_at
         ), newest AS (
           -- One row per key: an upsert may not touch the same row twice in one statement.
           INSERT INTO monitoring_latest AS l (role, model_version, customer_id, prediction_id, as_of, scored_at)
           SELECT DISTINCT ON (role, model_version, customer_id) role, model_version, customer_id, prediction_id, as_of, scored_at
             FROM inserted
            ORDER BY role, model_version, customer_id, as_of DESC, scored_at DESC, prediction_id DESC
           ON CONFLICT (role, model_version, customer_id) DO UPDATE
              SET prediction_id = EXCLUDED.prediction_id, as_of = EXCLUDED.as_of, scored_at = EXCLUDED.scored_at
            WHERE (EXCLUDED.as_of, EXCLUDED.scored_at, EXCLUDED.prediction_id) > (l.as_of, l.scored_at, l.prediction_id)
         )
         SELECT prediction_id FROM inserted`,
      [
        predictions.map((p) => p.prediction_id),
        predictions.map((p) => p.customer_id),
        predictions.map((p) => p.model_version),
        predictions.map((p) => p.churn_probability),
        predictions.map((p) => p.risk_score),
        predictions.map((p) => p.risk_level),
        predictions.map((p) => p.intervention_cost),
        predictions.map((p) => p.revenue_at_risk),
        predictions.map((p) => p.experiment?.name ?? null),
        predictions.map((p) => p.experiment?.arm ?? null),
        predictions.map((p) => p.as_of),
        predictions.map((p) => p.scored_at),
        role,
        predictions.map((p) => p.recommended_action),
        predictions.map((p) => JSON.stringify(p.top_factors)),
        predictions.map((p) => (p.features ? JSON.stringify(p.features) : null)),
      ],
    );
    return rows.length;
  }

  /**
   * Every outcome (observed at or after `since`, when given) joined, for each model version, to the
   * customer's last prediction of that version whose `as_of` is at least `labelDelayDays` before the
   * observation — the information the model had that long before the label was known. `as_of` (the
   * time of the features) rather than `scored_at`: a replay or rescore scores old information late.
   */
  async labelledPredictions(db: Queryable, labelDelayDays: number, since?: Date, cohortFeatures: readonly string[] = []): Promise<LabelledPredictionRow[]> {
    return db.query<LabelledPredictionRow>(
      'monitoring.labelled_predictions',
      `SELECT ${LABELLED_COLUMNS}
         FROM outcomes o
         CROSS JOIN LATERAL (
           SELECT DISTINCT ON (mp.model_version) mp.*
             FROM monitoring_predictions mp
            WHERE mp.customer_id = o.customer_id
              AND mp.as_of <= o.observed_at - $1::float8 * interval '1 day'
            ORDER BY mp.model_version, mp.as_of DESC, mp.scored_at DESC, mp.prediction_id DESC
         ) m
        WHERE ($2::timestamptz IS NULL OR o.observed_at >= $2::timestamptz)`,
      [labelDelayDays, since ?? null, cohortFeatures],
    );
  }

  /**
   * Each customer's newest champion prediction (of one model version, when given), when it was scored
   * since `since`, with the customer's latest outcome's intervention fields. Read from the newest-prediction
   * pointers: one row per customer and version, not every stored prediction. A customer whose newest
   * prediction was scored before `since` is not in the period even if an older-`as_of` one (a rescore of
   * the past) was scored in it: the period's exposure is the customer's current assessment.
   */
  async exposures(db: Queryable, since: Date | null, modelVersion?: string): Promise<ExposureRow[]> {
    return newestExposures(await this.exposureCandidates(db, since, modelVersion), since);
  }

  /**
   * The newest champion prediction of every customer and model version scored since `since`, with the
   * outcome fields: what `newestExposures` picks each period's exposures from, so that one read serves
   * every period that starts at or after `since`.
   */
  async exposureCandidates(db: Queryable, since: Date | null, modelVersion?: string): Promise<ExposureRow[]> {
    return db.query<ExposureRow>(
      'monitoring.exposures',
      `SELECT m.customer_id, m.prediction_id, m.model_version, m.churn_probability, m.risk_score, m.risk_level,
              m.intervention_cost::float8 AS intervention_cost, m.revenue_at_risk::float8 AS revenue_at_risk,
              m.experiment_name, m.experiment_arm, m.as_of, m.scored_at, o.intervention_applied,
              o.intervention_cost::float8 AS outcome_intervention_cost
         FROM monitoring_latest l
         JOIN monitoring_predictions m ON m.prediction_id = l.prediction_id
         LEFT JOIN LATERAL (
           SELECT intervention_applied, intervention_cost FROM outcomes
            WHERE customer_id = m.customer_id AND observed_at >= m.as_of
            ORDER BY observed_at DESC LIMIT 1
         ) o ON true
        WHERE l.role = 'champion' AND ($1::timestamptz IS NULL OR l.scored_at >= $1::timestamptz)
          AND ($2::text IS NULL OR l.model_version = $2::text)`,
      [since, modelVersion ?? null],
    );
  }

  /**
   * Of `customerIds`, those monitoring has stored a prediction for (either role): the customers an
   * outcome or intervention sent by a person may name.
   */
  async knownCustomers(db: Queryable, customerIds: readonly string[]): Promise<Set<string>> {
    if (customerIds.length === 0) return new Set();
    const rows = await db.query<{ customer_id: string }>(
      'monitoring.known_customers',
      `SELECT c.customer_id FROM unnest($1::text[]) AS c(customer_id)
        WHERE EXISTS (SELECT 1 FROM monitoring_predictions m WHERE m.customer_id = c.customer_id)`,
      [[...new Set(customerIds)]],
    );
    return new Set(rows.map((r) => r.customer_id));
  }

  /** Distinct customers and their arm for every customer a named experiment assigned (latest assignment wins). */
  async experimentAssignments(db: Queryable, experimentName: string): Promise<{ customer_id: string; experiment_arm: string }[]> {
    return db.query<{ customer_id: string; experiment_arm: string }>(
      'monitoring.experiment_assignments',
      `SELECT DISTINCT ON (customer_id) customer_id, experiment_arm
         FROM monitoring_predictions
        WHERE experiment_name = $1 AND role = 'champion' AND experiment_arm IS NOT NULL
        ORDER BY customer_id, as_of DESC, scored_at DESC`,
      [experimentName],
    );
  }

  /** Experiments seen on champion predictions, newest first. */
  async experimentNames(db: Queryable): Promise<{ name: string; last_scored_at: Date }[]> {
    return db.query<{ name: string; last_scored_at: Date }>(
      'monitoring.experiment_names',
      `SELECT experiment_name AS name, max(scored_at) AS last_scored_at FROM monitoring_predictions
        WHERE experiment_name IS NOT NULL GROUP BY experiment_name ORDER BY max(scored_at) DESC`,
    );
  }

  /** Model versions seen, with their role and the time of their newest prediction. */
  async versionsSeen(db: Queryable): Promise<{ model_version: string; role: PredictionRole; predictions: number; last_scored_at: Date }[]> {
    const rows = await db.query<{ model_version: string; role: PredictionRole; predictions: string; last_scored_at: Date }>(
      'monitoring.versions_seen',
      `SELECT model_version, role, count(*) AS predictions, max(scored_at) AS last_scored_at
         FROM monitoring_predictions GROUP BY model_version, role ORDER BY max(scored_at) DESC`,
    );
    return rows.map((r) => ({ ...r, predictions: Number(r.predictions) }));
  }

  /** Each customer's newest prediction of a model version, when scored since `since`, with the feature vector its message carried (from the newest-prediction pointers; one without is left out). */
  async featureSample(db: Queryable, modelVersion: string, role: PredictionRole, since: Date | null): Promise<FeatureSampleRow[]> {
    return db.query<FeatureSampleRow>(
      'monitoring.feature_sample',
      `SELECT m.churn_probability, m.features
         FROM monitoring_latest l
         JOIN monitoring_predictions m ON m.prediction_id = l.prediction_id
        WHERE m.features IS NOT NULL AND l.model_version = $1 AND l.role = $2 AND ($3::timestamptz IS NULL OR l.scored_at >= $3::timestamptz)
        ORDER BY l.customer_id`,
      [modelVersion, role, since],
    );
  }

  /** Champion predictions scored since `since` (every message, not per customer) and the distinct customers' risk levels. */
  async predictionSummary(db: Queryable, since: Date): Promise<PredictionSummaryRow> {
    const rows = await db.query<Record<keyof PredictionSummaryRow, string | null>>(
      'monitoring.prediction_summary',
      `WITH recent AS (
         SELECT customer_id, risk_score, risk_level, as_of, scored_at FROM monitoring_predictions
          WHERE role = 'champion' AND scored_at >= $1
       ), latest AS (
         SELECT DISTINCT ON (customer_id) customer_id, risk_score, risk_level FROM recent ORDER BY customer_id, as_of DESC, scored_at DESC
       )
       SELECT (SELECT count(*) FROM recent) AS predictions,
              count(*) AS customers,
              count(*) FILTER (WHERE risk_level = 'critical') AS critical_customers,
              avg(risk_score)::float8 AS average_risk_score,
              count(*) FILTER (WHERE risk_level = 'low') AS low,
              count(*) FILTER (WHERE risk_level = 'medium') AS medium,
              count(*) FILTER (WHERE risk_level = 'high') AS high,
              count(*) FILTER (WHERE risk_level = 'critical') AS critical
         FROM latest`,
      [since],
    );
    const r = rows[0]!;
    return {
      predictions: Number(r.predictions ?? 0),
      customers: Number(r.customers ?? 0),
      critical_customers: Number(r.critical_customers ?? 0),
      average_risk_score: r.average_risk_score === null ? null : Number(r.average_risk_score),
      low: Number(r.low ?? 0),
      medium: Number(r.medium ?? 0),
      high: Number(r.high ?? 0),
      critical: Number(r.critical ?? 0),
    };
  }

  /** Champion predictions per UTC day scored since `since`, with their average risk score. */
  async dailyScores(db: Queryable, since: Date): Promise<DailyScoreRow[]> {
    const rows = await db.query<{ day: string; predictions: string; average_risk_score: number }>(
      'monitoring.daily_scores',
      `SELECT to_char(date_trunc('day', scored_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*) AS predictions,
              avg(risk_score)::float8 AS average_risk_score
         FROM monitoring_predictions WHERE role = 'champion' AND scored_at >= $1
        GROUP BY 1 ORDER BY 1`,
      [since],
    );
    return rows.map((r) => ({ day: r.day, predictions: Number(r.predictions), average_risk_score: r.average_risk_score }));
  }

  /**
   * Alerting's queue as `alert-updates` told it, for display: the newest pending alerts (most severe
   * first) and the pending count. An alert whose updates carried no figures shows score 0, no message
   * and the time of its newest update.
   */
  async pendingAlerts(db: Queryable, limit: number): Promise<{ total: number; alerts: PendingAlertRow[] }> {
    const alerts = await db.query<PendingAlertRow>(
      'monitoring.pending_alerts',
      `SELECT alert_id, customer_id, level, coalesce(risk_score, 0)::int AS risk_score, coalesce(message, '') AS message,
              state AS status, coalesce(raised_at, occurred_at) AS created_at
         FROM monitoring_customer_alerts
        WHERE state = 'pending' ORDER BY risk_score DESC NULLS LAST, raised_at DESC NULLS LAST, alert_id LIMIT $1`,
      [limit],
    );
    return { total: await this.pendingAlertCount(db), alerts };
  }

  async pendingAlertCount(db: Queryable): Promise<number> {
    const count = await db.query<{ n: string }>(
      'monitoring.pending_alert_count',
      "SELECT count(*) AS n FROM monitoring_customer_alerts WHERE state = 'pending'",
    );
    return Number(count[0]?.n ?? 0);
  }
}

export interface NewModelAlert {
  readonly alert_id: string;
  readonly model_version: string;
  readonly kind: 'feature_drift' | 'score_drift' | 'performance_drift';
  readonly subject: string;
  readonly day: string;
  readonly value: number;
  readonly threshold: number;
  readonly message: string;
}

export interface ModelAlertRow extends Omit<NewModelAlert, 'day'> {
  day: string;
  created_at: Date;
}

/** Model alerts raised by monitoring, one per model, kind, subject and day. */
export class ModelAlertRepository {
  /** Records alerts not raised yet today and returns those that are new (to be published). */
  async insertNew(tx: Queryable, alerts: readonly NewModelAlert[]): Promise<ModelAlertRow[]> {
    if (alerts.length === 0) return [];
    return tx.query<ModelAlertRow>(
      'monitoring_model_alerts.insert_new',
      `INSERT INTO monitoring_model_alerts (alert_id, model_version, kind, subject, day, value, threshold, message)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::float8[], $7::float8[], $8::text[])
       ON CONFLICT DO NOTHING
       RETURNING alert_id, model_version, kind, subject, to_char(day, 'YYYY-MM-DD') AS day, value, threshold, message, created_at`,
      [
        alerts.map((a) => a.alert_id),
        alerts.map((a) => a.model_version),
        alerts.map((a) => a.kind),
        alerts.map((a) => a.subject),
        alerts.map((a) => a.day),
        alerts.map((a) => a.value),
        alerts.map((a) => a.threshold),
        alerts.map((a) => a.message),
      ],
    );
  }

  async recent(db: Queryable, limit: number): Promise<ModelAlertRow[]> {
    return db.query<ModelAlertRow>(
      'monitoring_model_alerts.recent',
      `SELECT alert_id, model_version, kind, subject, to_char(day, 'YYYY-MM-DD') AS day, value, threshold, message, created_at
         FROM monitoring_model_alerts ORDER BY created_at DESC LIMIT $1`,
      [limit],
    );
  }
}

/**
 * A period's exposures from `exposureCandidates` read for it or for any earlier start: per customer, the
 * newest (as_of, then scored_at, then prediction_id) of its versions' candidates scored since `since`.
 */
export function newestExposures(candidates: readonly ExposureRow[], since: Date | null): ExposureRow[] {
  const from = since?.getTime() ?? -Infinity;
  const newest = new Map<string, ExposureRow>();
  for (const row of candidates) {
    if (row.scored_at.getTime() < from) continue;
    const held = newest.get(row.customer_id);
    if (!held || isNewer(row, held)) newest.set(row.customer_id, row);
  }
  return [...newest.values()];
}

function isNewer(a: ExposureRow, b: ExposureRow): boolean {
  const byAsOf = a.as_of.getTime() - b.as_of.getTime();
  if (byAsOf !== 0) return byAsOf > 0;
  const byScoredAt = a.scored_at.getTime() - b.scored_at.getTime();
  if (byScoredAt !== 0) return byScoredAt > 0;
  return a.prediction_id > b.prediction_id;
}
