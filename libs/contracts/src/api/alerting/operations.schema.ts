import { z } from 'zod';

/** `GET /v1/alerts/rules`: the rules in effect (their shape is the rules file's) and where they came from. */
export const alertRulesAnswerSchema = z.object({ source: z.string(), loaded_at: z.string(), rules: z.record(z.string(), z.unknown()) });
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
