import { FEATURE_SCHEMA_VERSION, type Behaviour, type CustomerFeaturesMessage } from '@churn/contracts';
import type { CustomerState } from './customer-state';
import { toFeatureVector } from './feature-state';

/**
 * The customer-features message of a state as of a time, or undefined while the state is incomplete
 * (no sign-up or no subscription yet). `sourceEventId` is what downstream deduplicates by.
 */
export function featuresMessage(state: CustomerState, asOf: string, sourceEventId: string, behaviour: Behaviour): CustomerFeaturesMessage | undefined {
  const features = toFeatureVector(state, asOf);
  if (!features) return undefined;
  return {
    customer_id: state.customerId,
    as_of: asOf,
    source_event_id: sourceEventId,
    feature_schema_version: FEATURE_SCHEMA_VERSION,
    features,
    behaviour,
  };
}
