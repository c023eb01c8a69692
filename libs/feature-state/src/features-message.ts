import { FEATURE_SCHEMA_VERSION, type CustomerFeaturesMessageV2 } from '@churn/contracts';
import type { FeatureVector } from '@churn/feature-spec';

/**
 * The customer-features message of a vector as of a time, or undefined while the vector is incomplete.
 * `features` carries every feature of the spec in its order (model inputs and carried ones), and
 * `spec_hash` the hash of that spec (`specHash`), so that the scorer never feeds a model a vector of another spec.
 * `sourceEventId` is what downstream deduplicates by.
 */
export function featuresMessage(
  specHash: string,
  customerId: string,
  vector: FeatureVector | undefined,
  asOf: string,
  sourceEventId: string,
): CustomerFeaturesMessageV2 | undefined {
  if (!vector) return undefined;
  return {
    customer_id: customerId,
    as_of: asOf,
    source_event_id: sourceEventId,
    feature_schema_version: FEATURE_SCHEMA_VERSION,
    spec_hash: specHash,
    features: { ...vector },
  };
}
