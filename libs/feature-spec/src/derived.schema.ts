import { z } from 'zod';
import { checkPayloadField, reporter } from './element-checks';
import { decimals, description, eventType, featureName, modelInput, payloadField } from './common.schema';

const derivedBase = { name: featureName, model_input: modelInput, description };

/**
 * Whole calendar months from the customer's earliest event of `event_type` to the vector's time (the
 * customer's latest event): Telco's tenure, counted from sign-up. No vector until that event is seen.
 */
export const monthsSinceFirst = z
  .strictObject({
    ...derivedBase,
    kind: z
      .literal('months_since_first')
      .describe("Whole calendar months from the customer's earliest event of event_type to the vector's time (e.g. tenure from sign-up)."),
    event_type: eventType.describe('The event whose earliest occurrence starts the count (e.g. customer.signed_up).'),
  })
  .describe('Months since the first event of a type.');

/** The sum of a numeric payload field over all the customer's events of a type: Telco's TotalCharges (0 before the first). */
export const lifetimeSum = z
  .strictObject({
    ...derivedBase,
    kind: z
      .literal('lifetime_sum')
      .describe("Sum of a numeric payload field over all the customer's events of event_type; 0 before the first (e.g. lifetime charges from invoices)."),
    event_type: eventType.describe('The events to add up (e.g. invoice.paid).'),
    field: payloadField.describe('The numeric payload field to add up (e.g. amount).'),
    decimals,
  })
  .superRefine((value, ctx) => checkPayloadField(value.event_type, value.field, true, reporter(ctx), ['field']))
  .describe('Lifetime sum of a payload field.');

/** How many events of a type the customer has had, ever. */
export const lifetimeCount = z
  .strictObject({
    ...derivedBase,
    kind: z.literal('lifetime_count').describe('How many events of event_type the customer has had, ever; 0 before the first.'),
    event_type: eventType.describe('The events to count.'),
  })
  .describe('Lifetime count of an event type.');

/** A feature computed from the customer's whole history by one of a small closed set of rules (`kind`). */
export const derivedSchema = z
  .discriminatedUnion('kind', [monthsSinceFirst, lifetimeSum, lifetimeCount], {
    error: (issue) => (issue.code === 'invalid_union' ? 'kind must be months_since_first, lifetime_sum or lifetime_count' : undefined),
  })
  .describe('A numeric feature derived from the whole history of the customer by one of a closed set of rules.');

export type DerivedFeature = z.infer<typeof derivedSchema>;
