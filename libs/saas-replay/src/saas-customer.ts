import type { Prng } from './prng';
import {
  ANNUAL_DISCOUNT,
  ANNUAL_SHARE,
  COMMON_CHANNELS,
  EVENTS,
  FIT_BY_CHANNEL,
  FIT_BY_PLAN,
  FIT_SIGMA,
  FRAGILITY_SIGMA,
  LONG_TAIL_SHARE,
  PARTNERS,
  PLAN_MIX,
  REGION_MIX,
  SEAT_PRICE,
  SEAT_SIGMA,
  SEATS,
  type BillingCycle,
  type Plan,
  type Region,
} from './saas-parameters';

/** A customer as drawn at sign-up: its attributes, and the latent traits the model never sees. */
export interface SaasProfile {
  readonly customerId: string;
  readonly signedUpAtMs: number;
  readonly plan: Plan;
  readonly seats: number;
  readonly region: Region;
  readonly acquisitionChannel: string;
  readonly billingCycle: BillingCycle;
  /** Latent product fit: the level engagement returns to. */
  readonly fit: number;
  /** Latent multiplier of the payment failure probability (an unreliable card, a slow accounts team). */
  readonly paymentFragility: number;
}

/** The long tail: partner_<name> and event_<name>, the k-th of each with weight 1/k. */
const LONG_TAIL: readonly (readonly [string, number])[] = [
  ...PARTNERS.map((name, k) => [`partner_${name}`, 1 / (k + 1)] as const),
  ...EVENTS.map((name, k) => [`event_${name}`, 1 / (k + 1)] as const),
];

export function drawChannel(rng: Prng): string {
  const common = COMMON_CHANNELS.reduce((sum, [, share]) => sum + share, 0);
  return rng.chance(LONG_TAIL_SHARE / (common + LONG_TAIL_SHARE)) ? rng.weighted(LONG_TAIL) : rng.weighted(COMMON_CHANNELS);
}

export function drawSeats(rng: Prng, plan: Plan): number {
  const { median, min, max } = SEATS[plan];
  return Math.min(max, Math.max(min, Math.round(median * Math.exp(SEAT_SIGMA * rng.normal()))));
}

/** The monthly price of a subscription, to the cent: seats at the plan's seat price, less the annual discount. */
export function monthlyPrice(plan: Plan, seats: number, cycle: BillingCycle): number {
  const discount = cycle === 'annual' ? 1 - ANNUAL_DISCOUNT : 1;
  return Math.round(SEAT_PRICE[plan] * seats * discount * 100) / 100;
}

export function drawProfile(rng: Prng, customerId: string, signedUpAtMs: number): SaasProfile {
  const plan = rng.weighted(PLAN_MIX);
  const acquisitionChannel = drawChannel(rng);
  return {
    customerId,
    signedUpAtMs,
    plan,
    seats: drawSeats(rng, plan),
    region: rng.weighted(REGION_MIX),
    acquisitionChannel,
    billingCycle: rng.chance(ANNUAL_SHARE[plan]) ? 'annual' : 'monthly',
    fit: FIT_BY_PLAN[plan] + (FIT_BY_CHANNEL[acquisitionChannel] ?? 0) + FIT_SIGMA * rng.normal(),
    paymentFragility: Math.exp(FRAGILITY_SIGMA * rng.normal()),
  };
}
