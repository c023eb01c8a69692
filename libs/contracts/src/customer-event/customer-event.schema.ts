import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';
import { CustomerEventTypes, EVENT_TYPE_PATTERN, isKnownEventType, type CustomerEventType } from './customer-event-types';
import { FIXED_PAYLOADS, flatPayload, signedUpPayload, subscriptionChangedPayload } from './event-payloads';

const text = z.string().min(1);

function envelope<V extends 1 | 2>(version: V) {
  return {
    event_id: text.max(200),
    customer_id: text.max(200),
    occurred_at: zonedTimestamp,
    schema_version: z.literal(version),
  };
}

function eventSchema<V extends 1 | 2, T extends CustomerEventType, P extends z.ZodType>(version: V, type: T, payload: P) {
  return z.object({ ...envelope(version), event_type: z.literal(type), payload });
}

const fixedTypeEvents = <V extends 1 | 2>(version: V) =>
  [
    eventSchema(version, CustomerEventTypes.invoicePaid, FIXED_PAYLOADS[CustomerEventTypes.invoicePaid]),
    eventSchema(version, CustomerEventTypes.paymentFailed, FIXED_PAYLOADS[CustomerEventTypes.paymentFailed]),
    eventSchema(version, CustomerEventTypes.supportTicketOpened, FIXED_PAYLOADS[CustomerEventTypes.supportTicketOpened]),
    eventSchema(version, CustomerEventTypes.usageReported, FIXED_PAYLOADS[CustomerEventTypes.usageReported]),
    eventSchema(version, CustomerEventTypes.subscriptionCancelled, FIXED_PAYLOADS[CustomerEventTypes.subscriptionCancelled]),
    eventSchema(version, CustomerEventTypes.subscriptionReactivated, FIXED_PAYLOADS[CustomerEventTypes.subscriptionReactivated]),
  ] as const;

const unknownType = { error: (issue: z.core.$ZodRawIssue) => (issue.code === 'invalid_union' ? 'unknown event_type' : undefined) };

/** Schema version 1: the contract's event types only, sign-up and subscription with the Telco payloads. */
export const customerEventV1Schema = z.discriminatedUnion(
  'event_type',
  [
    eventSchema(1, CustomerEventTypes.signedUp, signedUpPayload),
    eventSchema(1, CustomerEventTypes.subscriptionChanged, subscriptionChangedPayload),
    ...fixedTypeEvents(1),
  ],
  unknownType,
);

/** Schema version 2, the contract's event types: sign-up and subscription carry flat attribute payloads. */
const knownTypeV2Schema = z.discriminatedUnion(
  'event_type',
  [eventSchema(2, CustomerEventTypes.signedUp, flatPayload), eventSchema(2, CustomerEventTypes.subscriptionChanged, flatPayload), ...fixedTypeEvents(2)],
  unknownType,
);

/**
 * Schema version 2, an event type of the business's own (`user.logged_in`, `seats.changed`): any
 * well-spelled type with a flat payload. Whether the active feature spec names it is checked by the
 * consumer that knows the spec.
 */
export const customEventSchema = z.object({
  ...envelope(2),
  event_type: z.string().regex(EVENT_TYPE_PATTERN, 'unknown event_type: an event type is dot-separated lower-case words (e.g. user.logged_in)'),
  payload: flatPayload,
});

/**
 * Schema version 2. zod cannot switch on "any other event type" inside a discriminated union, so the
 * envelope's event_type picks the contract's schema or the custom one here, and that schema's issues
 * are reported as they are (`payload.amount: ...`).
 */
export const customerEventV2Schema = z
  .looseObject({ schema_version: z.literal(2), event_type: z.string({ error: 'unknown event_type' }) })
  .transform((input, ctx) => {
    const result = isKnownEventType(input.event_type) ? knownTypeV2Schema.safeParse(input) : customEventSchema.safeParse(input);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });

/** The customer-events topic: envelope schema_version 1 or 2. */
export const customerEventSchema = z.discriminatedUnion('schema_version', [customerEventV1Schema, customerEventV2Schema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'unsupported schema_version (supported: 1, 2)' : undefined),
});

export type CustomerEventV1 = z.output<typeof customerEventV1Schema>;
/** A schema version 2 event of one of the contract's event types. */
export type KnownTypeEventV2 = z.output<typeof knownTypeV2Schema>;
/** A schema version 2 event of a type of the business's own. */
export type CustomEvent = z.output<typeof customEventSchema>;
export type CustomerEventV2 = KnownTypeEventV2 | CustomEvent;
export type CustomerEvent = CustomerEventV1 | CustomerEventV2;
/** An event of one of the contract's types, in either version: `event_type` narrows it to one payload. */
export type KnownTypeEvent = CustomerEventV1 | KnownTypeEventV2;
export type CustomerEventOf<T extends CustomerEventType> = Extract<KnownTypeEvent, { event_type: T }>;

/**
 * Whether the event is of one of the contract's types. Narrow with it before switching on event_type:
 * a custom event's type is any string, so a switch alone cannot rule it out.
 */
export function hasKnownEventType(event: CustomerEvent): event is KnownTypeEvent {
  return isKnownEventType(event.event_type);
}
