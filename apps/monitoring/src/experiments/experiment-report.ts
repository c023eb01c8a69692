import { compareProportions } from '@churn/analytics';
import type { LabelledPredictionRow } from '@churn/db';
import { CONTROL_ARM, clvRevenue, isTargeted, latestPerCustomer, type EconomicsAssumptions } from '../roi/programme-economics';

export interface ArmFigures {
  readonly arm: string;
  /** Customers the scorer assigned to the arm. */
  readonly customers: number;
  /** Of those, customers with a labelled outcome judged by a prediction that carried the assignment. */
  readonly with_outcome: number;
  /** Labelled customers the programme targets (an action with a cost was recommended): the compared population. */
  readonly targeted: number;
  readonly churned: number;
  readonly churn_rate: number | null;
  /** CLV revenue of the targeted customers who stayed. */
  readonly revenue_retained: number;
  /** Cost of the interventions the arm's targeted customers received (0 for the control arm). */
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
  assumptions: EconomicsAssumptions,
  minimumPerArm: number,
): ExperimentReport {
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
    return {
      arm,
      customers: assigned.get(arm) ?? 0,
      with_outcome: withOutcome.length,
      targeted: targeted.length,
      churned,
      churn_rate: targeted.length === 0 ? null : churned / targeted.length,
      revenue_retained: targeted.filter((o) => !o.churned).reduce((s, o) => s + clvRevenue(o.revenue_at_risk, assumptions), 0),
      cost: arm === CONTROL_ARM ? 0 : targeted.reduce((s, o) => s + (o.intervention_applied === false ? 0 : (o.outcome_intervention_cost ?? o.intervention_cost)), 0),
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
    if (a.targeted < minimumPerArm) warnings.push(`arm "${a.arm}" has ${a.targeted} targeted customers with an outcome; at least ${minimumPerArm} are needed before its result means much`);
  }
  return { name, minimum_per_arm: minimumPerArm, arms, comparisons, warnings };
}
