import { z } from 'zod';
import { FeatureSpecError } from './feature-spec.error';
import { loadFeatureSpec } from './load-feature-spec';
import { TELCO_SPEC_PATH } from './telco-spec';

/**
 * `FEATURE_SPEC_FILE` in a service's config: the path of the active spec (default: the shipped Telco
 * spec), read and validated with the rest of the config at start, so a spec that does not validate
 * stops the service with every problem listed.
 */
export const featureSpecFile = z
  .string()
  .min(1)
  .default(TELCO_SPEC_PATH)
  .transform((file, ctx) => {
    try {
      return loadFeatureSpec(file);
    } catch (error) {
      const problems = error instanceof FeatureSpecError ? error.problems : [(error as Error).message];
      ctx.addIssue({ code: 'custom', message: `${file} is not a valid feature spec: ${problems.join('; ')}` });
      return z.NEVER;
    }
  });
