import { z } from 'zod';
import { nonNegativeAmount, periodBoundary, zonedTimestamp } from '../common/timestamp';

/** Event types of envelope schema version 1 and their payloads (contract v1). */
export const CustomerEventTypes = {
  signedUp: 'customer.signed_up',
  subscriptionChanged: 'subscription.changed',
  invoicePaid: 'invoice.paid',
  paymentFailed: 'payment.failed',
  supportTicketOpened: 'support.ticket_opened',
  usageReported: 'usage.reported',
} as const;

export type CustomerEventType = (typeof CustomerEventTypes)[keyof typeof CustomerEventTypes];

const text = z.string().min(1);

export const signedUpPayload = z.object({
  gender: text,
  senior_citizen: z.boolean(),
  partner: z.boolean(),
  dependents: z.boolean(),
});

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

const envelope = {
  event_id: text.max(200),
  customer_id: text.max(200),
  occurred_at: zonedTimestamp,
  schema_version: z.literal(1, { message: 'unsupported schema_version (supported: 1)' }),
};

function eventSchema<T extends CustomerEventType, P extends z.ZodType>(type: T, payload: P) {
  return z.object({ ...envelope, event_type: z.literal(type), payload });
}

export const customerEventSchema = z.discriminatedUnion(
  'event_type',
  [
    eventSchema(CustomerEventTypes.signedUp, signedUpPayload),
    eventSchema(CustomerEventTypes.subscriptionChanged, subscriptionChangedPayload),
    eventSchema(CustomerEventTypes.invoicePaid, invoicePaidPayload),
    eventSchema(CustomerEventTypes.paymentFailed, paymentFailedPayload),
    eventSchema(CustomerEventTypes.supportTicketOpened, supportTicketOpenedPayload),
    eventSchema(CustomerEventTypes.usageReported, usageReportedPayload),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'unknown event_type' : undefined) },
);

export type CustomerEvent = z.infer<typeof customerEventSchema>;
export type CustomerEventOf<T extends CustomerEventType> = Extract<CustomerEvent, { event_type: T }>;
