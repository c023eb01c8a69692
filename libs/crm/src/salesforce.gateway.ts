import { AsyncLocalStorage } from 'node:async_hooks';
import { Connection } from 'jsforce';
import { Transport } from 'jsforce/lib/transport';
import type { HttpRequest, HttpRequestOptions } from 'jsforce/lib/types';
import type { Logger } from '@churn/observability';
import { observedCall, type ChurnWrite, type CompletedTask, type CrmQuota, type CrmGateway, type ApiCallObserver, type MissingField } from './crm-gateway';
import { CrmCallError, isNetworkError, SALESFORCE_MISCONFIGURED_CODES, SALESFORCE_RETRYABLE_CODES, type RecordResult } from './crm-errors';
import type { SalesforceSettings } from './crm-config';
import type { ScorePayload, TaskPayload } from './crm-payloads';
import { SalesforceAuth, type SalesforceSession } from './salesforce-auth';
import { SalesforceTasks, soqlString } from './salesforce-tasks';

interface SaveResult {
  id?: string;
  success: boolean;
  errors?: { statusCode?: string; errorCode?: string; message?: string; fields?: string[] }[];
}

const NO_RETRY = { retry: { maxRetries: 0 } };
/** The deadline of the gateway call in progress, read by the transport of every HTTP request it makes. */
const callDeadline = new AsyncLocalStorage<{ readonly at: number }>();

/**
 * jsforce's transport, with the current call's remaining time as the fetch timeout. jsforce takes
 * no AbortSignal: its fetch wrapper (jsforce/lib/request.js, `startFetchRequest`) owns the
 * AbortController and aborts it only when `options.timeout` passes (default 30 minutes). A
 * timeout that does not reach the socket leaves the request running after the circuit breaker
 * has given up on it, and those pile up; this one closes the connection at the deadline.
 */
class DeadlineTransport extends Transport {
  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}) {
    const deadline = callDeadline.getStore();
    if (!deadline || !Number.isFinite(deadline.at)) return super.httpRequest(req, options);
    return super.httpRequest(req, { ...options, timeout: Math.max(1, deadline.at - Date.now()) });
  }
}

/**
 * Salesforce through jsforce: churn fields upserted on Account/Contact by external id with sObject
 * Collections (200 records a call, allOrNone false: per-record results), retention tasks upserted
 * by an alert-id external id (so a repeated call never makes a second task). jsforce does not retry
 * the PATCH/POST calls; retries are the outbox's.
 *
 * Sign-in is ours, not jsforce's: jsforce's session refresh (http-api.js `request`: on a 401 it
 * refreshes and re-sends the request whose URL was already made absolute with the old instance
 * URL; the code that would rewrite it is commented out) re-sends to the instance the session is
 * not valid on, gets 401 again and refreshes again, without end, whenever the token response names
 * another instance than the one configured (jsforce issues #1766 and #196). So the connection has
 * no refresh delegate; the gateway signs in before the first call, points the connection at the
 * token response's `instance_url`, and on a rejected session signs in once more and rebuilds the
 * call once; a second rejection is a misconfiguration (the integration pauses, `auth_failed`), as is
 * a sign-in the token endpoint refuses (SalesforceAuth). Every HTTP request of a call, sign-in included,
 * is cut at the call's deadline (`callTimeoutMs`, the breaker's timeout).
 */
export class SalesforceGateway implements CrmGateway {
  readonly target = 'salesforce' as const;
  // A churn write touches each of the customer's tasks: 20 customers keep it within one 200-record call as a rule.
  readonly maxBatch = { score: 200, task: 200, churn: 20 };
  readonly connection: Connection;

  private readonly auth: SalesforceAuth;
  private readonly tasks: SalesforceTasks;
  private session: Promise<SalesforceSession> | undefined;

  constructor(
    private readonly settings: SalesforceSettings,
    private readonly logger: Logger,
    private readonly observe: ApiCallObserver = () => undefined,
  ) {
    this.auth = new SalesforceAuth(settings);
    // No oauth2 client id, refresh token or refreshFn: jsforce makes no refresh delegate and a 401 reaches us.
    this.connection = new Connection({ version: settings.apiVersion });
    (this.connection as unknown as { _transport: Transport })._transport = new DeadlineTransport();
    this.tasks = new SalesforceTasks(this.connection, settings, (endpoint, work) => this.call(endpoint, work));
  }

  readCompletedTasks(since: Date, onPage: (tasks: readonly CompletedTask[]) => Promise<void>): Promise<void> {
    return this.tasks.readCompleted(since, onPage);
  }

  writeChurn(writes: readonly ChurnWrite[]): Promise<RecordResult[]> {
    return this.tasks.writeChurn(writes);
  }

  async prepare(): Promise<void> {
    // Signing in happens with the first call (inside the breaker, within its deadline).
  }

  /** The configured fields the org lacks: churn fields and the upsert key on the object, the alert-id key on Task. */
  async missingFields(): Promise<MissingField[]> {
    const f = this.settings.fields;
    const wanted: [string, string[]][] = [
      [this.settings.object, [this.settings.externalIdField, f.riskScore, f.probability, f.riskCategory, f.retentionAction, f.scoredAt]],
      ['Task', [this.settings.taskExternalIdField]],
    ];
    const missing: MissingField[] = [];
    for (const [object, names] of wanted) {
      const described = await this.call(`sobjects/${object}/describe`, () => this.connection.sobject(object).describe());
      const present = new Set(described.fields.map((field) => field.name));
      for (const name of names) if (!present.has(name)) missing.push({ object, name });
    }
    return missing;
  }

  quota(): CrmQuota | undefined {
    const usage = (this.connection.limitInfo as { apiUsage?: { used: number; limit: number } }).apiUsage;
    return usage ? { used: usage.used, limit: usage.limit, remaining: usage.limit - usage.used } : undefined;
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
    const saved = await this.call(
      endpoint,
      () => this.connection.sobject(this.settings.object).upsert(records as never, this.settings.externalIdField, { allOrNone: false }) as Promise<unknown>,
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
        results[index] = handled.get(task.customer_id) ?? {
          ok: false,
          missing: true,
          message: `no ${this.settings.object} with ${this.settings.externalIdField} = ${task.customer_id}`,
        };
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
      const saved = await this.call(
        'composite/sobjects:upsert-task',
        () => this.connection.sobject('Task').upsert(records as never, this.settings.taskExternalIdField, { allOrNone: false }) as Promise<unknown>,
      );
      this.recordResults(saved, records.length).forEach((result, i) => {
        const index = positions[i]!;
        results[index] = result.ok && handled.has(tasks[index]!.customer_id) ? { ...result, created: true } : result;
      });
    }
    return results;
  }

  /**
   * Bulk API 2.0 upsert of many scores (backfill): create job, upload CSV, close, poll, read results.
   * A job that ends `Failed` or `Aborted`, or is still in progress when the poll times out, fails
   * every row of it with the reason (the job id named); the caller goes on with the next job.
   */
  async bulkUpsertScores(
    scores: readonly ScorePayload[],
    poll: { intervalMs: number; timeoutMs: number },
  ): Promise<{ succeeded: Set<string>; failed: Map<string, string> }> {
    const input = scores.map((s) => this.fieldsOf(s));
    const ext = this.settings.externalIdField;
    let results: Awaited<ReturnType<Connection['bulk2']['loadAndWaitForResults']>>;
    try {
      results = await this.call(
        'jobs/ingest',
        () =>
          this.connection.bulk2.loadAndWaitForResults({
            object: this.settings.object,
            operation: 'upsert',
            externalIdFieldName: ext,
            input,
            pollInterval: poll.intervalMs,
            pollTimeout: poll.timeoutMs,
          }),
        // Polling is the point of this call: its deadline is the poll timeout plus one ordinary call.
        poll.timeoutMs + this.settings.callTimeoutMs,
      );
    } catch (error) {
      // jsforce throws plain Errors for a job that failed, was aborted or outlived the poll timeout (api/bulk2.js `poll`).
      const jobEnded =
        error instanceof CrmCallError && (error.code.startsWith('JobPollingTimeout') || /^(Ingest job failed|Job has been aborted)/.test(error.message));
      if (!jobEnded) throw error;
      return { succeeded: new Set(), failed: new Map(scores.map((s) => [s.customer_id, `BULK_JOB_FAILED: ${error.message}`])) };
    }
    const succeeded = new Set(results.successfulResults.map((r) => String((r as Record<string, unknown>)[ext])));
    const failed = new Map(results.failedResults.map((r) => [String((r as Record<string, unknown>)[ext]), r.sf__Error]));
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
      const page: { records: Record<string, string>[]; done: boolean; nextRecordsUrl?: string } = await this.call(
        'query',
        () =>
          this.connection.request({ method: 'GET', url: url! }, NO_RETRY) as Promise<{
            records: Record<string, string>[];
            done: boolean;
            nextRecordsUrl?: string;
          }>,
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

  /**
   * One logical call: within its deadline, signed in, and repeated once on a new session when the
   * session is rejected (revoked or expired token, or the org moved to another instance).
   */
  private call<T>(endpoint: string, work: () => Promise<T>, timeoutMs = this.settings.callTimeoutMs): Promise<T> {
    const at = timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
    return observedCall(
      this.target,
      endpoint,
      this.observe,
      (error) => this.translate(error, at),
      () =>
        callDeadline.run({ at }, async () => {
          const session = await this.signedIn(at);
          try {
            return await work();
          } catch (error) {
            if (!isSessionRejected(error)) throw error;
            this.logger.info({ target: this.target, endpoint }, 'Salesforce rejected the session: signing in again, repeating the call once');
            await this.signedIn(at, session);
            return await work();
          }
        }),
    );
  }

  /** The current session, signing in when there is none or when `rejected` is still the current one. Concurrent callers share one sign-in. */
  private async signedIn(at: number, rejected?: SalesforceSession): Promise<SalesforceSession> {
    const current = this.session;
    if (current && rejected && (await current.catch(() => undefined)) === rejected) this.session = undefined;
    this.session ??= this.signIn(at).catch((error: unknown) => {
      this.session = undefined;
      throw error;
    });
    return this.session;
  }

  private async signIn(at: number): Promise<SalesforceSession> {
    const signal = Number.isFinite(at) ? AbortSignal.timeout(Math.max(1, at - Date.now())) : undefined;
    let session: SalesforceSession;
    try {
      session = await this.auth.signIn(signal);
    } catch (error) {
      this.observe(this.target, 'oauth2/token', error instanceof CrmCallError ? error.code : 'UNKNOWN');
      throw error;
    }
    this.observe(this.target, 'oauth2/token', 'ok');
    this.connection.instanceUrl = session.instanceUrl;
    this.connection.accessToken = session.accessToken;
    const configured = this.settings.instanceUrl;
    if (configured && configured !== session.instanceUrl) {
      this.logger.info(
        { target: this.target, configured, instanceUrl: session.instanceUrl },
        "Salesforce signed in on another instance than SALESFORCE_INSTANCE_URL: using the token response's",
      );
    } else {
      this.logger.info({ target: this.target, flow: this.settings.flow, instanceUrl: session.instanceUrl }, 'Salesforce signed in');
    }
    return session;
  }

  private translate(error: unknown, deadline: number): CrmCallError {
    if (error instanceof CrmCallError) return error;
    const code = String((error as { errorCode?: unknown }).errorCode ?? (error as { name?: unknown }).name ?? 'UNKNOWN');
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'AbortError' || Date.now() >= deadline) return new CrmCallError('outage', 'TIMEOUT', `Salesforce call cancelled at its deadline: ${message}`);
    if (code === 'REQUEST_LIMIT_EXCEEDED' || code === 'ERROR_HTTP_429')
      return new CrmCallError('rate_limited', code, message, this.settings.requestLimitWaitMs);
    if (SALESFORCE_RETRYABLE_CODES.has(code) || /^ERROR_HTTP_5\d\d$/.test(code) || isNetworkError(error)) return new CrmCallError('outage', code, message);
    // An unknown field or object, missing permissions, or a session rejected again right after a
    // fresh sign-in (`call` signs in once more on the first rejection; a refused sign-in is already
    // `misconfigured`, from SalesforceAuth): the call as a whole is refused and no retry fixes it;
    // the integration pauses until someone acts (or the probe finds it working again).
    if (SALESFORCE_MISCONFIGURED_CODES.has(code)) return new CrmCallError('misconfigured', code, message);
    const auth = /INVALID_SESSION_ID|INVALID_AUTH|ERROR_HTTP_401|ERROR_HTTP_403/i.exec(`${code} ${message}`);
    if (auth) return new CrmCallError('misconfigured', auth[0] === 'ERROR_HTTP_403' ? 'INSUFFICIENT_ACCESS' : auth[0].toUpperCase(), message);
    return new CrmCallError('permanent', code, message);
  }
}

function isSessionRejected(error: unknown): boolean {
  const code = (error as { errorCode?: unknown }).errorCode;
  return code === 'INVALID_SESSION_ID' || code === 'ERROR_HTTP_401';
}
