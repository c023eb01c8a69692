import { createHash } from 'node:crypto';

/**
 * A customer's place in a gradual rollout, in [0, 1): a stable hash of the customer id alone, so every
 * scorer instance, every restart and every version under rollout put the same customer at the same
 * point. The salt keeps it independent of the experiment arms (which hash the experiment's name with
 * the id): the rollout's customers are not, say, mostly control.
 */
export function rolloutPoint(customerId: string): number {
  const digest = createHash('sha256').update(`churn-rollout\u0000${customerId}`).digest();
  // 48 bits: exact in a double, fine enough that any share is met to well under one customer in a million.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Whether the rollout version serves this customer at `share` (0–1). Monotonic in the share: a customer
 * served at 10 % is served at 50 % and at 100 %; at 0 nobody is, at 1 everybody is.
 */
export function servedByRollout(customerId: string, share: number): boolean {
  return rolloutPoint(customerId) < share;
}
