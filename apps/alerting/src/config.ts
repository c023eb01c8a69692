import { z } from 'zod';
import { authEnvSchema, baseServiceConfigSchema } from '@churn/service-kit';
import { emailAddress, emailAddressList, smtpUrl } from '@churn/mailer';

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

export const alertingConfigSchema = baseServiceConfigSchema(3003)
  .extend(authEnvSchema.shape)
  .extend({
    /** Slack incoming-webhook URL (a secret: never logged); unset: Slack is disabled, logged once at start. */
    SLACK_WEBHOOK_URL: httpUrl.optional(),
    /** SMTP server with credentials, `smtp://user:pass@host:587` or `smtps://…:465`; unset: e-mail is disabled. */
    SMTP_URL: smtpUrl.optional(),
    /** Recipient(s) of alert e-mails, comma-separated addresses: the retention manager. Required with SMTP_URL. */
    ALERT_EMAIL_TO: emailAddressList.optional(),
    /**
     * Sender of every e-mail (alerts and operators' model alerts): one address, optionally with a
     * display name (`Churn Radar <alerts@example.com>`). Set it to an address your SMTP server may
     * send as: many refuse or spam-file the default's `localhost` domain.
     */
    ALERT_EMAIL_FROM: emailAddress.default('Churn Radar <churn-radar@localhost>'),
    /** Operators' Slack incoming webhook for model alerts (drift, quality) from `model-alerts` (a secret); unset: not sent to Slack. */
    OPS_SLACK_WEBHOOK_URL: httpUrl.optional(),
    /** Operators' e-mail recipient(s) for model alerts, comma-separated; needs SMTP_URL. Unset: not e-mailed. */
    OPS_EMAIL_TO: emailAddressList.optional(),
    /** A model alert for the same model, kind and subject as one notified within this many hours (by its created_at) is recorded, not sent again. 0 turns it off. */
    OPS_ALERT_COOLDOWN_HOURS: z.coerce
      .number()
      .min(0)
      .max(24 * 90)
      .default(24),
    /** Hour of the day (UTC, 0–23) at which the daily digest of high alerts is e-mailed. */
    ALERT_EMAIL_DIGEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(8),
    /** YAML or JSON rules file (levels, score jump, cool-down, suppression, routing, SLA targets); unset: built-in defaults. */
    ALERTING_RULES_FILE: z.string().min(1).optional(),
    /** How often the rules file is checked for changes. */
    ALERTING_RULES_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
    /** Base URL of the dashboard that Slack and e-mail link to (the alert id is appended as `alerts/<id>`). */
    DASHBOARD_URL: httpUrl.default('http://127.0.0.1:3005/'),
    /** How often the dispatcher looks for due notifications. */
    NOTIFY_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
    /** Slack messages per second per webhook, across all instances (Slack allows about 1). */
    SLACK_MAX_MESSAGES_PER_SECOND: z.coerce.number().positive().max(50).default(1),
    /** Most alerts one Slack digest lists (one section block each; Slack allows 50 blocks per message). */
    SLACK_DIGEST_MAX_ALERTS: z.coerce.number().int().min(2).max(45).default(40),
    /** Timeout of one Slack request. */
    SLACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** SMTP connection, greeting and socket-inactivity timeout: a server silent for this long is given up on and the mail retried later. */
    SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    /** Critical e-mails sent per dispatcher pass. */
    EMAIL_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(50),
    /** Attempts per notification before it is parked (429, 5xx, timeouts and connection errors count). */
    NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    /** First back-off after a failed attempt; doubles per attempt, with full jitter. */
    NOTIFY_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(1000),
    /** Longest back-off between two attempts. */
    NOTIFY_BACKOFF_MAX_MS: z.coerce.number().int().min(1).default(300_000),
    /** How often a parked notification is tried again (it is never dropped). */
    NOTIFY_PARKED_RETRY_MS: z.coerce.number().int().min(100).default(900_000),
    /** How often the SLA gauges, destination gauges and outbox counts are refreshed from Postgres. */
    SLA_REFRESH_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    /** Days of prediction scores kept for the score-jump rule (at least the rule's window is always kept). */
    ALERTING_SCORE_HISTORY_DAYS: z.coerce.number().int().min(1).max(3650).default(35),
    /**
     * Hours an acknowledgment counts as an open intervention (suppressing the customer's alerts of the
     * same or a lower level). After that the alert is `expired` and the customer can be alerted again.
     * Fractions allowed (0.5 = 30 minutes); at most a year.
     */
    ALERT_ACK_EXPIRY_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(72),
    /** How often acknowledgments past ALERT_ACK_EXPIRY_HOURS are marked expired (rule evaluation ignores them from the moment they run out either way). */
    ALERT_EXPIRY_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    /** How often the relay looks for alert changes to publish on `alert-updates` (it also runs right after each change this instance makes). */
    ALERT_UPDATES_RELAY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    /** Most alert changes one relay pass publishes. */
    ALERT_UPDATES_RELAY_BATCH: z.coerce.number().int().min(1).max(5000).default(500),
    /** Hours a published alert change is kept in the outbox before it is deleted. */
    ALERT_UPDATES_KEEP_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(168),
  })
  .superRefine((c, ctx) => {
    if (c.SMTP_URL && !c.ALERT_EMAIL_TO) ctx.addIssue({ code: 'custom', path: ['ALERT_EMAIL_TO'], message: 'is required when SMTP_URL is set' });
    if (c.OPS_EMAIL_TO && !c.SMTP_URL) ctx.addIssue({ code: 'custom', path: ['OPS_EMAIL_TO'], message: 'needs SMTP_URL (the SMTP server it is sent through)' });
  });

export type AlertingConfig = z.output<typeof alertingConfigSchema>;
