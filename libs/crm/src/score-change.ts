/** The last score queued for (and so eventually held by) a CRM, against which a new one is compared. */
export interface ScoreBaseline {
  readonly score: number;
  readonly level: string;
  readonly asOf: number;
}

export type ScoreDecision = 'push' | 'unchanged' | 'stale';

/**
 * A score is worth a CRM write when it is the first, its category changed, or it moved by at least
 * `threshold` points; a prediction older than the baseline (late delivery) never overwrites it.
 */
export function decideScorePush(baseline: ScoreBaseline | undefined, next: { score: number; level: string; asOf: number }, threshold: number): ScoreDecision {
  if (!baseline) return 'push';
  if (next.asOf < baseline.asOf) return 'stale';
  if (next.level !== baseline.level) return 'push';
  return Math.abs(next.score - baseline.score) >= threshold ? 'push' : 'unchanged';
}
