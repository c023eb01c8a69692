import path from 'node:path';
import type { FeatureSpec } from './feature-spec.schema';
import { loadFeatureSpec } from './load-feature-spec';

/** The repository's root, where specs/ sits beside data/ and models/. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The shipped default spec: the Telco vector of today's model, at the repository's specs/telco.yaml. */
export const TELCO_SPEC_PATH = path.resolve(REPO_ROOT, 'specs', 'telco.yaml');

/** A spec file as configured (FEATURE_SPEC_FILE): absolute, or relative to the repository's root. */
export function resolveSpecFile(file: string): string {
  return path.resolve(REPO_ROOT, file);
}

/** Reads and validates the configured spec once, at a service's start: a FeatureSpecError lists every problem. */
export function loadActiveFeatureSpec(file: string): FeatureSpec {
  return loadFeatureSpec(resolveSpecFile(file));
}
