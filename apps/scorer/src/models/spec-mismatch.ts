import { getOrCreateCounter, type Registry } from '@churn/observability';

/**
 * Every refusal of something of another spec than the one it would be used with: a vector the champion
 * dead-letters or the shadow skips (`source="stream"`), a version refused as champion or shadow by the
 * API, at start or when another instance assigned it (`api`, `startup`, `poll`).
 */
export function specMismatchCounter(registry: Registry) {
  return getOrCreateCounter(registry, {
    name: 'scorer_spec_mismatch_total',
    help: 'Vectors and model versions refused because their feature spec is not the one of the model or of this scorer (FEATURE_SPEC_FILE), by role and where.',
    labelNames: ['role', 'source'] as const,
  });
}

/** A model version is of another feature spec than the scorer runs: it is never served. */
export class SpecMismatchError extends Error {
  readonly code = 'SPEC_MISMATCH';
  constructor(message: string) {
    super(message);
    this.name = 'SpecMismatchError';
  }
}
