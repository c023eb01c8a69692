import path from 'node:path';

/** The synthetic business's specs, at the repository's specs/: with behaviour, and attributes only. */
export const SAAS_SPEC_PATH = path.resolve(__dirname, '..', '..', '..', 'specs', 'saas.yaml');
export const SAAS_ATTRIBUTES_SPEC_PATH = path.resolve(__dirname, '..', '..', '..', 'specs', 'saas-attributes.yaml');
