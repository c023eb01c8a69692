/** The event types the contract knows, in both schema versions. */
export const CustomerEventTypes = {
  signedUp: 'customer.signed_up',
  subscriptionChanged: 'subscription.changed',
  invoicePaid: 'invoice.paid',
  paymentFailed: 'payment.failed',
  supportTicketOpened: 'support.ticket_opened',
  usageReported: 'usage.reported',
  subscriptionCancelled: 'subscription.cancelled',
  subscriptionReactivated: 'subscription.reactivated',
} as const;

export type CustomerEventType = (typeof CustomerEventTypes)[keyof typeof CustomerEventTypes];

/**
 * The event types whose schema_version 2 payload carries the business's own attributes (field → value,
 * any subset of the active feature spec's fields) rather than a payload the contract fixes.
 */
export const ATTRIBUTE_EVENT_TYPES = [CustomerEventTypes.signedUp, CustomerEventTypes.subscriptionChanged] as const;
export type AttributeEventType = (typeof ATTRIBUTE_EVENT_TYPES)[number];

/** The event types whose payload the contract fixes, the same in both schema versions. */
export const FIXED_EVENT_TYPES = [
  CustomerEventTypes.invoicePaid,
  CustomerEventTypes.paymentFailed,
  CustomerEventTypes.supportTicketOpened,
  CustomerEventTypes.usageReported,
  CustomerEventTypes.subscriptionCancelled,
  CustomerEventTypes.subscriptionReactivated,
] as const;
export type FixedEventType = (typeof FIXED_EVENT_TYPES)[number];

/**
 * How an event type is spelled: dot-separated lower-case words (`user.logged_in`). Schema version 2
 * accepts any such type beyond the contract's own; the feature spec names event types the same way.
 */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

const KNOWN = new Set<string>(Object.values(CustomerEventTypes));

export function isKnownEventType(type: string): type is CustomerEventType {
  return KNOWN.has(type);
}
