import { addCalendarMonths } from '@churn/contracts';
import { hashSeed, Prng } from './prng';
import { SaasReplayError } from './saas-replay.error';
import { drawProfile } from './saas-customer';
import { saasCustomerId, type SaasEvent } from './saas-event';
import { simulateCustomer, type SimulatedCustomer } from './customer-simulation';

/**
 * The end of the generated period: no event is later. Fixed (not the wall clock) so that the same seed
 * gives the same bytes on every run; on the 15th, so that moving back whole months never clamps a day.
 */
export const SAAS_REFERENCE_TIME = '2025-06-15T12:00:00.000Z';

export interface SaasBusinessOptions {
  readonly customers: number;
  readonly seed: number;
  /** The end of the period (default SAAS_REFERENCE_TIME). */
  readonly referenceTime?: string;
  /** Customers sign up uniformly over this many months before the reference time (default 24). */
  readonly months?: number;
}

export interface SaasBusiness {
  readonly referenceTime: string;
  readonly startTime: string;
  readonly customers: readonly SimulatedCustomer[];
}

/**
 * A synthetic B2B-software subscription business: `customers` customers signing up over `months`
 * months, each simulated from its own generator seeded by (seed, its index), so that a customer's
 * history does not depend on how many others are generated.
 */
export function generateSaasBusiness(options: SaasBusinessOptions): SaasBusiness {
  const { customers, seed, referenceTime = SAAS_REFERENCE_TIME, months = 24 } = options;
  if (!Number.isInteger(customers) || customers < 1)
    throw new SaasReplayError('SAAS_OPTIONS_INVALID', `customers must be a whole number of at least 1 (got ${customers})`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new SaasReplayError('SAAS_OPTIONS_INVALID', `seed must be a whole number from 0 to 4294967295 (got ${seed})`);
  if (!Number.isInteger(months) || months < 1 || months > 120)
    throw new SaasReplayError('SAAS_OPTIONS_INVALID', `months must be a whole number from 1 to 120 (got ${months})`);
  const endMs = Date.parse(referenceTime);
  if (!Number.isFinite(endMs)) throw new SaasReplayError('SAAS_OPTIONS_INVALID', `referenceTime is not a time: ${referenceTime}`);
  const startMs = addCalendarMonths(new Date(endMs), -months).getTime();
  // Sign-ups end a day before the reference time: every customer has at least a day of history.
  const lastSignUpMs = endMs - 24 * 3_600_000;
  const simulated = Array.from({ length: customers }, (_, index) => {
    const rng = new Prng(hashSeed('saas', seed, index));
    // Whole seconds: event times read like a real system's.
    const signedUpAtMs = Math.floor(rng.uniform(startMs, lastSignUpMs) / 1000) * 1000;
    return simulateCustomer(drawProfile(rng, saasCustomerId(index), signedUpAtMs), rng, endMs);
  });
  return { referenceTime: new Date(endMs).toISOString(), startTime: new Date(startMs).toISOString(), customers: simulated };
}

/** Every customer's events in one stream, in time order (ties by customer, then by the customer's own order). */
export function businessEvents(business: SaasBusiness): SaasEvent[] {
  return business.customers
    .flatMap((customer, c) => customer.events.map((event, i) => ({ event, c, i, at: Date.parse(event.occurred_at) })))
    .sort((a, b) => a.at - b.at || a.c - b.c || a.i - b.i)
    .map((entry) => entry.event);
}
