/** Where a customer's value sits in the population's quantiles: pure, so it is unit-tested without a browser. */

export interface QuantilePlacement {
  /** 0–1 along the population's range (p0 to p100), for the marker on the bar. */
  readonly position: number;
  /** The share of customers below the value, interpolated between the known quantiles (0–100). */
  readonly percentile: number;
  /** The two quantiles around the value, e.g. `p25` and `p50` (the same twice outside the range). */
  readonly between: readonly [string, string];
}

/** `{p0: 1, p5: 2, …}` → `[[0, 1], [5, 2], …]`, by percentile. */
export function quantilePoints(quantiles: Readonly<Record<string, number>>): [number, number][] {
  return Object.entries(quantiles)
    .map(([key, value]): [number, number] => [Number(key.replace(/^p/, '')), value])
    .filter(([p, v]) => Number.isFinite(p) && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0]);
}

/**
 * Places a value on the population's quantiles. Between two quantiles the percentile is interpolated
 * linearly; where several quantiles share the value (a feature most customers have at 0), the middle of
 * their percentiles is taken, so a common value does not read as the top or the bottom of the range.
 */
export function placeInQuantiles(value: number, quantiles: Readonly<Record<string, number>>): QuantilePlacement | null {
  const points = quantilePoints(quantiles);
  if (points.length === 0) return null;
  const [firstP, min] = points[0]!;
  const [lastP, max] = points[points.length - 1]!;
  const position = max > min ? Math.min(1, Math.max(0, (value - min) / (max - min))) : 0.5;
  const name = (p: number) => `p${p}`;
  if (value < min) return { position, percentile: firstP, between: [name(firstP), name(firstP)] };
  if (value > max) return { position, percentile: lastP, between: [name(lastP), name(lastP)] };
  const equal = points.filter(([, v]) => v === value);
  if (equal.length > 0) {
    const low = equal[0]![0];
    const high = equal[equal.length - 1]![0];
    return { position, percentile: (low + high) / 2, between: [name(low), name(high)] };
  }
  for (let i = 1; i < points.length; i += 1) {
    const [p0, v0] = points[i - 1]!;
    const [p1, v1] = points[i]!;
    if (value > v0 && value < v1) return { position, percentile: p0 + ((value - v0) / (v1 - v0)) * (p1 - p0), between: [name(p0), name(p1)] };
  }
  return null;
}

/** The share of the population in the customer's category; missing when the category is not among the listed ones. */
export function categoryShare(value: string | number | null, shares: readonly { value: string; share: number }[]): number | null {
  if (value === null) return null;
  return shares.find((s) => s.value === String(value))?.share ?? null;
}
