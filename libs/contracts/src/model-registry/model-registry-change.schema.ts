import { z } from 'zod';
import { nulFreeText as text } from '../common/nul-free-text';
import { zonedTimestamp } from '../common/timestamp';

/** What happened in the model registry: a version registered, made champion or shadow, shadow scoring stopped, a rollout started or ended. */
export const MODEL_REGISTRY_CHANGE_KINDS = ['registered', 'champion', 'shadow', 'shadow_cleared', 'rollout_started', 'rollout_ended'] as const;
export type ModelRegistryChangeKind = (typeof MODEL_REGISTRY_CHANGE_KINDS)[number];

/** The version serving a share of live customers beside the champion, and that share. */
export const rolloutAssignmentSchema = z.object({ version: text(), share: z.number().gt(0).lt(1) });
export type RolloutAssignment = z.infer<typeof rolloutAssignmentSchema>;

/** Which versions score (champion), shadow, and serve a share of customers (rollout). */
export const modelAssignmentsSchema = z.object({
  champion: text().nullable(),
  shadow: text().nullable(),
  rollout: rolloutAssignmentSchema.nullable(),
});
export type ModelAssignments = z.infer<typeof modelAssignmentsSchema>;

/**
 * One change of the scorer's model registry on `model-registry` (key: a constant, one partition),
 * written by the scorer's registry in the change's transaction and published by its relay at least
 * once. It carries the whole assignment after the change and the registry's `revision` then (strictly
 * increasing, one per change, in commit order): a consumer applies an assignment only over an older
 * revision, so a re-delivered or late message never brings back an older state. The card of the
 * version the change is about travels with it (a card never changes after registration), one card a
 * message: a card is tens of kB, far below the broker's 1 MB message limit.
 */
export const modelRegistryChangeSchema = z.object({
  schema_version: z.literal(1),
  revision: z.number().int().min(1),
  kind: z.enum(MODEL_REGISTRY_CHANGE_KINDS),
  version: text(),
  card: z.record(z.string(), z.unknown()),
  registered_at: zonedTimestamp,
  assignments: modelAssignmentsSchema,
  /** Who made the current champion champion (a person, `scorer:startup`, a promotion gate run); null without a champion. */
  champion_activated_by: text().nullable(),
  actor: text().nullable(),
  occurred_at: zonedTimestamp,
});

export type ModelRegistryChange = z.infer<typeof modelRegistryChangeSchema>;
