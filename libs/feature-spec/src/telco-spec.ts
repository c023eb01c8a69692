import path from 'node:path';

/** The shipped default spec: the Telco vector of today's model, at the repository's specs/telco.yaml. */
export const TELCO_SPEC_PATH = path.resolve(__dirname, '..', '..', '..', 'specs', 'telco.yaml');
