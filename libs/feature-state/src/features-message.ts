import { FEATURE_SCHEMA_VERSION, type Behaviour, type CustomerFeaturesMessage, type TelcoFeatures } from '@churn/contracts';
import { aggregatesOf, modelInputsOf, type FeatureSpec, type FeatureVector } from '@churn/feature-spec';

/**
 * The customer-features message of a vector as of a time, or undefined while the vector is incomplete.
 * `features` carries the spec's model inputs and `behaviour` its aggregates; the message's schema still
 * fixes the shipped spec's names, which the active spec provides. `sourceEventId` is what downstream
 * deduplicates by.
 */
export function featuresMessage(
  spec: FeatureSpec,
  customerId: string,
  vector: FeatureVector | undefined,
  asOf: string,
  sourceEventId: string,
): CustomerFeaturesMessage | undefined {
  if (!vector) return undefined;
  return {
    customer_id: customerId,
    as_of: asOf,
    source_event_id: sourceEventId,
    feature_schema_version: FEATURE_SCHEMA_VERSION,
    features: modelInputsOf(spec, vector) as TelcoFeatures,
    behaviour: aggregatesOf(spec, vector) as Behaviour,
  };
}
