import { z } from 'zod';
import { RISK_LEVELS } from '@churn/contracts';
import { featureName } from './common.schema';

/**
 * A segment the retention team reads model quality by. A categorical or boolean feature gives one
 * cohort per value; a numeric one needs `bands`.
 */
export const cohortSchema = z
  .strictObject({
    feature: featureName.describe('The feature whose value puts a customer in a cohort.'),
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and _ (e.g. tenure_band)')
      .optional()
      .describe("The dimension's name in the monitoring API and the metrics' cohort label (default: the feature's name in lower case)."),
    bands: z
      .array(z.number().finite())
      .min(1, 'must list at least one upper bound')
      .optional()
      .describe("Numeric features only: the bands' inclusive upper bounds, ascending (e.g. [12, 24, 48] for 0-12, 13-24, 25-48 and above)."),
    labels: z
      .array(z.string().min(1, 'must not be empty'))
      .optional()
      .describe('The bands\' labels, one more than bands (the last is above the last bound). Default: "≤ b1", "b1 < x ≤ b2", …, "> bn".'),
  })
  .describe('A cohort dimension of the model-quality figures.');

/** A targeted offer added to the level's programme when a driver of the customer's risk matches. */
export const playbookRuleSchema = z
  .strictObject({
    factor: featureName.describe("The feature that must be among the customer's top factors, pushing risk up."),
    when: z
      .record(featureName, z.union([z.string(), z.number()]))
      .default({})
      .describe('Feature values the customer must have, all of them (e.g. { InternetService: Fiber optic, TechSupport: "No" }).'),
    min_level: z.enum(RISK_LEVELS).default('medium').describe('The lowest risk level the offer is made at.'),
    offer: z.string().min(1, 'must not be empty').describe('What the retention team offers (e.g. annual-contract offer).'),
    extra_cost: z.number().finite().nonnegative('must not be negative').default(0).describe("Added to the level's intervention cost."),
  })
  .describe('A playbook rule: a targeted offer for a driver of churn.');

/**
 * What the business means by its features, beyond the model: which one is the monthly revenue, how
 * the retention team segments customers, and its playbook of targeted offers. Changes no feature: the
 * spec's hash leaves it out, so editing it needs no retraining.
 */
export const businessSchema = z
  .strictObject({
    monthly_revenue: featureName
      .optional()
      .describe("A numeric feature holding the customer's monthly revenue: revenue at risk and ROI count it (0 when absent)."),
    cohorts: z.array(cohortSchema).default([]).describe('Cohort dimensions of the model-quality figures, besides the risk level.'),
    playbook: z
      .array(playbookRuleSchema)
      .default([])
      .describe("Targeted offers by driver of churn, added to the risk level's programme (a RETENTION_RULES_FILE replaces them)."),
  })
  .describe("How the retention team reads the features: revenue, cohorts, playbook. Not part of the spec's hash.");

export type Business = z.output<typeof businessSchema>;
export type Cohort = z.output<typeof cohortSchema>;
export type PlaybookRule = z.output<typeof playbookRuleSchema>;
