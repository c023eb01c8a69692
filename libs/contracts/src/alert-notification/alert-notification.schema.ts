import { z } from 'zod';
import { nulFreeText as text } from '../common/nul-free-text';
import { zonedTimestamp } from '../common/timestamp';

/** The retention team's channels a churn alert goes out on (the operators' channels carry model alerts, which name no customer). */
export const NOTIFICATION_CHANNELS = ['slack', 'email'] as const;
export const notificationChannelSchema = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannelName = z.infer<typeof notificationChannelSchema>;

/** How a delivery attempt ended: `sent` (the destination took it) or `failed` (retried later, or parked). */
export const NOTIFICATION_OUTCOMES = ['sent', 'failed'] as const;

/** Why an attempt failed, as alerting's dispatcher classifies the destination's answer. */
export const NOTIFICATION_FAILURES = ['retry', 'rate_limited', 'rejected', 'dead'] as const;

/**
 * One delivery attempt of a churn alert's notification on `alert-notifications` (key: customer_id),
 * written by alerting in the transaction that records the attempt and published by its relay at least
 * once: consumers dedupe on `notification_id`. A digest is one fact per alert it carried (`form: digest`).
 */
export const alertNotificationSchema = z
  .object({
    schema_version: z.literal(1),
    /** `<outbox key>:sent`, or `<outbox key>:failed:<attempt>`; a redelivery carries the same id. */
    notification_id: text(),
    alert_id: text(),
    customer_id: text(),
    channel: notificationChannelSchema,
    form: z.enum(['single', 'digest']),
    outcome: z.enum(NOTIFICATION_OUTCOMES),
    /** The attempt's number (1 for the first). */
    attempt: z.number().int().min(1),
    /** Why it failed; null when sent. */
    failure: z.enum(NOTIFICATION_FAILURES).nullable(),
    /** After a failure: true when the notification waits for the parked interval or an operator (no quick retry). */
    parked: z.boolean(),
    occurred_at: zonedTimestamp,
  })
  .refine((n) => (n.outcome === 'sent') === (n.failure === null), { path: ['failure'], message: 'null exactly when the outcome is sent' });

export type AlertNotification = z.infer<typeof alertNotificationSchema>;
