/**
 * Comparison of churn between a control arm (no intervention) and a treated arm: the difference in
 * churn rates with its 95 % confidence interval and the two-sided p-value of the two-proportion
 * z-test (pooled standard error for the test, unpooled for the interval, as is customary).
 */
export interface ArmCounts {
  readonly customers: number;
  readonly churned: number;
}

export interface ProportionComparison {
  readonly controlRate: number | undefined;
  readonly treatedRate: number | undefined;
  /** controlRate − treatedRate: positive when the intervention reduced churn. */
  readonly uplift: number | undefined;
  readonly ci95: readonly [number, number] | undefined;
  readonly zScore: number | undefined;
  readonly pValue: number | undefined;
  /** True when either arm is below the minimum sample size the caller asked for. */
  readonly underpowered: boolean;
}

const Z_975 = 1.959963984540054;

export function compareProportions(control: ArmCounts, treated: ArmCounts, minimumPerArm = 100): ProportionComparison {
  const underpowered = control.customers < minimumPerArm || treated.customers < minimumPerArm;
  if (control.customers === 0 || treated.customers === 0) {
    return { controlRate: rate(control), treatedRate: rate(treated), uplift: undefined, ci95: undefined, zScore: undefined, pValue: undefined, underpowered };
  }
  const p1 = control.churned / control.customers;
  const p2 = treated.churned / treated.customers;
  const uplift = p1 - p2;
  const unpooled = Math.sqrt((p1 * (1 - p1)) / control.customers + (p2 * (1 - p2)) / treated.customers);
  const pooledRate = (control.churned + treated.churned) / (control.customers + treated.customers);
  const pooled = Math.sqrt(pooledRate * (1 - pooledRate) * (1 / control.customers + 1 / treated.customers));
  const zScore = pooled === 0 ? undefined : uplift / pooled;
  return {
    controlRate: p1,
    treatedRate: p2,
    uplift,
    ci95: [uplift - Z_975 * unpooled, uplift + Z_975 * unpooled],
    zScore,
    pValue: zScore === undefined ? undefined : 2 * (1 - standardNormalCdf(Math.abs(zScore))),
    underpowered,
  };
}

/**
 * The 95 % Wilson score interval of one arm's churn rate: unlike the normal approximation it stays
 * inside [0, 1] and is honest for small arms and rates near 0 or 1 (what a young experiment shows).
 */
export function wilsonInterval(arm: ArmCounts): [number, number] | undefined {
  if (arm.customers === 0) return undefined;
  const n = arm.customers;
  const p = arm.churned / n;
  const z2 = Z_975 * Z_975;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z_975 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function rate(arm: ArmCounts): number | undefined {
  return arm.customers === 0 ? undefined : arm.churned / arm.customers;
}

/** Φ(x) through the complementary error function (Numerical Recipes' erfc, |error| < 1.2e-7). */
export function standardNormalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
