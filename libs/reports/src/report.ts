import type { RiskLevel } from '@churn/contracts';

/**
 * A retention report as data: what the CSV and the PDF both render. Money is in the currency of the
 * predictions' revenue and the recorded costs; times are ISO-8601 UTC; a figure that does not exist
 * (no outcomes, no target) is null.
 */
export interface Report {
  readonly title: string;
  readonly generated_at: string;
  /** [from, to): the period reported on. */
  readonly period: ReportPeriod;
  /** The period of the same length just before it, which the risk distribution is compared with. */
  readonly previous_period: ReportPeriod;
  readonly risk: RiskDistribution;
  readonly top_customers: TopCustomers;
  readonly alert_sla: AlertSla;
  readonly interventions: InterventionsDone;
  readonly roi: PeriodRoi;
  readonly quality: PeriodQuality;
  readonly experiments: readonly ExperimentResult[];
}

export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
  readonly days: number;
}

export interface RiskLevelFigures {
  readonly level: RiskLevel;
  readonly customers: number;
  readonly previous_customers: number;
  /** Share of the period's scored customers; null when none was scored. */
  readonly share: number | null;
  readonly previous_share: number | null;
  readonly revenue_at_risk: number;
}

/** Each customer counted once, at the level of its newest champion prediction scored in the period. */
export interface RiskDistribution {
  readonly customers: number;
  readonly previous_customers: number;
  readonly average_risk_score: number | null;
  readonly previous_average_risk_score: number | null;
  readonly revenue_at_risk: number;
  /** Highest level first. */
  readonly levels: readonly RiskLevelFigures[];
}

export interface Driver {
  readonly feature: string;
  readonly value: string | number;
  /** The feature's share of the score (Shapley value): positive raises the risk. */
  readonly contribution: number;
}

export interface AtRiskCustomer {
  readonly rank: number;
  readonly customer_id: string;
  readonly risk_score: number;
  readonly risk_level: string;
  readonly churn_probability: number;
  readonly revenue_at_risk: number;
  readonly recommended_action: string;
  readonly intervention_cost: number;
  readonly drivers: readonly Driver[];
  readonly scored_at: string;
}

export interface TopCustomers {
  /** How many were asked for. */
  readonly limit: number;
  readonly customers: readonly AtRiskCustomer[];
}

export interface SlaLevelFigures {
  readonly level: RiskLevel;
  /** Time-to-acknowledge target of the level (alerting's rules); null when alerting could not be asked. */
  readonly target_hours: number | null;
  /** Alerts raised in the period. */
  readonly raised: number;
  /** Of those, acknowledged (by the time of the report). */
  readonly acknowledged: number;
  readonly median_hours_to_acknowledge: number | null;
  readonly p90_hours_to_acknowledge: number | null;
  /** Acknowledged after the target; null without a target. */
  readonly acknowledged_late: number | null;
  /** Still pending when the report was made. */
  readonly pending: number;
  /** Pending and older than the target; null without a target. */
  readonly pending_past_target: number | null;
  /** Resolved without an acknowledgment (the customer churned, was rescored lower, …). */
  readonly resolved_unacknowledged: number;
}

export interface AlertSla {
  /** Where the targets came from: alerting's rules in effect, or why they are missing. */
  readonly targets: string;
  /** Highest level first. */
  readonly levels: readonly SlaLevelFigures[];
}

export interface InterventionGroup {
  readonly key: string;
  readonly interventions: number;
  readonly customers: number;
  readonly cost: number;
}

export interface InterventionsDone {
  readonly interventions: number;
  readonly customers: number;
  readonly cost: number;
  readonly by_action: readonly InterventionGroup[];
  readonly by_source: readonly InterventionGroup[];
}

export interface PeriodRoi {
  readonly customers: number;
  readonly treated_customers: number;
  readonly revenue_at_risk: number;
  readonly expected_revenue_loss: number;
  readonly programme_cost: number;
  /** `recorded`, `estimated` or `mixed`: where the treated customers' costs come from; null without treated customers. */
  readonly cost_basis: string | null;
  readonly cost_customers_recorded: number;
  readonly cost_customers_estimated: number;
  readonly customers_retained: number;
  readonly revenue_saved: number;
  readonly net_benefit: number;
  readonly roi_multiple: number | null;
  /** `measured` (an experiment's control arm) or `estimate` (the configured success rate). */
  readonly basis: string;
  readonly retention_success_rate: number;
  readonly clv_months: number;
  /** The experiment that measured the effect, when one did. */
  readonly experiment: string | null;
}

export interface ModelPeriodQuality {
  readonly model_version: string;
  readonly role: string;
  readonly outcomes: number;
  readonly churned: number;
  readonly roc_auc: number | null;
  readonly pr_auc: number | null;
  readonly brier: number | null;
  readonly lift_top_decile: number | null;
  readonly threshold: number;
  readonly precision: number | null;
  readonly recall: number | null;
  /** The model card's mean cross-validated ROC-AUC, the figure to compare with. */
  readonly cv_roc_auc: number | null;
}

export interface PeriodQuality {
  /** Days between a prediction and the outcome it is judged by. */
  readonly label_delay_days: number;
  readonly models: readonly ModelPeriodQuality[];
}

export interface ExperimentArmResult {
  readonly arm: string;
  readonly customers: number;
  readonly targeted: number;
  readonly churned: number;
  readonly churn_rate: number | null;
  readonly cost: number;
}

export interface ExperimentComparisonResult {
  readonly arm: string;
  readonly against: string;
  readonly difference: number | null;
  readonly ci95_low: number | null;
  readonly ci95_high: number | null;
  readonly p_value: number | null;
  readonly significant: boolean;
  readonly underpowered: boolean;
}

export interface ExperimentResult {
  readonly name: string;
  readonly arms: readonly ExperimentArmResult[];
  readonly comparisons: readonly ExperimentComparisonResult[];
  readonly warnings: readonly string[];
}
