import { z } from 'zod';
import { riskLevelSchema } from '../../prediction/risk-level';

/** The rules in effect: the rules file with every default filled in (alerting's alert-rules.schema.ts reads the file). */
export const alertRulesInEffectSchema = z.object({
  levels: z.array(riskLevelSchema),
  score_jump: z.object({ enabled: z.boolean(), min_points: z.number(), within_days: z.number() }),
  cooldown: z.object({ days: z.number() }),
  suppress: z.object({ control_arm: z.boolean(), open_intervention: z.boolean() }),
  routing: z.object({ slack: z.array(riskLevelSchema), email_immediate: z.array(riskLevelSchema), email_daily_digest: z.array(riskLevelSchema) }),
  sla_hours: z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number() }),
});
export type AlertRulesInEffect = z.infer<typeof alertRulesInEffectSchema>;

/** `GET /v1/alerts/rules`: the rules in effect and where they came from. */
export const alertRulesAnswerSchema = z.object({ source: z.string(), loaded_at: z.string(), rules: alertRulesInEffectSchema });
export type AlertRulesAnswer = z.infer<typeof alertRulesAnswerSchema>;

export const levelSlaSchema = z.object({
  level: z.string(),
  target_hours: z.number(),
  acknowledged: z.number(),
  median_hours_to_acknowledge: z.number().nullable(),
  p90_hours_to_acknowledge: z.number().nullable(),
  acknowledged_late: z.number(),
  pending: z.number(),
  breaching: z.number(),
  oldest_pending_at: z.string().nullable(),
});

/** `GET /v1/alerts/sla`. */
export const slaAnswerSchema = z.object({ since: z.string(), levels: z.array(levelSlaSchema) });
export type SlaAnswer = z.infer<typeof slaAnswerSchema>;

/** The retention team's channels and the operators' (model alerts). */
const channelSchema = z.enum(['slack', 'email', 'ops_slack', 'ops_email']);

/** `GET /v1/alerts/destinations`: each notification destination, up or dead and why. */
export const destinationsAnswerSchema = z.object({
  destinations: z.array(
    z.object({ channel: channelSchema, status: z.enum(['up', 'dead']), dead_reason: z.string().nullable(), dead_since: z.string().nullable() }),
  ),
});
export type DestinationsAnswer = z.infer<typeof destinationsAnswerSchema>;

/** `POST /v1/alerts/destinations/{channel}/revive`. */
export const reviveAnswerSchema = z.object({ channel: channelSchema, status: z.literal('up'), unparked: z.number() });
export type ReviveAnswer = z.infer<typeof reviveAnswerSchema>;

/** `POST /v1/alerts/digests/email`: at most one digest per day. */
export const emailDigestAnswerSchema = z.object({ digest_key: z.string(), created: z.boolean(), alerts: z.number() });
export type EmailDigestAnswer = z.infer<typeof emailDigestAnswerSchema>;
