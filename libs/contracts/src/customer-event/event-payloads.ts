import { z } from 'zod';
import { nonNegativeAmount, periodBoundary } from '../common/timestamp';
import { CustomerEventTypes, type FixedEventType } from './customer-event-types';

const text = z.string().min(1);

/** customer.signed_up, schema version 1: the Telco profile. */
export const signedUpPayload = z.object({
  gender: text,
  senior_citizen: z.boolean(),
  partner: z.boolean(),
  dependents: z.boolean(),
});

/** subscription.changed, schema version 1: the Telco subscription. */
export const subscriptionChangedPayload = z.object({
  contract: text,
  phone_service: z.boolean(),
  multiple_lines: text,
  internet_service: text,
  online_security: text,
  online_backup: text,
  device_protection: text,
  tech_support: text,
  streaming_tv: text,
  streaming_movies: text,
  paperless_billing: z.boolean(),
  payment_method: text,
  monthly_charges: nonNegativeAmount,
});

export const invoicePaidPayload = z.object({
  invoice_id: text,
  amount: nonNegativeAmount,
  period_start: periodBoundary,
  period_end: periodBoundary,
});

export const paymentFailedPayload = z.object({
  invoice_id: text,
  amount: nonNegativeAmount,
  reason: text,
});

export const supportTicketOpenedPayload = z.object({
  ticket_id: text,
  category: text,
  severity: z.enum(['low', 'medium', 'high', 'critical']),
});

export const usageReportedPayload = z.object({
  metric: text,
  quantity: z.number().finite().nonnegative({ message: 'must not be negative' }),
  period_start: periodBoundary,
  period_end: periodBoundary,
});

/** subscription.cancelled: the event's occurred_at is when the cancellation takes effect. */
export const subscriptionCancelledPayload = z.object({
  reason: text.optional(),
});

/** subscription.reactivated: a cancelled subscription running again; the reason is optional. */
export const subscriptionReactivatedPayload = subscriptionCancelledPayload;

/** The payload of every event type the contract fixes, the same in both schema versions. */
export const FIXED_PAYLOADS = {
  [CustomerEventTypes.invoicePaid]: invoicePaidPayload,
  [CustomerEventTypes.paymentFailed]: paymentFailedPayload,
  [CustomerEventTypes.supportTicketOpened]: supportTicketOpenedPayload,
  [CustomerEventTypes.usageReported]: usageReportedPayload,
  [CustomerEventTypes.subscriptionCancelled]: subscriptionCancelledPayload,
  [CustomerEventTypes.subscriptionReactivated]: subscriptionReactivatedPayload,
} as const satisfies Record<FixedEventType, z.ZodType>;

/** One value of a flat payload. JSON has no NaN or infinity, and zod refuses them in numbers. */
export const payloadValue = z.union([z.string(), z.number(), z.boolean()], {
  error: 'must be a string, a finite number or a boolean',
});

export type PayloadValue = z.output<typeof payloadValue>;

/**
 * Schema version 2 payload of attribute events and of the business's own event types: field → scalar,
 * no nesting. Which fields, and of which type, the active feature spec says (checked where it is known).
 */
export const flatPayload = z.record(z.string(), payloadValue, { error: 'must be an object of field → string, number or boolean' });

export type FlatPayload = z.output<typeof flatPayload>;
