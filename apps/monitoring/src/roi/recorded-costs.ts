import type { RecordedInterventionCost } from '@churn/db';

/**
 * Where a treated customer's cost comes from: `recorded` — what people or the CRM recorded (the
 * interventions table, else the outcome's own `intervention_cost`); `estimated` — the risk level's
 * estimate the scorer put on the prediction.
 */
export type CostSource = 'recorded' | 'estimated';

/** All treated customers' costs recorded, all estimated, or some of each; null without treated customers. */
export type CostBasis = 'recorded' | 'estimated' | 'mixed';

export interface CostBasisFigures {
  readonly cost_basis: CostBasis | null;
  /** Treated customers by where their cost came from. */
  readonly cost_customers: { readonly recorded: number; readonly estimated: number };
}

/**
 * Per customer, the sum of the intervention costs recorded in [from, to] (either end open when null):
 * a period's recorded costs, or those between a prediction and the outcome it is judged by.
 */
export function recordedCostsByCustomer(costs: readonly RecordedInterventionCost[], from: Date | null, to: Date | null = null): Map<string, number> {
  const start = from?.getTime() ?? -Infinity;
  const end = to?.getTime() ?? Infinity;
  const sums = new Map<string, number>();
  for (const c of costs) {
    const at = c.performed_at.getTime();
    if (at < start || at > end) continue;
    sums.set(c.customer_id, (sums.get(c.customer_id) ?? 0) + c.cost);
  }
  return sums;
}

export function costBasisOf(sources: readonly CostSource[]): CostBasisFigures {
  const recorded = sources.filter((s) => s === 'recorded').length;
  const estimated = sources.length - recorded;
  const cost_basis: CostBasis | null = sources.length === 0 ? null : estimated === 0 ? 'recorded' : recorded === 0 ? 'estimated' : 'mixed';
  return { cost_basis, cost_customers: { recorded, estimated } };
}
