/**
 * Drift of live inputs and scores against the reference histograms in the model card: Population
 * Stability Index per feature (numeric: the card's bin edges; categorical: the card's categories
 * plus one bucket for anything unseen) and a two-sample Kolmogorov–Smirnov test for numerics,
 * computed from binned data so the card need not carry raw training rows.
 */
export interface NumericHistogram {
  readonly kind: 'numeric';
  /** Ascending bin edges; values outside fall into the first or last bin. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

export interface CategoricalHistogram {
  readonly kind: 'categorical';
  readonly categories: readonly string[];
  readonly counts: readonly number[];
}

export type ReferenceHistogram = NumericHistogram | CategoricalHistogram;

/** Proportions below this are floored so that an empty bin does not make the index infinite. */
const EPSILON = 1e-4;

export function binIndex(edges: readonly number[], value: number): number {
  const bins = edges.length - 1;
  if (value <= edges[0]!) return 0;
  if (value >= edges[bins]!) return bins - 1;
  // Right-closed last bin, left-closed others — numpy.histogram's convention, which the trainer uses.
  let lo = 0;
  let hi = bins;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (value >= edges[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Counts of `values` in the reference's bins; for categoricals the last slot counts unseen categories. */
export function histogramOf(reference: ReferenceHistogram, values: readonly (number | string)[]): number[] {
  if (reference.kind === 'numeric') {
    const counts = new Array<number>(reference.edges.length - 1).fill(0);
    for (const value of values) counts[binIndex(reference.edges, Number(value))]!++;
    return counts;
  }
  const index = new Map(reference.categories.map((c, i) => [c, i]));
  const counts = new Array<number>(reference.categories.length + 1).fill(0);
  for (const value of values) counts[index.get(String(value)) ?? reference.categories.length]!++;
  return counts;
}

/** PSI = Σ (aᵢ − eᵢ) ln(aᵢ / eᵢ) over proportions; < 0.1 stable, 0.1–0.25 moderate, > 0.25 significant shift. */
export function populationStabilityIndex(expectedCounts: readonly number[], actualCounts: readonly number[]): number {
  if (expectedCounts.length !== actualCounts.length) throw new Error('PSI needs histograms over the same bins');
  const expectedTotal = sum(expectedCounts);
  const actualTotal = sum(actualCounts);
  if (expectedTotal === 0 || actualTotal === 0) return 0;
  let psi = 0;
  for (let i = 0; i < expectedCounts.length; i++) {
    const e = Math.max(EPSILON, expectedCounts[i]! / expectedTotal);
    const a = Math.max(EPSILON, actualCounts[i]! / actualTotal);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

export function psiAgainstReference(reference: ReferenceHistogram, values: readonly (number | string)[]): number {
  const actual = histogramOf(reference, values);
  const expected = reference.kind === 'numeric' ? reference.counts : [...reference.counts, 0];
  return populationStabilityIndex(expected, actual);
}

export interface KsResult {
  /** Largest distance between the two empirical CDFs at the bin edges. */
  readonly statistic: number;
  /** Asymptotic two-sided p-value (Kolmogorov distribution). */
  readonly pValue: number;
}

/** Two-sample KS from two histograms over the same bins (resolution: the bin width). */
export function ksFromHistograms(countsA: readonly number[], countsB: readonly number[]): KsResult {
  const n = sum(countsA);
  const m = sum(countsB);
  if (n === 0 || m === 0) return { statistic: 0, pValue: 1 };
  let cdfA = 0;
  let cdfB = 0;
  let statistic = 0;
  for (let i = 0; i < countsA.length; i++) {
    cdfA += countsA[i]! / n;
    cdfB += countsB[i]! / m;
    statistic = Math.max(statistic, Math.abs(cdfA - cdfB));
  }
  const effective = Math.sqrt((n * m) / (n + m));
  return { statistic, pValue: kolmogorovSurvival((effective + 0.12 + 0.11 / effective) * statistic) };
}

/** P(K > x) for the Kolmogorov distribution: 2 Σ (−1)^(k−1) e^(−2k²x²). */
export function kolmogorovSurvival(x: number): number {
  if (x <= 0) return 1;
  let total = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * x * x);
    total += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, total));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
