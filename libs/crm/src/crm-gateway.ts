import type { CrmTarget } from '@churn/db';
import type { CrmCallError, RecordResult } from './crm-errors';
import type { ScorePayload, TaskPayload } from './crm-payloads';

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
  readonly maxBatch: { readonly score: number; readonly task: number };
  /** One-time setup before the first write (HubSpot: create missing custom properties). Throws to be retried. */
  prepare(): Promise<void>;
  pushScores(scores: readonly ScorePayload[]): Promise<RecordResult[]>;
  createTasks(tasks: readonly TaskPayload[]): Promise<RecordResult[]>;
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
