import { z } from 'zod';

export const MODEL_REGISTRY_ROLES = ['champion', 'shadow', 'rollout', 'registered', 'retired'] as const;
export const modelRegistryRoleSchema = z.enum(MODEL_REGISTRY_ROLES);
export type ModelRegistryRole = z.infer<typeof modelRegistryRoleSchema>;

export const HOLDOUT_FIGURES = ['roc_auc', 'pr_auc', 'brier', 'lift_top_decile', 'ece'] as const;

/** How a version loaded on the answering instance computes explanations, and the load-time additivity check. */
export const explanationInfoSchema = z.object({
  method: z.string(),
  path: z.enum(['additive_logit', 'full_evaluation']),
  additivity: z
    .object({ additive: z.boolean(), maxDifference: z.number(), rowsChecked: z.number(), tolerance: z.number(), reason: z.string().nullable() })
    .nullable(),
});

export const registeredModelSchema = z.object({
  version: z.string(),
  role: modelRegistryRoleSchema,
  rollout_share: z.number().nullable(),
  /** The role the version serves on the answering instance; null when it is not loaded there. */
  serving_on_this_instance: z.enum(['champion', 'shadow', 'rollout']).nullable(),
  files_present: z.boolean(),
  registered_at: z.string(),
  activated_at: z.string().nullable(),
  activated_by: z.string().nullable(),
  /** The model card's, null when it has none. */
  model_type: z.string().nullable(),
  created_at: z.string().nullable(),
  /** The card's holdout figures among HOLDOUT_FIGURES; null for a card without them. */
  holdout_metrics: z.partialRecord(z.enum(HOLDOUT_FIGURES), z.number()).nullable(),
  explanation: explanationInfoSchema.nullable(),
});
export type RegisteredModel = z.infer<typeof registeredModelSchema>;

/** `GET /v1/models` (also through monitoring). */
export const modelRegistrySchema = z.object({
  rollout: z
    .object({ version: z.string(), share: z.number().nullable(), champion: z.string().nullable(), since: z.string().nullable(), by: z.string().nullable() })
    .nullable(),
  models: z.array(registeredModelSchema),
});
export type ModelRegistry = z.infer<typeof modelRegistrySchema>;

/** Which version serves as champion, shadow and rollout after a change. */
export const servingModelsSchema = z.object({
  champion: z.string(),
  shadow: z.string().nullable(),
  rollout: z.object({ version: z.string(), share: z.number() }).nullable(),
});

/** `POST /v1/models/{version}/activate` and `…/shadow`. */
export const modelAssignmentAnswerSchema = z.object({
  version: z.string(),
  role: z.enum(['champion', 'shadow']),
  activated_by: z.string(),
  serving: servingModelsSchema,
});
/** `POST /v1/models/{version}/rollout`. */
export type ModelAssignmentAnswer = z.infer<typeof modelAssignmentAnswerSchema>;
export const modelRolloutAnswerSchema = z.object({ version: z.string(), share: z.number(), activated_by: z.string(), serving: servingModelsSchema });
/** `POST /v1/models/rollout/rollback`. */
export const modelRollbackAnswerSchema = z.object({
  rolled_back: z.object({ version: z.string(), share: z.number() }).nullable(),
  rolled_back_by: z.string(),
  serving: servingModelsSchema,
});
export type ModelRollbackAnswer = z.infer<typeof modelRollbackAnswerSchema>;
export type ModelRolloutAnswer = z.infer<typeof modelRolloutAnswerSchema>;
