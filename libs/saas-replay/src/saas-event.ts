import { CustomerEventTypes } from '@churn/contracts';

// The business never reactivates a cancelled subscription.
const { subscriptionReactivated: _notEmitted, ...contractTypes } = CustomerEventTypes;

/** The event types the synthetic business emits: the contract's, and its own `user.logged_in`. */
export const SaasEventTypes = { ...contractTypes, userLoggedIn: 'user.logged_in' } as const;
export type SaasEventType = (typeof SaasEventTypes)[keyof typeof SaasEventTypes];

export type PayloadValue = string | number | boolean;

/**
 * A customer event in envelope schema version 2: the fixed types carry their contract payloads, the
 * sign-up and subscription events a flat object of attribute field → value (any subset on a change),
 * `user.logged_in` a flat object of scalars.
 */
export interface SaasEvent {
  readonly event_id: string;
  readonly event_type: SaasEventType;
  readonly customer_id: string;
  readonly occurred_at: string;
  readonly schema_version: 2;
  readonly payload: Readonly<Record<string, PayloadValue>>;
}

/** Every id and event id starts with this, so that synthetic data is recognisable wherever it lands. */
export const SYNTHETIC_PREFIX = 'synth';

export function saasCustomerId(index: number): string {
  return `${SYNTHETIC_PREFIX}-${String(index + 1).padStart(6, '0')}`;
}
