import { z } from 'zod';
import { aggregateSchema } from './aggregate.schema';
import { attributeSchema } from './attribute.schema';
import { businessSchema } from './business.schema';
import { checkBusiness } from './business-checks';
import { derivedSchema } from './derived.schema';
import { checkNamesAndColumns } from './spec-checks';

export const FEATURE_SPEC_VERSION = 1;

/**
 * A feature specification: which customer attributes, derived features and behavioural aggregates make
 * a customer's feature vector, where each comes from, and — for training tables — which columns hold the
 * customer id and the label.
 */
export const featureSpecSchema = z
  .strictObject({
    version: z
      .literal(FEATURE_SPEC_VERSION, { message: `must be ${FEATURE_SPEC_VERSION} (the spec format this platform reads)` })
      .describe('Version of the spec format (not of the features): 1.'),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (e.g. telco)')
      .optional()
      .describe('A short name for the spec (e.g. telco), for model cards and logs.'),
    description: z.string().min(1).optional().describe('What the spec describes, for people reading it.'),
    customer_id: z
      .strictObject({
        column: z
          .string()
          .min(1, 'must not be empty')
          .describe("The training table's column holding the customer id (events carry it as the envelope's customer_id)."),
      })
      .describe('The customer id: unique per customer, never a feature.'),
    label: z
      .strictObject({
        column: z.string().min(1, 'must not be empty').describe("The training table's column saying whether the customer churned."),
        positive: z
          .string({ message: 'must be a string, as the column spells it (quote it: "1", "true")' })
          .min(1, 'must not be empty')
          .describe('The value of the label column that means "churned" (e.g. Yes); every other value means stayed.'),
      })
      .optional()
      .describe('For training tables: the label column and its positive value. Not needed to score.'),
    attributes: z
      .array(attributeSchema)
      .default([])
      .describe("The customer's attributes, each set by an event's payload field (last write wins by event time)."),
    derived: z
      .array(derivedSchema)
      .default([])
      .describe('Features derived from the whole history by a closed set of rules (months since sign-up, lifetime sums and counts).'),
    aggregates: z.array(aggregateSchema).default([]).describe("Behavioural aggregates over the customer's event log in windows of days."),
    business: businessSchema.optional(),
  })
  // Runs even when an element is malformed, so that one file's every problem is reported at once.
  .superRefine(
    (spec, ctx) => {
      checkNamesAndColumns(spec, ctx);
      checkBusiness(spec, ctx);
    },
    { when: () => true },
  )
  .describe('Churn Radar feature specification: the features of a customer and where each comes from.');

export type FeatureSpec = z.infer<typeof featureSpecSchema>;
/** The spec as written (defaults not yet applied). */
export type FeatureSpecInput = z.input<typeof featureSpecSchema>;
