import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';

const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalText = z
  .string()
  .trim()
  .min(1)
  .optional()
  .or(z.literal('').transform(() => undefined));
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
  /**
   * How crm-sync signs in to Salesforce: `jwt_bearer` (SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME,
   * SALESFORCE_PRIVATE_KEY), `client_credentials` (SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET and a
   * My Domain SALESFORCE_LOGIN_URL) or `refresh_token` (SALESFORCE_CLIENT_ID, SALESFORCE_REFRESH_TOKEN,
   * usually SALESFORCE_CLIENT_SECRET). Unset: inferred from what is set, in that order (a private key or
   * user name means jwt_bearer, a refresh token refresh_token, a client secret alone client_credentials).
   * Salesforce is disabled when neither this nor any credential is set; a flow with a missing variable
   * stops the service at start, naming it.
   */
  SALESFORCE_AUTH_FLOW: z
    .enum(['jwt_bearer', 'client_credentials', 'refresh_token'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * Expected instance URL (optional). The instance calls go to is always the `instance_url` of the token
   * response; when this is set and differs, that is logged once at sign-in.
   */
  SALESFORCE_INSTANCE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * Login host: the token endpoint is `<this>/services/oauth2/token`. https://login.salesforce.com,
   * https://test.salesforce.com (sandboxes) or the org's My Domain URL (required for client_credentials).
   */
  SALESFORCE_LOGIN_URL: z.string().url().default('https://login.salesforce.com'),
  /** `aud` of the JWT bearer assertion; defaults to SALESFORCE_LOGIN_URL (the login host, never the instance). */
  SALESFORCE_JWT_AUDIENCE: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Connected app consumer key (client id). */
  SALESFORCE_CLIENT_ID: optionalText,
  /** Connected app consumer secret (client_credentials; refresh_token when the app requires it). */
  SALESFORCE_CLIENT_SECRET: optionalText,
  /** Refresh token of the integration user (refresh_token flow). */
  SALESFORCE_REFRESH_TOKEN: optionalText,
  /** Integration user name (jwt_bearer flow: the assertion's `sub`). */
  SALESFORCE_USERNAME: optionalText,
  /** PEM RSA private key (PKCS#8 or PKCS#1) whose certificate is uploaded to the connected app (jwt_bearer); `\n` escapes allowed. */
  SALESFORCE_PRIVATE_KEY: optionalText,
  /** REST API version; jsforce would otherwise use 50.0. */
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d+\.0$/, { message: 'must look like 62.0' })
    .default('62.0'),
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
  /**
   * Property group the custom properties are created in when missing. Unset: the object's own
   * information group (`contactinformation` for contacts, `companyinformation` for companies). Any
   * other name is created through the properties API (label "Churn Radar") when it does not exist.
   */
  HUBSPOT_PROPERTY_GROUP: hubspotName.optional().or(z.literal('').transform(() => undefined)),
  /** A customer with no contact/company: `skip` (default, same reasons as SALESFORCE_MISSING_CUSTOMER) or `create` it. */
  HUBSPOT_MISSING_CUSTOMER: missingCustomer.default('skip'),
  /** Time zone of the HubSpot account: its daily API limit resets at midnight there (a daily-limit 429 waits until then). */
  HUBSPOT_ACCOUNT_TIME_ZONE: timeZone.default('UTC'),
  /**
   * HubSpot calls one instance makes per HUBSPOT_BURST_WINDOW_MS, evenly spaced with a tenth of the window in hand. HubSpot's burst limit
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
  CRM_TASK_DUE_HOURS_CRITICAL: z.coerce
    .number()
    .min(1)
    .max(24 * 60)
    .default(24),
  CRM_TASK_DUE_HOURS_HIGH: z.coerce
    .number()
    .min(1)
    .max(24 * 60)
    .default(48),
  /**
   * How often each enabled CRM is asked for the platform's retention tasks completed since the last
   * read (recorded as interventions by monitoring); 0 turns the periodic read-back off (the scheduler
   * or `churn crm readback` can still run it).
   */
  CRM_READBACK_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(900),
  /**
   * A churned customer's open retention tasks: `annotate` (default) appends a note saying the customer
   * churned and leaves closing them to their owner; `close` also closes them
   * (SALESFORCE_CHURNED_TASK_STATUS, HubSpot COMPLETED); `leave` does nothing.
   */
  CRM_CHURNED_TASKS: z.enum(['close', 'annotate', 'leave'], { message: 'must be close, annotate or leave' }).default('annotate'),
  /** Records per SOQL query page asked of Salesforce (Sforce-Query-Options batchSize: 200–2,000; Salesforce may answer with fewer). */
  SALESFORCE_QUERY_BATCH_SIZE: z.coerce.number().int().min(200).max(2000).default(2000),
  /** The closed Task status a churned customer's tasks are set to with CRM_CHURNED_TASKS=close (a closed value of the org's Task Status picklist). */
  SALESFORCE_CHURNED_TASK_STATUS: z.string().trim().min(1).max(40).default('Completed'),
  /** Results per page of the HubSpot CRM search the read-back makes (HubSpot allows at most 200). */
  HUBSPOT_SEARCH_PAGE_SIZE: z.coerce.number().int().min(1).max(200).default(200),
});

export type CrmEnv = z.output<typeof crmEnvSchema>;

export type SalesforceAuthFlow = 'jwt_bearer' | 'client_credentials' | 'refresh_token';

export interface SalesforceSettings {
  readonly flow: SalesforceAuthFlow;
  /** Expected instance (logged when the token response names another); calls go to the token's instance. */
  readonly instanceUrl?: string;
  readonly loginUrl: string;
  readonly jwtAudience: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly refreshToken?: string;
  readonly username?: string;
  readonly privateKey?: string;
  readonly apiVersion: string;
  /** Deadline of one gateway call, sign-in and repeated call included (CRM_CALL_TIMEOUT_MS; 0: none). */
  readonly callTimeoutMs: number;
  readonly object: 'Account' | 'Contact';
  readonly externalIdField: string;
  readonly fields: { riskScore: string; probability: string; riskCategory: string; retentionAction: string; scoredAt: string };
  readonly taskExternalIdField: string;
  readonly missingCustomer: 'create' | 'skip';
  readonly requestLimitWaitMs: number;
  /** Records per SOQL query page asked for (Sforce-Query-Options batchSize). */
  readonly queryBatchSize: number;
  /** The Task status a churned customer's open tasks are closed with. */
  readonly churnedTaskStatus: string;
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
  /** Results per CRM search page (at most 200). */
  readonly searchPageSize: number;
  /** Results one search query may page through: HubSpot's 10,000 unless a test lowers it. */
  readonly searchResultLimit?: number;
  /** A socket of a call that carries nothing this long is closed (CRM_CALL_TIMEOUT_MS; 0: none). */
  readonly callTimeoutMs: number;
}

/** The variables each Salesforce sign-in flow needs. */
const FLOW_VARIABLES: Record<SalesforceAuthFlow, readonly (keyof CrmEnv)[]> = {
  jwt_bearer: ['SALESFORCE_CLIENT_ID', 'SALESFORCE_USERNAME', 'SALESFORCE_PRIVATE_KEY'],
  client_credentials: ['SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET'],
  refresh_token: ['SALESFORCE_CLIENT_ID', 'SALESFORCE_REFRESH_TOKEN'],
};

/** Login hosts shared by all orgs: the client-credentials flow needs the org's own My Domain instead. */
const SHARED_LOGIN_HOSTS = new Set(['login.salesforce.com', 'test.salesforce.com']);

/** The sign-in flow: the configured one, or the one the set credentials point to; undefined when Salesforce is not configured. */
export function salesforceAuthFlow(env: CrmEnv): SalesforceAuthFlow | undefined {
  if (env.SALESFORCE_AUTH_FLOW) return env.SALESFORCE_AUTH_FLOW;
  if (env.SALESFORCE_PRIVATE_KEY || env.SALESFORCE_USERNAME) return 'jwt_bearer';
  if (env.SALESFORCE_REFRESH_TOKEN) return 'refresh_token';
  if (env.SALESFORCE_CLIENT_SECRET) return 'client_credentials';
  return undefined;
}

/**
 * Refinement of the CRM environment, applied by every schema that embeds it: the Salesforce flow's
 * variables are all set (each missing one named), the private key is an RSA key, client credentials
 * go to a My Domain login host.
 */
export function checkCrmCredentials(env: CrmEnv, ctx: z.RefinementCtx): void {
  const flow = salesforceAuthFlow(env);
  if (!flow) {
    if (env.SALESFORCE_CLIENT_ID)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['SALESFORCE_AUTH_FLOW'],
        message: 'SALESFORCE_CLIENT_ID is set but no sign-in flow is configured: set SALESFORCE_AUTH_FLOW and its credentials',
      });
    return;
  }
  for (const name of FLOW_VARIABLES[flow]) {
    if (!env[name]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: `required by the Salesforce ${flow} sign-in flow` });
  }
  if (flow === 'jwt_bearer' && env.SALESFORCE_PRIVATE_KEY) {
    try {
      const key = createPrivateKey(pemOf(env.SALESFORCE_PRIVATE_KEY));
      if (key.asymmetricKeyType !== 'rsa')
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['SALESFORCE_PRIVATE_KEY'], message: `must be an RSA key (RS256), not ${key.asymmetricKeyType}` });
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['SALESFORCE_PRIVATE_KEY'], message: 'is not a PEM private key' });
    }
  }
  if (flow === 'client_credentials' && SHARED_LOGIN_HOSTS.has(new URL(env.SALESFORCE_LOGIN_URL).hostname)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['SALESFORCE_LOGIN_URL'],
      message: "the client_credentials flow needs the org's My Domain URL (https://<domain>.my.salesforce.com), not a shared login host",
    });
  }
}

/** The CRM environment with its cross-variable checks (for `churn crm …`; crm-sync refines its own schema the same way). */
export const crmEnvCheckedSchema = crmEnvSchema.superRefine(checkCrmCredentials);

/** Salesforce settings when a sign-in flow is configured, otherwise why not. Expects an env that passed `checkCrmCredentials`. */
export function salesforceSettings(env: CrmEnv): SalesforceSettings | { disabled: string } {
  const flow = salesforceAuthFlow(env);
  if (!flow || !env.SALESFORCE_CLIENT_ID) return { disabled: 'no Salesforce credentials are set (SALESFORCE_CLIENT_ID and a sign-in flow)' };
  const loginUrl = env.SALESFORCE_LOGIN_URL.replace(/\/$/, '');
  return {
    flow,
    instanceUrl: env.SALESFORCE_INSTANCE_URL?.replace(/\/$/, ''),
    loginUrl,
    jwtAudience: (env.SALESFORCE_JWT_AUDIENCE ?? loginUrl).replace(/\/$/, ''),
    clientId: env.SALESFORCE_CLIENT_ID,
    clientSecret: env.SALESFORCE_CLIENT_SECRET,
    refreshToken: env.SALESFORCE_REFRESH_TOKEN,
    username: env.SALESFORCE_USERNAME,
    privateKey: env.SALESFORCE_PRIVATE_KEY ? pemOf(env.SALESFORCE_PRIVATE_KEY) : undefined,
    apiVersion: env.SALESFORCE_API_VERSION,
    callTimeoutMs: env.CRM_CALL_TIMEOUT_MS,
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
    queryBatchSize: env.SALESFORCE_QUERY_BATCH_SIZE,
    churnedTaskStatus: env.SALESFORCE_CHURNED_TASK_STATUS,
  };
}

/** Each HubSpot object's built-in information group: a property created in another object's group is refused. */
export const HUBSPOT_OBJECT_GROUP = { contacts: 'contactinformation', companies: 'companyinformation' } as const;

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
    propertyGroup: env.HUBSPOT_PROPERTY_GROUP ?? HUBSPOT_OBJECT_GROUP[env.HUBSPOT_OBJECT],
    callTimeoutMs: env.CRM_CALL_TIMEOUT_MS,
    missingCustomer: env.HUBSPOT_MISSING_CUSTOMER,
    accountTimeZone: env.HUBSPOT_ACCOUNT_TIME_ZONE,
    burst: { requests: env.HUBSPOT_BURST_REQUESTS, windowMs: env.HUBSPOT_BURST_WINDOW_MS },
    searchPageSize: env.HUBSPOT_SEARCH_PAGE_SIZE,
  };
}

/** A PEM from an environment variable, where newlines are often written as the two characters `\n`. */
function pemOf(value: string): string {
  return value.replace(/\\n/g, '\n');
}
