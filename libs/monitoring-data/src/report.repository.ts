import type { Queryable } from '@churn/db';
import type { ExposureRow } from './monitoring.repository';
import type { RecordedInterventionCost } from './intervention.repository';

/** A period [from, to): the start included, the end excluded, so consecutive periods never share a row. */
export interface ReportPeriodBounds {
  readonly from: Date;
  readonly to: Date;
}

export interface RiskLevelCountRow {
  risk_level: string;
  customers: number;
  revenue_at_risk: number;
  risk_score_sum: number;
}

export interface AtRiskCustomerRow {
  customer_id: string;
  prediction_id: string;
  risk_score: number;
  risk_level: string;
  churn_probability: number;
  revenue_at_risk: number;
  intervention_cost: number;
  scored_at: Date;
  /** Monitoring's copy of the scorer's action and top factors (the scorer's row for predictions stored before it kept them); null when neither has them. */
  recommended_action: string | null;
  top_factors: { feature: string; value: string | number; contribution: number }[] | null;
}

export interface AlertSlaRow {
  level: string;
  raised: number;
  acknowledged: number;
  median_seconds: number | null;
  p90_seconds: number | null;
  /** Null when the level has no target. */
  acknowledged_late: number | null;
  pending: number;
  pending_past_target: number | null;
  resolved_unacknowledged: number;
}

export interface InterventionGroupRow {
  /** `action`, `source`, or `all` for the period's totals. */
  grouping: 'action' | 'source' | 'all';
  key: string | null;
  interventions: number;
  customers: number;
  cost: number;
}

/** Each customer's newest champion prediction scored in the period (latest features first, then latest scoring). */
const NEWEST_IN_PERIOD = `SELECT DISTINCT ON (customer_id) *
   FROM monitoring_predictions
  WHERE role = 'champion' AND scored_at >= $1 AND scored_at < $2
  ORDER BY customer_id, as_of DESC, scored_at DESC, prediction_id DESC`;

/**
 * The reads of monitoring's period reports. Unlike the rolling figures (monitoring_latest: each
 * customer's newest prediction now), a report looks at a past period as it was: each customer's newest
 * champion prediction scored within it. It reads monitoring's own tables only (alerts as
 * `alert-updates` told them).
 */
export class ReportRepository {
  /** Customers per risk level in the period, with the revenue at risk and the sum of risk scores (for the mean). */
  async riskLevels(db: Queryable, period: ReportPeriodBounds): Promise<RiskLevelCountRow[]> {
    return db.query<RiskLevelCountRow>(
      'report.risk_levels',
      `SELECT risk_level, count(*)::int AS customers, coalesce(sum(revenue_at_risk), 0)::float8 AS revenue_at_risk,
              coalesce(sum(risk_score), 0)::float8 AS risk_score_sum
         FROM (${NEWEST_IN_PERIOD}) latest
        GROUP BY risk_level`,
      [period.from, period.to],
    );
  }

  /** The `limit` customers of the period with the highest churn probability, with the scorer's action and drivers. */
  async topAtRisk(db: Queryable, period: ReportPeriodBounds, limit: number): Promise<AtRiskCustomerRow[]> {
    return db.query<AtRiskCustomerRow>(
      'report.top_at_risk',
      `SELECT l.customer_id, l.prediction_id, l.risk_score, l.risk_level, l.churn_probability,
              l.revenue_at_risk::float8 AS revenue_at_risk, l.intervention_cost::float8 AS intervention_cost, l.scored_at,
              l.recommended_action, l.top_factors
         FROM (${NEWEST_IN_PERIOD}) l
        ORDER BY l.churn_probability DESC, l.customer_id
        LIMIT $3`,
      [period.from, period.to, limit],
    );
  }

  /**
   * The period's exposures for ROI: each customer's newest champion prediction scored in the period,
   * with the intervention fields of the customer's latest outcome after it (as `exposureCandidates`).
   */
  async exposures(db: Queryable, period: ReportPeriodBounds): Promise<ExposureRow[]> {
    return db.query<ExposureRow>(
      'report.exposures',
      `SELECT m.customer_id, m.prediction_id, m.model_version, m.churn_probability, m.risk_score, m.risk_level,
              m.intervention_cost::float8 AS intervention_cost, m.revenue_at_risk::float8 AS revenue_at_risk,
              m.experiment_name, m.experiment_arm, m.as_of, m.scored_at, o.intervention_applied,
              o.intervention_cost::float8 AS outcome_intervention_cost
         FROM (${NEWEST_IN_PERIOD}) m
         LEFT JOIN LATERAL (
           SELECT intervention_applied, intervention_cost FROM outcomes
            WHERE customer_id = m.customer_id AND observed_at >= m.as_of
            ORDER BY observed_at DESC LIMIT 1
         ) o ON true`,
      [period.from, period.to],
    );
  }

  /** Experiments the period's champion predictions carried. */
  async experimentsScored(db: Queryable, period: ReportPeriodBounds): Promise<string[]> {
    const rows = await db.query<{ experiment_name: string }>(
      'report.experiments_scored',
      `SELECT DISTINCT experiment_name FROM monitoring_predictions
        WHERE role = 'champion' AND scored_at >= $1 AND scored_at < $2 AND experiment_name IS NOT NULL
        ORDER BY experiment_name`,
      [period.from, period.to],
    );
    return rows.map((r) => r.experiment_name);
  }

  /**
   * Alerts raised in the period, per level, as they stand now: acknowledged and how fast (median,
   * p90, how many after the level's target), still pending (and past the target), resolved without an
   * acknowledgment. `targetSeconds` per level; a level without one gets null late counts.
   */
  async alertSla(db: Queryable, period: ReportPeriodBounds, targetSeconds: Readonly<Record<string, number>> | null): Promise<AlertSlaRow[]> {
    const levels = Object.keys(targetSeconds ?? {});
    return db.query<AlertSlaRow>(
      'report.alert_sla',
      `SELECT a.level,
              count(*)::int AS raised,
              count(a.acknowledged_at)::int AS acknowledged,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.acknowledged_at - a.created_at))::float8 AS median_seconds,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM a.acknowledged_at - a.created_at))::float8 AS p90_seconds,
              CASE WHEN min(t.target) IS NULL THEN NULL
                   ELSE count(*) FILTER (WHERE extract(epoch FROM a.acknowledged_at - a.created_at) > t.target)::int END AS acknowledged_late,
              count(*) FILTER (WHERE a.status = 'pending')::int AS pending,
              CASE WHEN min(t.target) IS NULL THEN NULL
                   ELSE count(*) FILTER (WHERE a.status = 'pending' AND a.created_at < now() - make_interval(secs => t.target))::int END AS pending_past_target,
              count(*) FILTER (WHERE a.status = 'resolved' AND a.acknowledged_at IS NULL)::int AS resolved_unacknowledged
         FROM (SELECT level, state AS status, raised_at AS created_at, acknowledged_at FROM monitoring_customer_alerts) a
         LEFT JOIN unnest($3::text[], $4::float8[]) AS t(level, target) ON t.level = a.level
        WHERE a.created_at >= $1 AND a.created_at < $2
        GROUP BY a.level`,
      [period.from, period.to, levels, levels.map((l) => targetSeconds![l])],
    );
  }

  /** Interventions performed in the period: per action, per source, and in all (distinct customers each). */
  async interventionGroups(db: Queryable, period: ReportPeriodBounds): Promise<InterventionGroupRow[]> {
    return db.query<InterventionGroupRow>(
      'report.intervention_groups',
      `SELECT CASE WHEN grouping(action) = 0 THEN 'action' WHEN grouping(source) = 0 THEN 'source' ELSE 'all' END AS grouping,
              coalesce(action, source) AS key,
              count(*)::int AS interventions, count(DISTINCT customer_id)::int AS customers, coalesce(sum(cost), 0)::float8 AS cost
         FROM interventions
        WHERE performed_at >= $1 AND performed_at < $2
        GROUP BY GROUPING SETS ((action), (source), ())
        ORDER BY 1, 5 DESC, 2`,
      [period.from, period.to],
    );
  }

  /** Every intervention cost recorded in the period: what ROI counts as the period's recorded costs. */
  async interventionCosts(db: Queryable, period: ReportPeriodBounds): Promise<RecordedInterventionCost[]> {
    return db.query<RecordedInterventionCost>(
      'report.intervention_costs',
      `SELECT customer_id, performed_at, cost::float8 AS cost FROM interventions WHERE performed_at >= $1 AND performed_at < $2`,
      [period.from, period.to],
    );
  }
}
