import type { Behaviour } from '@churn/contracts';
import type { BehaviourCounts } from './history-types';

/** No payment failure, ticket or usage in the windows: what a customer without such events has. */
export const NO_BEHAVIOUR: Behaviour = {
  payment_failures_30d: 0,
  payment_failures_90d: 0,
  support_tickets_30d: 0,
  support_tickets_90d: 0,
  usage_trend: null,
};

/**
 * The aggregates as the features message carries them. `usage_trend` is the relative change of the
 * reported usage in the last 30 days against the 30 days before (-1 = stopped, 0 = flat, 0.5 = half
 * again as much); null when the earlier window has no usage to compare with.
 */
export function toBehaviour(counts: BehaviourCounts | undefined): Behaviour {
  if (!counts) return NO_BEHAVIOUR;
  const prior = counts.usagePrior30d;
  const trend = prior === null || prior === 0 ? null : Math.round((((counts.usageLast30d ?? 0) - prior) / prior) * 10_000) / 10_000;
  return {
    payment_failures_30d: counts.paymentFailures30d,
    payment_failures_90d: counts.paymentFailures90d,
    support_tickets_30d: counts.supportTickets30d,
    support_tickets_90d: counts.supportTickets90d,
    usage_trend: trend,
  };
}
