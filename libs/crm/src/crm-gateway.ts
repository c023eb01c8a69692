import type { CrmTarget } from '@churn/crm-sync-data';
import type { CrmCallError, RecordResult } from './crm-errors';
import type { ChurnPayload, ScorePayload, TaskPayload } from './crm-payloads';

/** A retention task of the platform's, completed in the CRM, as read back. */
export interface CompletedTask {
  /** The CRM's id of the task. */
  readonly taskId: string;
  /** The alert the task was created for, when the CRM carries it (Salesforce: the alert-id external id). */
  readonly alertId: string | null;
  /** Who completed it: the owner's name and e-mail when the CRM gives them, else the owner's id. */
  readonly owner: string;
  /** ISO 8601: when it was completed (else when it was last modified). */
  readonly completedAt: string;
  /** ISO 8601: when it was last modified, the read-back watermark. */
  readonly modifiedAt: string;
  readonly subject: string;
  /** The task's type (Salesforce TaskSubtype, HubSpot hs_task_type), lower case, when known. */
  readonly type: string | null;
  /** Its description carries the platform's churn note: closed by crm-sync on a churn, not by a person. */
  readonly closedOnChurn: boolean;
}

/** One churn outbox row with the platform's tasks of that customer in the CRM. */
export interface ChurnWrite {
  readonly payload: ChurnPayload;
  readonly tasks: readonly { readonly alertId: string; readonly externalId: string }[];
}

/** A configured custom field (Salesforce) or property (HubSpot) that the CRM does not have. */
export interface MissingField {
  readonly object: string;
  readonly name: string;
}

export interface CrmQuota {
  readonly used?: number;
  readonly limit?: number;
  readonly remaining?: number;
}

/**
 * One CRM. Batch calls return one result per input, in input order; a failure of the whole call
 * (outage, rate limit, a misconfigured integration) is thrown as a `CrmCallError`.
 */
export interface CrmGateway {
  readonly target: CrmTarget;
  /** Largest batch one call takes, by kind. */
  readonly maxBatch: { readonly score: number; readonly task: number; readonly churn: number };
  /** One-time setup before the first write (HubSpot: create missing custom properties). Throws to be retried. */
  prepare(): Promise<void>;
  pushScores(scores: readonly ScorePayload[]): Promise<RecordResult[]>;
  createTasks(tasks: readonly TaskPayload[]): Promise<RecordResult[]>;
  /**
   * Writes each churn to the customer's open tasks (a note; closed too in mode `close`). Tasks already
   * closed, or already carrying the note, are left alone, so a repeated write changes nothing.
   */
  writeChurn(writes: readonly ChurnWrite[]): Promise<RecordResult[]>;
  /**
   * The platform's tasks completed in the CRM and modified at or after `since`, oldest first, page by
   * page (`onPage` runs before the next page is asked for, so a caller can move its watermark).
   */
  readCompletedTasks(since: Date, onPage: (tasks: readonly CompletedTask[]) => Promise<void>): Promise<void>;
  /**
   * The configured custom fields/properties the CRM lacks (Salesforce: describe of the objects;
   * HubSpot: the object's properties), empty when all exist. A call like any other (throws a
   * `CrmCallError` when the CRM cannot be asked).
   */
  missingFields(): Promise<MissingField[]>;
  /** The daily API quota as the CRM last reported it. */
  quota(): CrmQuota | undefined;
}

/** Counts every HTTP call a gateway makes, by CRM, endpoint and status. */
export type ApiCallObserver = (target: CrmTarget, endpoint: string, status: string) => void;

/** Runs one CRM call, counts it by endpoint and outcome, and turns its failure into a `CrmCallError`. */
export async function observedCall<T>(
  target: CrmTarget,
  endpoint: string,
  observe: ApiCallObserver,
  translate: (error: unknown) => CrmCallError,
  work: () => Promise<T>,
): Promise<T> {
  try {
    const result = await work();
    observe(target, endpoint, 'ok');
    return result;
  } catch (error) {
    const translated = translate(error);
    observe(target, endpoint, translated.code);
    throw translated;
  }
}
