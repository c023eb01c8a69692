import type { FeatureSpec } from '../feature-spec.schema';
import type { FeatureValue, FeatureVector } from './evaluator-types';

function pick(vector: FeatureVector, names: readonly string[]): Record<string, FeatureValue> {
  return Object.fromEntries(names.map((name) => [name, vector[name] ?? null]));
}

/** The features the model reads (model_input), in the spec's order. */
export function modelInputsOf(spec: FeatureSpec, vector: FeatureVector): Record<string, FeatureValue> {
  return pick(
    vector,
    [...spec.attributes, ...spec.derived, ...spec.aggregates].filter((f) => f.model_input).map((f) => f.name),
  );
}

/** The spec's aggregates, in its order. */
export function aggregatesOf(spec: FeatureSpec, vector: FeatureVector): Record<string, FeatureValue> {
  return pick(
    vector,
    spec.aggregates.map((a) => a.name),
  );
}
