import { z } from 'zod';
import { checkAggregate, reporter } from './element-checks';
import { decimals, description, eventType, featureName, modelInput, payloadField } from './common.schema';

export const FILTER_OPERATORS = ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte'] as const;
export const AGGREGATE_KINDS = ['count', 'sum', 'mean', 'last', 'days_since', 'trend'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Keeps only the events whose payload field compares true against the value. */
export const aggregateFilter = z
  .strictObject({
    field: payloadField.describe('The payload field compared.'),
    op: z
      .enum(FILTER_OPERATORS)
      .describe('eq / ne: equal / not equal to value; in / not_in: among / not among the values listed; gt, gte, lt, lte: numeric comparisons with value.'),
    value: z
      .union([scalar, z.array(scalar)])
      .describe('What the field is compared with: one string, number or boolean; a non-empty list for in / not_in; a number for gt, gte, lt, lte.'),
  })
  .describe('Only events whose payload field satisfies the comparison count (e.g. severity in [high, critical]).');

/**
 * A behavioural aggregate over the customer's event log, at the vector's time T. Windows are in days and
 * end at T: an event counts when T − window_days < occurred_at ≤ T.
 *  - count: events in the window (0 when none)
 *  - sum / mean: of a numeric payload field over the events in the window (sum 0 and mean missing when none)
 *  - last: the field's value in the latest event (in the window when one is given; missing when none)
 *  - days_since: whole days since the latest event (within the window when one is given; missing when none)
 *  - trend: (this window − the one before) / the one before, of the count or of the field's sum (`measure`);
 *    −1 = stopped, 0 = flat, 0.5 = half again as much; missing when the window before has nothing
 */
export const aggregateSchema = z
  .strictObject({
    name: featureName,
    kind: z
      .enum(AGGREGATE_KINDS)
      .describe(
        'count, sum, mean (of field), last (value of field), days_since (the latest event) or trend (last window against the one before, of the count or of the sum of field: (last - before) / before).',
      ),
    event_type: eventType.describe('The events aggregated (e.g. payment.failed).'),
    field: payloadField
      .optional()
      .describe('The payload field aggregated: required by sum, mean and last, and by trend with measure sum; not used by count or days_since.'),
    measure: z
      .enum(['count', 'sum'])
      .optional()
      .describe('trend only: compare the number of events (count) or the sum of field (sum) between the two windows.'),
    window_days: z
      .number()
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(3650, 'must be at most 3650 days')
      .optional()
      .describe(
        "The window, in days, ending at the vector's time (an event counts when T - window_days < occurred_at <= T). Required by count, sum, mean and trend (each of its two windows is this long); optional for last and days_since (the whole history when absent).",
      ),
    filter: aggregateFilter.optional(),
    decimals,
    model_input: modelInput,
    description,
  })
  .superRefine((value, ctx) => checkAggregate(value, reporter(ctx)))
  .describe("A behavioural aggregate over the customer's event log in a window of days ending at the vector's time.");

export type Aggregate = z.infer<typeof aggregateSchema>;
