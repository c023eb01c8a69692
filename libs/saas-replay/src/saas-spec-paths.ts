import path from 'node:path';

/** The repository's root, where specs/ sits (beside data/ and models/). */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The synthetic business's specs, at the repository's specs/: with behaviour, and attributes only. */
export const SAAS_SPEC_PATH = path.join(REPOSITORY_ROOT, 'specs', 'saas.yaml');
export const SAAS_ATTRIBUTES_SPEC_PATH = path.join(REPOSITORY_ROOT, 'specs', 'saas-attributes.yaml');
