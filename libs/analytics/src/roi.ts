import type { ProportionComparison } from './experiment';

/** One customer's latest prediction in the period, and whether the programme acted on it. */
export interface CustomerExposure {
  readonly churnProbability: number;
  /** Revenue lost if this customer leaves (monthly charges × horizon). */
  readonly revenueAtRisk: number;
  /** Cost of the intervention the customer received (0 when none). */
  readonly interventionCost: number;
  readonly treated: boolean;
}

export interface RoiAssumptions {
  /** Share of would-be churners an intervention keeps, used only when no experiment measures it. */
  readonly retentionSuccessRate: number;
}

export interface RoiReport {
  readonly customers: number;
  readonly treatedCustomers: number;
  /** Σ revenue at risk of the customers (the predictions' own field: monthly charges × horizon). */
  readonly revenueAtRisk: number;
  /** Σ churn probability × revenue at risk: the revenue the period is expected to lose without action. */
  readonly expectedRevenueLoss: number;
  readonly programmeCost: number;
  readonly expectedChurnersTreated: number;
  readonly customersRetained: number;
  readonly revenueSaved: number;
  readonly netBenefit: number;
  /** Net benefit per unit of programme cost (the operations guide's "ROI multiple"). */
  readonly roiMultiple: number | undefined;
  /** `measured` when revenue saved comes from an experiment's uplift; `estimate` when from the assumed rate. */
  readonly basis: 'measured' | 'estimate';
}

/**
 * The programme's economics over a period. Revenue saved is the churn the programme prevented times
 * the revenue those customers carry: with an experiment, prevented churn = measured uplift (control
 * rate − treated rate) × treated customers; without one, it is the configured success rate × the
 * expected churners among treated customers (Σ p), and the report says it is an estimate.
 */
export function programmeRoi(customers: readonly CustomerExposure[], assumptions: RoiAssumptions, experiment?: ProportionComparison): RoiReport {
  const treated = customers.filter((c) => c.treated);
  const revenueAtRisk = sum(customers.map((c) => c.revenueAtRisk));
  const expectedRevenueLoss = sum(customers.map((c) => c.revenueAtRisk * c.churnProbability));
  const programmeCost = sum(treated.map((c) => c.interventionCost));
  const expectedChurnersTreated = sum(treated.map((c) => c.churnProbability));
  const averageTreatedRevenue = treated.length === 0 ? 0 : sum(treated.map((c) => c.revenueAtRisk)) / treated.length;
  const measured = experiment?.uplift !== undefined;
  const customersRetained = measured ? Math.max(0, experiment.uplift!) * treated.length : assumptions.retentionSuccessRate * expectedChurnersTreated;
  const revenueSaved = measured
    ? customersRetained * averageTreatedRevenue
    : assumptions.retentionSuccessRate * sum(treated.map((c) => c.churnProbability * c.revenueAtRisk));
  const netBenefit = revenueSaved - programmeCost;
  return {
    customers: customers.length,
    treatedCustomers: treated.length,
    revenueAtRisk,
    expectedRevenueLoss,
    programmeCost,
    expectedChurnersTreated,
    customersRetained,
    revenueSaved,
    netBenefit,
    roiMultiple: programmeCost === 0 ? undefined : netBenefit / programmeCost,
    basis: measured ? 'measured' : 'estimate',
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
