import { Topics, type CustomerFeaturesMessage } from '@churn/contracts';
import { type Queryable } from '@churn/db';
import { CustomerHistoryRepository } from '@churn/ingest-data';
import { ActiveCustomersQuery } from './active-customers.query';
import type { TopicProducer } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { foldEvents, isCancelled, specHash, type FeatureSpec } from '@churn/feature-spec';
import { eventsByCustomer, featuresMessage, vectorAt } from '@churn/feature-state';

export interface RescoreOptions {
  /** The time every vector is computed as of (ISO-8601 with zone). */
  readonly asOf: string;
  /** Customers read, rebuilt and published per step. */
  readonly batchSize: number;
  /** Pause between steps, so that a large rescore leaves room to the live stream on the same topic. */
  readonly pauseMs?: number;
  readonly onProgress?: (progress: RescoreProgress) => void;
}

export interface RescoreProgress {
  readonly customers: number;
  readonly emitted: number;
  /** Active customers whose vector is still incomplete (an attribute it needs not set yet): nothing to score. */
  readonly incomplete: number;
  /** Customers whose subscription is cancelled as of the time (and not reactivated by then): not scored. */
  readonly cancelled: number;
}

/** The deterministic source id of a rescore: running the same rescore twice is a no-op downstream. */
export function rescoreSourceEventId(asOf: string, customerId: string): string {
  return `rescore:${asOf}:${customerId}`;
}

/**
 * Emits every active customer's feature vector as of a time, rebuilt from the event log by the
 * evaluator ingest uses — a customer whose subscription is cancelled then is skipped, as ingest skips it — (so a past `asOf` sees only what was known then, and months since an event and
 * the aggregates' windows move with the clock).
 * It pages through customers by key, reads without locks and publishes in batches: the live ingest
 * is never blocked, and the scorer treats these messages like any other.
 */
export class FeatureRescorer {
  private readonly history = new CustomerHistoryRepository();
  private readonly active = new ActiveCustomersQuery();
  private readonly specHash: string;

  constructor(
    private readonly spec: FeatureSpec,
    private readonly db: Queryable,
    private readonly producer: TopicProducer,
    private readonly logger: Logger,
  ) {
    this.specHash = specHash(spec);
  }

  async run(options: RescoreOptions): Promise<RescoreProgress> {
    const asOf = new Date(options.asOf).toISOString();
    let after: string | null = null;
    let progress: RescoreProgress = { customers: 0, emitted: 0, incomplete: 0, cancelled: 0 };
    for (;;) {
      const ids = await this.active.activeCustomerIds(this.db, asOf, after, options.batchSize);
      if (ids.length === 0) break;
      after = ids[ids.length - 1]!;
      const events = eventsByCustomer(await this.history.eventsUpTo(this.db, ids, asOf));
      const messages: CustomerFeaturesMessage[] = [];
      let cancelled = 0;
      for (const id of ids) {
        const own = events.get(id) ?? [];
        const state = foldEvents(this.spec, own);
        if (isCancelled(state)) {
          cancelled += 1;
          continue;
        }
        const message = state && featuresMessage(this.specHash, id, vectorAt(this.spec, state, own, asOf), asOf, rescoreSourceEventId(asOf, id));
        if (message) messages.push(message);
      }
      await this.producer.send(
        Topics.customerFeatures,
        messages.map((value) => ({ key: value.customer_id, value })),
      );
      progress = {
        customers: progress.customers + ids.length,
        emitted: progress.emitted + messages.length,
        incomplete: progress.incomplete + ids.length - cancelled - messages.length,
        cancelled: progress.cancelled + cancelled,
      };
      this.logger.debug({ as_of: asOf, last_customer_id: after, ...progress }, 'rescore step published');
      options.onProgress?.(progress);
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
    this.logger.info({ as_of: asOf, ...progress }, 'rescore finished');
    return progress;
  }
}
