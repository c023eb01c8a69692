import type { RecordedInterventionCost } from '@churn/monitoring-data';

/**
 * Where a treated customer's cost comes from: `recorded` — what people recorded (the interventions
 * table, else the outcome's own `intervention_cost`); `estimated` — the risk level's estimate the
 * scorer put on the prediction, also for a customer whose only interventions are completed CRM tasks
 * (they say that something was done, not what it cost).
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
 * Per customer who had an intervention in [from, to] (either end open when null): the sum of the costs
 * recorded for them — a period's recorded costs, or those between a prediction and the outcome it is
 * judged by. Null for a customer whose interventions carry no cost (completed CRM tasks): treated, and
 * costed at the risk level's estimate.
 */
export function recordedCostsByCustomer(costs: readonly RecordedInterventionCost[], from: Date | null, to: Date | null = null): Map<string, number | null> {
  const start = from?.getTime() ?? -Infinity;
  const end = to?.getTime() ?? Infinity;
  const sums = new Map<string, number | null>();
  for (const c of costs) {
    const at = c.performed_at.getTime();
    if (at < start || at > end) continue;
    const sum = sums.get(c.customer_id) ?? null;
    sums.set(c.customer_id, c.cost === null ? sum : (sum ?? 0) + c.cost);
  }
  return sums;
}

export function costBasisOf(sources: readonly CostSource[]): CostBasisFigures {
  const recorded = sources.filter((s) => s === 'recorded').length;
  const estimated = sources.length - recorded;
  const cost_basis: CostBasis | null = sources.length === 0 ? null : estimated === 0 ? 'recorded' : recorded === 0 ? 'estimated' : 'mixed';
  return { cost_basis, cost_customers: { recorded, estimated } };
}
