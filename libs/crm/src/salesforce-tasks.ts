import type { Connection } from 'jsforce';
import type { SalesforceSettings } from './crm-config';
import type { ChurnWrite, CompletedTask } from './crm-gateway';
import { CHURN_NOTE_PREFIX, churnNoteOf } from './crm-payloads';
import type { RecordResult } from './crm-errors';

/** Runs one Salesforce call within the gateway's deadline, sign-in and error translation. */
export type SalesforceCall = <T>(endpoint: string, work: () => Promise<T>) => Promise<T>;

interface QueryPage<R> {
  readonly records: R[];
  readonly done: boolean;
  readonly nextRecordsUrl?: string;
}

interface TaskRecord {
  Id: string;
  Subject: string | null;
  Status: string;
  IsClosed?: boolean;
  TaskSubtype: string | null;
  CompletedDateTime: string | null;
  LastModifiedDate: string;
  OwnerId: string;
  Owner: { Name?: string | null; Email?: string | null } | null;
  Description: string | null;
  [field: string]: unknown;
}

/**
 * Query pages. Salesforce answers a SOQL query 2,000 records at a time by default and
 * takes `Sforce-Query-Options: batchSize=N` (200–2,000) as a request, not a promise; the rest comes
 * from `nextRecordsUrl` until `done` (REST API Developer Guide, "Query" and "Query Options Header").
 * jsforce's `query()` without `autoFetch` stops after that first page, and with it stops silently at
 * `maxFetch` (10,000 by default: jsforce 3.10.8 lib/query.js `_options`), so the pages are followed
 * here, one call each, within its own deadline; SALESFORCE_QUERY_BATCH_SIZE sets the batch size asked for.
 */
const NO_RETRY = { retry: { maxRetries: 0 } };

/** SOQL datetime literal: unquoted ISO 8601 in UTC, seconds precision (`2026-12-03T10:15:00Z`). */
export function soqlDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** A SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The platform's retention tasks in Salesforce: read back once completed, and told when their customer
 * churned. Tasks are the platform's when they carry the alert-id external id
 * (SALESFORCE_TASK_EXTERNAL_ID_FIELD), which the task upsert sets.
 */
export class SalesforceTasks {
  constructor(
    private readonly connection: Connection,
    private readonly settings: SalesforceSettings,
    private readonly call: SalesforceCall,
  ) {}

  /**
   * Closed tasks of the platform's modified at or after `since`, oldest first. `>=` rather than `>`:
   * LastModifiedDate has seconds precision, and a task modified in the same second as the watermark
   * but after the last read would otherwise be missed; the tasks read again record nothing new.
   */
  async readCompleted(since: Date, onPage: (tasks: readonly CompletedTask[]) => Promise<void>): Promise<void> {
    const ext = this.settings.taskExternalIdField;
    const soql =
      `SELECT Id, ${ext}, Subject, Status, TaskSubtype, CompletedDateTime, LastModifiedDate, OwnerId, Owner.Name, Owner.Email, Description ` +
      `FROM Task WHERE ${ext} != null AND IsClosed = true AND LastModifiedDate >= ${soqlDateTime(since)} ORDER BY LastModifiedDate ASC, Id ASC`;
    await this.pages<TaskRecord>('query:tasks-completed', soql, async (records) => {
      await onPage(records.map((r) => this.completedTaskOf(r)));
    });
  }

  private completedTaskOf(r: TaskRecord): CompletedTask {
    const owner = r.Owner?.Name ? (r.Owner.Email ? `${r.Owner.Name} <${r.Owner.Email}>` : r.Owner.Name) : r.OwnerId;
    return {
      taskId: r.Id,
      alertId: (r[this.settings.taskExternalIdField] as string | null) ?? null,
      owner,
      completedAt: new Date(r.CompletedDateTime ?? r.LastModifiedDate).toISOString(),
      modifiedAt: new Date(r.LastModifiedDate).toISOString(),
      subject: r.Subject ?? 'Task',
      type: r.TaskSubtype ? r.TaskSubtype.toLowerCase() : null,
      closedOnChurn: (r.Description ?? '').includes(CHURN_NOTE_PREFIX),
    };
  }

  /**
   * Each churn: the customer's open tasks get the note appended to their Description (and, in mode
   * `close`, SALESFORCE_CHURNED_TASK_STATUS), by an upsert on the alert-id key. Closed tasks and tasks
   * already carrying the note are left alone.
   */
  async writeChurn(writes: readonly ChurnWrite[]): Promise<RecordResult[]> {
    const ext = this.settings.taskExternalIdField;
    const alertIds = [...new Set(writes.flatMap((w) => w.tasks.map((t) => t.alertId)))];
    const found = new Map<string, TaskRecord>();
    for (let i = 0; i < alertIds.length; i += 200) {
      const chunk = alertIds.slice(i, i + 200);
      await this.pages<TaskRecord>(
        'query:tasks-open',
        `SELECT Id, ${ext}, Status, IsClosed, Description FROM Task WHERE ${ext} IN (${chunk.map(soqlString).join(', ')})`,
        async (records) => {
          for (const r of records) found.set(String(r[ext]), r);
        },
      );
    }
    const updates: Record<string, unknown>[] = [];
    const owners: number[] = [];
    writes.forEach((write, index) => {
      const note = churnNoteOf(write.payload);
      for (const task of write.tasks) {
        const current = found.get(task.alertId);
        if (!current || current.IsClosed || (current.Description ?? '').includes(CHURN_NOTE_PREFIX)) continue;
        updates.push({
          [ext]: task.alertId,
          Description: current.Description ? `${current.Description}\n\n${note}` : note,
          ...(write.payload.mode === 'close' ? { Status: this.settings.churnedTaskStatus } : {}),
        });
        owners.push(index);
      }
    });
    const results: RecordResult[] = writes.map(() => ({ ok: true, externalId: null }));
    for (let i = 0; i < updates.length; i += 200) {
      const saved = (await this.call(
        'composite/sobjects:upsert-task-churn',
        () => this.connection.sobject('Task').upsert(updates.slice(i, i + 200) as never, ext, { allOrNone: false }) as Promise<unknown>,
      )) as { success: boolean; errors?: { statusCode?: string; message?: string }[] }[];
      saved.forEach((r, j) => {
        if (r.success) return;
        const first = r.errors?.[0];
        // One failed task fails its churn write; the write is repeated, and the tasks done already are left alone then.
        results[owners[i + j]!] = {
          ok: false,
          kind: first?.statusCode === 'UNABLE_TO_LOCK_ROW' ? 'retryable' : 'permanent',
          code: first?.statusCode ?? 'UNKNOWN',
          message: first?.message ?? 'task update refused',
        };
      });
    }
    return results;
  }

  private async pages<R>(endpoint: string, soql: string, onPage: (records: R[]) => Promise<void>): Promise<void> {
    let url: string | undefined = `/services/data/v${this.settings.apiVersion}/query?q=${encodeURIComponent(soql)}`;
    const headers = { 'Sforce-Query-Options': `batchSize=${this.settings.queryBatchSize}` };
    while (url) {
      const next: string = url;
      const page = await this.call(endpoint, () => this.connection.request<QueryPage<R>>({ method: 'GET', url: next, headers }, NO_RETRY));
      await onPage(page.records);
      url = page.done ? undefined : page.nextRecordsUrl;
    }
  }
}
