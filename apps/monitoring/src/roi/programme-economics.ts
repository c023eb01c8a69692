import { compareProportions, programmeRoi, type ArmCounts, type CustomerExposure, type ProportionComparison, type RoiReport } from '@churn/analytics';
import { RISK_LEVELS } from '@churn/contracts';
import type { ExposureRow, LabelledPredictionRow, RecordedInterventionCost } from '@churn/monitoring-data';
import { costBasisOf, recordedCostsByCustomer, type CostBasisFigures, type CostSource } from './recorded-costs';

export const CONTROL_ARM = 'control';

export interface EconomicsAssumptions {
  /** Share of would-be churners an intervention keeps, when no experiment measures it. */
  readonly retentionSuccessRate: number;
  /** Months of monthly charges a lost customer costs (CLV horizon). */
  readonly clvMonths: number;
  /** Months of monthly charges in a prediction's own revenue_at_risk (the scorer's setting). */
  readonly predictionRevenueMonths: number;
}

/** The assumptions from monitoring's configuration (MONITORING_RETENTION_SUCCESS_RATE, MONITORING_CLV_MONTHS, REVENUE_AT_RISK_MONTHS). */
export function economicsAssumptions(config: {
  readonly MONITORING_RETENTION_SUCCESS_RATE: number;
  readonly MONITORING_CLV_MONTHS: number;
  readonly REVENUE_AT_RISK_MONTHS: number;
}): EconomicsAssumptions {
  return {
    retentionSuccessRate: config.MONITORING_RETENTION_SUCCESS_RATE,
    clvMonths: config.MONITORING_CLV_MONTHS,
    predictionRevenueMonths: config.REVENUE_AT_RISK_MONTHS,
  };
}

/** Revenue at risk over the CLV horizon: the prediction's figure is monthly charges × the scorer's months. */
export function clvRevenue(revenueAtRisk: number, a: EconomicsAssumptions): number {
  return (revenueAtRisk / a.predictionRevenueMonths) * a.clvMonths;
}

/** The scorer recommended an action that costs something: the customers the programme targets. */
export function isTargeted(p: { intervention_cost: number }): boolean {
  return p.intervention_cost > 0;
}

/**
 * Received the intervention: yes when someone recorded one (`recordedCost` is their sum, null when
 * none carried a cost); otherwise the outcome says so when it knows; otherwise targeted and not held
 * out as control.
 */
export function isTreated(
  e: { intervention_cost: number; experiment_arm: string | null; intervention_applied: boolean | null },
  recordedCost?: number | null,
): boolean {
  if (recordedCost !== undefined) return true;
  if (e.intervention_applied !== null) return e.intervention_applied;
  return isTargeted(e) && e.experiment_arm !== CONTROL_ARM;
}

/**
 * A customer's share of the programme: a treated customer costs what was recorded for it in the period
 * (the interventions table), else what its outcome reports, else the risk level's estimate on the
 * prediction (so a customer whose only interventions are completed CRM tasks, `recordedCost` null, is
 * treated at the estimate).
 */
export function exposureOf(
  e: ExposureRow,
  a: EconomicsAssumptions,
  recordedCost?: number | null,
): { exposure: CustomerExposure; costSource: CostSource | null } {
  const treated = isTreated(e, recordedCost);
  const reported = recordedCost ?? e.outcome_intervention_cost ?? undefined;
  return {
    exposure: {
      churnProbability: e.churn_probability,
      revenueAtRisk: clvRevenue(e.revenue_at_risk, a),
      interventionCost: treated ? (reported ?? e.intervention_cost) : 0,
      treated,
    },
    costSource: treated ? (reported === undefined ? 'estimated' : 'recorded') : null,
  };
}

/** One labelled outcome per customer: the latest observation. */
export function latestPerCustomer(rows: readonly LabelledPredictionRow[]): LabelledPredictionRow[] {
  const latest = new Map<string, LabelledPredictionRow>();
  for (const r of rows) {
    const seen = latest.get(r.customer_id);
    if (!seen || r.observed_at > seen.observed_at) latest.set(r.customer_id, r);
  }
  return [...latest.values()];
}

/**
 * Churn among targeted customers of an experiment's control arm (held out, no action) against the
 * targeted customers of its other arms — both random subsets of the customers the programme would
 * act on, so the difference is the effect of acting.
 */
export function measuredUplift(labelled: readonly LabelledPredictionRow[], experimentName: string, minimumPerArm: number) {
  const control: { customers: number; churned: number } = { customers: 0, churned: 0 };
  const treated: { customers: number; churned: number } = { customers: 0, churned: 0 };
  for (const r of labelled) {
    if (r.experiment_name !== experimentName || r.experiment_arm === null || !isTargeted(r)) continue;
    const arm = r.experiment_arm === CONTROL_ARM ? control : treated;
    arm.customers++;
    if (r.churned) arm.churned++;
  }
  return { control: control as ArmCounts, treated: treated as ArmCounts, comparison: compareProportions(control, treated, minimumPerArm) };
}

export interface RoiFigures extends CostBasisFigures {
  readonly customers: number;
  readonly treated_customers: number;
  readonly revenue_at_risk: number;
  readonly expected_revenue_loss: number;
  readonly programme_cost: number;
  readonly customers_retained: number;
  readonly revenue_saved: number;
  readonly net_benefit: number;
  /** Net benefit / programme cost (the operations guide's "ROI multiple"); null without cost. */
  readonly roi_multiple: number | null;
  /** `measured`: revenue saved from the experiment's measured churn difference; `estimate`: from the configured success rate. */
  readonly basis: 'measured' | 'estimate';
}

export interface ExperimentEvidence {
  readonly name: string;
  readonly control: ArmCounts;
  readonly treated: ArmCounts;
  readonly uplift: number | null;
  readonly ci95: readonly [number, number] | null;
  readonly p_value: number | null;
  readonly underpowered: boolean;
}

export interface RoiSnapshot {
  readonly window: string;
  readonly since: string | null;
  /** The end of a closed period (excluded); null for a rolling window that ends now. */
  readonly until: string | null;
  readonly assumptions: { readonly retention_success_rate: number; readonly clv_months: number };
  /** The experiment whose control arm measured the effect, when one runs. */
  readonly experiment: ExperimentEvidence | null;
  readonly overall: RoiFigures;
  readonly by_risk_level: Readonly<Record<string, RoiFigures>>;
}

function figures(r: RoiReport, sources: readonly (CostSource | null)[]): RoiFigures {
  return {
    ...costBasisOf(sources.filter((s): s is CostSource => s !== null)),
    customers: r.customers,
    treated_customers: r.treatedCustomers,
    revenue_at_risk: r.revenueAtRisk,
    expected_revenue_loss: r.expectedRevenueLoss,
    programme_cost: r.programmeCost,
    customers_retained: r.customersRetained,
    revenue_saved: r.revenueSaved,
    net_benefit: r.netBenefit,
    roi_multiple: r.roiMultiple ?? null,
    basis: r.basis,
  };
}

/** The experiment most customers of the period were assigned to, if any. */
function dominantExperiment(exposures: readonly ExposureRow[]): string | null {
  const counts = new Map<string, number>();
  for (const e of exposures) if (e.experiment_name) counts.set(e.experiment_name, (counts.get(e.experiment_name) ?? 0) + 1);
  let best: string | null = null;
  for (const [name, n] of counts) if (best === null || n > counts.get(best)!) best = name;
  return best;
}

/**
 * The programme's economics over a period — a rolling window ending now (`until` null) or any closed
 * period [since, until): every customer's latest champion prediction scored in it (`exposures`), what
 * was done, and — when an experiment runs — the outcomes of its targeted customers (`labelled`:
 * champion outcomes joined to predictions), from which revenue saved is measured instead of assumed.
 * Treated customers cost what was recorded for them in the period (`recordedCosts`: interventions
 * performed from `since`, and before `until` when given) where anything was. Overall and per risk
 * level (each level measured within itself when both arms have outcomes there).
 */
export function programmeEconomics(
  window: string,
  since: Date | null,
  exposures: readonly ExposureRow[],
  labelled: readonly LabelledPredictionRow[],
  recordedCosts: readonly RecordedInterventionCost[],
  assumptions: EconomicsAssumptions,
  minimumPerArm: number,
  until: Date | null = null,
): RoiSnapshot {
  const inCostPeriod = until === null ? recordedCosts : recordedCosts.filter((c) => c.performed_at < until);
  const recorded = recordedCostsByCustomer(inCostPeriod, since);
  const economics = (rows: readonly ExposureRow[]) => rows.map((e) => exposureOf(e, assumptions, recorded.get(e.customer_id)));
  const inPeriod = new Set(exposures.map((e) => e.customer_id));
  const outcomes = latestPerCustomer(labelled.filter((r) => r.role === 'champion' && inPeriod.has(r.customer_id)));
  const experimentName = dominantExperiment(exposures);
  const measurable = (c: ProportionComparison) => (c.uplift === undefined ? undefined : c);
  const overallMeasure = experimentName ? measuredUplift(outcomes, experimentName, minimumPerArm) : undefined;
  const rate = { retentionSuccessRate: assumptions.retentionSuccessRate };
  const all = economics(exposures);
  const overall = programmeRoi(
    all.map((x) => x.exposure),
    rate,
    overallMeasure && measurable(overallMeasure.comparison),
  );
  const byLevel: Record<string, RoiFigures> = {};
  for (const level of RISK_LEVELS) {
    const levelExposures = exposures.filter((e) => e.risk_level === level);
    const levelMeasure = experimentName
      ? measuredUplift(
          outcomes.filter((o) => o.risk_level === level),
          experimentName,
          minimumPerArm,
        )
      : undefined;
    const atLevel = economics(levelExposures);
    byLevel[level] = figures(
      programmeRoi(
        atLevel.map((x) => x.exposure),
        rate,
        levelMeasure && measurable(levelMeasure.comparison),
      ),
      atLevel.map((x) => x.costSource),
    );
  }
  return {
    window,
    since: since?.toISOString() ?? null,
    until: until?.toISOString() ?? null,
    assumptions: { retention_success_rate: assumptions.retentionSuccessRate, clv_months: assumptions.clvMonths },
    experiment:
      experimentName && overallMeasure
        ? {
            name: experimentName,
            control: overallMeasure.control,
            treated: overallMeasure.treated,
            uplift: overallMeasure.comparison.uplift ?? null,
            ci95: overallMeasure.comparison.ci95 ?? null,
            p_value: overallMeasure.comparison.pValue ?? null,
            underpowered: overallMeasure.comparison.underpowered,
          }
        : null,
    overall: figures(
      overall,
      all.map((x) => x.costSource),
    ),
    by_risk_level: byLevel,
  };
}
