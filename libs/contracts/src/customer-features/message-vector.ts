import type { CustomerFeaturesMessage, FeatureValue } from './customer-features.schema';

/** A features message read the same way whatever its version. */
export interface MessageVector {
  /** The hash of the spec the vector was computed under; null for version 1, which is always the Telco spec. */
  readonly specHash: string | null;
  /** Every feature the message carries, by name. */
  readonly features: Readonly<Record<string, FeatureValue>>;
}

/**
 * The vector of a message: version 2 as it is; version 1 (the Telco vector, written before messages
 * carried their spec) as its model inputs and its aggregates together, which is the Telco spec's vector.
 * The contracts know no spec, so naming the Telco spec's hash is the consumer's business.
 */
export function messageVector(message: CustomerFeaturesMessage): MessageVector {
  if (message.feature_schema_version === 2) return { specHash: message.spec_hash, features: message.features };
  return { specHash: null, features: { ...message.features, ...(message.behaviour ?? {}) } };
}
