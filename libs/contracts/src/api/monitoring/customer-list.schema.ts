import { z } from 'zod';
import { riskLevelSchema } from '../../prediction/risk-level';

/** An attribute's value in the active feature spec's spelling: a number, a category or text, null when missing. */
export const attributeValueSchema = z.union([z.string(), z.number(), z.null()]);
export type AttributeValue = z.infer<typeof attributeValueSchema>;

export const customerAlertSummarySchema = z.object({ alert_id: z.string(), level: z.string(), state: z.string(), due_at: z.string().nullable() });
export type CustomerAlertSummary = z.infer<typeof customerAlertSummarySchema>;

export const customerExperimentSchema = z.object({ name: z.string(), arm: z.string() });

/** One row of the customer list: the customer's newest champion score and what is going on with it. */
export const customerListItemSchema = z.object({
  customer_id: z.string(),
  risk_score: z.number(),
  risk_level: riskLevelSchema,
  churn_probability: z.number(),
  score_change: z.number().nullable(),
  revenue_at_risk: z.number(),
  model_version: z.string(),
  scored_at: z.string().nullable(),
  alert: customerAlertSummarySchema.nullable(),
  experiment: customerExperimentSchema.nullable(),
  attributes: z.record(z.string(), attributeValueSchema),
  /** A CRM task about the customer is open. */
  crm_task_open: z.boolean(),
});
export type CustomerListItem = z.infer<typeof customerListItemSchema>;

/** `GET /v1/customers`. */
export const customerListPageSchema = z.object({
  customers: z.array(customerListItemSchema),
  page: z.number(),
  page_size: z.number(),
  total: z.number(),
  /** `total` is the count limit (10,000) and more customers match. */
  total_is_lower_bound: z.boolean(),
});
export type CustomerListPage = z.infer<typeof customerListPageSchema>;

export const filterableAttributeSchema = z.object({
  name: z.string(),
  type: z.enum(['numeric', 'boolean', 'categorical']),
  /** A closed categorical's categories; absent for an open-ended one. */
  categories: z.array(z.string()).readonly().optional(),
});
export type FilterableAttribute = z.infer<typeof filterableAttributeSchema>;

/** `GET /v1/customers/filters`. */
export const customerFilterOptionsSchema = z.object({
  spec: z.string(),
  attributes: z.array(filterableAttributeSchema),
  risk_levels: z.array(riskLevelSchema).readonly(),
  alert_states: z.array(z.string()).readonly(),
  arms: z.array(z.string()).readonly(),
  sorts: z.array(z.string()).readonly(),
});
export type CustomerFilterOptions = z.infer<typeof customerFilterOptionsSchema>;
