import path from 'node:path';
import { z } from 'zod';
import { FeatureSpecError } from './feature-spec.error';
import type { FeatureSpec } from './feature-spec.schema';
import { loadFeatureSpec } from './load-feature-spec';
import { specHash } from './spec-hash';
import { TELCO_SPEC_PATH } from './telco-spec';

/** The spec a service runs with, read and validated once at start. */
export interface ActiveFeatureSpec {
  /** Absolute path of the file. */
  readonly file: string;
  readonly spec: FeatureSpec;
  /** specHash(spec): what model cards and feature messages are matched by. */
  readonly hash: string;
}

/**
 * FEATURE_SPEC_FILE, for every service that needs the active spec. Parsing the configuration reads and
 * validates the file, so that a spec that does not validate stops the service at start with every
 * problem listed (`FEATURE_SPEC_FILE: specs/x.yaml: attributes[2].categories: …`).
 */
export const featureSpecEnvSchema = z.object({
  /**
   * The active feature spec (YAML): the event types and payload fields accepted beyond the contract's
   * own, and the features computed. A relative path is from the working directory; unset: the shipped
   * specs/telco.yaml of the repository.
   */
  FEATURE_SPEC_FILE: z
    .string()
    .min(1)
    .default(TELCO_SPEC_PATH)
    .transform((file, ctx): ActiveFeatureSpec => {
      try {
        const spec = loadFeatureSpec(file);
        return { file: path.resolve(file), spec, hash: specHash(spec) };
      } catch (error) {
        const problems = error instanceof FeatureSpecError ? error.problems : [(error as Error).message];
        for (const problem of problems) ctx.addIssue({ code: 'custom', message: `${file}: ${problem}` });
        return z.NEVER;
      }
    }),
});
