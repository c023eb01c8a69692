import { RISK_LEVELS, type RiskLevel } from '@churn/contracts';
import type { AlertSlaRow, AtRiskCustomerRow, InterventionGroupRow, RiskLevelCountRow } from '@churn/monitoring-data';
import type { AlertSla, AtRiskCustomer, ExperimentResult, InterventionsDone, PeriodRoi, RiskDistribution } from '@churn/reports';
import type { ExperimentReport } from '../experiments/experiment-report';
import type { RoiSnapshot } from '../roi/programme-economics';
import type { SlaTargets } from './alert-sla-targets';

const HIGHEST_FIRST: readonly RiskLevel[] = [...RISK_LEVELS].reverse();
const HOUR = 3600;
/** Drivers printed per customer: the features that raised the score most. */
export const DRIVERS_PER_CUSTOMER = 3;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** This period's customers per level against the previous period's, with shares and revenue at risk. */
export function riskDistribution(current: readonly RiskLevelCountRow[], previous: readonly RiskLevelCountRow[]): RiskDistribution {
  const total = (rows: readonly RiskLevelCountRow[]) => rows.reduce((s, r) => s + r.customers, 0);
  const scoreSum = (rows: readonly RiskLevelCountRow[]) => rows.reduce((s, r) => s + r.risk_score_sum, 0);
  const [customers, previousCustomers] = [total(current), total(previous)];
  const at = (rows: readonly RiskLevelCountRow[], level: string) => rows.find((r) => r.risk_level === level);
  return {
    customers,
    previous_customers: previousCustomers,
    average_risk_score: customers === 0 ? null : round(scoreSum(current) / customers, 2),
    previous_average_risk_score: previousCustomers === 0 ? null : round(scoreSum(previous) / previousCustomers, 2),
    revenue_at_risk: current.reduce((s, r) => s + r.revenue_at_risk, 0),
    levels: HIGHEST_FIRST.map((level) => {
      const now = at(current, level)?.customers ?? 0;
      const before = at(previous, level)?.customers ?? 0;
      return {
        level,
        customers: now,
        previous_customers: before,
        share: customers === 0 ? null : now / customers,
        previous_share: previousCustomers === 0 ? null : before / previousCustomers,
        revenue_at_risk: at(current, level)?.revenue_at_risk ?? 0,
      };
    }),
  };
}

/** The period's most at-risk customers with the drivers that raised their score and the playbook's action. */
export function atRiskCustomers(rows: readonly AtRiskCustomerRow[]): AtRiskCustomer[] {
  return rows.map((r, i) => ({
    rank: i + 1,
    customer_id: r.customer_id,
    risk_score: r.risk_score,
    risk_level: r.risk_level,
    churn_probability: r.churn_probability,
    revenue_at_risk: r.revenue_at_risk,
    recommended_action: r.recommended_action ?? '',
    intervention_cost: r.intervention_cost,
    drivers: (r.top_factors ?? [])
      .filter((f) => f.contribution > 0)
      .sort((a, b) => b.contribution - a.contribution)
      .slice(0, DRIVERS_PER_CUSTOMER),
    scored_at: r.scored_at.toISOString(),
  }));
}

/** Every level, highest first, whether or not it raised an alert in the period. */
export function alertSla(rows: readonly AlertSlaRow[], targets: SlaTargets): AlertSla {
  const hours = (seconds: number | null) => (seconds === null ? null : round(seconds / HOUR));
  return {
    targets: targets.description,
    levels: HIGHEST_FIRST.map((level) => {
      const r = rows.find((x) => x.level === level);
      const known = targets.seconds !== null;
      return {
        level,
        target_hours: known ? targets.seconds![level] / HOUR : null,
        raised: r?.raised ?? 0,
        acknowledged: r?.acknowledged ?? 0,
        median_hours_to_acknowledge: hours(r?.median_seconds ?? null),
        p90_hours_to_acknowledge: hours(r?.p90_seconds ?? null),
        acknowledged_late: known ? (r?.acknowledged_late ?? 0) : null,
        pending: r?.pending ?? 0,
        pending_past_target: known ? (r?.pending_past_target ?? 0) : null,
        resolved_unacknowledged: r?.resolved_unacknowledged ?? 0,
      };
    }),
  };
}

export function interventionsDone(rows: readonly InterventionGroupRow[]): InterventionsDone {
  const group = (g: InterventionGroupRow) => ({ key: g.key ?? '', interventions: g.interventions, customers: g.customers, cost: g.cost });
  const all = rows.find((r) => r.grouping === 'all');
  return {
    interventions: all?.interventions ?? 0,
    customers: all?.customers ?? 0,
    cost: all?.cost ?? 0,
    by_action: rows.filter((r) => r.grouping === 'action').map(group),
    by_source: rows.filter((r) => r.grouping === 'source').map(group),
  };
}

export function periodRoi(roi: RoiSnapshot): PeriodRoi {
  const o = roi.overall;
  return {
    customers: o.customers,
    treated_customers: o.treated_customers,
    revenue_at_risk: o.revenue_at_risk,
    expected_revenue_loss: o.expected_revenue_loss,
    programme_cost: o.programme_cost,
    cost_basis: o.cost_basis,
    cost_customers_recorded: o.cost_customers.recorded,
    cost_customers_estimated: o.cost_customers.estimated,
    customers_retained: o.customers_retained,
    revenue_saved: o.revenue_saved,
    net_benefit: o.net_benefit,
    roi_multiple: o.roi_multiple,
    basis: o.basis,
    retention_success_rate: roi.assumptions.retention_success_rate,
    clv_months: roi.assumptions.clv_months,
    experiment: o.basis === 'measured' ? (roi.experiment?.name ?? null) : null,
  };
}

export function experimentResult(report: ExperimentReport): ExperimentResult {
  return {
    name: report.name,
    arms: report.arms.map((a) => ({ arm: a.arm, customers: a.customers, targeted: a.targeted, churned: a.churned, churn_rate: a.churn_rate, cost: a.cost })),
    comparisons: report.comparisons.map((c) => ({
      arm: c.arm,
      against: c.against,
      difference: c.difference,
      ci95_low: c.ci95?.[0] ?? null,
      ci95_high: c.ci95?.[1] ?? null,
      p_value: c.p_value,
      significant: c.significant,
      underpowered: c.underpowered,
    })),
    warnings: report.warnings,
  };
}
