/** The drivers of a score as a waterfall: pure arithmetic, so it is unit-tested without a browser. */

export interface WaterfallDriver {
  readonly feature: string;
  readonly contribution: number;
}

export interface WaterfallStep {
  readonly label: string;
  /** Where the bar starts and ends on the probability axis. */
  readonly from: number;
  readonly to: number;
  readonly kind: 'base' | 'up' | 'down' | 'total';
}

/**
 * The scorer's contributions are in probability units and add up to `churn_probability − baseline`
 * over every feature; a prediction carries only its largest ones. So the waterfall starts at what the
 * shown drivers leave unexplained (the baseline plus every other feature), adds each driver in turn,
 * and ends exactly at the churn probability. Without a probability it ends at the drivers' sum.
 */
export function waterfallSteps(drivers: readonly WaterfallDriver[], probability: number | null): WaterfallStep[] {
  const sum = drivers.reduce((total, d) => total + d.contribution, 0);
  const end = probability ?? sum;
  const base = end - sum;
  const steps: WaterfallStep[] = [{ label: 'Baseline and other features', from: 0, to: base, kind: 'base' }];
  let at = base;
  for (const driver of drivers) {
    steps.push({ label: driver.feature, from: at, to: at + driver.contribution, kind: driver.contribution >= 0 ? 'up' : 'down' });
    at += driver.contribution;
  }
  steps.push({ label: 'Churn probability', from: 0, to: end, kind: 'total' });
  return steps;
}
