import { FakeHttpService, type FakeRequest, type FakeResponse } from '../fake-http.server';
import { SEARCH_LIMITS, searchMatches, searchOrder, searchRequestProblem, type SearchRequest } from './fake-hubspot-search';

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
  properties: Record<string, string>;
  readonly associations: { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[];
}

export type HubSpotRateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY';

/** Each object's built-in property groups (a property can only be created in a group its object has). */
const BUILT_IN_GROUPS: Record<string, string[]> = {
  contacts: ['contactinformation', 'emailinformation', 'socialmediainformation', 'analyticsinformation', 'sales_properties', 'conversioninformation'],
  companies: ['companyinformation', 'socialmediainformation', 'analyticsinformation', 'sales_properties', 'targetaccountsinformation'],
};
/** Built-in properties crm-sync reads or writes besides its own. */
const BUILT_IN_PROPERTIES: Record<string, string[]> = {
  contacts: ['hs_object_id', 'email', 'firstname', 'lastname', 'hubspot_owner_id'],
  companies: ['hs_object_id', 'name', 'domain', 'hubspot_owner_id'],
};
/** Task properties and the values their enumerations take. */
const TASK_PROPERTIES: Record<string, readonly string[] | null> = {
  hs_timestamp: null,
  hs_task_subject: null,
  hs_task_body: null,
  hs_task_priority: ['LOW', 'MEDIUM', 'HIGH'],
  hs_task_status: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'],
  hs_task_type: ['TODO', 'CALL', 'EMAIL'],
  hubspot_owner_id: null,
};
/** Task properties HubSpot sets itself: readable and searchable, refused in a write. */
const TASK_READ_ONLY = ['hs_object_id', 'hs_createdate', 'hs_lastmodifieddate', 'hs_task_completion_date'];
/** HubSpot-defined association type ids from a task. */
const TASK_TO = { 204: 'contacts', 192: 'companies' } as const;

/**
 * A HubSpot account as @hubspot/api-client sees it: private-app bearer token, properties API (404
 * for a missing property; a property created in a group its object lacks is refused with 400
 * VALIDATION_ERROR, as contacts' `contactinformation` is for companies), property groups, batch
 * read/update by a unique id property (200, or 207 with `errors[].context.ids` on partial failure;
 * an unknown property or an invalid option refuses the whole batch with 400 VALIDATION_ERROR naming
 * PROPERTY_DOESNT_EXIST / INVALID_OPTION, as HubSpot does), tasks with validated properties and
 * associations, daily-limit headers; and the faults: 429s in HubSpot's shape (no Retry-After unless
 * asked, `policyName` TEN_SECONDLY_ROLLING or DAILY), a daily limit that stays used up until reset,
 * an outage (503), slow answers.
 */
export class FakeHubSpot extends FakeHttpService {
  /** Custom properties created through the API, per object. */
  readonly properties = new Map<string, Map<string, Record<string, unknown>>>();
  /** Property groups created through the API, per object (the built-in ones are not listed). */
  readonly groups = new Map<string, Set<string>>();
  readonly objects = new Map<string, Map<string, { id: string; properties: Record<string, string> }>>();
  readonly writes: HubSpotWrite[] = [];
  readonly tasks: HubSpotTask[] = [];
  /** Every task update through the batch API, in order. */
  readonly taskUpdates: { at: number; id: string; properties: Record<string, string> }[] = [];
  /** Every request answered, with its time (epoch ms) and the category of a refusal. */
  readonly requests: { at: number; method: string; path: string; status: number; category?: string }[] = [];
  private idSeq = 1000;
  private readonly dailyLimit = 250_000;
  private remaining = this.dailyLimit;
  private rateLimited = 0;
  private rateLimitPolicy: HubSpotRateLimitPolicy = 'TEN_SECONDLY_ROLLING';
  private retryAfterSeconds: number | undefined;
  private scopesDenied = false;
  /** Results a search query may page through (HubSpot: 10,000); lowered in tests to reach the limit. */
  searchResultCap: number = SEARCH_LIMITS.maxResults;

  constructor(private readonly options: { accessToken: string; idProperty: string }) {
    super();
  }

  seed(object: string, customerIds: readonly string[]): void {
    const table = this.table(object);
    for (const id of customerIds) table.set(id, { id: String(++this.idSeq), properties: { [this.options.idProperty]: id, hubspot_owner_id: '77' } });
  }
  /**
   * The next `n` calls answer 429 with `policyName` (default TEN_SECONDLY_ROLLING); a Retry-After
   * header only when `retryAfterSeconds` is given (HubSpot itself sends none).
   */
  rateLimitNextCalls(n: number, retryAfterSeconds?: number, policy: HubSpotRateLimitPolicy = 'TEN_SECONDLY_ROLLING'): void {
    this.rateLimited = n;
    this.retryAfterSeconds = retryAfterSeconds;
    this.rateLimitPolicy = policy;
  }
  /** Uses up the daily limit: every call answers 429 DAILY (daily remaining 0) until `resetDailyLimit`. */
  exhaustDailyLimit(): void {
    this.remaining = 0;
  }
  resetDailyLimit(): void {
    this.remaining = this.dailyLimit;
  }
  /** Deletes a custom property (an admin removed it): writes naming it are refused. */
  deleteProperty(object: string, name: string): void {
    this.properties.get(object)?.delete(name);
  }
  /** A person completes a task in HubSpot: status COMPLETED, completion and modification time `at`. */
  completeTask(id: string, options: { at?: Date; ownerId?: string } = {}): void {
    const task = this.tasks.find((t) => t.id === id);
    if (!task) throw new Error(`no task ${id}`);
    const at = (options.at ?? new Date()).toISOString();
    task.properties = {
      ...task.properties,
      hs_task_status: 'COMPLETED',
      hs_task_completion_date: at,
      hs_lastmodifieddate: at,
      ...(options.ownerId ? { hubspot_owner_id: options.ownerId } : {}),
    };
  }
  /** Tasks created in HubSpot by people (not through the API), already completed, one second apart from `at`. */
  seedCompletedTasks(count: number, at: Date): string[] {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const when = new Date(at.getTime() + i * 1000).toISOString();
      const id = String(++this.idSeq);
      this.tasks.push({
        at: Date.now(),
        id,
        associations: [],
        properties: {
          hs_task_subject: `Seeded task ${i}`,
          hs_task_status: 'COMPLETED',
          hs_task_type: 'CALL',
          hs_timestamp: when,
          hs_object_id: id,
          hs_createdate: when,
          hs_lastmodifieddate: when,
          hs_task_completion_date: when,
        },
      });
      ids.push(id);
    }
    return ids;
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

  private hasGroup(object: string, group: string): boolean {
    return (BUILT_IN_GROUPS[object] ?? []).includes(group) || Boolean(this.groups.get(object)?.has(group));
  }

  private property(object: string, name: string): Record<string, unknown> | undefined {
    const custom = this.properties.get(object)?.get(name);
    if (custom) return custom;
    if ((BUILT_IN_PROPERTIES[object] ?? []).includes(name))
      return { name, label: name, type: 'string', fieldType: 'text', groupName: BUILT_IN_GROUPS[object]![0], hubspotDefined: true };
    return undefined;
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
          message: "This app hasn't been granted all required scopes to make this call.",
          category: 'MISSING_SCOPES',
          errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }],
          correlationId: 'fake',
        },
      };
    }
    if (this.remaining <= 0) return this.tooManyRequests('DAILY');
    if (this.rateLimited > 0) {
      this.rateLimited--;
      return this.tooManyRequests(this.rateLimitPolicy, this.retryAfterSeconds);
    }
    this.remaining--;
    const headers = { 'X-HubSpot-RateLimit-Daily': String(this.dailyLimit), 'X-HubSpot-RateLimit-Daily-Remaining': String(this.remaining) };
    const answered = this.api(r);
    return { ...answered, headers: { ...headers, ...(answered.headers ?? {}) } };
  }

  private tooManyRequests(policy: HubSpotRateLimitPolicy, retryAfterSeconds?: number): FakeResponse {
    const headers: Record<string, string> =
      policy === 'DAILY'
        ? { 'X-HubSpot-RateLimit-Daily': String(this.dailyLimit), 'X-HubSpot-RateLimit-Daily-Remaining': '0' }
        : { 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000', 'X-HubSpot-RateLimit-Max': '190', 'X-HubSpot-RateLimit-Remaining': '0' };
    if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
    return {
      status: 429,
      headers,
      body: {
        status: 'error',
        message: `You have reached your ${policy === 'DAILY' ? 'daily' : 'ten_secondly_rolling'} limit.`,
        errorType: 'RATE_LIMIT',
        policyName: policy,
        correlationId: 'fake',
      },
    };
  }

  private api(r: FakeRequest): FakeResponse {
    let m: RegExpExecArray | null;
    if ((m = /^\/crm\/v3\/properties\/(\w+)\/groups(?:\/(\w+))?$/.exec(r.path))) return this.groupsApi(r, m[1]!, m[2]);
    if ((m = /^\/crm\/v3\/properties\/(\w+)\/(\w+)$/.exec(r.path)) && r.method === 'GET') {
      const found = this.property(m[1]!, m[2]!);
      return found
        ? { status: 200, body: found }
        : { status: 404, body: { status: 'error', message: `Property ${m[2]} does not exist`, category: 'OBJECT_NOT_FOUND', correlationId: 'fake' } };
    }
    if ((m = /^\/crm\/v3\/properties\/(\w+)$/.exec(r.path)) && r.method === 'GET') {
      const all = [...(BUILT_IN_PROPERTIES[m[1]!] ?? []).map((name) => this.property(m![1]!, name)!), ...(this.properties.get(m[1]!)?.values() ?? [])];
      return { status: 200, body: { results: all } };
    }
    if ((m = /^\/crm\/v3\/properties\/(\w+)$/.exec(r.path)) && r.method === 'POST')
      return this.createProperty(m[1]!, JSON.parse(r.body) as Record<string, unknown>);
    if ((m = /^\/crm\/v3\/objects\/(contacts|companies)\/batch\/(update|read)$/.exec(r.path)) && r.method === 'POST')
      return this.batch(m[1]!, m[2] as 'update' | 'read', r.body);
    if ((m = /^\/crm\/v3\/objects\/(contacts|companies)\/batch\/create$/.exec(r.path)) && r.method === 'POST') return this.batchCreate(m[1]!, r.body);
    if (r.path === '/crm/v3/objects/tasks' && r.method === 'POST') return this.createTask(JSON.parse(r.body) as Omit<HubSpotTask, 'id' | 'at'>);
    if (r.path === '/crm/v3/objects/tasks/search' && r.method === 'POST') return this.searchTasks(JSON.parse(r.body) as SearchRequest);
    if (r.path === '/crm/v3/objects/tasks/batch/read' && r.method === 'POST')
      return this.readTasks(JSON.parse(r.body) as { inputs: { id: string }[]; properties?: string[] });
    if (r.path === '/crm/v3/objects/tasks/batch/update' && r.method === 'POST')
      return this.updateTasks(JSON.parse(r.body) as { inputs: { id: string; properties: Record<string, string> }[] });
    return { status: 404, body: { status: 'error', message: `no fake for ${r.method} ${r.path}`, category: 'OBJECT_NOT_FOUND' } };
  }

  private groupsApi(r: FakeRequest, object: string, name: string | undefined): FakeResponse {
    if (name && r.method === 'GET') {
      return this.hasGroup(object, name)
        ? { status: 200, body: { name, label: name, displayOrder: -1, archived: false } }
        : { status: 404, body: { status: 'error', message: `Unable to find property group ${name}`, category: 'OBJECT_NOT_FOUND', correlationId: 'fake' } };
    }
    if (!name && r.method === 'POST') {
      const body = JSON.parse(r.body) as { name?: string; label?: string; displayOrder?: number };
      if (!body.name || !body.label) return validationError('Property group name and label are required');
      if (this.hasGroup(object, body.name))
        return {
          status: 409,
          body: { status: 'error', message: `A property group named ${body.name} already exists`, category: 'OBJECT_ALREADY_EXISTS', correlationId: 'fake' },
        };
      let created = this.groups.get(object);
      if (!created) this.groups.set(object, (created = new Set()));
      created.add(body.name);
      return { status: 201, body: { name: body.name, label: body.label, displayOrder: body.displayOrder ?? -1, archived: false } };
    }
    return { status: 404, body: { status: 'error', message: `no fake for ${r.method} ${r.path}`, category: 'OBJECT_NOT_FOUND' } };
  }

  private createProperty(object: string, body: Record<string, unknown>): FakeResponse {
    const missing = ['name', 'label', 'type', 'fieldType', 'groupName'].filter((k) => !body[k]);
    if (missing.length > 0) return validationError(`Required fields are missing: ${missing.join(', ')}`);
    const name = String(body['name']);
    const group = String(body['groupName']);
    if (!this.hasGroup(object, group)) return validationError(`Property group ${group} does not exist for object type ${object}`);
    if (this.property(object, name))
      return {
        status: 409,
        body: { status: 'error', message: `Property named '${name}' already exists.`, category: 'OBJECT_ALREADY_EXISTS', correlationId: 'fake' },
      };
    let defs = this.properties.get(object);
    if (!defs) this.properties.set(object, (defs = new Map()));
    const now = new Date().toISOString();
    const created = {
      ...body,
      createdAt: now,
      updatedAt: now,
      hidden: false,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    };
    defs.set(name, created);
    return { status: 201, body: created };
  }

  /** HubSpot's answer to invalid property values: the whole call refused, each problem in the message's JSON list. */
  private invalidValues(object: string, values: Record<string, string>): FakeResponse | undefined {
    const problems: { isValid: false; message: string; error: string; name: string }[] = [];
    for (const [name, value] of Object.entries(values)) {
      const property = this.property(object, name);
      if (!property) {
        problems.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
        continue;
      }
      const options = property['options'] as { value: string }[] | undefined;
      if (property['type'] === 'enumeration' && options && !options.some((o) => o.value === value)) {
        problems.push({
          isValid: false,
          message: `${value} was not one of the allowed options: [${options.map((o) => o.value).join(', ')}]`,
          error: 'INVALID_OPTION',
          name,
        });
      }
      if (property['type'] === 'number' && value !== '' && !Number.isFinite(Number(value)))
        problems.push({ isValid: false, message: `${value} is not a valid number`, error: 'INVALID_LONG', name });
    }
    return problems.length > 0 ? validationError(`Property values were not valid: ${JSON.stringify(problems)}`) : undefined;
  }

  private batch(object: string, kind: 'update' | 'read', raw: string): FakeResponse {
    const now = new Date().toISOString();
    const body = JSON.parse(raw) as { inputs: { id: string; idProperty?: string; properties?: Record<string, string> }[]; idProperty?: string };
    if (kind === 'update' && body.inputs.length > 100) return validationError('batch size above 100');
    for (const idProperty of new Set(body.inputs.map((i) => i.idProperty ?? body.idProperty).filter((p): p is string => Boolean(p)))) {
      const property = this.property(object, idProperty);
      if (!property || (!property['hasUniqueValue'] && idProperty !== 'hs_object_id'))
        return validationError(`${idProperty} is not a unique property of ${object}`);
    }
    if (kind === 'update') {
      const invalid = this.invalidValues(object, Object.assign({}, ...body.inputs.map((i) => i.properties ?? {})) as Record<string, string>);
      if (invalid) return invalid;
    }
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
      if (kind === 'update') {
        row.properties = { ...row.properties, ...(input.properties ?? {}) };
        this.writes.push({ at: Date.now(), object, id: input.id, properties: { ...(input.properties ?? {}) } });
      }
      results.push({ id: row.id, properties: { ...row.properties, hs_object_id: row.id }, createdAt: now, updatedAt: now, archived: false });
    }
    const base = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
    if (missing.length === 0) return { status: 200, body: base };
    return {
      status: 207,
      body: {
        ...base,
        numErrors: 1,
        errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some records', context: { ids: missing }, errors: [], links: {} }],
      },
    };
  }

  /** Batch create (HUBSPOT_MISSING_CUSTOMER=create): 409 when a record with the id property's value exists. */
  private batchCreate(object: string, raw: string): FakeResponse {
    const now = new Date().toISOString();
    const body = JSON.parse(raw) as { inputs: { properties: Record<string, string> }[] };
    if (body.inputs.length > 100) return validationError('batch size above 100');
    const invalid = this.invalidValues(object, Object.assign({}, ...body.inputs.map((i) => i.properties)) as Record<string, string>);
    if (invalid) return invalid;
    const table = this.table(object);
    for (const input of body.inputs) {
      const ours = input.properties[this.options.idProperty];
      if (ours && table.has(ours))
        return {
          status: 409,
          body: { status: 'error', message: `A ${object} with ${this.options.idProperty} ${ours} already exists`, category: 'CONFLICT', correlationId: 'fake' },
        };
    }
    const results = body.inputs.map((input) => {
      const ours = input.properties[this.options.idProperty];
      const row = { id: String(++this.idSeq), properties: { ...input.properties } };
      if (ours) {
        table.set(ours, row);
        this.writes.push({ at: Date.now(), object, id: ours, properties: { ...input.properties } });
      }
      return { id: row.id, properties: { ...row.properties, hs_object_id: row.id }, createdAt: now, updatedAt: now, archived: false };
    });
    return { status: 201, body: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
  }

  /**
   * The tasks search (POST /crm/v3/objects/tasks/search): filter groups (OR of ANDed filters), one
   * sort, `limit` ≤ 200, `after` as the offset; `paging.next.after` while more match; a request
   * beyond the 10,000th result (or past the limits) refused with 400 VALIDATION_ERROR, as HubSpot does.
   */
  private searchTasks(request: SearchRequest): FakeResponse {
    const known = (name: string) => name in TASK_PROPERTIES || TASK_READ_ONLY.includes(name);
    const problem = searchRequestProblem(request, known, this.searchResultCap);
    if (problem) return validationError(problem);
    const matching = this.tasks.filter((t) => searchMatches(request, t.properties)).sort(searchOrder(request));
    const limit = request.limit ?? 10;
    const after = Number(request.after ?? 0);
    const page = matching.slice(after, after + limit);
    const more = after + limit < matching.length;
    return {
      status: 200,
      body: {
        total: matching.length,
        results: page.map((t) => taskView(t, request.properties)),
        ...(more ? { paging: { next: { after: String(after + limit), link: `${this.url}/crm/v3/objects/tasks/search?after=${after + limit}` } } } : {}),
      },
    };
  }

  private readTasks(body: { inputs: { id: string }[]; properties?: string[] }): FakeResponse {
    if (body.inputs.length > 100) return validationError('batch size above 100');
    const now = new Date().toISOString();
    const found = body.inputs.map((i) => this.tasks.find((t) => t.id === i.id));
    const missing = body.inputs.filter((_, i) => !found[i]).map((i) => i.id);
    const results = found.filter((t): t is HubSpotTask => Boolean(t)).map((t) => taskView(t, body.properties));
    const base = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
    if (missing.length === 0) return { status: 200, body: base };
    return {
      status: 207,
      body: {
        ...base,
        numErrors: 1,
        errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some tasks', context: { ids: missing } }],
      },
    };
  }

  /** Batch update of tasks: ≤ 100, properties validated like a creation (read-only ones refused); the modification time moves. */
  private updateTasks(body: { inputs: { id: string; properties: Record<string, string> }[] }): FakeResponse {
    if (body.inputs.length > 100) return validationError('batch size above 100');
    const problems: { isValid: false; message: string; error: string; name: string }[] = [];
    for (const input of body.inputs) {
      for (const [name, value] of Object.entries(input.properties)) {
        if (TASK_READ_ONLY.includes(name))
          problems.push({ isValid: false, message: `${name} is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE', name });
        else if (!(name in TASK_PROPERTIES))
          problems.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
        else if (TASK_PROPERTIES[name] && !TASK_PROPERTIES[name]!.includes(value))
          problems.push({ isValid: false, message: `${value} was not one of the allowed options`, error: 'INVALID_OPTION', name });
      }
    }
    if (problems.length > 0) return validationError(`Property values were not valid: ${JSON.stringify(problems)}`);
    const now = new Date().toISOString();
    const missing: string[] = [];
    const results: Record<string, unknown>[] = [];
    for (const input of body.inputs) {
      const task = this.tasks.find((t) => t.id === input.id);
      if (!task) {
        missing.push(input.id);
        continue;
      }
      const completing = input.properties['hs_task_status'] === 'COMPLETED' && task.properties['hs_task_status'] !== 'COMPLETED';
      task.properties = { ...task.properties, ...input.properties, hs_lastmodifieddate: now, ...(completing ? { hs_task_completion_date: now } : {}) };
      this.taskUpdates.push({ at: Date.now(), id: task.id, properties: { ...input.properties } });
      results.push(taskView(task, Object.keys(input.properties)));
    }
    const base = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
    if (missing.length === 0) return { status: 200, body: base };
    return {
      status: 207,
      body: {
        ...base,
        numErrors: 1,
        errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not update some tasks', context: { ids: missing } }],
      },
    };
  }

  private createTask(body: Omit<HubSpotTask, 'id' | 'at'>): FakeResponse {
    const now = new Date().toISOString();
    const properties = body.properties ?? {};
    const problems: { isValid: false; message: string; error: string; name: string }[] = [];
    for (const [name, value] of Object.entries(properties)) {
      if (!(name in TASK_PROPERTIES)) problems.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
      else if (TASK_PROPERTIES[name] && !TASK_PROPERTIES[name]!.includes(value))
        problems.push({ isValid: false, message: `${value} was not one of the allowed options`, error: 'INVALID_OPTION', name });
    }
    if (!properties['hs_timestamp']) problems.push({ isValid: false, message: 'hs_timestamp is required', error: 'REQUIRED_PROPERTY', name: 'hs_timestamp' });
    if (problems.length > 0) return validationError(`Property values were not valid: ${JSON.stringify(problems)}`);
    for (const association of body.associations ?? []) {
      for (const type of association.types) {
        const object = TASK_TO[type.associationTypeId as keyof typeof TASK_TO];
        if (!object) return validationError(`association type ${type.associationTypeId} is not valid from tasks`);
        if (![...this.table(object).values()].some((row) => row.id === association.to.id)) {
          return validationError(`No ${object} with ID ${association.to.id} (association type ${type.associationTypeId})`);
        }
      }
    }
    const id = String(++this.idSeq);
    const task = {
      at: Date.now(),
      id,
      properties: { ...properties, hs_object_id: id, hs_createdate: now, hs_lastmodifieddate: now },
      associations: body.associations ?? [],
    };
    this.tasks.push(task);
    return { status: 201, body: { id: task.id, properties: task.properties, createdAt: now, updatedAt: now, archived: false } };
  }
}

/** A task's properties as HubSpot returns them: those asked for, with its id and times. */
function taskView(task: HubSpotTask, properties: readonly string[] | undefined): Record<string, unknown> {
  const names = new Set([...(properties ?? []), 'hs_object_id', 'hs_createdate', 'hs_lastmodifieddate']);
  const shown: Record<string, string | null> = {};
  for (const name of names) shown[name] = task.properties[name] ?? null;
  return { id: task.id, properties: shown, createdAt: task.properties['hs_createdate'], updatedAt: task.properties['hs_lastmodifieddate'], archived: false };
}

function validationError(message: string): FakeResponse {
  return { status: 400, body: { status: 'error', message, correlationId: 'fake', category: 'VALIDATION_ERROR' } };
}
