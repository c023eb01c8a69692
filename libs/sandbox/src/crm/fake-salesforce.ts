import { createPublicKey, randomInt, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { FakeHttpServer, FakeHttpService, type FakeRequest, type FakeResponse } from '../fake-http.server';
import { CLOSED_TASK_STATUSES, defaultSalesforceSchema, describeOf, SYSTEM_FIELDS, TASK_STATUSES, type FakeFieldDefinition } from './fake-salesforce-schema';
import { compareBy, matches, parseSoql, SoqlError } from './fake-soql';

export interface SalesforceWrite {
  /** Epoch milliseconds of the write. */
  readonly at: number;
  readonly object: string;
  readonly externalId: string;
  readonly fields: Record<string, unknown>;
  readonly via: 'collections' | 'bulk2';
}

export interface FakeSalesforceOptions {
  readonly clientId: string;
  /** Refresh-token flow: the integration user's refresh token. */
  readonly refreshToken?: string;
  /** The connected app's secret: checked when the client sends one, required for client credentials. */
  readonly clientSecret?: string;
  /** JWT bearer flow: the certificate's public key (PEM or KeyObject) and the user the assertion's `sub` must name. */
  readonly jwt?: { readonly publicKey: string | KeyObject; readonly username: string };
  /** Client-credentials flow enabled (the connected app has a run-as user). */
  readonly clientCredentials?: boolean;
  readonly ownerId?: string;
}

interface BulkJob {
  object: string;
  externalIdFieldName: string;
  csv: string;
  state: string;
  ok: string[][];
  failed: string[][];
  header: string[];
  pollsInProgress: number;
  failWith?: string;
  errorMessage?: string;
}

const DEFAULT_DAILY_REQUEST_LIMIT = 15_000;
/** Salesforce's query batch size: 2,000 by default; Sforce-Query-Options batchSize asks for 200–2,000. */
const DEFAULT_QUERY_BATCH = 2000;
const DEFAULT_OWNER_ID = '005000000000OWN';
/** Salesforce refuses a JWT bearer assertion whose `exp` is further ahead than this (it asks for three minutes). */
const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/**
 * A Salesforce org as jsforce sees it, on two local servers like a real org: the login host
 * (`loginUrl`: OAuth 2.0 token endpoint — refresh token, JWT bearer with the assertion's
 * signature, `iss`, `sub`, `aud` = the login host and a short `exp` verified, client credentials)
 * and the instance (`url`), which the token response names and which differs from the login host.
 * Data calls to the login host are refused with 401 INVALID_SESSION_ID: a client that keeps using
 * a configured instance instead of the token's never gets through.
 *
 * The instance: REST sObject Collections upsert (400 `INVALID_FIELD` for the whole request when a
 * record names a field the object lacks; per-record results otherwise, `REQUIRED_FIELD_MISSING` when
 * a record created by the upsert lacks a required field such as Account.Name, and refusals set with
 * `refuseRecords`), describe, SOQL query (unknown column: 400 INVALID_FIELD), Bulk API
 * 2.0 ingest jobs, Sforce-Limit-Info, a daily request limit that once reached answers 403
 * REQUEST_LIMIT_EXCEEDED to every call until reset; and the faults a real org shows: expired
 * sessions (401), per-record UNABLE_TO_LOCK_ROW, an outage (503), slow answers, Bulk jobs that stay
 * InProgress and end Failed.
 */
export class FakeSalesforce extends FakeHttpService {
  readonly records = new Map<string, Map<string, { Id: string; OwnerId: string; fields: Record<string, unknown> }>>();
  /** The org's objects and fields (`addField` / `removeField` change them). */
  readonly schema = defaultSalesforceSchema();
  /** Every record written successfully, in order. */
  readonly writes: SalesforceWrite[] = [];
  /** Every request at the instance, with its time (epoch ms) and the error code of a refusal. */
  readonly requests: { at: number; method: string; path: string; status: number; errorCode?: string }[] = [];
  /** Requests at the login host (token requests, and data calls sent there by mistake). */
  readonly loginRequests: { method: string; path: string; status: number }[] = [];
  /** The grant type of every token issued. */
  readonly tokenGrants: string[] = [];
  /** Every refused token request: grant type and error description. */
  readonly refusedGrants: { grant: string; reason: string }[] = [];
  readonly apiVersions = new Set<string>();
  private readonly login = new FakeHttpServer((request) => this.routeLogin(request));
  private readonly publicKey: KeyObject | undefined;
  private tokens = new Set<string>();
  private tokenSeq = 0;
  /**
   * Record ids are unique across orgs, as Salesforce's are: each fake org numbers its records from a
   * random start. Two orgs of one test run (specs sharing a database) numbered from 0 gave their first
   * tasks the same id, and an intervention keyed by the task id was taken for the other org's.
   */
  private idSeq = randomInt(1, 1_000_000_000) * 100_000;
  private apiUsed = 0;
  private dailyRequestLimit = DEFAULT_DAILY_REQUEST_LIMIT;
  private lockFailures = 0;
  private limitFailures = 0;
  private sessionsRejected = false;
  private refused = new Map<string, { statusCode: string; message: string }>();
  private bulkPollsInProgress = 0;
  private bulkFailures: string[] = [];
  private jobs = new Map<string, BulkJob>();
  /** Open query cursors: the result set as it was when queried, served page by page through nextRecordsUrl. */
  private cursors = new Map<string, { records: Record<string, unknown>[]; batch: number }>();
  /** Users (owners) by id: what Owner.Name and Owner.Email read. */
  private readonly users = new Map<string, { Name: string; Email: string }>([
    [DEFAULT_OWNER_ID, { Name: 'Integration User', Email: 'integration@example.com' }],
  ]);

  constructor(private readonly options: FakeSalesforceOptions) {
    super();
    const key = options.jwt?.publicKey;
    this.publicKey = key === undefined ? undefined : typeof key === 'string' ? createPublicKey(key) : key;
  }

  override async start(): Promise<string> {
    await this.login.start();
    return super.start();
  }
  override async stop(): Promise<void> {
    await Promise.all([this.login.stop(), super.stop()]);
  }
  /** The login host: SALESFORCE_LOGIN_URL. Not the instance (`url`). */
  get loginUrl(): string {
    return this.login.url;
  }

  /** Records that exist before the sync (an upsert of a new key creates one, with the object's required fields). */
  seed(object: string, externalIdField: string, customerIds: readonly string[]): void {
    const table = this.table(object);
    const required = [...(this.schemaOf(object)?.values() ?? [])].filter((f) => f.requiredOnCreate).map((f) => f.name);
    for (const id of customerIds) {
      const fields: Record<string, unknown> = { [externalIdField]: id };
      for (const name of required) fields[name] = `Customer ${id}`;
      table.set(id, { Id: this.newId(object), OwnerId: this.options.ownerId ?? '005000000000OWN', fields });
    }
  }
  /** Adds a field to an object (a custom field an admin created). */
  addField(object: string, field: FakeFieldDefinition): void {
    this.schemaOf(object)?.set(field.name, field);
  }
  /**
   * Deletes a field (or hides it from the integration user): a Collections write naming it is refused
   * as a whole with 400 INVALID_FIELD, describe no longer lists it. Returns its definition, for `addField`.
   */
  removeField(object: string, name: string): FakeFieldDefinition | undefined {
    const field = this.schemaOf(object)?.get(name);
    this.schemaOf(object)?.delete(name);
    return field;
  }
  expireSessions(): void {
    this.tokens.clear();
  }
  /** While on, every data call answers 401 INVALID_SESSION_ID, even with a fresh token (a user whose sessions are revoked at once). */
  rejectSessions(on: boolean): void {
    this.sessionsRejected = on;
  }
  failNextRecordsWithLock(n: number): void {
    this.lockFailures = n;
  }
  /** The next `n` data calls answer 403 REQUEST_LIMIT_EXCEEDED (a burst), then calls pass again. */
  failNextCallsWithRequestLimit(n: number): void {
    this.limitFailures = n;
  }
  /** Uses up the daily request limit: every data call answers 403 REQUEST_LIMIT_EXCEEDED until `resetRequestLimit`. */
  exhaustRequestLimit(): void {
    this.apiUsed = this.dailyRequestLimit;
  }
  /** A new day: usage back to 0 (and the limit set to `limit`, when given). */
  resetRequestLimit(limit = this.dailyRequestLimit): void {
    this.dailyRequestLimit = limit;
    this.apiUsed = 0;
  }
  /** Bulk API 2.0: each job closed from now on reports InProgress to this many status polls before it ends. */
  bulkJobsStayInProgress(polls: number): void {
    this.bulkPollsInProgress = polls;
  }
  /** Bulk API 2.0: the next jobs closed end `Failed` with these error messages, one job each. */
  failNextBulkJobs(...errorMessages: string[]): void {
    this.bulkFailures.push(...errorMessages);
  }
  /** Per-record refusals (a validation rule, say) of these external ids until called again without them. */
  refuseRecords(externalIds: readonly string[], statusCode = 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message = 'refused by a validation rule'): void {
    this.refused = new Map(externalIds.map((id) => [id, { statusCode, message }]));
  }
  writesOf(object: string): SalesforceWrite[] {
    return this.writes.filter((w) => w.object === object);
  }
  /** A user who can own records (Owner.Name, Owner.Email in queries). */
  addUser(id: string, name: string, email: string): void {
    this.users.set(id, { Name: name, Email: email });
  }
  /** Tasks by their alert-id external id. */
  task(alertId: string): { Id: string; OwnerId: string; fields: Record<string, unknown> } | undefined {
    return this.table('Task').get(alertId);
  }
  /**
   * A person completes a task (found by its alert-id external id) in the org: Status Completed,
   * CompletedDateTime and LastModifiedDate set to `at` (seconds precision, as Salesforce keeps them).
   */
  completeTask(alertId: string, options: { at?: Date; ownerId?: string; subtype?: string } = {}): void {
    const row = this.table('Task').get(alertId);
    if (!row) throw new Error(`no Task with alert id ${alertId}`);
    const at = stamp(options.at ?? new Date());
    if (options.ownerId) row.OwnerId = options.ownerId;
    row.fields = {
      ...row.fields,
      Status: 'Completed',
      IsClosed: true,
      CompletedDateTime: at,
      LastModifiedDate: at,
      ...(options.subtype ? { TaskSubtype: options.subtype } : {}),
    };
  }
  /** Tasks created directly in the org (not through the API), completed: `count` of them, for paging. */
  seedCompletedTasks(count: number, options: { alertIdPrefix: string; whatId?: string; at: Date }): string[] {
    const table = this.table('Task');
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const alertId = `${options.alertIdPrefix}${String(i).padStart(5, '0')}`;
      const at = stamp(new Date(options.at.getTime() + i * 1000));
      table.set(alertId, {
        Id: this.newId('Task'),
        OwnerId: DEFAULT_OWNER_ID,
        fields: {
          Churn_Alert_Id__c: alertId,
          Subject: `Seeded task ${i}`,
          Status: 'Completed',
          IsClosed: true,
          CompletedDateTime: at,
          CreatedDate: at,
          LastModifiedDate: at,
          WhatId: options.whatId ?? null,
        },
      });
      ids.push(alertId);
    }
    return ids;
  }

  private schemaOf(object: string): Map<string, FakeFieldDefinition> | undefined {
    return this.schema.get(object);
  }

  private table(object: string) {
    let table = this.records.get(object);
    if (!table) this.records.set(object, (table = new Map()));
    return table;
  }

  private newId(object: string): string {
    const prefix = object === 'Task' ? '00T' : object === 'Contact' ? '003' : '001';
    return `${prefix}${String(++this.idSeq).padStart(15, '0')}`;
  }

  private async routeLogin(r: FakeRequest): Promise<FakeResponse> {
    let response: FakeResponse;
    if (this.inOutage()) response = { status: 503, body: { error: 'unavailable', error_description: 'fake outage' } };
    else if (r.path === '/services/oauth2/token' && r.method === 'POST') response = await this.token(new URLSearchParams(r.body));
    else if (r.path.startsWith('/services/data/'))
      response = { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
    else response = { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
    this.loginRequests.push({ method: r.method, path: r.path, status: response.status });
    return response;
  }

  protected async route(r: FakeRequest): Promise<FakeResponse> {
    const response = this.answer(r);
    const errorCode = response.status >= 400 && Array.isArray(response.body) ? (response.body[0] as { errorCode?: string } | undefined)?.errorCode : undefined;
    this.requests.push({ at: Date.now(), method: r.method, path: r.path, status: response.status, ...(errorCode ? { errorCode } : {}) });
    return response;
  }

  private answer(r: FakeRequest): FakeResponse {
    if (this.inOutage()) return { status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'fake outage' }] };
    const match = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(r.path);
    if (!match) return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
    const auth = r.headers['authorization'];
    if (this.sessionsRejected || !auth || !this.tokens.has(auth.replace(/^Bearer /, '')))
      return { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
    if (this.limitFailures > 0 || this.apiUsed >= this.dailyRequestLimit) {
      if (this.limitFailures > 0) this.limitFailures--;
      return { status: 403, body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] };
    }
    this.apiVersions.add(match[1]!);
    this.apiUsed++;
    const headers = { 'Sforce-Limit-Info': `api-usage=${this.apiUsed}/${this.dailyRequestLimit}` };
    const answered = this.data(r, match[2]!);
    return { ...answered, headers: { ...headers, ...(answered.headers ?? {}) } };
  }

  private async token(params: URLSearchParams): Promise<FakeResponse> {
    const grant = params.get('grant_type') ?? '';
    const refuse = (reason: string, error = 'invalid_grant'): FakeResponse => {
      this.refusedGrants.push({ grant, reason });
      return { status: 400, body: { error, error_description: reason } };
    };
    if (grant === 'refresh_token') {
      if (params.get('client_id') !== this.options.clientId) return refuse('client identifier invalid', 'invalid_client_id');
      if (this.options.clientSecret && params.has('client_secret') && params.get('client_secret') !== this.options.clientSecret)
        return refuse('invalid client credentials', 'invalid_client');
      if (!this.options.refreshToken || params.get('refresh_token') !== this.options.refreshToken) return refuse('expired access/refresh token');
    } else if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      if (!this.publicKey || !this.options.jwt) return refuse('invalid assertion');
      try {
        const { payload } = await jwtVerify(params.get('assertion') ?? '', this.publicKey, {
          algorithms: ['RS256'],
          issuer: this.options.clientId,
          subject: this.options.jwt.username,
          audience: this.loginUrl,
          requiredClaims: ['exp'],
        });
        if (payload.exp! - Date.now() / 1000 > MAX_ASSERTION_LIFETIME_SECONDS) return refuse('invalid assertion: exp too far in the future');
      } catch (error) {
        return refuse(`invalid assertion: ${(error as Error).message}`);
      }
    } else if (grant === 'client_credentials') {
      if (params.get('client_id') !== this.options.clientId || !this.options.clientSecret || params.get('client_secret') !== this.options.clientSecret)
        return refuse('invalid client credentials', 'invalid_client');
      if (!this.options.clientCredentials) return refuse('no client credentials user enabled');
    } else {
      return refuse(`grant type not supported: ${grant}`, 'unsupported_grant_type');
    }
    this.tokenGrants.push(grant);
    const token = `00D!fake-token-${++this.tokenSeq}`;
    this.tokens.add(token);
    return {
      status: 200,
      body: {
        access_token: token,
        instance_url: this.url,
        id: `${this.loginUrl}/id/00D000000000001EAA/005000000000001AAA`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: 'fake',
      },
    };
  }

  private data(r: FakeRequest, rest: string): FakeResponse {
    let m: RegExpExecArray | null;
    if (r.method === 'PATCH' && (m = /^\/composite\/sobjects\/(\w+)\/(\w+)$/.exec(rest))) return this.collectionsUpsert(m[1]!, m[2]!, JSON.parse(r.body));
    if (r.method === 'GET' && rest === '/query') return this.query(r.query.get('q') ?? '', r.headers['sforce-query-options']);
    if (r.method === 'GET' && (m = /^\/query\/([\w]+)-(\d+)$/.exec(rest))) return this.queryMore(m[1]!, Number(m[2]));
    if (r.method === 'GET' && (m = /^\/sobjects\/(\w+)\/describe$/.exec(rest))) {
      const fields = this.schemaOf(m[1]!);
      if (!fields) return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: `The requested resource does not exist` }] };
      return { status: 200, body: describeOf(m[1]!, fields) };
    }
    if (rest === '/jobs/ingest' && r.method === 'POST') {
      const body = JSON.parse(r.body) as { object: string; externalIdFieldName: string; operation: string };
      const fields = this.schemaOf(body.object);
      if (!fields) return { status: 400, body: [{ errorCode: 'INVALIDJOB', message: `InvalidJob : Unable to find object: ${body.object}` }] };
      if (!fields.get(body.externalIdFieldName)?.externalId)
        return {
          status: 400,
          body: [{ errorCode: 'INVALIDJOB', message: `InvalidJob : External ID was blank or not an External ID field: ${body.externalIdFieldName}` }],
        };
      const id = `750${String(++this.idSeq).padStart(15, '0')}`;
      this.jobs.set(id, {
        object: body.object,
        externalIdFieldName: body.externalIdFieldName,
        csv: '',
        state: 'Open',
        ok: [],
        failed: [],
        header: [],
        pollsInProgress: 0,
      });
      return {
        status: 200,
        body: {
          id,
          operation: body.operation,
          object: body.object,
          state: 'Open',
          contentType: 'CSV',
          apiVersion: 62,
          lineEnding: 'LF',
          columnDelimiter: 'COMMA',
        },
      };
    }
    if ((m = /^\/jobs\/ingest\/(\w+)(\/\w+)?$/.exec(rest))) return this.job(r, m[1]!, m[2]);
    return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: `no fake for ${r.method} ${rest}` }] };
  }

  private collectionsUpsert(object: string, extField: string, body: { allOrNone?: boolean; records: Record<string, unknown>[] }): FakeResponse {
    const fields = this.schemaOf(object);
    if (!fields) return { status: 400, body: [{ errorCode: 'INVALID_TYPE', message: `sObject type '${object}' is not supported.` }] };
    if (!fields.get(extField)?.externalId)
      return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: `Provided external ID field does not exist or is not accessible: ${extField}` }] };
    if (body.records.length > 200) return { status: 400, body: [{ errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit is 200' }] };
    // A field the object does not have fails the request as a whole (the records cannot be read), not per record.
    const unknown = body.records.flatMap((record) => Object.keys(record)).find((field) => field !== 'attributes' && !fields.has(field));
    if (unknown) return { status: 400, body: [{ errorCode: 'INVALID_FIELD', message: `No such column '${unknown}' on sobject of type ${object}` }] };
    const readOnly = body.records.flatMap((record) => Object.keys(record)).find((field) => SYSTEM_FIELDS.has(field));
    if (readOnly)
      return {
        status: 400,
        body: [
          {
            errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
            message: `Unable to create/update fields: ${readOnly}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          },
        ],
      };
    const table = this.table(object);
    const results = body.records.map((record) => {
      const { attributes: _attributes, ...values } = record;
      if (this.lockFailures > 0) {
        this.lockFailures--;
        return { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] }] };
      }
      const key = String(values[extField]);
      const refusal = this.refused.get(key);
      if (refusal) return { success: false, errors: [{ ...refusal, fields: [] }] };
      if (object === 'Task' && values['Status'] !== undefined && !TASK_STATUSES.has(String(values['Status']))) {
        return {
          success: false,
          errors: [
            {
              statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
              message: `Status: bad value for restricted picklist field: ${String(values['Status'])}`,
              fields: ['Status'],
            },
          ],
        };
      }
      const existing = table.get(key);
      if (!existing) {
        const missing = [...fields.values()]
          .filter((f) => f.requiredOnCreate && (values[f.name] === undefined || values[f.name] === null || values[f.name] === ''))
          .map((f) => f.name);
        if (missing.length > 0)
          return {
            success: false,
            errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${missing.join(', ')}]`, fields: missing }],
          };
      }
      const row = existing ?? { Id: this.newId(object), OwnerId: this.options.ownerId ?? DEFAULT_OWNER_ID, fields: {} };
      const now = stamp(new Date());
      row.fields = { ...row.fields, ...values, LastModifiedDate: now, ...(existing ? {} : { CreatedDate: now }) };
      if (typeof values['OwnerId'] === 'string') row.OwnerId = values['OwnerId'];
      if (object === 'Task') {
        const closed = CLOSED_TASK_STATUSES.has(String(row.fields['Status']));
        if (closed && !row.fields['IsClosed']) row.fields['CompletedDateTime'] = now;
        row.fields['IsClosed'] = closed;
      }
      table.set(key, row);
      this.writes.push({ at: Date.now(), object, externalId: key, fields: values, via: 'collections' });
      return { id: row.Id, success: true, errors: [], created: !existing };
    });
    return { status: 200, body: results };
  }

  /**
   * SOQL, the subset the platform sends (`fake-soql`), answered as Salesforce does: the first batch
   * (2,000 records, or the `Sforce-Query-Options: batchSize` asked for, 200–2,000) with `done` and,
   * when more remain, a `nextRecordsUrl` whose pages come from the result set as it was at the query.
   */
  private query(soql: string, options: string | string[] | undefined): FakeResponse {
    let query;
    try {
      query = parseSoql(soql, (object) => this.schemaOf(object));
    } catch (error) {
      if (error instanceof SoqlError) return { status: 400, body: [{ errorCode: error.errorCode, message: error.message }] };
      throw error;
    }
    const valueOf = (row: { Id: string; OwnerId: string; fields: Record<string, unknown> }, field: string): unknown =>
      field === 'Id' ? row.Id : field === 'OwnerId' ? row.OwnerId : (row.fields[field] ?? null);
    const rows = [...this.table(query.object).values()].filter((row) => matches(query, (field) => valueOf(row, field)));
    rows.sort(compareBy(query, (row, field) => valueOf(row as (typeof rows)[number], field)));
    const limited = query.limit === undefined ? rows : rows.slice(0, query.limit);
    const records = limited.map((row) => {
      const out: Record<string, unknown> = { attributes: { type: query.object, url: `/services/data/v62.0/sobjects/${query.object}/${row.Id}` } };
      for (const f of query.fields) {
        if (f.startsWith('Owner.')) {
          const user = this.users.get(row.OwnerId);
          out['Owner'] = user
            ? {
                attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${row.OwnerId}` },
                ...(out['Owner'] as object),
                [f.slice(6)]: user[f.slice(6) as 'Name' | 'Email'],
              }
            : null;
          continue;
        }
        const value = valueOf(row, f);
        out[f] = this.schemaOf(query.object)!.get(f)?.type === 'datetime' && typeof value === 'string' ? salesforceDateTime(value) : value;
      }
      return out;
    });
    const asked = /batchSize=(\d+)/.exec(String(options ?? ''));
    const batch = asked ? Math.min(2000, Math.max(200, Number(asked[1]))) : DEFAULT_QUERY_BATCH;
    if (records.length <= batch) return { status: 200, body: { totalSize: records.length, done: true, records } };
    const locator = `01gFAKE${String(++this.idSeq).padStart(8, '0')}`;
    this.cursors.set(locator, { records, batch });
    return this.page(locator, 0);
  }

  private queryMore(locator: string, offset: number): FakeResponse {
    if (!this.cursors.has(locator)) return { status: 400, body: [{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }] };
    return this.page(locator, offset);
  }

  private page(locator: string, offset: number): FakeResponse {
    const { records, batch } = this.cursors.get(locator)!;
    const slice = records.slice(offset, offset + batch);
    const done = offset + batch >= records.length;
    if (done) this.cursors.delete(locator);
    return {
      status: 200,
      body: { totalSize: records.length, done, ...(done ? {} : { nextRecordsUrl: `/services/data/v62.0/query/${locator}-${offset + batch}` }), records: slice },
    };
  }

  private job(r: FakeRequest, id: string, sub: string | undefined): FakeResponse {
    const job = this.jobs.get(id);
    if (!job) return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'job not found' }] };
    const info = () => ({
      id,
      object: job.object,
      operation: 'upsert',
      state: job.state,
      numberRecordsProcessed: job.ok.length + job.failed.length,
      numberRecordsFailed: job.failed.length,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    });
    if (sub === '/batches' && r.method === 'PUT') {
      if (job.state !== 'Open') return { status: 400, body: [{ errorCode: 'INVALIDJOBSTATE', message: `Job is not open for data upload: ${job.state}` }] };
      job.csv += r.body;
      return { status: 201, raw: '' };
    }
    if (!sub && r.method === 'PATCH') {
      const state = (JSON.parse(r.body) as { state: string }).state;
      if (state === 'UploadComplete') {
        job.state = 'UploadComplete';
        job.pollsInProgress = this.bulkPollsInProgress;
        job.failWith = this.bulkFailures.shift();
      } else job.state = state;
      return { status: 200, body: info() };
    }
    if (!sub && r.method === 'GET') {
      if (job.state === 'UploadComplete' || job.state === 'InProgress') {
        if (job.pollsInProgress > 0) {
          job.pollsInProgress--;
          job.state = 'InProgress';
        } else this.process(job);
      }
      return { status: 200, body: info() };
    }
    if (!sub && r.method === 'DELETE') {
      this.jobs.delete(id);
      return { status: 204, raw: '' };
    }
    const csv = (rows: string[][]) => rows.map((row) => row.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n';
    if (sub === '/successfulResults')
      return { status: 200, raw: csv([['sf__Id', 'sf__Created', ...job.header], ...job.ok]), headers: { 'content-type': 'text/csv' } };
    if (sub === '/failedResults')
      return { status: 200, raw: csv([['sf__Id', 'sf__Error', ...job.header], ...job.failed]), headers: { 'content-type': 'text/csv' } };
    if (sub === '/unprocessedrecords') return { status: 200, raw: csv([job.header]), headers: { 'content-type': 'text/csv' } };
    return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'unknown job resource' }] };
  }

  private process(job: BulkJob): void {
    if (job.failWith) {
      job.state = 'Failed';
      job.errorMessage = job.failWith;
      return;
    }
    const lines = job.csv.split(/\r?\n/).filter((l) => l.length > 0);
    const parse = (line: string) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
        .map((c) => c[1]!)
        .slice(0, -1)
        .map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c));
    job.header = parse(lines[0] ?? '');
    const schema = this.schemaOf(job.object)!;
    const unknown = job.header.find((h) => !schema.has(h));
    if (unknown) {
      // An unknown column fails the whole job (Salesforce: "InvalidBatch : Field name not found").
      job.state = 'Failed';
      job.errorMessage = `InvalidBatch : Field name not found : ${unknown}`;
      return;
    }
    const table = this.table(job.object);
    for (const line of lines.slice(1)) {
      const cells = parse(line);
      const fields: Record<string, unknown> = Object.fromEntries(job.header.map((h, i) => [h, cells[i] ?? '']));
      const key = String(fields[job.externalIdFieldName] ?? '');
      if (!key) {
        job.failed.push(['', `REQUIRED_FIELD_MISSING:Required fields are missing: [${job.externalIdFieldName}]:${job.externalIdFieldName} --`, ...cells]);
        continue;
      }
      const existing = table.get(key);
      const missing = existing ? [] : [...schema.values()].filter((f) => f.requiredOnCreate && !fields[f.name]).map((f) => f.name);
      if (missing.length > 0) {
        job.failed.push(['', `REQUIRED_FIELD_MISSING:Required fields are missing: [${missing.join(', ')}]:${missing.join(' ')} --`, ...cells]);
        continue;
      }
      const row = existing ?? { Id: this.newId(job.object), OwnerId: this.options.ownerId ?? '005000000000OWN', fields: {} };
      row.fields = { ...row.fields, ...fields };
      table.set(key, row);
      this.writes.push({ at: Date.now(), object: job.object, externalId: key, fields, via: 'bulk2' });
      job.ok.push([row.Id, String(!existing), ...cells]);
    }
    job.state = 'JobComplete';
  }
}

/** A time as Salesforce keeps it: whole seconds (ISO 8601 in UTC). */
function stamp(at: Date): string {
  return new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
}

/** A datetime as Salesforce's REST API writes it: `2026-12-03T10:15:00.000+0000`. */
function salesforceDateTime(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}
