import fs from 'node:fs';
import { z } from 'zod';
import { booleanString } from '@churn/config';
import { featureSpecEnvSchema } from '@churn/feature-spec';
import { DEFAULT_REGISTRY_DIR, retentionRulesSchema, rulesForBusiness } from '@churn/scoring';
import { authEnvSchema, baseServiceConfigSchema } from '@churn/service-kit';

const retentionRulesFile = z
  .string()
  .min(1)
  .transform((file, ctx) => {
    try {
      return retentionRulesSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `cannot use ${file}: ${(error as Error).message}` });
      return z.NEVER;
    }
  });

export const scorerConfigSchema = baseServiceConfigSchema(3002)
  // AUTH_JWT_SECRET: the platform's bearer tokens; registry operations need the admin role.
  .extend(authEnvSchema.shape)
  // FEATURE_SPEC_FILE: the active spec; its business section gives revenue at risk and the playbook.
  .extend(featureSpecEnvSchema.shape)
  .extend({
    /** Directory of a model version to serve as champion, overriding the registry (contract: MODEL_DIR). */
    MODEL_DIR: z.string().min(1).optional(),
    /** The model registry: one folder per version plus the `active` pointer, written by `churn train`. */
    MODEL_REGISTRY_DIR: z.string().min(1).default(DEFAULT_REGISTRY_DIR),
    /** How often each instance checks `model_versions` for a new champion or shadow (hot swap). */
    MODEL_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
    /** How far beyond the training range (fraction of the range) a number may go before it is refused. */
    FEATURE_RANGE_TOLERANCE: z.coerce.number().min(0).max(10).default(0.25),
    /** Lower bound of the critical risk level on the 0–100 score (operations guide: 80). */
    RISK_LEVEL_CRITICAL: z.coerce.number().int().min(1).max(100).default(80),
    /** Lower bound of the high risk level (operations guide: 60). */
    RISK_LEVEL_HIGH: z.coerce.number().int().min(1).max(100).default(60),
    /** Lower bound of the medium risk level (operations guide: 40). */
    RISK_LEVEL_MEDIUM: z.coerce.number().int().min(1).max(100).default(40),
    /** Months of monthly charges counted as revenue at risk (overrides the rules file's value). */
    REVENUE_AT_RISK_MONTHS: z.coerce.number().positive().optional(),
    /** JSON file of retention rules (levels, factor rules); unset: the operations guide's levels and the spec's playbook. */
    RETENTION_RULES_FILE: retentionRulesFile.optional(),
    /** Name of the running retention experiment; unset: no experiment, no arm on predictions. */
    EXPERIMENT_NAME: z.string().min(1).optional(),
    /** Share of customers in the experiment's control arm (no action taken), 0–1. */
    EXPERIMENT_CONTROL_FRACTION: z.coerce.number().min(0).max(1).default(0.2),
    /** Consume customer-features (the stream); false serves only the HTTP API, e.g. for an API-only deployment. */
    SCORER_STREAM_ENABLED: booleanString.default(true),
    /** Compute top factors on the stream (false halves nothing but the explanation cost; predictions then carry none). */
    STREAM_EXPLANATIONS: booleanString.default(true),
    /** Requests per client and window on the public endpoints. */
    RATE_LIMIT_REQUESTS: z.coerce.number().int().min(1).default(2000),
    /** Rate-limit window in milliseconds. */
    RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(1000),
    /**
     * `required`: `POST /v1/predict` and `/v1/predict/batch` need a bearer token with the `service`
     * (or `admin`) role. `off` (default): they stay open, because they answer only about the
     * attributes the caller sends (nothing stored is read, nothing is stored or published) and are
     * rate-limited per client; set `required` wherever the scorer is reachable from outside the
     * platform's own network, so that the model cannot be queried (or its CPU spent) anonymously.
     */
    SCORER_PREDICT_AUTH: z.enum(['off', 'required']).default('off'),
    /** Most rows one batch request may carry. */
    BATCH_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
    /** How often the relay looks for registry changes to publish on `model-registry`. */
    MODEL_REGISTRY_RELAY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    /** Hours a published registry change is kept in the outbox before it is deleted. */
    MODEL_REGISTRY_KEEP_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(168),
  })
  .superRefine((c, ctx) => {
    if (!(c.RISK_LEVEL_CRITICAL > c.RISK_LEVEL_HIGH && c.RISK_LEVEL_HIGH > c.RISK_LEVEL_MEDIUM)) {
      ctx.addIssue({ code: 'custom', path: ['RISK_LEVEL_HIGH'], message: 'risk levels must satisfy CRITICAL > HIGH > MEDIUM' });
    }
  });

export type ScorerConfig = z.output<typeof scorerConfigSchema>;

export function retentionRulesOf(config: ScorerConfig) {
  const rules = rulesForBusiness(config.FEATURE_SPEC_FILE.spec.business, config.RETENTION_RULES_FILE);
  return config.REVENUE_AT_RISK_MONTHS ? { ...rules, revenue_at_risk_months: config.REVENUE_AT_RISK_MONTHS } : rules;
}
