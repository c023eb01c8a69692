import { FakeHttpService, type FakeRequest, type FakeResponse } from '../fake-http.server';

export interface SalesforceWrite {
  /** Epoch milliseconds of the write. */
  readonly at: number;
  readonly object: string;
  readonly externalId: string;
  readonly fields: Record<string, unknown>;
  readonly via: 'collections' | 'bulk2';
}

/**
 * A Salesforce org as jsforce sees it: OAuth 2.0 token endpoint (refresh token, JWT bearer),
 * REST sObject Collections upsert (per-record results, allOrNone), SOQL query, Bulk API 2.0 ingest
 * jobs, Sforce-Limit-Info; and the faults a real org shows: expired sessions (401
 * INVALID_SESSION_ID), REQUEST_LIMIT_EXCEEDED, per-record UNABLE_TO_LOCK_ROW, an outage (503).
 */
export class FakeSalesforce extends FakeHttpService {
  readonly records = new Map<string, Map<string, { Id: string; OwnerId: string; fields: Record<string, unknown> }>>();
  /** Every record written successfully, in order. */
  readonly writes: SalesforceWrite[] = [];
  /** Every request answered, with its time (epoch ms) and the error code of a refusal. */
  readonly requests: { at: number; method: string; path: string; status: number; errorCode?: string }[] = [];
  readonly tokenGrants: string[] = [];
  readonly apiVersions = new Set<string>();
  private tokens = new Set<string>();
  private tokenSeq = 0;
  private idSeq = 0;
  private apiUsed = 0;
  private lockFailures = 0;
  private limitFailures = 0;
  private limitUntil = 0;
  private limitArmedMs = 0;
  private readonly droppedFields = new Map<string, Set<string>>();
  private refused = new Map<string, { statusCode: string; message: string }>();
  private jobs = new Map<string, { object: string; externalIdFieldName: string; csv: string; state: string; ok: string[][]; failed: string[][]; header: string[] }>();

  constructor(private readonly options: { refreshToken: string; clientId: string; ownerId?: string }) {
    super();
  }

  /** Records that exist before the sync (upsert also creates). */
  seed(object: string, externalIdField: string, customerIds: readonly string[]): void {
    const table = this.table(object);
    for (const id of customerIds) table.set(id, { Id: this.newId(object), OwnerId: this.options.ownerId ?? '005000000000OWN', fields: { [externalIdField]: id } });
  }
  expireSessions(): void {
    this.tokens.clear();
  }
  failNextRecordsWithLock(n: number): void {
    this.lockFailures = n;
  }
  failNextCallsWithRequestLimit(n: number): void {
    this.limitFailures = n;
  }
  /**
   * REQUEST_LIMIT_EXCEEDED for every API call during `ms` (the org's 24-hour limit is spent), from now
   * or — with `fromNextRequest` — from the next API call on.
   */
  requestLimitFor(ms: number, options: { fromNextRequest?: boolean } = {}): void {
    if (options.fromNextRequest) this.limitArmedMs = ms;
    else this.limitUntil = Date.now() + ms;
  }
  /** The field no longer exists on `object` (deleted, or hidden from the integration user): writes naming it are refused with INVALID_FIELD. */
  dropField(object: string, field: string): void {
    let dropped = this.droppedFields.get(object);
    if (!dropped) this.droppedFields.set(object, (dropped = new Set()));
    dropped.add(field);
  }
  restoreField(object: string, field: string): void {
    this.droppedFields.get(object)?.delete(field);
  }
  /** Per-record refusals (a validation rule, say) of these external ids until called again without them. */
  refuseRecords(externalIds: readonly string[], statusCode = 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message = 'refused by a validation rule'): void {
    this.refused = new Map(externalIds.map((id) => [id, { statusCode, message }]));
  }
  writesOf(object: string): SalesforceWrite[] {
    return this.writes.filter((w) => w.object === object);
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

  protected async route(r: FakeRequest): Promise<FakeResponse> {
    const response = this.answer(r);
    const errorCode = response.status >= 400 && Array.isArray(response.body) ? (response.body[0] as { errorCode?: string } | undefined)?.errorCode : undefined;
    this.requests.push({ at: Date.now(), method: r.method, path: r.path, status: response.status, ...(errorCode ? { errorCode } : {}) });
    return response;
  }

  private answer(r: FakeRequest): FakeResponse {
    if (this.inOutage()) return { status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'fake outage' }] };
    if (r.path === '/services/oauth2/token' && r.method === 'POST') return this.token(new URLSearchParams(r.body));
    const match = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(r.path);
    if (!match) return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
    const auth = r.headers['authorization'];
    if (!auth || !this.tokens.has(auth.replace(/^Bearer /, ''))) return { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
    if (this.limitArmedMs > 0) {
      this.limitUntil = Date.now() + this.limitArmedMs;
      this.limitArmedMs = 0;
    }
    if (this.limitFailures > 0 || Date.now() < this.limitUntil) {
      if (this.limitFailures > 0) this.limitFailures--;
      return { status: 403, body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] };
    }
    this.apiVersions.add(match[1]!);
    this.apiUsed++;
    const headers = { 'Sforce-Limit-Info': `api-usage=${this.apiUsed}/15000` };
    const rest = match[2]!;
    const answered = this.data(r, rest);
    return { ...answered, headers: { ...headers, ...(answered.headers ?? {}) } };
  }

  private token(params: URLSearchParams): FakeResponse {
    const grant = params.get('grant_type') ?? '';
    const okRefresh = grant === 'refresh_token' && params.get('refresh_token') === this.options.refreshToken && params.get('client_id') === this.options.clientId;
    let okJwt = false;
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const claims = JSON.parse(Buffer.from((params.get('assertion') ?? '').split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as { iss?: string };
      okJwt = claims.iss === this.options.clientId;
    }
    if (!okRefresh && !okJwt) return { status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } };
    this.tokenGrants.push(grant);
    const token = `00D!fake-token-${++this.tokenSeq}`;
    this.tokens.add(token);
    return {
      status: 200,
      body: { access_token: token, instance_url: this.url, id: `${this.url}/id/00D000000000001EAA/005000000000001AAA`, token_type: 'Bearer', issued_at: String(Date.now()), signature: 'fake' },
    };
  }

  private data(r: FakeRequest, rest: string): FakeResponse {
    let m: RegExpExecArray | null;
    if (r.method === 'PATCH' && (m = /^\/composite\/sobjects\/(\w+)\/(\w+)$/.exec(rest))) return this.collectionsUpsert(m[1]!, m[2]!, JSON.parse(r.body));
    if (r.method === 'GET' && rest === '/query') return this.query(r.query.get('q') ?? '');
    if (r.method === 'GET' && (m = /^\/sobjects\/(\w+)\/describe$/.exec(rest))) return this.describe(m[1]!);
    if (rest === '/jobs/ingest' && r.method === 'POST') {
      const body = JSON.parse(r.body) as { object: string; externalIdFieldName: string; operation: string };
      const id = `750${String(++this.idSeq).padStart(15, '0')}`;
      this.jobs.set(id, { object: body.object, externalIdFieldName: body.externalIdFieldName, csv: '', state: 'Open', ok: [], failed: [], header: [] });
      return { status: 200, body: { id, operation: body.operation, object: body.object, state: 'Open', contentType: 'CSV', apiVersion: 62, lineEnding: 'LF', columnDelimiter: 'COMMA' } };
    }
    if ((m = /^\/jobs\/ingest\/(\w+)(\/\w+)?$/.exec(rest))) return this.job(r, m[1]!, m[2]);
    return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: `no fake for ${r.method} ${rest}` }] };
  }

  private describe(object: string): FakeResponse {
    const fields = DESCRIBED_FIELDS[object];
    if (!fields) return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: `The requested resource does not exist` }] };
    const dropped = this.droppedFields.get(object) ?? new Set<string>();
    return { status: 200, body: { name: object, fields: fields.filter((f) => !dropped.has(f)).map((name) => ({ name, type: name === 'Id' ? 'id' : 'string' })) } };
  }

  private collectionsUpsert(object: string, extField: string, body: { allOrNone?: boolean; records: Record<string, unknown>[] }): FakeResponse {
    if (body.records.length > 200) return { status: 400, body: [{ errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit is 200' }] };
    const dropped = this.droppedFields.get(object);
    const unknown = body.records.flatMap((record) => Object.keys(record)).find((field) => dropped?.has(field));
    if (unknown) {
      return { status: 400, body: [{ errorCode: 'INVALID_FIELD', message: `No such column '${unknown}' on sobject of type ${object}` }] };
    }
    const table = this.table(object);
    const results = body.records.map((record) => {
      if (this.lockFailures > 0) {
        this.lockFailures--;
        return { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] }] };
      }
      const { attributes: _attributes, ...fields } = record;
      const key = String(fields[extField]);
      const refusal = this.refused.get(key);
      if (refusal) return { success: false, errors: [{ ...refusal, fields: [] }] };
      const existing = table.get(key);
      const created = !existing;
      const required = REQUIRED_ON_CREATE[object];
      if (created && required && !fields[required]) {
        return { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${required}]`, fields: [required] }] };
      }
      const row = existing ?? { Id: this.newId(object), OwnerId: this.options.ownerId ?? '005000000000OWN', fields: {} };
      row.fields = { ...row.fields, ...fields };
      table.set(key, row);
      this.writes.push({ at: Date.now(), object, externalId: key, fields, via: 'collections' });
      return { id: row.Id, success: true, errors: [], created };
    });
    return { status: 200, body: results };
  }

  private query(soql: string): FakeResponse {
    const m = /^SELECT (.+) FROM (\w+) WHERE (\w+) IN \((.*)\)$/i.exec(soql.trim());
    if (!m) return { status: 400, body: [{ errorCode: 'MALFORMED_QUERY', message: `fake cannot parse: ${soql}` }] };
    const fields = m[1]!.split(',').map((f) => f.trim());
    const values = [...m[4]!.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((v) => v[1]!.replace(/\\(.)/g, '$1'));
    const table = this.table(m[2]!);
    const records = values
      .map((v) => table.get(v))
      .filter((row): row is NonNullable<typeof row> => Boolean(row))
      .map((row) => {
        const out: Record<string, unknown> = { attributes: { type: m[2], url: `/services/data/v62.0/sobjects/${m[2]}/${row.Id}` } };
        for (const f of fields) out[f] = f === 'Id' ? row.Id : f === 'OwnerId' ? row.OwnerId : row.fields[f];
        return out;
      });
    return { status: 200, body: { totalSize: records.length, done: true, records } };
  }

  private job(r: FakeRequest, id: string, sub: string | undefined): FakeResponse {
    const job = this.jobs.get(id);
    if (!job) return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'job not found' }] };
    const info = () => ({ id, object: job.object, operation: 'upsert', state: job.state, numberRecordsProcessed: job.ok.length + job.failed.length, numberRecordsFailed: job.failed.length });
    if (sub === '/batches' && r.method === 'PUT') {
      job.csv += r.body;
      return { status: 201, raw: '' };
    }
    if (!sub && r.method === 'PATCH') {
      const state = (JSON.parse(r.body) as { state: string }).state;
      if (state === 'UploadComplete') this.process(job);
      else job.state = state;
      return { status: 200, body: { ...info(), state: job.state === 'JobComplete' ? 'UploadComplete' : job.state } };
    }
    if (!sub && r.method === 'GET') return { status: 200, body: info() };
    const csv = (rows: string[][]) => rows.map((row) => row.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n';
    if (sub === '/successfulResults') return { status: 200, raw: csv([['sf__Id', 'sf__Created', ...job.header], ...job.ok]), headers: { 'content-type': 'text/csv' } };
    if (sub === '/failedResults') return { status: 200, raw: csv([['sf__Id', 'sf__Error', ...job.header], ...job.failed]), headers: { 'content-type': 'text/csv' } };
    if (sub === '/unprocessedrecords') return { status: 200, raw: csv([job.header]), headers: { 'content-type': 'text/csv' } };
    return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'unknown job resource' }] };
  }

  private process(job: { object: string; externalIdFieldName: string; csv: string; state: string; ok: string[][]; failed: string[][]; header: string[] }): void {
    const lines = job.csv.split(/\r?\n/).filter((l) => l.length > 0);
    const parse = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((c) => c[1]!).slice(0, -1).map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c));
    job.header = parse(lines[0] ?? '');
    const table = this.table(job.object);
    for (const line of lines.slice(1)) {
      const cells = parse(line);
      const fields: Record<string, unknown> = Object.fromEntries(job.header.map((h, i) => [h, cells[i] ?? '']));
      const key = String(fields[job.externalIdFieldName]);
      if (!key) {
        job.failed.push(['', 'REQUIRED_FIELD_MISSING:external id missing', ...cells]);
        continue;
      }
      const existing = table.get(key);
      const row = existing ?? { Id: this.newId(job.object), OwnerId: this.options.ownerId ?? '005000000000OWN', fields: {} };
      row.fields = { ...row.fields, ...fields };
      table.set(key, row);
      this.writes.push({ at: Date.now(), object: job.object, externalId: key, fields, via: 'bulk2' });
      job.ok.push([row.Id, String(!existing), ...cells]);
    }
    job.state = 'JobComplete';
  }
}

/** Fields an insert must carry (what Salesforce answers REQUIRED_FIELD_MISSING for). */
const REQUIRED_ON_CREATE: Record<string, string> = { Account: 'Name', Contact: 'LastName' };

/** The fields `describe` lists: standard ones and the project's default custom fields. */
const CHURN_FIELDS = ['Customer_Id__c', 'Churn_Risk_Score__c', 'Churn_Probability__c', 'Churn_Risk_Category__c', 'Retention_Action__c', 'Churn_Scored_At__c'];
const DESCRIBED_FIELDS: Record<string, string[]> = {
  Account: ['Id', 'Name', 'OwnerId', ...CHURN_FIELDS],
  Contact: ['Id', 'LastName', 'OwnerId', ...CHURN_FIELDS],
  Task: ['Id', 'Subject', 'Priority', 'Status', 'ActivityDate', 'Description', 'OwnerId', 'WhatId', 'WhoId', 'Churn_Alert_Id__c'],
};
