import { createHash } from 'node:crypto';
import type { Outcome } from '@churn/contracts';

function digest(parts: readonly string[]): string {
  // '|' joins unambiguously: every part but the first is a fixed-format time or the customer id
  // followed by one, so the split from the right is unique.
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32);
}

const iso = (time: string | Date) => new Date(time).toISOString();

/**
 * The id an outcome is stored under: its own `outcome_id`, or — for producers that send none — one
 * derived from customer and observed_at to the millisecond (the migration that introduced ids
 * computes the same for the rows already stored).
 */
export function outcomeId(outcome: Pick<Outcome, 'customer_id' | 'observed_at' | 'outcome_id'>): string {
  return outcome.outcome_id ?? digest(['observed', outcome.customer_id, iso(outcome.observed_at)]);
}

/** A churn derived from a cancellation taking effect at `effectiveAt`: a replayed cancellation gives the same id. */
export function cancellationOutcomeId(customerId: string, effectiveAt: string): string {
  return digest(['cancellation', customerId, iso(effectiveAt)]);
}

/** A label window that closed without a churn, identified by the customer and the window's start. */
export function labelWindowOutcomeId(customerId: string, windowStart: string | Date): string {
  return digest(['label_window', customerId, iso(windowStart)]);
}
