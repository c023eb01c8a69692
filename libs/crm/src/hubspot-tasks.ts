import type { Client } from '@hubspot/api-client';
import Bottleneck from 'bottleneck';
import type { HubSpotSettings } from './crm-config';
import type { ChurnWrite, CompletedTask } from './crm-gateway';
import type { RecordResult } from './crm-errors';
import { CHURN_NOTE_PREFIX, churnNoteOf } from './crm-payloads';

/** Runs one HubSpot call paced, counted, and with its failure translated; returns its answer's data and headers. */
export type HubSpotCall = <T>(endpoint: string, work: () => Promise<{ data: T; headers: Record<string, string> }>) => Promise<T>;

interface TaskObject {
  readonly id: string;
  readonly properties: Record<string, string | null | undefined>;
}

interface SearchPage {
  readonly total?: number;
  readonly results: TaskObject[];
  readonly paging?: { next?: { after?: string } };
}

/**
 * The CRM search's limits (developers.hubspot.com/docs/api/crm/search, "Limitations"): at most 200
 * results a page, and no query pages past its 10,000th result — asking for more is answered 400.
 * Searches are also limited per second per account, apart from the burst limit (four a second in the
 * changelog "CRM Search API Rate Limit Increase"; five in the current guide): one every 250 ms here.
 */
const SEARCH_RESULT_LIMIT = 10_000;
const SEARCH_MIN_SPACING_MS = 250;
const TASK_PROPERTIES = [
  'hs_task_subject',
  'hs_task_type',
  'hs_task_status',
  'hs_task_completion_date',
  'hs_lastmodifieddate',
  'hubspot_owner_id',
  'hs_task_body',
];

/**
 * The platform's retention tasks in HubSpot: read back once completed, and told when their customer
 * churned. HubSpot tasks carry no key of ours (no external id as Salesforce's Task has): the read-back
 * searches completed tasks by last modification and the caller keeps those whose id crm-sync recorded
 * when it created them (its outbox).
 */
export class HubSpotTasks {
  private readonly searches = new Bottleneck({ minTime: SEARCH_MIN_SPACING_MS, maxConcurrent: 1 });

  constructor(
    private readonly client: Client,
    private readonly settings: HubSpotSettings,
    private readonly call: HubSpotCall,
    private readonly callOptions: object,
  ) {}

  /**
   * Completed tasks modified at or after `since`, oldest first (GTE: a task modified in the same
   * millisecond as the watermark is read again and records nothing new). A query stops at HubSpot's
   * 10,000-result limit: the search then starts again from the newest modification time read so far.
   */
  async readCompleted(since: Date, onPage: (tasks: readonly CompletedTask[]) => Promise<void>): Promise<void> {
    const limit = this.settings.searchPageSize;
    let from = since.getTime();
    let after = 0;
    let lastId: string | undefined;
    for (;;) {
      const page = await this.search(from, limit, after);
      const fresh = lastId === undefined ? page.results : page.results.slice(page.results.findIndex((t) => t.id === lastId) + 1);
      if (fresh.length > 0) await onPage(fresh.map(completedTaskOf));
      const next = page.paging?.next?.after;
      if (next === undefined || page.results.length === 0) return;
      if (Number(next) + limit <= (this.settings.searchResultLimit ?? SEARCH_RESULT_LIMIT)) {
        after = Number(next);
        lastId = undefined;
        continue;
      }
      // At the 10,000th result: a new query from the last modification time read. The tasks modified in
      // that same millisecond come again; they are skipped up to the last one read.
      const newest = Date.parse(page.results[page.results.length - 1]!.properties['hs_lastmodifieddate'] ?? '');
      if (!Number.isFinite(newest) || newest <= from)
        throw new Error(
          `HubSpot search: more than ${this.settings.searchResultLimit ?? SEARCH_RESULT_LIMIT} completed tasks modified at ${new Date(from).toISOString()}`,
        );
      from = newest;
      after = 0;
      lastId = page.results[page.results.length - 1]!.id;
    }
  }

  private search(from: number, limit: number, after: number): Promise<SearchPage> {
    const request = {
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_task_status', operator: 'EQ', value: 'COMPLETED' },
            { propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(from) },
          ],
        },
      ],
      // The search API takes sort objects; the client's generated type says string[] (its serializer passes them as they are).
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }] as never,
      properties: TASK_PROPERTIES,
      limit,
      ...(after > 0 ? { after: String(after) } : {}),
    };
    return this.searches.schedule(() =>
      this.call(
        'tasks:search',
        () =>
          this.client.crm.objects.tasks.searchApi.doSearchWithHttpInfo(request as never, this.callOptions as never) as unknown as Promise<{
            data: SearchPage;
            headers: Record<string, string>;
          }>,
      ),
    );
  }

  /**
   * Each churn: the customer's open tasks get the note appended to hs_task_body (and, in mode `close`,
   * hs_task_status COMPLETED), in one batch read and one batch update per 100 tasks. Completed tasks and
   * tasks already carrying the note are left alone.
   */
  async writeChurn(writes: readonly ChurnWrite[]): Promise<RecordResult[]> {
    const ids = [...new Set(writes.flatMap((w) => w.tasks.map((t) => t.externalId)))];
    const found = new Map<string, TaskObject>();
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const body = await this.call(
        'tasks:batch/read',
        () =>
          this.client.crm.objects.tasks.batchApi.readWithHttpInfo(
            { inputs: chunk.map((id) => ({ id })), properties: ['hs_task_status', 'hs_task_body'], propertiesWithHistory: [] },
            false,
            this.callOptions as never,
          ) as unknown as Promise<{
            data: { results?: TaskObject[] };
            headers: Record<string, string>;
          }>,
      );
      for (const task of body.results ?? []) found.set(task.id, task);
    }
    const inputs: { id: string; properties: Record<string, string> }[] = [];
    const owners: number[] = [];
    writes.forEach((write, index) => {
      const note = churnNoteOf(write.payload);
      for (const task of write.tasks) {
        const current = found.get(task.externalId);
        const body = current?.properties['hs_task_body'] ?? '';
        if (!current || current.properties['hs_task_status'] === 'COMPLETED' || body.includes(CHURN_NOTE_PREFIX)) continue;
        inputs.push({
          id: task.externalId,
          properties: { hs_task_body: body ? `${body}\n\n${note}` : note, ...(write.payload.mode === 'close' ? { hs_task_status: 'COMPLETED' } : {}) },
        });
        owners.push(index);
      }
    });
    const results: RecordResult[] = writes.map(() => ({ ok: true, externalId: null }));
    for (let i = 0; i < inputs.length; i += 100) {
      const body = await this.call(
        'tasks:batch/update',
        () =>
          this.client.crm.objects.tasks.batchApi.updateWithHttpInfo({ inputs: inputs.slice(i, i + 100) }, this.callOptions as never) as unknown as Promise<{
            data: { errors?: { category?: string; message?: string; context?: Record<string, string[]> }[] };
            headers: Record<string, string>;
          }>,
      );
      for (const error of body.errors ?? []) {
        for (const id of Object.values(error.context ?? {}).flat()) {
          const at = inputs.findIndex((input, j) => j >= i && input.id === id);
          if (at >= 0)
            results[owners[at]!] = { ok: false, kind: 'retryable', code: error.category ?? 'UNKNOWN', message: error.message ?? 'task update refused' };
        }
      }
    }
    return results;
  }
}

function completedTaskOf(task: TaskObject): CompletedTask {
  const p = task.properties;
  const modified = p['hs_lastmodifieddate'] ?? new Date().toISOString();
  const owner = p['hubspot_owner_id'];
  return {
    taskId: task.id,
    alertId: null,
    owner: owner ? `hubspot owner ${owner}` : 'unassigned',
    completedAt: new Date(p['hs_task_completion_date'] || modified).toISOString(),
    modifiedAt: new Date(modified).toISOString(),
    subject: p['hs_task_subject'] || 'Task',
    type: p['hs_task_type'] ? p['hs_task_type'].toLowerCase() : null,
    closedOnChurn: (p['hs_task_body'] ?? '').includes(CHURN_NOTE_PREFIX),
  };
}
