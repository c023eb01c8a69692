/**
 * Quality of probabilistic predictions against observed labels, computed the way scikit-learn does
 * so that the live figures can be compared with the trainer's offline ones: ROC-AUC with tied
 * scores counted half (Mann–Whitney), PR-AUC as average precision, Brier score, log loss,
 * expected calibration error over equal-width bins, and lift in the top decile.
 */
export interface LabelledScore {
  /** Predicted churn probability, 0–1. */
  readonly score: number;
  /** Observed churn. */
  readonly label: boolean;
}

export interface ClassificationReport {
  readonly count: number;
  readonly positives: number;
  /** Undefined when only one class is present: the figure does not exist then. */
  readonly rocAuc: number | undefined;
  readonly prAuc: number | undefined;
  readonly brier: number | undefined;
  readonly logLoss: number | undefined;
  readonly ece: number | undefined;
  readonly liftTopDecile: number | undefined;
  readonly atThreshold: ThresholdMetrics;
}

export interface ThresholdMetrics {
  readonly threshold: number;
  readonly accuracy: number | undefined;
  readonly precision: number | undefined;
  readonly recall: number | undefined;
  readonly f1: number | undefined;
}

export function rocAuc(data: readonly LabelledScore[]): number | undefined {
  const positives = data.filter((d) => d.label).length;
  const negatives = data.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  // Average ranks over ties, then the Mann–Whitney U of the positives.
  const sorted = [...data].sort((a, b) => a.score - b.score);
  let rankSumPositives = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.score === sorted[i]!.score) j++;
    const averageRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if (sorted[k]!.label) rankSumPositives += averageRank;
    i = j + 1;
  }
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Average precision (scikit-learn's `average_precision_score`): Σ (Rₙ − Rₙ₋₁) Pₙ over distinct thresholds. */
export function averagePrecision(data: readonly LabelledScore[]): number | undefined {
  const positives = data.filter((d) => d.label).length;
  if (positives === 0 || positives === data.length) return undefined;
  const sorted = [...data].sort((a, b) => b.score - a.score);
  let truePositives = 0;
  let seen = 0;
  let previousRecall = 0;
  let ap = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.score === sorted[i]!.score) j++;
    for (let k = i; k <= j; k++) if (sorted[k]!.label) truePositives++;
    seen = j + 1;
    const recall = truePositives / positives;
    ap += (recall - previousRecall) * (truePositives / seen);
    previousRecall = recall;
    i = j + 1;
  }
  return ap;
}

export function brierScore(data: readonly LabelledScore[]): number | undefined {
  if (data.length === 0) return undefined;
  return data.reduce((sum, d) => sum + (d.score - (d.label ? 1 : 0)) ** 2, 0) / data.length;
}

/** Log loss with probabilities clipped to [1e-7, 1 − 1e-7], as the trainer reports it. */
export function logLoss(data: readonly LabelledScore[]): number | undefined {
  if (data.length === 0) return undefined;
  const eps = 1e-7;
  return (
    -data.reduce((sum, d) => {
      const p = Math.min(1 - eps, Math.max(eps, d.score));
      return sum + (d.label ? Math.log(p) : Math.log(1 - p));
    }, 0) / data.length
  );
}

/** Expected calibration error: Σ (nᵦ / n) |mean label − mean score| over equal-width score bins. */
export function expectedCalibrationError(data: readonly LabelledScore[], bins = 10): number | undefined {
  if (data.length === 0) return undefined;
  const sums = Array.from({ length: bins }, () => ({ n: 0, score: 0, label: 0 }));
  for (const d of data) {
    const bin = sums[Math.min(bins - 1, Math.max(0, Math.floor(d.score * bins)))]!;
    bin.n++;
    bin.score += d.score;
    bin.label += d.label ? 1 : 0;
  }
  return sums.reduce((ece, b) => (b.n === 0 ? ece : ece + (b.n / data.length) * Math.abs(b.label / b.n - b.score / b.n)), 0);
}

/** Churn rate among the highest-scored tenth (rounded up) over the overall churn rate. */
export function liftAtTopDecile(data: readonly LabelledScore[]): number | undefined {
  const positives = data.filter((d) => d.label).length;
  if (data.length === 0 || positives === 0) return undefined;
  const top = [...data].sort((a, b) => b.score - a.score).slice(0, Math.ceil(data.length / 10));
  const topRate = top.filter((d) => d.label).length / top.length;
  return topRate / (positives / data.length);
}

export function thresholdMetrics(data: readonly LabelledScore[], threshold: number): ThresholdMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const d of data) {
    const predicted = d.score >= threshold;
    if (predicted && d.label) tp++;
    else if (predicted) fp++;
    else if (d.label) fn++;
    else tn++;
  }
  const ratio = (a: number, b: number) => (b === 0 ? undefined : a / b);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision === undefined || recall === undefined || precision + recall === 0 ? undefined : (2 * precision * recall) / (precision + recall);
  return { threshold, accuracy: ratio(tp + tn, data.length), precision, recall, f1 };
}

export function classificationReport(data: readonly LabelledScore[], threshold: number): ClassificationReport {
  return {
    count: data.length,
    positives: data.filter((d) => d.label).length,
    rocAuc: rocAuc(data),
    prAuc: averagePrecision(data),
    brier: brierScore(data),
    logLoss: logLoss(data),
    ece: expectedCalibrationError(data),
    liftTopDecile: liftAtTopDecile(data),
    atThreshold: thresholdMetrics(data, threshold),
  };
}
