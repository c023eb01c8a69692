import type { FeatureSpec } from './feature-spec.schema';
import { specHash } from './spec-hash';

/**
 * A spec as a model card records it (`feature_spec`) and as the trainer receives it: its name, its hash
 * and the normalized spec itself (defaults applied, descriptions kept for people).
 */
export interface FeatureSpecBlock {
  readonly name: string;
  readonly hash: string;
  readonly spec: FeatureSpec;
}

/** The name a spec without one is recorded under. */
export const UNNAMED_SPEC = 'unnamed';

export function featureSpecBlock(spec: FeatureSpec): FeatureSpecBlock {
  return { name: spec.name ?? UNNAMED_SPEC, hash: specHash(spec), spec };
}
