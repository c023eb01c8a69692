import { compareProportions, wilsonInterval } from '@churn/analytics';
import type { LabelledPredictionRow, RecordedInterventionCost } from '@churn/monitoring-data';
import { CONTROL_ARM, clvRevenue, isTargeted, latestPerCustomer, type EconomicsAssumptions } from '../roi/programme-economics';
import { costBasisOf, recordedCostsByCustomer, type CostBasisFigures, type CostSource } from '../roi/recorded-costs';

export interface ArmFigures extends CostBasisFigures {
  readonly arm: string;
  /** Customers the scorer assigned to the arm. */
  readonly customers: number;
  /** Of those, customers with a labelled outcome judged by a prediction that carried the assignment. */
  readonly with_outcome: number;
  /** Labelled customers the programme targets (an action with a cost was recommended): the compared population. */
  readonly targeted: number;
  readonly churned: number;
  readonly churn_rate: number | null;
  /** The churn rate's 95 % Wilson interval; null without targeted customers. */
  readonly churn_rate_ci95: readonly [number, number] | null;
  /** CLV revenue of the targeted customers who stayed. */
  readonly revenue_retained: number;
  /**
   * Cost of the interventions the arm's targeted customers received: what was recorded for a customer
   * between its judged prediction and its outcome, else the outcome's or the prediction's figure;
   * for the control arm (no action), only what was recorded.
   */
  readonly cost: number;
}

export interface ArmComparison {
  readonly arm: string;
  readonly against: string;
  /** Control churn rate − arm churn rate: positive when the arm's action reduced churn. */
  readonly difference: number | null;
  readonly ci95: readonly [number, number] | null;
  readonly z_score: number | null;
  readonly p_value: number | null;
  readonly significant: boolean;
  readonly underpowered: boolean;
}

export interface ExperimentReport {
  readonly name: string;
  readonly minimum_per_arm: number;
  readonly arms: readonly ArmFigures[];
  readonly comparisons: readonly ArmComparison[];
  readonly warnings: readonly string[];
}

/**
 * A retention experiment: arms as the scorer assigned them, churn among each arm's targeted
 * customers, and each treatment arm against the control holdout (two-proportion z-test, 95 % CI).
 */
export function experimentReport(
  name: string,
  assignments: readonly { customer_id: string; experiment_arm: string }[],
  labelled: readonly LabelledPredictionRow[],
  recordedCosts: readonly RecordedInterventionCost[],
  assumptions: EconomicsAssumptions,
  minimumPerArm: number,
): ExperimentReport {
  const costsOf = new Map<string, RecordedInterventionCost[]>();
  for (const c of recordedCosts) costsOf.set(c.customer_id, [...(costsOf.get(c.customer_id) ?? []), c]);
  const assigned = new Map<string, number>();
  for (const a of assignments) assigned.set(a.experiment_arm, (assigned.get(a.experiment_arm) ?? 0) + 1);
  const outcomes = latestPerCustomer(labelled.filter((r) => r.role === 'champion' && r.experiment_name === name && r.experiment_arm !== null));
  const armNames = [...new Set([...assigned.keys(), ...outcomes.map((o) => o.experiment_arm!)])].sort((a, b) =>
    a === CONTROL_ARM ? -1 : b === CONTROL_ARM ? 1 : a.localeCompare(b),
  );
  const arms: ArmFigures[] = armNames.map((arm) => {
    const withOutcome = outcomes.filter((o) => o.experiment_arm === arm);
    const targeted = withOutcome.filter((o) => isTargeted(o));
    const churned = targeted.filter((o) => o.churned).length;
    const costs = targeted.map((o) => armCost(o, arm, costsOf.get(o.customer_id) ?? [])).filter((c) => c.source !== null);
    return {
      ...costBasisOf(costs.map((c) => c.source!)),
      arm,
      customers: assigned.get(arm) ?? 0,
      with_outcome: withOutcome.length,
      targeted: targeted.length,
      churned,
      churn_rate: targeted.length === 0 ? null : churned / targeted.length,
      churn_rate_ci95: wilsonInterval({ customers: targeted.length, churned }) ?? null,
      revenue_retained: targeted.filter((o) => !o.churned).reduce((s, o) => s + clvRevenue(o.revenue_at_risk, assumptions), 0),
      cost: costs.reduce((sum, c) => sum + c.cost, 0),
    };
  });
  const control = arms.find((a) => a.arm === CONTROL_ARM);
  const warnings: string[] = [];
  if (!control) warnings.push(`no "${CONTROL_ARM}" arm: nothing to compare against`);
  const comparisons: ArmComparison[] = control
    ? arms
        .filter((a) => a !== control)
        .map((a) => {
          const c = compareProportions({ customers: control.targeted, churned: control.churned }, { customers: a.targeted, churned: a.churned }, minimumPerArm);
          return {
            arm: a.arm,
            against: CONTROL_ARM,
            difference: c.uplift ?? null,
            ci95: c.ci95 ?? null,
            z_score: c.zScore ?? null,
            p_value: c.pValue ?? null,
            significant: c.pValue !== undefined && c.pValue < 0.05,
            underpowered: c.underpowered,
          };
        })
    : [];
  for (const a of arms) {
    if (a.targeted < minimumPerArm)
      warnings.push(`arm "${a.arm}" has ${a.targeted} targeted customers with an outcome; at least ${minimumPerArm} are needed before its result means much`);
  }
  return { name, minimum_per_arm: minimumPerArm, arms, comparisons, warnings };
}

/**
 * What acting on one targeted customer of an arm cost, and where that figure comes from (null: not
 * acted on). Recorded interventions between the judged prediction's as_of and the outcome are what
 * could have changed that outcome.
 */
function armCost(o: LabelledPredictionRow, arm: string, customerCosts: readonly RecordedInterventionCost[]): { cost: number; source: CostSource | null } {
  const recorded = recordedCostsByCustomer(customerCosts, o.as_of, o.observed_at).get(o.customer_id);
  if (recorded !== undefined && recorded !== null) return { cost: recorded, source: 'recorded' };
  // A completed CRM task (no cost) says the customer was acted on: at the outcome's cost or the estimate.
  if (recorded === undefined && (arm === CONTROL_ARM || o.intervention_applied === false)) return { cost: 0, source: null };
  if (o.outcome_intervention_cost !== null) return { cost: o.outcome_intervention_cost, source: 'recorded' };
  return { cost: o.intervention_cost, source: 'estimated' };
}
