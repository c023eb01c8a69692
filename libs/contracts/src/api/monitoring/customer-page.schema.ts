import { z } from 'zod';
import { riskLevelSchema } from '../../prediction/risk-level';
import { attributeValueSchema, customerAlertSummarySchema, customerExperimentSchema } from './customer-list.schema';
import { modelRoleSchema } from './quality.schema';

export const customerSummarySchema = z.object({
  customer_id: z.string(),
  risk_score: z.number().nullable(),
  risk_level: riskLevelSchema.nullable(),
  churn_probability: z.number().nullable(),
  score_change: z.number().nullable(),
  revenue_at_risk: z.number().nullable(),
  model_version: z.string().nullable(),
  scored_at: z.string().nullable(),
  alert: customerAlertSummarySchema.nullable(),
  experiment: customerExperimentSchema.nullable(),
  attributes: z.record(z.string(), attributeValueSchema),
  crm_task_open: z.boolean(),
  previous_risk_score: z.number().nullable(),
  as_of: z.string().nullable(),
  prediction_id: z.string().nullable(),
});
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

export const customerDriverSchema = z.object({
  feature: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  contribution: z.number(),
});
export type CustomerDriver = z.infer<typeof customerDriverSchema>;

export const scorePointSchema = z.object({
  scored_at: z.string(),
  as_of: z.string(),
  risk_score: z.number(),
  risk_level: riskLevelSchema,
  model_version: z.string(),
  role: modelRoleSchema,
});
export type ScorePoint = z.infer<typeof scorePointSchema>;

/** How the population is spread on a feature (the active spec's), for the customer page's comparison. */
export const populationSummarySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('numeric'),
    customers: z.number(),
    missing: z.number(),
    mean: z.number().nullable(),
    quantiles: z.record(z.string(), z.number()),
  }),
  z.object({
    type: z.literal('categorical'),
    customers: z.number(),
    missing: z.number(),
    shares: z.array(z.object({ value: z.string(), share: z.number() })).readonly(),
  }),
]);
export type PopulationSummary = z.infer<typeof populationSummarySchema>;

export const customerFeatureSchema = z.object({
  name: z.string(),
  kind: z.enum(['attribute', 'behaviour']),
  section: z.enum(['attributes', 'derived', 'aggregates']),
  type: z.enum(['numeric', 'boolean', 'categorical']),
  value: attributeValueSchema,
  population: populationSummarySchema.nullable(),
});
export type CustomerFeature = z.infer<typeof customerFeatureSchema>;

export const TIMELINE_KINDS = ['prediction', 'alert', 'notification', 'crm', 'outcome', 'intervention'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One entry of a customer's timeline; each kind adds its own details (alerts: the note; interventions: channel, offer, cost…). */
export const timelineEntrySchema = z.looseObject({ at: z.string(), kind: z.enum(TIMELINE_KINDS), summary: z.string() });
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

/** `GET /v1/customers/{id}`. */
export const customerPageSchema = z.object({
  customer: customerSummarySchema,
  drivers: z.array(customerDriverSchema),
  score_history: z.array(scorePointSchema),
  features_as_of: z.string().nullable(),
  features_spec: z.object({ active: z.string(), vector: z.string().nullable(), matches: z.boolean() }),
  features: z.array(customerFeatureSchema),
  timeline: z.array(timelineEntrySchema),
  recommended_action: z.object({ action: z.string(), cost: z.number().nullable() }).nullable(),
  experiment: customerExperimentSchema.nullable(),
});
export type CustomerPage = z.infer<typeof customerPageSchema>;
