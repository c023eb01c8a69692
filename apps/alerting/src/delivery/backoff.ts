/**
 * Exponential back-off with jitter: the cap doubles per attempt (base, 2·base, 4·base … max), and
 * the delay is drawn from the upper half of it, so retries of many notifications spread out but
 * never come back sooner than half the cap.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}
