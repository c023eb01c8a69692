import { createSign } from 'node:crypto';
import { Connection } from 'jsforce';
import type { Logger } from '@churn/observability';
import { observedCall, type CrmQuota, type CrmGateway, type ApiCallObserver } from './crm-gateway';
import { CrmCallError, isNetworkError, SALESFORCE_MISCONFIGURED_CODES, SALESFORCE_RETRYABLE_CODES, type RecordResult } from './crm-errors';
import type { SalesforceSettings } from './crm-config';
import type { ScorePayload, TaskPayload } from './crm-payloads';

interface SaveResult {
  id?: string;
  success: boolean;
  errors?: { statusCode?: string; errorCode?: string; message?: string; fields?: string[] }[];
}

const NO_RETRY = { retry: { maxRetries: 0 } };
/** Salesforce's OAuth error descriptions for credentials it refuses (invalid_grant, invalid_client). */
const REFUSED_REFRESH =
  /^Unable to refresh session due to: .*(expired access\/refresh token|authentication failure|inactive user|inactive organization|invalid (client|assertion|grant)|client identifier invalid|hasn't approved)/i;

/**
 * Salesforce through jsforce: churn fields upserted on Account/Contact by external id with sObject
 * Collections (200 records a call, allOrNone false: per-record results), retention tasks upserted
 * by an alert-id external id (so a repeated call never makes a second task), OAuth 2.0 refresh
 * token or JWT bearer; an expired session (401) is refreshed by jsforce and the call repeated.
 * jsforce does not retry the PATCH/POST calls; retries are the outbox's.
 */
export class SalesforceGateway implements CrmGateway {
  readonly target = 'salesforce' as const;
  readonly maxBatch = { score: 200, task: 200 };
  readonly connection: Connection;

  constructor(
    private readonly settings: SalesforceSettings,
    private readonly logger: Logger,
    private readonly observe: ApiCallObserver = () => undefined,
  ) {
    const jwt = Boolean(settings.username && settings.privateKey);
    this.connection = new Connection({
      instanceUrl: settings.instanceUrl,
      version: settings.apiVersion,
      oauth2: { clientId: settings.clientId, clientSecret: settings.clientSecret, loginUrl: settings.loginUrl, redirectUri: `${settings.loginUrl}/services/oauth2/success` },
      refreshToken: jwt ? undefined : settings.refreshToken,
      refreshFn: jwt ? (conn, callback) => void this.jwtBearerToken(conn, callback as never) : undefined,
    });
    this.connection.on('refresh', () => this.logger.info({ target: this.target }, 'Salesforce access token refreshed'));
  }

  async prepare(): Promise<void> {
    // The session is established lazily: the first call without a token gets 401 and jsforce refreshes it.
  }

  quota(): CrmQuota | undefined {
    const usage = (this.connection.limitInfo as { apiUsage?: { used: number; limit: number } }).apiUsage;
    return usage ? { used: usage.used, limit: usage.limit, remaining: usage.limit - usage.used } : undefined;
  }

  /** The field check: the configured fields missing on the object and on Task, by describe calls. */
  async missingFields(): Promise<string[]> {
    const wanted: Record<string, string[]> = {
      [this.settings.object]: [this.settings.externalIdField, ...Object.values(this.settings.fields)],
      Task: [this.settings.taskExternalIdField],
    };
    const missing: string[] = [];
    for (const [object, fields] of Object.entries(wanted)) {
      const described = await this.call('sobjects:describe', () =>
        this.connection.request({ method: 'GET', url: `/services/data/v${this.settings.apiVersion}/sobjects/${object}/describe` }, NO_RETRY) as Promise<{ fields: { name: string }[] }>,
      );
      const present = new Set(described.fields.map((f) => f.name));
      for (const field of fields) if (!present.has(field)) missing.push(`${object}.${field}`);
    }
    return missing;
  }

  async pushScores(scores: readonly ScorePayload[]): Promise<RecordResult[]> {
    const records = scores.map((s) => this.fieldsOf(s));
    const saved = await this.upsert('composite/sobjects:upsert', records);
    const results = this.recordResults(saved, records.length);
    // Upsert inserts when no record has the external id, and the insert lacks the name: the customer is missing.
    const missing = saved.flatMap((r, i) => (this.isMissingRecord(r) ? [i] : []));
    if (missing.length === 0) return results;
    const handled = await this.missingCustomers(missing.map((i) => records[i]!));
    missing.forEach((index, j) => (results[index] = handled[j]!));
    return results;
  }

  /** Customers Salesforce has no record of: created with `records` and a name (SALESFORCE_MISSING_CUSTOMER=create), or reported missing. */
  private async missingCustomers(records: readonly Record<string, unknown>[]): Promise<RecordResult[]> {
    const ext = this.settings.externalIdField;
    if (this.settings.missingCustomer === 'skip') {
      return records.map((r) => ({ ok: false, missing: true, message: `no ${this.settings.object} with ${ext} = ${String(r[ext])}` }));
    }
    const named = records.map((r) => ({ ...r, [this.nameField]: String(r[ext]) }));
    const saved = await this.upsert('composite/sobjects:upsert-create', named);
    return this.recordResults(saved, named.length).map((r) => (r.ok ? { ...r, created: true } : r));
  }

  private get nameField(): string {
    return this.settings.object === 'Contact' ? 'LastName' : 'Name';
  }

  private isMissingRecord(r: SaveResult): boolean {
    return !r.success && (r.errors ?? []).some((e) => (e.statusCode ?? e.errorCode) === 'REQUIRED_FIELD_MISSING' && (e.fields ?? []).includes(this.nameField));
  }

  private async upsert(endpoint: string, records: Record<string, unknown>[]): Promise<SaveResult[]> {
    const saved = await this.call(endpoint, () =>
      this.connection.sobject(this.settings.object).upsert(records as never, this.settings.externalIdField, { allOrNone: false }) as Promise<unknown>,
    );
    return (Array.isArray(saved) ? saved : [saved]) as SaveResult[];
  }

  async createTasks(tasks: readonly TaskPayload[]): Promise<RecordResult[]> {
    const owners = await this.findRecords(tasks.map((t) => t.customer_id));
    const absent = [...new Set(tasks.map((t) => t.customer_id).filter((c) => !owners.has(c)))];
    const handled = new Map<string, RecordResult>();
    if (absent.length > 0) {
      // A record created here is owned by the integration user: the task is too (OwnerId left out).
      const created = await this.missingCustomers(absent.map((c) => ({ [this.settings.externalIdField]: c })));
      created.forEach((result, i) => {
        handled.set(absent[i]!, result);
        if (result.ok && result.externalId) owners.set(absent[i]!, { id: result.externalId, ownerId: '' });
      });
    }
    const results: RecordResult[] = new Array<RecordResult>(tasks.length);
    const records: Record<string, unknown>[] = [];
    const positions: number[] = [];
    tasks.forEach((task, index) => {
      const owner = owners.get(task.customer_id);
      if (!owner) {
        results[index] = handled.get(task.customer_id) ?? { ok: false, missing: true, message: `no ${this.settings.object} with ${this.settings.externalIdField} = ${task.customer_id}` };
        return;
      }
      positions.push(index);
      records.push({
        [this.settings.taskExternalIdField]: task.alert_id,
        Subject: task.subject,
        Priority: task.priority,
        Status: 'Not Started',
        ActivityDate: task.due_date,
        Description: task.description,
        ...(owner.ownerId ? { OwnerId: owner.ownerId } : {}),
        [this.settings.object === 'Contact' ? 'WhoId' : 'WhatId']: owner.id,
      });
    });
    if (records.length > 0) {
      const saved = await this.call('composite/sobjects:upsert-task', () =>
        this.connection.sobject('Task').upsert(records as never, this.settings.taskExternalIdField, { allOrNone: false }) as Promise<unknown>,
      );
      this.recordResults(saved, records.length).forEach((result, i) => {
        const index = positions[i]!;
        results[index] = result.ok && handled.has(tasks[index]!.customer_id) ? { ...result, created: true } : result;
      });
    }
    return results;
  }

  /** Bulk API 2.0 upsert of many scores (backfill): create job, upload CSV, close, poll, read results. */
  async bulkUpsertScores(scores: readonly ScorePayload[], poll: { intervalMs: number; timeoutMs: number }): Promise<{ succeeded: Set<string>; failed: Map<string, string> }> {
    const input = scores.map((s) => this.fieldsOf(s));
    const results = await this.call('jobs/ingest', () =>
      this.connection.bulk2.loadAndWaitForResults({
        object: this.settings.object,
        operation: 'upsert',
        externalIdFieldName: this.settings.externalIdField,
        input,
        pollInterval: poll.intervalMs,
        pollTimeout: poll.timeoutMs,
      }),
    );
    const succeeded = new Set(results.successfulResults.map((r) => String((r as Record<string, unknown>)[this.settings.externalIdField])));
    const failed = new Map(results.failedResults.map((r) => [String((r as Record<string, unknown>)[this.settings.externalIdField]), r.sf__Error]));
    return { succeeded, failed };
  }

  /** The churn fields of one score, keyed by the configured field names. */
  fieldsOf(s: ScorePayload): Record<string, string | number> {
    const f = this.settings.fields;
    return {
      [this.settings.externalIdField]: s.customer_id,
      [f.riskScore]: s.risk_score,
      [f.probability]: s.churn_probability,
      [f.riskCategory]: s.risk_level,
      [f.retentionAction]: s.recommended_action,
      [f.scoredAt]: s.scored_at,
    };
  }

  private async findRecords(customerIds: readonly string[]): Promise<Map<string, { id: string; ownerId: string }>> {
    const unique = [...new Set(customerIds)];
    const ext = this.settings.externalIdField;
    const soql = `SELECT Id, OwnerId, ${ext} FROM ${this.settings.object} WHERE ${ext} IN (${unique.map(soqlString).join(', ')})`;
    const found = new Map<string, { id: string; ownerId: string }>();
    let url: string | undefined = `/services/data/v${this.settings.apiVersion}/query?q=${encodeURIComponent(soql)}`;
    while (url) {
      const page: { records: Record<string, string>[]; done: boolean; nextRecordsUrl?: string } = await this.call('query', () =>
        this.connection.request({ method: 'GET', url: url! }, NO_RETRY) as Promise<{ records: Record<string, string>[]; done: boolean; nextRecordsUrl?: string }>,
      );
      for (const record of page.records) found.set(record[ext]!, { id: record['Id']!, ownerId: record['OwnerId']! });
      url = page.done ? undefined : page.nextRecordsUrl;
    }
    return found;
  }

  private recordResults(results: unknown, expected: number): RecordResult[] {
    const list = (Array.isArray(results) ? results : [results]) as SaveResult[];
    if (list.length !== expected) throw new CrmCallError('outage', 'BAD_RESPONSE', `expected ${expected} results from Salesforce, got ${list.length}`);
    return list.map((r): RecordResult => {
      if (r.success) return { ok: true, externalId: r.id ?? null };
      const first = r.errors?.[0];
      const code = first?.statusCode ?? first?.errorCode ?? 'UNKNOWN';
      const message = (r.errors ?? []).map((e) => `${e.statusCode ?? e.errorCode}: ${e.message}`).join('; ') || code;
      return { ok: false, kind: SALESFORCE_RETRYABLE_CODES.has(code) ? 'retryable' : 'permanent', code, message };
    });
  }

  private call<T>(endpoint: string, work: () => Promise<T>): Promise<T> {
    return observedCall(this.target, endpoint, this.observe, (error) => this.translate(error), work);
  }

  private translate(error: unknown): CrmCallError {
    if (error instanceof CrmCallError) return error;
    const code = String((error as { errorCode?: unknown }).errorCode ?? (error as { name?: unknown }).name ?? 'UNKNOWN');
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'REQUEST_LIMIT_EXCEEDED' || code === 'ERROR_HTTP_429') return new CrmCallError('rate_limited', code, message, this.settings.requestLimitWaitMs);
    if (SALESFORCE_RETRYABLE_CODES.has(code) || /^ERROR_HTTP_5\d\d$/.test(code) || isNetworkError(error)) return new CrmCallError('outage', code, message);
    // An unknown field or object, missing permissions, or a session that stays invalid after the
    // refresh (jsforce refreshes once on 401) or a refused refresh (invalid_grant…): the call as a
    // whole is refused and no retry fixes it; the integration pauses until someone acts.
    if (SALESFORCE_MISCONFIGURED_CODES.has(code)) return new CrmCallError('misconfigured', code, message);
    const auth = /INVALID_SESSION_ID|INVALID_AUTH|invalid_grant|invalid_client|ERROR_HTTP_401|ERROR_HTTP_403/i.exec(`${code} ${message}`);
    if (auth) return new CrmCallError('misconfigured', auth[0] === 'ERROR_HTTP_403' ? 'INSUFFICIENT_ACCESS' : auth[0], message);
    // jsforce wraps a failed refresh as `Error('Unable to refresh session due to: <error_description>')`
    // and drops the OAuth error code (node_modules/jsforce/lib/session-refresh-delegate.js): only
    // Salesforce's descriptions of refused credentials tell it from a token endpoint that is down.
    if (REFUSED_REFRESH.test(message)) return new CrmCallError('misconfigured', 'invalid_grant', message);
    return new CrmCallError('permanent', code, message);
  }

  /** OAuth 2.0 JWT bearer flow: an RS256 assertion signed with the connected app's key, exchanged for a token. */
  private async jwtBearerToken(conn: Connection, callback: (err: Error | null | undefined, accessToken?: string, res?: unknown) => void): Promise<void> {
    try {
      const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
      const claims = base64url(JSON.stringify({ iss: this.settings.clientId, sub: this.settings.username, aud: this.settings.loginUrl, exp: Math.floor(Date.now() / 1000) + 180 }));
      const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(this.settings.privateKey!, 'base64url');
      const response = (await conn.oauth2.requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${header}.${claims}.${signature}` })) as {
        access_token: string;
        instance_url: string;
      };
      conn.accessToken = response.access_token;
      if (response.instance_url) conn.instanceUrl = response.instance_url;
      callback(null, response.access_token, response);
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
