import { z } from 'zod';

/** `POST /v1/models/{version}/rollout`: the share of live customers the version serves; why, for the audit log. */
export const rolloutRequestSchema = z.object({
  share: z.number().min(0).max(1),
  reason: z.string().trim().min(1).max(500).optional(),
});
export type RolloutRequest = z.output<typeof rolloutRequestSchema>;

/** `POST /v1/models/rollout/rollback`: the reason is required — a rollback is what someone reads about later. */
export const rollbackRequestSchema = z.object({
  reason: z.string().trim().min(1).max(500),
});
export type RollbackRequest = z.output<typeof rollbackRequestSchema>;
