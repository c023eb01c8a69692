import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';
import { telcoFeaturesSchema } from '../telco/telco-attributes';

/** The version producers publish; version 1 is still read (messages already on the topic during an upgrade). */
export const FEATURE_SCHEMA_VERSION = 2;

/** The Telco aggregates a version 1 message carried beside its model inputs. */
export const behaviourSchema = z.object({
  payment_failures_30d: z.number().int().nonnegative(),
  payment_failures_90d: z.number().int().nonnegative(),
  support_tickets_30d: z.number().int().nonnegative(),
  support_tickets_90d: z.number().int().nonnegative(),
  usage_trend: z.number().finite().nullable(),
});

/** A feature's value: a number, a string (categoricals, encoded booleans), or null when missing. */
export const featureValueSchema = z.union([z.string(), z.number().finite(), z.null()]);

/** A feature spec's hash (`specHash` of libs/feature-spec): sha256, 64 lower-case hex digits. */
export const specHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex (64 lower-case hex digits)');

const envelope = {
  customer_id: z.string().min(1),
  as_of: zonedTimestamp,
  source_event_id: z.string().min(1),
};

/** Version 1: the Telco vector (its 19 model inputs in `features`, its aggregates in `behaviour`). */
export const customerFeaturesV1Schema = z.object({
  ...envelope,
  feature_schema_version: z.literal(1),
  features: telcoFeaturesSchema,
  behaviour: behaviourSchema.optional(),
});

/**
 * Version 2: every feature of the spec the vector was computed under (attributes, derived features and
 * aggregates, model inputs and carried ones alike), in the spec's order, and that spec's hash, which
 * a consumer matches against its model's before reading a single value.
 */
export const customerFeaturesV2Schema = z.object({
  ...envelope,
  feature_schema_version: z.literal(2),
  spec_hash: specHashSchema,
  features: z.record(z.string().min(1), featureValueSchema).refine((features) => Object.keys(features).length > 0, 'must carry at least one feature'),
});

export const customerFeaturesSchema = z.discriminatedUnion('feature_schema_version', [customerFeaturesV1Schema, customerFeaturesV2Schema]);

export type CustomerFeaturesMessage = z.infer<typeof customerFeaturesSchema>;
export type CustomerFeaturesMessageV1 = z.infer<typeof customerFeaturesV1Schema>;
export type CustomerFeaturesMessageV2 = z.infer<typeof customerFeaturesV2Schema>;
export type Behaviour = z.infer<typeof behaviourSchema>;
export type FeatureValue = z.infer<typeof featureValueSchema>;
