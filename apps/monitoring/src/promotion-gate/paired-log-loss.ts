import { seededRandom } from '@churn/analytics';

/**
 * The promotion gate's paired test: champion and challenger scored the SAME customers, and each
 * customer's outcome judges both. Per customer, d = log-loss(champion) − log-loss(challenger)
 * (positive: the challenger was closer to what happened). The challenger beats the champion by the
 * margin when the one-sided lower confidence bound of mean(d) — from a paired bootstrap over
 * customers — is above the margin.
 *
 * Why log-loss and a paired bootstrap: log-loss is a proper scoring rule that is a sum over
 * customers, so each customer contributes one paired difference and resampling customers keeps the
 * pairing (both models' errors on a customer move together, which is what makes a paired test more
 * sensitive than comparing two separate figures); it judges calibration too, which revenue at risk
 * and the alert thresholds stand on, where ROC-AUC judges only the ranking. The bootstrap assumes
 * nothing about the shape of d (it is heavy-tailed: a confident miss costs much). ROC-AUC of both
 * models on the same customers is reported beside it for the people reading the notice.
 */
export interface PairedOutcome {
  readonly customer_id: string;
  readonly churned: boolean;
  readonly champion: number;
  readonly challenger: number;
}

export interface PairedLogLossOptions {
  /** Required improvement in mean log-loss (nats per customer). */
  readonly margin: number;
  /** One-sided confidence of the lower bound, e.g. 0.95. */
  readonly confidence: number;
  readonly samples: number;
  /** Seed of the resampling, so a run's figures can be reproduced. */
  readonly seed: number;
}

export interface PairedLogLossResult {
  readonly customers: number;
  readonly churned: number;
  readonly champion_log_loss: number;
  readonly challenger_log_loss: number;
  /** mean(d): how much lower the challenger's log-loss is. */
  readonly improvement: number;
  /** The one-sided lower confidence bound of the improvement. */
  readonly improvement_lower_bound: number;
  /** Share of bootstrap means at or below the margin: a one-sided p-value of "improvement > margin". */
  readonly p_value: number;
  readonly margin: number;
  readonly confidence: number;
  readonly beats_margin: boolean;
}

const EPS = 1e-7;

/** The same clipping as libs/analytics' logLoss, so the gate's figures match monitoring's quality page. */
export function logLossOf(p: number, churned: boolean): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return churned ? -Math.log(q) : -Math.log(1 - q);
}

export function pairedLogLoss(pairs: readonly PairedOutcome[], options: PairedLogLossOptions): PairedLogLossResult {
  const n = pairs.length;
  if (n === 0) throw new RangeError('the paired test needs at least one customer');
  const champion = pairs.map((p) => logLossOf(p.champion, p.churned));
  const challenger = pairs.map((p) => logLossOf(p.challenger, p.churned));
  const d = champion.map((c, i) => c - challenger[i]!);
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const random = seededRandom(options.seed);
  const means = new Float64Array(options.samples);
  for (let b = 0; b < options.samples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d[Math.floor(random() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  const lowerIndex = Math.min(options.samples - 1, Math.max(0, Math.floor((1 - options.confidence) * options.samples)));
  const lower = means[lowerIndex]!;
  let atOrBelow = 0;
  for (const m of means) if (m <= options.margin) atOrBelow++;
  return {
    customers: n,
    churned: pairs.filter((p) => p.churned).length,
    champion_log_loss: mean(champion),
    challenger_log_loss: mean(challenger),
    improvement: mean(d),
    improvement_lower_bound: lower,
    p_value: atOrBelow / options.samples,
    margin: options.margin,
    confidence: options.confidence,
    beats_margin: lower > options.margin,
  };
}
