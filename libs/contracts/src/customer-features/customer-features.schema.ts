import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';
import { telcoFeaturesSchema } from '../telco/telco-attributes';

export const FEATURE_SCHEMA_VERSION = 1;

/** Aggregates the baseline model does not read yet; kept so that the next model can. */
export const behaviourSchema = z.object({
  payment_failures_30d: z.number().int().nonnegative(),
  payment_failures_90d: z.number().int().nonnegative(),
  support_tickets_30d: z.number().int().nonnegative(),
  support_tickets_90d: z.number().int().nonnegative(),
  usage_trend: z.number().finite().nullable(),
});

export const customerFeaturesSchema = z.object({
  customer_id: z.string().min(1),
  as_of: zonedTimestamp,
  source_event_id: z.string().min(1),
  feature_schema_version: z.literal(FEATURE_SCHEMA_VERSION),
  features: telcoFeaturesSchema,
  behaviour: behaviourSchema.optional(),
});

export type CustomerFeaturesMessage = z.infer<typeof customerFeaturesSchema>;
export type Behaviour = z.infer<typeof behaviourSchema>;
