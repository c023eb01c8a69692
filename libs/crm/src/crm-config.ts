import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalText = z.string().trim().min(1).optional().or(z.literal('').transform(() => undefined));
const apiName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'must be an API name (letters, digits, _)' });
const hubspotName = z.string().regex(/^[a-z][a-z0-9_]*$/, { message: 'must be a HubSpot internal name (lower case, digits, _)' });
const missingCustomer = z.enum(['create', 'skip'], { message: 'must be create or skip' });
const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as America/New_York' },
);
const ms = (fallback: number) => z.coerce.number().int().min(0).max(86_400_000).default(fallback);

/**
 * The CRM integration's environment, shared by the crm-sync service and `churn crm …`.
 * A CRM is enabled when its credentials are set; otherwise it is disabled (logged once at start).
 * Credentials are read here only and never logged.
 */
export const crmEnvSchema = z.object({
  /** Salesforce instance base URL, e.g. https://acme.my.salesforce.com. Unset: Salesforce disabled. */
  SALESFORCE_INSTANCE_URL: optionalText,
  /** OAuth 2.0 token endpoint base (…/services/oauth2/token is appended). */
  SALESFORCE_LOGIN_URL: z.string().url().default('https://login.salesforce.com'),
  /** Connected app consumer key (client id). */
  SALESFORCE_CLIENT_ID: optionalText,
  /** Connected app consumer secret (refresh-token flow). */
  SALESFORCE_CLIENT_SECRET: optionalText,
  /** Refresh token of the integration user (refresh-token flow). */
  SALESFORCE_REFRESH_TOKEN: optionalText,
  /** Integration user name (JWT bearer flow, with SALESFORCE_PRIVATE_KEY). */
  SALESFORCE_USERNAME: optionalText,
  /** PEM private key whose certificate is uploaded to the connected app (JWT bearer flow); `\n` escapes allowed. */
  SALESFORCE_PRIVATE_KEY: optionalText,
  /** REST API version; jsforce would otherwise use 50.0. */
  SALESFORCE_API_VERSION: z.string().regex(/^\d+\.0$/, { message: 'must look like 62.0' }).default('62.0'),
  /** sObject that carries the churn fields: Account (default) or Contact. */
  SALESFORCE_OBJECT: z.enum(['Account', 'Contact']).default('Account'),
  /** External-id field of that object holding our customer_id (upsert key). */
  SALESFORCE_EXTERNAL_ID_FIELD: apiName.default('Customer_Id__c'),
  SALESFORCE_FIELD_RISK_SCORE: apiName.default('Churn_Risk_Score__c'),
  SALESFORCE_FIELD_PROBABILITY: apiName.default('Churn_Probability__c'),
  SALESFORCE_FIELD_RISK_CATEGORY: apiName.default('Churn_Risk_Category__c'),
  SALESFORCE_FIELD_RETENTION_ACTION: apiName.default('Retention_Action__c'),
  SALESFORCE_FIELD_SCORED_AT: apiName.default('Churn_Scored_At__c'),
  /** External-id field on Task holding the alert_id: makes task creation an idempotent upsert. */
  SALESFORCE_TASK_EXTERNAL_ID_FIELD: apiName.default('Churn_Alert_Id__c'),
  /**
   * A customer with no Account/Contact: `skip` (default) skips the write, counted in
   * crm_sync_missing_customers_total and logged once a day per customer; `create` creates the record
   * (Name/LastName = customer_id, owned by the integration user). Skip by default: records in the CRM
   * belong to sales operations, and a customer missing there is more often an external id not yet
   * filled in than a customer to add (creating it would make a duplicate).
   */
  SALESFORCE_MISSING_CUSTOMER: missingCustomer.default('skip'),
  /**
   * How long the whole Salesforce integration waits after REQUEST_LIMIT_EXCEEDED (the org's rolling
   * 24-hour API limit, which gives no reset time) before one call tries again.
   */
  SALESFORCE_REQUEST_LIMIT_WAIT_MS: ms(900_000),

  /** HubSpot private-app access token. Unset: HubSpot disabled. */
  HUBSPOT_ACCESS_TOKEN: optionalText,
  /** API base URL (tests point it at a local server). */
  HUBSPOT_BASE_PATH: z.string().url().default('https://api.hubapi.com'),
  /** Object carrying the churn properties: contacts (default) or companies. */
  HUBSPOT_OBJECT: z.enum(['contacts', 'companies']).default('contacts'),
  /** Unique property of that object holding our customer_id (batch update by idProperty). */
  HUBSPOT_ID_PROPERTY: hubspotName.default('churn_customer_id'),
  HUBSPOT_PROPERTY_RISK_SCORE: hubspotName.default('churn_risk_score'),
  HUBSPOT_PROPERTY_RISK_CATEGORY: hubspotName.default('churn_risk_category'),
  HUBSPOT_PROPERTY_RETENTION_ACTION: hubspotName.default('retention_action'),
  /** Property group the custom properties are created in when missing. */
  HUBSPOT_PROPERTY_GROUP: hubspotName.default('contactinformation'),
  /** A customer with no contact/company: `skip` (default, same reasons as SALESFORCE_MISSING_CUSTOMER) or `create` it. */
  HUBSPOT_MISSING_CUSTOMER: missingCustomer.default('skip'),
  /** Time zone of the HubSpot account: its daily API limit resets at midnight there (a daily-limit 429 waits until then). */
  HUBSPOT_ACCOUNT_TIME_ZONE: timeZone.default('UTC'),
  /**
   * HubSpot calls one instance makes per HUBSPOT_BURST_WINDOW_MS (token bucket). HubSpot's burst limit
   * (100 per 10 s on Free/Starter, 190 on Professional/Enterprise) is per app, shared by all
   * instances and other integrations of the app: give each instance its share.
   */
  HUBSPOT_BURST_REQUESTS: z.coerce.number().int().min(1).max(1000).default(40),
  HUBSPOT_BURST_WINDOW_MS: z.coerce.number().int().min(100).max(86_400_000).default(10_000),

  /** A score is pushed when its category changed or it moved by at least this many points since the last push. */
  CRM_SCORE_CHANGE_THRESHOLD: z.coerce.number().int().min(0).max(100).default(5),
  /** Log what would be sent instead of calling the CRMs (outbox rows are marked skipped, reason "dry run"). */
  CRM_SYNC_DRY_RUN: flag.default(false),
  /** How often each CRM's drain loop looks for due outbox rows when idle. */
  CRM_DRAIN_INTERVAL_MS: ms(1000),
  /** Lease on claimed outbox rows: longer than a CRM call can take. */
  CRM_CLAIM_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  /** Failed attempts of a record (its own errors: validation, lock, per-record 5xx) before it is parked and dead-lettered. */
  CRM_RETRY_BUDGET: z.coerce.number().int().min(1).max(100).default(8),
  /** First retry delay; doubles per attempt with jitter, capped at CRM_RETRY_MAX_MS. */
  CRM_RETRY_BASE_MS: ms(2000),
  CRM_RETRY_MAX_MS: ms(300_000),
  /** Wait after a HubSpot 429 that names neither its policy nor a wait (no Retry-After, no interval header). */
  CRM_RATE_LIMIT_WAIT_MS: ms(60_000),
  /** While an integration is paused, how often one instance probes it (the field check) to resume it by itself. */
  CRM_PAUSE_PROBE_INTERVAL_MS: ms(300_000),
  /** A CRM call taking longer counts as a failure (timeout). */
  CRM_CALL_TIMEOUT_MS: ms(20_000),
  /** Circuit breaker: failure percentage (over the rolling window) that opens it. */
  CRM_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
  /** Circuit breaker: calls in the window before it may open. */
  CRM_BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(3),
  /** Circuit breaker: how long it stays open before one trial call. */
  CRM_BREAKER_RESET_MS: ms(30_000),
  /** Due date of a retention task, in hours after the alert, by level (operations guide SLAs). */
  CRM_TASK_DUE_HOURS_CRITICAL: z.coerce.number().min(1).max(24 * 60).default(24),
  CRM_TASK_DUE_HOURS_HIGH: z.coerce.number().min(1).max(24 * 60).default(48),
});

export type CrmEnv = z.output<typeof crmEnvSchema>;

export interface SalesforceSettings {
  readonly instanceUrl: string;
  readonly loginUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly refreshToken?: string;
  readonly username?: string;
  readonly privateKey?: string;
  readonly apiVersion: string;
  readonly object: 'Account' | 'Contact';
  readonly externalIdField: string;
  readonly fields: { riskScore: string; probability: string; riskCategory: string; retentionAction: string; scoredAt: string };
  readonly taskExternalIdField: string;
  readonly missingCustomer: 'create' | 'skip';
  readonly requestLimitWaitMs: number;
}

export interface HubSpotSettings {
  readonly accessToken: string;
  readonly basePath: string;
  readonly object: 'contacts' | 'companies';
  readonly idProperty: string;
  readonly properties: { riskScore: string; riskCategory: string; retentionAction: string };
  readonly propertyGroup: string;
  readonly missingCustomer: 'create' | 'skip';
  readonly accountTimeZone: string;
  readonly burst: { readonly requests: number; readonly windowMs: number };
}

/** Salesforce settings when enough is configured to authenticate, otherwise why not. */
export function salesforceSettings(env: CrmEnv): SalesforceSettings | { disabled: string } {
  if (!env.SALESFORCE_INSTANCE_URL) return { disabled: 'SALESFORCE_INSTANCE_URL is unset' };
  if (!env.SALESFORCE_CLIENT_ID) return { disabled: 'SALESFORCE_CLIENT_ID is unset' };
  const jwt = Boolean(env.SALESFORCE_USERNAME && env.SALESFORCE_PRIVATE_KEY);
  if (!env.SALESFORCE_REFRESH_TOKEN && !jwt) return { disabled: 'neither SALESFORCE_REFRESH_TOKEN nor SALESFORCE_USERNAME + SALESFORCE_PRIVATE_KEY is set' };
  return {
    instanceUrl: env.SALESFORCE_INSTANCE_URL.replace(/\/$/, ''),
    loginUrl: env.SALESFORCE_LOGIN_URL.replace(/\/$/, ''),
    clientId: env.SALESFORCE_CLIENT_ID,
    clientSecret: env.SALESFORCE_CLIENT_SECRET,
    refreshToken: env.SALESFORCE_REFRESH_TOKEN,
    username: env.SALESFORCE_USERNAME,
    privateKey: env.SALESFORCE_PRIVATE_KEY?.replace(/\\n/g, '\n'),
    apiVersion: env.SALESFORCE_API_VERSION,
    object: env.SALESFORCE_OBJECT,
    externalIdField: env.SALESFORCE_EXTERNAL_ID_FIELD,
    fields: {
      riskScore: env.SALESFORCE_FIELD_RISK_SCORE,
      probability: env.SALESFORCE_FIELD_PROBABILITY,
      riskCategory: env.SALESFORCE_FIELD_RISK_CATEGORY,
      retentionAction: env.SALESFORCE_FIELD_RETENTION_ACTION,
      scoredAt: env.SALESFORCE_FIELD_SCORED_AT,
    },
    taskExternalIdField: env.SALESFORCE_TASK_EXTERNAL_ID_FIELD,
    missingCustomer: env.SALESFORCE_MISSING_CUSTOMER,
    requestLimitWaitMs: env.SALESFORCE_REQUEST_LIMIT_WAIT_MS,
  };
}

export function hubspotSettings(env: CrmEnv): HubSpotSettings | { disabled: string } {
  if (!env.HUBSPOT_ACCESS_TOKEN) return { disabled: 'HUBSPOT_ACCESS_TOKEN is unset' };
  return {
    accessToken: env.HUBSPOT_ACCESS_TOKEN,
    basePath: env.HUBSPOT_BASE_PATH.replace(/\/$/, ''),
    object: env.HUBSPOT_OBJECT,
    idProperty: env.HUBSPOT_ID_PROPERTY,
    properties: {
      riskScore: env.HUBSPOT_PROPERTY_RISK_SCORE,
      riskCategory: env.HUBSPOT_PROPERTY_RISK_CATEGORY,
      retentionAction: env.HUBSPOT_PROPERTY_RETENTION_ACTION,
    },
    propertyGroup: env.HUBSPOT_PROPERTY_GROUP,
    missingCustomer: env.HUBSPOT_MISSING_CUSTOMER,
    accountTimeZone: env.HUBSPOT_ACCOUNT_TIME_ZONE,
    burst: { requests: env.HUBSPOT_BURST_REQUESTS, windowMs: env.HUBSPOT_BURST_WINDOW_MS },
  };
}
