import type { CustomerFeaturesMessageV1, CustomerFeaturesMessageV2 } from '@churn/contracts';
import { uniqueId } from './test-env';

const isoOf = (at: number | string) => (typeof at === 'number' ? new Date(at).toISOString() : at);

/**
 * A version 2 `customer-features` message as ingest publishes it: the vector as given (a spec needs
 * every one of its features; filling them from a spec is the caller's, as libs/testing reads no
 * spec), the spec's hash, as of `asOf` (ms or ISO), with a fresh source event id.
 */
export function aFeatureVector(
  customerId: string,
  specHash: string,
  features: CustomerFeaturesMessageV2['features'],
  asOf: number | string,
  overrides: Partial<CustomerFeaturesMessageV2> = {},
): CustomerFeaturesMessageV2 {
  return {
    customer_id: customerId,
    feature_schema_version: 2,
    spec_hash: specHash,
    features,
    as_of: isoOf(asOf),
    source_event_id: uniqueId('e'),
    ...overrides,
  };
}

/** A version 1 `customer-features` message (the fixed Telco vector) with a fresh source event id. */
export function aFeatureMessageV1(
  customerId: string,
  features: CustomerFeaturesMessageV1['features'],
  asOf: number | string = '2024-03-10T09:00:00Z',
  overrides: Partial<CustomerFeaturesMessageV1> = {},
): CustomerFeaturesMessageV1 {
  return { customer_id: customerId, as_of: isoOf(asOf), source_event_id: uniqueId('evt'), feature_schema_version: 1, features, ...overrides };
}
