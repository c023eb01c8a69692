import { FakeHttpService, type FakeRequest, type FakeResponse } from '../fake-http.server';

export interface HubSpotWrite {
  /** Epoch milliseconds of the write. */
  readonly at: number;
  readonly object: string;
  readonly id: string;
  readonly properties: Record<string, string>;
}

export interface HubSpotTask {
  readonly at: number;
  readonly id: string;
  readonly properties: Record<string, string>;
  readonly associations: { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[];
}

/**
 * A HubSpot account as @hubspot/api-client sees it: private-app bearer token, properties API
 * (404 for a missing property), batch read/update by a unique id property (200, or 207 with
 * `errors[].context.ids` on partial failure), tasks with associations, daily-limit headers; and
 * the faults: 429 with Retry-After, an outage (503).
 */
export class FakeHubSpot extends FakeHttpService {
  readonly properties = new Map<string, Map<string, Record<string, unknown>>>();
  readonly objects = new Map<string, Map<string, { id: string; properties: Record<string, string> }>>();
  readonly writes: HubSpotWrite[] = [];
  readonly tasks: HubSpotTask[] = [];
  /** Every request answered, with its time (epoch ms) and the category of a refusal. */
  readonly requests: { at: number; method: string; path: string; status: number; category?: string }[] = [];
  private idSeq = 1000;
  private remaining = 250_000;
  private rateLimited = 0;
  private retryAfterSeconds: number | undefined = 1;
  private ratePolicy: 'TEN_SECONDLY_ROLLING' | 'DAILY' = 'TEN_SECONDLY_ROLLING';
  private scopesDenied = false;

  constructor(private readonly options: { accessToken: string; idProperty: string }) {
    super();
  }

  seed(object: string, customerIds: readonly string[]): void {
    const table = this.table(object);
    for (const id of customerIds) table.set(id, { id: String(++this.idSeq), properties: { [this.options.idProperty]: id, hubspot_owner_id: '77' } });
  }
  /**
   * 429 for the next `n` calls: the 10-second burst limit (with the interval headers) or the daily
   * limit (policyName DAILY, daily remaining 0); with a Retry-After header only when given one
   * (HubSpot usually sends none).
   */
  rateLimitNextCalls(n: number, retryAfterSeconds: number | undefined, policy: 'TEN_SECONDLY_ROLLING' | 'DAILY' = 'TEN_SECONDLY_ROLLING'): void {
    this.rateLimited = n;
    this.retryAfterSeconds = retryAfterSeconds;
    this.ratePolicy = policy;
  }
  /** The private app lacks the CRM scopes: every API call answers 403 MISSING_SCOPES until lifted. */
  denyScopes(denied: boolean): void {
    this.scopesDenied = denied;
  }

  private table(object: string) {
    let table = this.objects.get(object);
    if (!table) this.objects.set(object, (table = new Map()));
    return table;
  }

  protected route(r: FakeRequest): FakeResponse {
    const response = this.answer(r);
    const category = response.status >= 400 ? (response.body as { category?: string } | undefined)?.category : undefined;
    this.requests.push({ at: Date.now(), method: r.method, path: r.path, status: response.status, ...(category ? { category } : {}) });
    return response;
  }

  private answer(r: FakeRequest): FakeResponse {
    if (this.inOutage()) return { status: 503, body: { status: 'error', message: 'Service Unavailable', category: 'SERVICE_UNAVAILABLE' } };
    if (r.headers['authorization'] !== `Bearer ${this.options.accessToken}`) {
      return { status: 401, body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' } };
    }
    if (this.scopesDenied) {
      return {
        status: 403,
        body: {
          status: 'error',
          message: 'This app hasn\'t been granted all required scopes to make this call.',
          category: 'MISSING_SCOPES',
          errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }],
          correlationId: 'fake',
        },
      };
    }
    const burst = { 'X-HubSpot-RateLimit-Max': '100', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' };
    if (this.rateLimited > 0) {
      this.rateLimited--;
      const daily = this.ratePolicy === 'DAILY';
      return {
        status: 429,
        headers: {
          ...(this.retryAfterSeconds !== undefined ? { 'Retry-After': String(this.retryAfterSeconds) } : {}),
          ...(daily ? { 'X-HubSpot-RateLimit-Daily': '250000', 'X-HubSpot-RateLimit-Daily-Remaining': '0' } : { ...burst, 'X-HubSpot-RateLimit-Remaining': '0' }),
        },
        body: { status: 'error', message: `You have reached your ${this.ratePolicy.toLowerCase()} limit.`, errorType: 'RATE_LIMIT', policyName: this.ratePolicy, correlationId: 'fake' },
      };
    }
    this.remaining--;
    const headers = { 'X-HubSpot-RateLimit-Daily': '250000', 'X-HubSpot-RateLimit-Daily-Remaining': String(this.remaining), ...burst, 'X-HubSpot-RateLimit-Remaining': '99' };
    const answered = this.api(r);
    return { ...answered, headers: { ...headers, ...(answered.headers ?? {}) } };
  }

  private api(r: FakeRequest): FakeResponse {
    const now = new Date().toISOString();
    let m: RegExpExecArray | null;
    if ((m = /^\/crm\/v3\/properties\/(\w+)\/(\w+)$/.exec(r.path)) && r.method === 'GET') {
      const found = this.properties.get(m[1]!)?.get(m[2]!);
      return found ? { status: 200, body: found } : { status: 404, body: { status: 'error', message: `Property ${m[2]} does not exist`, category: 'OBJECT_NOT_FOUND', correlationId: 'fake' } };
    }
    if ((m = /^\/crm\/v3\/properties\/(\w+)$/.exec(r.path)) && r.method === 'POST') {
      const body = JSON.parse(r.body) as Record<string, unknown>;
      let defs = this.properties.get(m[1]!);
      if (!defs) this.properties.set(m[1]!, (defs = new Map()));
      const created = { ...body, createdAt: now, updatedAt: now, hidden: false, modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false } };
      defs.set(String(body['name']), created);
      return { status: 201, body: created };
    }
    if ((m = /^\/crm\/v3\/objects\/(contacts|companies)\/batch\/create$/.exec(r.path)) && r.method === 'POST') {
      const object = m[1]!;
      const body = JSON.parse(r.body) as { inputs: { properties: Record<string, string> }[] };
      if (body.inputs.length > 100) return { status: 400, body: { status: 'error', message: 'batch size above 100', category: 'VALIDATION_ERROR' } };
      const table = this.table(object);
      const results: unknown[] = [];
      for (const input of body.inputs) {
        const ours = input.properties[this.options.idProperty];
        if (ours && table.has(ours)) {
          return { status: 409, body: { status: 'error', message: `A ${object} with ${this.options.idProperty} ${ours} already exists`, category: 'CONFLICT' } };
        }
        const row = { id: String(++this.idSeq), properties: { ...input.properties } };
        if (ours) table.set(ours, row);
        if (ours) this.writes.push({ at: Date.now(), object, id: ours, properties: { ...input.properties } });
        results.push({ id: row.id, properties: { ...row.properties, hs_object_id: row.id }, createdAt: now, updatedAt: now, archived: false });
      }
      return { status: 201, body: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
    }
    if ((m = /^\/crm\/v3\/objects\/(contacts|companies)\/batch\/(update|read)$/.exec(r.path)) && r.method === 'POST') {
      const object = m[1]!;
      const body = JSON.parse(r.body) as { inputs: { id: string; idProperty?: string; properties?: Record<string, string> }[]; idProperty?: string };
      if (m[2] === 'update' && body.inputs.length > 100) return { status: 400, body: { status: 'error', message: 'batch size above 100', category: 'VALIDATION_ERROR' } };
      const table = this.table(object);
      const results: unknown[] = [];
      const missing: string[] = [];
      for (const input of body.inputs) {
        const idProperty = input.idProperty ?? body.idProperty;
        const row = idProperty === this.options.idProperty ? table.get(input.id) : [...table.values()].find((x) => x.id === input.id);
        if (!row) {
          missing.push(input.id);
          continue;
        }
        if (m[2] === 'update') {
          for (const name of Object.keys(input.properties ?? {})) {
            if (!this.properties.get(object)?.has(name)) return { status: 400, body: { status: 'error', message: `Property "${name}" does not exist`, category: 'VALIDATION_ERROR' } };
          }
          row.properties = { ...row.properties, ...(input.properties ?? {}) };
          this.writes.push({ at: Date.now(), object, id: input.id, properties: { ...(input.properties ?? {}) } });
        }
        results.push({ id: row.id, properties: { ...row.properties, hs_object_id: row.id }, createdAt: now, updatedAt: now, archived: false });
      }
      const base = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
      if (missing.length === 0) return { status: 200, body: base };
      return {
        status: 207,
        body: { ...base, numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some records', context: { ids: missing }, errors: [], links: {} }] },
      };
    }
    if (r.path === '/crm/v3/objects/tasks' && r.method === 'POST') {
      const body = JSON.parse(r.body) as Omit<HubSpotTask, 'id'>;
      const task = { at: Date.now(), id: String(++this.idSeq), properties: body.properties, associations: body.associations ?? [] };
      this.tasks.push(task);
      return { status: 201, body: { id: task.id, properties: task.properties, createdAt: now, updatedAt: now, archived: false } };
    }
    return { status: 404, body: { status: 'error', message: `no fake for ${r.method} ${r.path}`, category: 'OBJECT_NOT_FOUND' } };
  }
}
