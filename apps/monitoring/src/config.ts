import path from 'node:path';
import { z } from 'zod';
import { featureSpecEnvSchema } from '@churn/feature-spec';
import { emailAddress, emailAddressList, smtpUrl } from '@churn/mailer';
import { schedulerEnvSchema } from '@churn/scheduler';
import { outcomeLabelWindowEnvSchema } from '@churn/config';
import { authEnvSchema, baseServiceConfigSchema } from '@churn/service-kit';
import { checkSignInEnv, signInEnvSchema } from './auth/sign-in-env';

/**
 * apps/dashboard's browser bundle (`apps/dashboard/dist/web` of the repository), found from this file
 * once compiled to apps/monitoring/dist, so it does not depend on the working directory.
 */
export const DEFAULT_DASHBOARD_DIR = path.resolve(__dirname, '..', '..', 'dashboard', 'dist', 'web');

export const monitoringConfigSchema = baseServiceConfigSchema(3005)
  // AUTH_JWT_SECRET: reads that name customers (the alert queue, an alert, the sandbox outbox) need the agent role.
  .extend(authEnvSchema.shape)
  // OIDC_*, SESSION_*: people sign in to the dashboard with the company's OpenID provider.
  .extend(signInEnvSchema.shape)
  // FEATURE_SPEC_FILE: the active spec; its business section gives the model-quality cohorts.
  .extend(featureSpecEnvSchema.shape)
  // SCHEDULE_*, SCHEDULER_TIMEZONE, JOB_*: the jobs monitoring hosts (promotion-gate, close-label-windows, the reports).
  .extend(schedulerEnvSchema.shape)
  // OUTCOME_LABEL_WINDOW_DAYS: the label-window job's window.
  .extend(outcomeLabelWindowEnvSchema.shape)
  .extend({
    /**
     * Days between a prediction and the outcome it is judged by: an outcome is joined to the customer's
     * last prediction whose `as_of` is at least this long before `observed_at`. 0 in the demo.
     */
    MONITORING_LABEL_DELAY_DAYS: z.coerce.number().min(0).max(3650).default(30),
    /** How often quality, drift and ROI figures (and their Prometheus gauges) are recomputed, in milliseconds. */
    MONITORING_REFRESH_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
    /**
     * How often a periodic refresh also recomputes drift (PSI/KS over every recent customer's feature vector,
     * the heaviest part of a refresh); in between it keeps the last drift figures. `?refresh=true` always
     * recomputes everything. Drift alerts are once a day per subject, so minutes of delay cost nothing.
     */
    MONITORING_DRIFT_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
    /**
     * How often the population's distribution of every feature (what a customer page shows a customer's
     * values against) is recomputed over all customers' newest vectors, in milliseconds.
     */
    MONITORING_POPULATION_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
    /** Share of would-be churners an intervention keeps; used for revenue saved only when no experiment measures it. */
    MONITORING_RETENTION_SUCCESS_RATE: z.coerce.number().min(0).max(1).default(0.4),
    /** Customer-lifetime-value horizon in months: revenue at risk = monthly charges × this. */
    MONITORING_CLV_MONTHS: z.coerce.number().positive().max(240).default(12),
    /** Months of monthly charges in the predictions' own `revenue_at_risk` (the scorer's REVENUE_AT_RISK_MONTHS). */
    REVENUE_AT_RISK_MONTHS: z.coerce.number().positive().max(240).default(12),
    /** Customers an experiment arm needs before its comparison is called adequately powered. */
    MONITORING_EXPERIMENT_MIN_PER_ARM: z.coerce.number().int().min(1).default(100),
    /** PSI above which a feature (or the score distribution) has drifted: 0.1 moderate, 0.25 significant. */
    MONITORING_PSI_THRESHOLD: z.coerce.number().positive().default(0.25),
    /** Two-sample KS p-value below which a numeric feature has drifted (either this or the PSI breach raises a feature-drift alert). */
    MONITORING_KS_P_VALUE: z.coerce.number().gt(0).lt(1).default(0.001),
    /** Relative ROC-AUC drop from the model card's mean CV ROC-AUC that counts as performance drift (0.05 = 5 %). */
    MONITORING_PERFORMANCE_DROP: z.coerce.number().gt(0).lt(1).default(0.05),
    /** Days of recent predictions (by scoring time) the drift figures look at. */
    MONITORING_DRIFT_WINDOW_DAYS: z.coerce.number().positive().max(3650).default(7),
    /** Fewest customers (drift) or labelled outcomes (performance) before a drift check may raise an alert. */
    MONITORING_DRIFT_MIN_SAMPLES: z.coerce.number().int().min(1).default(200),
    /** Alerting's HTTP API, which the dashboard's alert view and acknowledge button go through (with the caller's token). */
    ALERTING_URL: z.string().url().default('http://127.0.0.1:3003'),
    /**
     * crm-sync's HTTP API, which the dashboard's "CRM integrations" panel goes through: `GET /v1/integrations`
     * (open) and `POST /v1/integrations/{crm}/resume` (with the caller's token; crm-sync checks the admin role).
     */
    CRM_SYNC_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default('http://127.0.0.1:3004'),
    /**
     * The integration sandbox's outbox (`churn demo` sets it to the local Slack/SMTP/Salesforce/HubSpot
     * stand-ins it starts): the dashboard's "Sandbox outbox" page reads it through `GET /v1/sandbox/outbox`.
     * Unset (production): that endpoint answers 404.
     */
    MONITORING_SANDBOX_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    /**
     * Largest body `POST /v1/outcomes` and `POST /v1/interventions` accept, in bytes (a bigger one is
     * answered 413 before it is read whole). 5 MB is about 50,000 CSV rows.
     */
    MONITORING_IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(67_108_864).default(5_242_880),
    /**
     * The scorer's HTTP API: the promotion gate promotes a challenger through `POST /v1/models/{v}/activate`
     * (audited there), with an admin token it signs with AUTH_JWT_SECRET for that one call. The web
     * workspace's models page reads and changes the roles through monitoring's `/v1/models`, forwarded here
     * with the person's own token.
     */
    SCORER_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default('http://127.0.0.1:3002'),
    /** Whether the promotion gate promotes a challenger that passes it (on), or only tells the admins (off). */
    AUTO_PROMOTE: z
      .enum(['true', 'false', '1', '0', 'on', 'off'])
      .default('false')
      .transform((v) => v === 'true' || v === '1' || v === 'on'),
    /**
     * How much lower the challenger's mean log-loss (nats per customer) must be than the champion's on the
     * same customers' outcomes, at the one-sided confidence below, for the gate to pass it.
     */
    PROMOTION_GATE_MARGIN: z.coerce.number().min(0).max(1).default(0.005),
    /** Confidence of the lower bound of the paired bootstrap the gate compares with the margin. */
    PROMOTION_GATE_CONFIDENCE: z.coerce.number().gt(0.5).lt(1).default(0.95),
    /** Fewest customers with an outcome judged against both models before the gate decides anything. */
    PROMOTION_GATE_MIN_OUTCOMES: z.coerce.number().int().min(1).default(200),
    /** Bootstrap resamples of the paired test. */
    PROMOTION_GATE_BOOTSTRAP_SAMPLES: z.coerce.number().int().min(100).max(100_000).default(2000),
    /** The dashboard's built static files (apps/dashboard: `bash apps/dashboard/scripts/build-web.sh`, run by bootstrap). */
    MONITORING_DASHBOARD_DIR: z.string().min(1).default(DEFAULT_DASHBOARD_DIR),
    /** Customers in a report's "top at-risk" table when the request does not say (`top`). */
    REPORT_TOP_CUSTOMERS: z.coerce.number().int().min(1).max(500).default(25),
    /** Longest period one report may cover, in days (a longer `from`–`to` is answered 400). */
    REPORT_MAX_PERIOD_DAYS: z.coerce.number().int().min(1).max(3660).default(366),
    /** The SMTP server reports are e-mailed through (the same variable as alerting's); unset: reports are not e-mailed. */
    SMTP_URL: smtpUrl.optional(),
    /** Recipients of e-mailed reports, comma-separated: the retention lead. Needs SMTP_URL. */
    REPORT_EMAIL_TO: emailAddressList.optional(),
    /** Sender of report e-mails: an address the SMTP server may send as. */
    REPORT_EMAIL_FROM: emailAddress.default('Churn Radar <churn-radar@localhost>'),
    /** SMTP connection, greeting and socket-inactivity timeout of a report e-mail. */
    SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  })
  .superRefine((c, ctx) => {
    checkSignInEnv(c, ctx);
    if (c.REPORT_EMAIL_TO && !c.SMTP_URL)
      ctx.addIssue({ code: 'custom', path: ['REPORT_EMAIL_TO'], message: 'needs SMTP_URL (the SMTP server reports are sent through)' });
  })
  .refine((c) => !c.AUTO_PROMOTE || c.AUTH_JWT_SECRET !== undefined, {
    path: ['AUTO_PROMOTE'],
    message: 'needs AUTH_JWT_SECRET: the gate signs the admin token of its activation call with it',
  });

export type MonitoringConfig = z.output<typeof monitoringConfigSchema>;
