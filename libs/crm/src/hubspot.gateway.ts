import { Client } from '@hubspot/api-client';
import Bottleneck from 'bottleneck';
import type { Logger } from '@churn/observability';
import { observedCall, type ApiCallObserver, type ChurnWrite, type CompletedTask, type CrmGateway, type CrmQuota, type MissingField } from './crm-gateway';
import { CrmCallError, isNetworkError, type RecordResult } from './crm-errors';
import { msUntilMidnight } from './rate-limit-window';
import type { HubSpotSettings } from './crm-config';
import type { ScorePayload, TaskPayload } from './crm-payloads';
import { HubSpotTasks } from './hubspot-tasks';
import { socketDeadlineAgent } from './socket-deadline.agent';

interface HubSpotBatchError {
  status?: string;
  category?: string;
  message?: string;
  context?: Record<string, string[]>;
}

interface HubSpotBatchBody {
  results?: { id: string; properties?: Record<string, string | null> }[];
  errors?: HubSpotBatchError[];
}

/** HubSpot-defined association type ids: task → contact, task → company. */
const TASK_ASSOCIATION_TYPE = { contacts: 204, companies: 192 } as const;
const PERMANENT_CATEGORIES = new Set([
  'OBJECT_NOT_FOUND',
  'VALIDATION_ERROR',
  'INVALID_AUTHENTICATION',
  'MISSING_SCOPES',
  'DUPLICATE_OBJECT',
  'PROPERTY_DOESNT_EXIST',
]);
/** HubSpot's burst window when a 429 names no interval. */
const BURST_INTERVAL_MS = 10_000;

/** How much wider than HUBSPOT_BURST_WINDOW_MS the pacer spreads HUBSPOT_BURST_REQUESTS calls. */
const PACING_MARGIN = 1.1;
/**
 * HubSpot through @hubspot/api-client: churn properties batch-updated on contacts (or companies)
 * by a unique id property, 100 inputs a call; a 207 answer's `errors[].context.ids` name the
 * inputs that failed, and only those are retried. Missing custom properties are created once.
 * Retention tasks are created one call each, associated with the record. The client's own retries
 * and limiter are off (`numberOfApiCallRetries` 0): they are process-wide, count total attempts and
 * skip daily-limit 429s; the outbox does the retrying. Calls are paced (bottleneck) to at most
 * HUBSPOT_BURST_REQUESTS per HUBSPOT_BURST_WINDOW_MS, so a batch of task creations (one call each)
 * stays inside the burst budget instead of meeting the 429.
 */
export class HubSpotGateway implements CrmGateway {
  readonly target = 'hubspot' as const;
  /**
   * Tasks one at a time: HubSpot has no idempotency key for tasks, and a row is marked sent when its
   * batch returns, so a crash after HubSpot created a task creates it again on retry. Claimed and
   * marked singly, a crash repeats at most the one call in flight, not every task of a paced batch
   * (50 calls spread over seconds). Batching tasks saved no HubSpot call: each is one call anyway.
   */
  readonly maxBatch = { score: 100, task: 1, churn: 20 };
  private readonly client: Client;
  /**
   * Passed to every call so that the client runs its configured middleware, the socket-deadline
   * agent among them: @hubspot/api-client 13.4's generated APIs run the configured middleware only
   * when a call brings middleware of its own (types/ObservableAPI.js: `allMiddleware` starts empty
   * and is filled only from `_options.middleware`); appending none runs exactly the configured ones.
   */
  private readonly callOptions = { middleware: [], middlewareMergeStrategy: 'append' as const };
  private lastQuota: CrmQuota | undefined;
  private prepared = false;
  private readonly pacer: Bottleneck;
  private readonly tasks: HubSpotTasks;

  constructor(
    private readonly settings: HubSpotSettings,
    private readonly logger: Logger,
    private readonly observe: ApiCallObserver = () => undefined,
    private readonly rateLimitWaitMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.client = new Client({
      accessToken: settings.accessToken,
      basePath: settings.basePath,
      numberOfApiCallRetries: 0,
      httpAgent: socketDeadlineAgent(settings.basePath, settings.callTimeoutMs),
    });
    const { requests, windowMs } = settings.burst;
    // Evenly spaced rather than a refilled reservoir: HubSpot's window is rolling, and a reservoir
    // refilled every window lets twice the budget through around a refill. HubSpot counts arrivals and
    // the pacer controls departures, so the spacing keeps a tenth of the window in hand: a call held up
    // on the network or by a busy event loop does not put the next ones' window over the budget.
    this.pacer = new Bottleneck({ minTime: Math.ceil((windowMs * PACING_MARGIN) / requests) });
    this.tasks = new HubSpotTasks(
      this.client,
      settings,
      async (endpoint, work) => {
        const info = await this.call(endpoint, work);
        this.readQuota(info.headers);
        return info.data;
      },
      this.callOptions,
    );
  }

  readCompletedTasks(since: Date, onPage: (tasks: readonly CompletedTask[]) => Promise<void>): Promise<void> {
    return this.tasks.readCompleted(since, onPage);
  }

  writeChurn(writes: readonly ChurnWrite[]): Promise<RecordResult[]> {
    return this.tasks.writeChurn(writes);
  }

  quota(): CrmQuota | undefined {
    return this.lastQuota;
  }

  async prepare(): Promise<void> {
    if (this.prepared) return;
    let groupReady = false;
    for (const property of this.wantedProperties()) {
      if (await this.propertyExists(property.name)) continue;
      if (!groupReady) groupReady = await this.ensureGroup();
      // Another instance may create it at the same moment: its 409 means the property exists.
      const created = await this.call('properties:create', () =>
        succeedsUnless(
          409,
          this.client.crm.properties.coreApi.create(this.settings.object, { ...property, groupName: this.settings.propertyGroup } as never, this.callOptions),
        ),
      );
      if (created)
        this.logger.info(
          { target: this.target, object: this.settings.object, property: property.name, group: this.settings.propertyGroup },
          'created missing HubSpot property',
        );
    }
    this.prepared = true;
  }

  /**
   * The configured properties the object lacks. Finding one missing (deleted since `prepare` ran)
   * makes the next `prepare` create it again, when the token may write the schema.
   */
  async missingFields(): Promise<MissingField[]> {
    const missing: MissingField[] = [];
    for (const property of this.wantedProperties()) {
      if (!(await this.propertyExists(property.name))) missing.push({ object: this.settings.object, name: property.name });
    }
    if (missing.length > 0) this.prepared = false;
    return missing;
  }

  private wantedProperties() {
    const p = this.settings.properties;
    return [
      { name: this.settings.idProperty, label: 'Churn Radar customer id', type: 'string', fieldType: 'text', hasUniqueValue: true },
      { name: p.riskScore, label: 'Churn risk score', type: 'number', fieldType: 'number' },
      {
        name: p.riskCategory,
        label: 'Churn risk category',
        type: 'enumeration',
        fieldType: 'select',
        options: ['low', 'medium', 'high', 'critical'].map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
      },
      { name: p.retentionAction, label: 'Retention action', type: 'string', fieldType: 'textarea' },
    ];
  }

  private propertyExists(name: string): Promise<boolean> {
    return this.call('properties:get', () =>
      succeedsUnless(404, this.client.crm.properties.coreApi.getByName(this.settings.object, name, undefined, undefined, this.callOptions)),
    );
  }

  /**
   * Property groups are per object (contacts have `contactinformation`, companies
   * `companyinformation`) and HubSpot refuses a property in a group the object lacks: the
   * configured group is created when it does not exist.
   */
  private async ensureGroup(): Promise<true> {
    const group = this.settings.propertyGroup;
    const exists = await this.call('properties:groups:get', () =>
      succeedsUnless(404, this.client.crm.properties.groupsApi.getByName(this.settings.object, group, this.callOptions)),
    );
    if (!exists) {
      const created = await this.call('properties:groups:create', () =>
        succeedsUnless(
          409,
          this.client.crm.properties.groupsApi.create(this.settings.object, { name: group, label: 'Churn Radar', displayOrder: -1 }, this.callOptions),
        ),
      );
      if (created) this.logger.info({ target: this.target, object: this.settings.object, group }, 'created HubSpot property group');
    }
    return true;
  }

  async pushScores(scores: readonly ScorePayload[]): Promise<RecordResult[]> {
    const inputs = scores.map((s) => ({ id: s.customer_id, idProperty: this.settings.idProperty, properties: this.propertiesOf(s) }));
    const info = await this.call('batch/update', () => this.batchApi().updateWithHttpInfo({ inputs }, this.callOptions));
    this.readQuota(info.headers);
    const body = info.data as unknown as HubSpotBatchBody;
    const failures = failuresById(body.errors ?? []);
    const externalIds = new Map<string, string>();
    for (const result of body.results ?? []) {
      const ours = result.properties?.[this.settings.idProperty];
      if (ours) externalIds.set(ours, result.id);
    }
    const results = scores.map((s): RecordResult => failures.get(s.customer_id) ?? { ok: true, externalId: externalIds.get(s.customer_id) ?? null });
    const missing = scores.filter((s) => isObjectNotFound(failures.get(s.customer_id)));
    if (missing.length === 0) return results;
    const handled = await this.missingCustomers(
      missing.map((s) => s.customer_id),
      missing.map((s) => this.propertiesOf(s)),
    );
    return scores.map((s, i) => handled.get(s.customer_id) ?? results[i]!);
  }

  /** Customers HubSpot has no record of: created with `properties` (HUBSPOT_MISSING_CUSTOMER=create), or reported missing. */
  private async missingCustomers(customerIds: readonly string[], properties: readonly Record<string, string>[]): Promise<Map<string, RecordResult>> {
    const handled = new Map<string, RecordResult>();
    if (this.settings.missingCustomer === 'skip') {
      for (const id of customerIds)
        handled.set(id, { ok: false, missing: true, message: `no ${this.settings.object} with ${this.settings.idProperty} = ${id}` });
      return handled;
    }
    const inputs = customerIds.map((id, i) => ({ properties: { ...properties[i], [this.settings.idProperty]: id } }));
    const info = await this.call('batch/create', () => this.batchApi().createWithHttpInfo({ inputs } as never, this.callOptions));
    this.readQuota(info.headers);
    for (const result of (info.data as unknown as HubSpotBatchBody).results ?? []) {
      const ours = result.properties?.[this.settings.idProperty];
      if (ours) handled.set(ours, { ok: true, externalId: result.id, created: true });
    }
    return handled;
  }

  private propertiesOf(s: ScorePayload): Record<string, string> {
    const p = this.settings.properties;
    return { [p.riskScore]: String(s.risk_score), [p.riskCategory]: s.risk_level, [p.retentionAction]: s.recommended_action };
  }

  private batchApi() {
    return this.settings.object === 'contacts' ? this.client.crm.contacts.batchApi : this.client.crm.companies.batchApi;
  }

  async createTasks(tasks: readonly TaskPayload[]): Promise<RecordResult[]> {
    const records = await this.findRecords(tasks.map((t) => t.customer_id));
    const absent = [...new Set(tasks.map((t) => t.customer_id).filter((c) => !records.has(c)))];
    const handled =
      absent.length > 0
        ? await this.missingCustomers(
            absent,
            absent.map(() => ({})),
          )
        : new Map<string, RecordResult>();
    for (const [customer, result] of handled) if (result.ok && result.externalId) records.set(customer, { id: result.externalId, ownerId: null });
    const results: RecordResult[] = [];
    for (const [index, task] of tasks.entries()) {
      const record = records.get(task.customer_id);
      if (!record) {
        results.push(
          handled.get(task.customer_id) ?? {
            ok: false,
            missing: true,
            message: `no ${this.settings.object} with ${this.settings.idProperty} = ${task.customer_id}`,
          },
        );
        continue;
      }
      try {
        const created = await this.call('tasks:create', () =>
          this.client.crm.objects.tasks.basicApi.create(
            {
              properties: {
                hs_timestamp: task.due_at,
                hs_task_subject: task.subject,
                hs_task_body: task.description,
                hs_task_priority: 'HIGH',
                hs_task_status: 'NOT_STARTED',
                hs_task_type: 'TODO',
                ...(record.ownerId ? { hubspot_owner_id: record.ownerId } : {}),
              },
              associations: [
                {
                  to: { id: record.id },
                  types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: TASK_ASSOCIATION_TYPE[this.settings.object] }],
                },
              ],
            },
            this.callOptions,
          ),
        );
        results.push({ ok: true, externalId: created.id, ...(handled.has(task.customer_id) ? { created: true } : {}) });
      } catch (error) {
        // A task HubSpot refuses as invalid is that task's problem, not the integration's.
        if (error instanceof CrmCallError && error.kind === 'misconfigured' && error.code === 'VALIDATION_ERROR') {
          results.push({ ok: false, kind: 'permanent', code: error.code, message: error.message });
          continue;
        }
        // The first call failing as a whole is the CRM's failure (the breaker counts it); later ones are recorded per task.
        if (index === 0 || !(error instanceof CrmCallError)) throw error;
        results.push({ ok: false, kind: error.kind, code: error.code, message: error.message, retryAfterMs: error.retryAfterMs });
      }
    }
    return results;
  }

  private async findRecords(customerIds: readonly string[]): Promise<Map<string, { id: string; ownerId: string | null }>> {
    const unique = [...new Set(customerIds)];
    const api = this.batchApi();
    const found = new Map<string, { id: string; ownerId: string | null }>();
    for (let i = 0; i < unique.length; i += 100) {
      const chunk = unique.slice(i, i + 100);
      const info = await this.call('batch/read', () =>
        api.readWithHttpInfo(
          {
            idProperty: this.settings.idProperty,
            inputs: chunk.map((id) => ({ id })),
            properties: [this.settings.idProperty, 'hubspot_owner_id'],
            propertiesWithHistory: [],
          },
          false,
          this.callOptions,
        ),
      );
      this.readQuota(info.headers);
      for (const result of (info.data as unknown as HubSpotBatchBody).results ?? []) {
        const ours = result.properties?.[this.settings.idProperty];
        if (ours) found.set(ours, { id: result.id, ownerId: result.properties?.['hubspot_owner_id'] ?? null });
      }
    }
    return found;
  }

  private readQuota(headers: Record<string, string>): void {
    const remaining = Number(headers['x-hubspot-ratelimit-daily-remaining']);
    const limit = Number(headers['x-hubspot-ratelimit-daily']);
    if (Number.isFinite(remaining))
      this.lastQuota = { remaining, limit: Number.isFinite(limit) ? limit : undefined, used: Number.isFinite(limit) ? limit - remaining : undefined };
  }

  private call<T>(endpoint: string, work: () => Promise<T>): Promise<T> {
    return this.pacer.schedule(() => observedCall(this.target, endpoint, this.observe, (error) => this.translate(error), work));
  }

  private rateLimit(policy: string | undefined, headers: Record<string, string>, message: string): CrmCallError {
    return rateLimitOf(policy, headers, message, this.settings.accountTimeZone, this.rateLimitWaitMs, this.now());
  }

  private translate(error: unknown): CrmCallError {
    if (error instanceof CrmCallError) return error;
    const status = (error as { code?: unknown }).code;
    const body = (error as { body?: { category?: string; message?: string; policyName?: string } }).body;
    const headers = (error as { headers?: Record<string, string> }).headers ?? {};
    const message = body?.message ?? (error instanceof Error ? error.message.split('\n')[0]! : String(error));
    if (status === 429) return this.rateLimit(body?.policyName, headers, message);
    if (typeof status === 'number' && (status >= 500 || status === 408)) return new CrmCallError('outage', `HTTP_${status}`, message);
    // Refused credentials, missing scopes, a batch rejected as a whole: no retry fixes these.
    if (status === 401 || status === 403 || status === 400) return new CrmCallError('misconfigured', body?.category ?? `HTTP_${status}`, message);
    if (typeof status === 'number') return new CrmCallError('permanent', body?.category ?? `HTTP_${status}`, message);
    if (status === 'ETIMEDOUT') return new CrmCallError('outage', 'TIMEOUT', message);
    if (isNetworkError(error)) return new CrmCallError('outage', 'NETWORK', message);
    return new CrmCallError('outage', 'UNKNOWN', message);
  }
}

/**
 * A 429, by policy: the daily limit (policyName DAILY, or the daily remaining header at 0) lasts
 * until midnight in the account's time zone; the 10-second burst for Retry-After, else the interval
 * header, else 10 s; an unnamed one for Retry-After or CRM_RATE_LIMIT_WAIT_MS.
 */
function rateLimitOf(
  policy: string | undefined,
  headers: Record<string, string>,
  message: string,
  timeZone: string,
  fallbackMs: number,
  now: number,
): CrmCallError {
  const retryAfter = Number(headers['retry-after']);
  const retryAfterMs = headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined;
  if (policy === 'DAILY' || headers['x-hubspot-ratelimit-daily-remaining'] === '0') {
    return new CrmCallError('rate_limited', 'HTTP_429_DAILY', message, msUntilMidnight(timeZone, now));
  }
  const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
  if (policy === 'TEN_SECONDLY_ROLLING' || headers['x-hubspot-ratelimit-remaining'] === '0') {
    return new CrmCallError('rate_limited', 'HTTP_429_TEN_SECONDLY_ROLLING', message, retryAfterMs ?? (interval > 0 ? interval : BURST_INTERVAL_MS));
  }
  return new CrmCallError('rate_limited', `HTTP_429${policy ? `_${policy}` : ''}`, message, retryAfterMs ?? fallbackMs);
}

function isObjectNotFound(result: RecordResult | undefined): boolean {
  return result !== undefined && !result.ok && !result.missing && result.code === 'OBJECT_NOT_FOUND';
}

/**
 * True when the request succeeds, false when HubSpot answers `status` (a read: 404, it does not
 * exist; a creation: 409, another instance made it first); other failures are thrown.
 */
async function succeedsUnless(status: 404 | 409, request: Promise<unknown>): Promise<boolean> {
  try {
    await request;
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === status) return false;
    throw error;
  }
}

function failuresById(errors: readonly HubSpotBatchError[]): Map<string, RecordResult> {
  const failures = new Map<string, RecordResult>();
  for (const error of errors) {
    const category = error.category ?? 'UNKNOWN';
    const kind = PERMANENT_CATEGORIES.has(category) ? 'permanent' : 'retryable';
    for (const id of Object.values(error.context ?? {}).flat()) {
      failures.set(id, { ok: false, kind, code: category, message: error.message ?? category });
    }
  }
  return failures;
}
