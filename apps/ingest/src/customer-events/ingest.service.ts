import { Inject, Injectable } from '@nestjs/common';
import { Topics, type CustomerEvent, type CustomerFeaturesMessage, type Outcome } from '@churn/contracts';
import { cancellationOutcomeId, Database, type Queryable } from '@churn/db';
import { CustomerHistoryRepository, CustomerStateRepository, ProcessedEventRepository, type StoredCustomerState } from '@churn/ingest-data';
import {
  applyEvent,
  featureVector,
  hasWindows,
  isCancelled,
  windowedAggregateValues,
  type ActiveFeatureSpec,
  type EvaluatorState,
  type FeatureSpec,
} from '@churn/feature-spec';
import { featuresMessage, foldHistory } from '@churn/feature-state';
import { TopicProducer, type ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, getOrCreateHistogram, LATENCY_BUCKETS_SECONDS, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY } from '@churn/service-kit';
import { ACTIVE_FEATURE_SPEC } from '../active-feature-spec.token';

export interface IngestResult {
  readonly newEvents: number;
  readonly duplicates: number;
  readonly notApplied: number;
  readonly featureMessages: number;
  /** churned:true outcomes published: cancellations of open subscriptions. */
  readonly outcomes: number;
}

interface Changed {
  state: EvaluatorState;
  /** The last event of the batch for this customer: the feature message's source_event_id. */
  lastEventId: string;
  /** Broker timestamp of the oldest new event of this customer in the batch, for the latency metric. */
  firstReceivedAt: number;
}

/**
 * Turns a batch of customer events into feature state under the active spec, exactly once per event:
 * the ledger insert, the state change and the feature messages happen in one Postgres transaction, and
 * the messages are published before it commits. A crash at any point re-delivers the batch; events
 * already in the ledger change nothing, and a feature message sent twice carries the same source_event_id.
 *
 * A cancellation of an open subscription publishes a churned:true outcome in the same way (its id from
 * the customer and the cancellation's time, so a redelivered or replayed one is stored once by
 * monitoring). A customer whose subscription is cancelled at the end of the batch gets no feature
 * message: nothing scores it until a reactivation reopens the subscription.
 */
@Injectable()
export class IngestService {
  private readonly ledger = new ProcessedEventRepository();
  private readonly states = new CustomerStateRepository();
  private readonly history = new CustomerHistoryRepository();
  private readonly logger: Logger;
  private readonly metrics;
  private readonly spec: FeatureSpec;
  private readonly specHash: string;

  constructor(
    private readonly database: Database,
    private readonly producer: TopicProducer,
    @Inject(ACTIVE_FEATURE_SPEC) active: ActiveFeatureSpec,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: IngestService.name });
    this.spec = active.spec;
    this.specHash = active.hash;
    this.metrics = {
      events: getOrCreateCounter(registry, {
        name: 'ingest_events_total',
        help: 'Customer events by type and result (applied; not_applied: older than the current value, recorded only; duplicate: already in the ledger).',
        labelNames: ['event_type', 'result'] as const,
      }),
      outcomesDerived: getOrCreateCounter(registry, {
        name: 'ingest_outcomes_derived_total',
        help: 'churned:true outcomes published on outcomes, by source (cancellation: a subscription.cancelled of an open subscription).',
        labelNames: ['source'] as const,
      }),
      notScored: getOrCreateCounter(registry, {
        name: 'ingest_cancelled_customers_not_scored_total',
        help: 'Customers whose batch left their subscription cancelled: no feature message published for them.',
        labelNames: [] as const,
      }),
      featureMessages: getOrCreateCounter(registry, {
        name: 'ingest_feature_messages_total',
        help: 'customer-features messages published (at most one per customer per batch).',
        labelNames: [] as const,
      }),
      latency: getOrCreateHistogram(registry, {
        name: 'ingest_event_to_feature_seconds',
        help: 'From the broker timestamp of an event to the publication of the feature message it is part of.',
        labelNames: [] as const,
        buckets: LATENCY_BUCKETS_SECONDS,
      }),
      transaction: getOrCreateHistogram(registry, {
        name: 'ingest_batch_transaction_seconds',
        help: 'Duration of one batch transaction: ledger, state, aggregates, publication, commit.',
        labelNames: [] as const,
        buckets: LATENCY_BUCKETS_SECONDS,
      }),
    };
  }

  async ingest(messages: readonly ConsumedMessage<CustomerEvent>[]): Promise<IngestResult> {
    const endTimer = this.metrics.transaction.startTimer();
    try {
      return await this.database.transaction((tx) => this.ingestIn(tx, messages));
    } finally {
      endTimer();
    }
  }

  private async ingestIn(tx: Queryable, messages: readonly ConsumedMessage<CustomerEvent>[]): Promise<IngestResult> {
    // The same event twice in one batch counts once; ids sorted so that concurrent batches lock ledger keys in one order.
    const unique = new Map<string, ConsumedMessage<CustomerEvent>>();
    for (const message of messages) if (!unique.has(message.value.event_id)) unique.set(message.value.event_id, message);
    const fresh = await this.ledger.insertNew(
      tx,
      [...unique.values()]
        .sort((a, b) => (a.value.event_id < b.value.event_id ? -1 : 1))
        .map((m) => ({
          eventId: m.value.event_id,
          customerId: m.value.customer_id,
          eventType: m.value.event_type,
          occurredAt: m.value.occurred_at,
          payload: m.value.payload,
          sourceTopic: m.topic,
          sourcePartition: m.partition,
          sourceOffset: m.offset,
        })),
    );
    const newMessages = [...unique.values()].filter((m) => fresh.has(m.value.event_id));
    const duplicates = messages.length - newMessages.length;
    if (duplicates > 0) {
      for (const message of messages) {
        if (unique.get(message.value.event_id) !== message || !fresh.has(message.value.event_id)) {
          this.metrics.events.inc({ event_type: message.value.event_type, result: 'duplicate' });
          this.logger.debug({ customer_id: message.value.customer_id, event_id: message.value.event_id }, 'duplicate event ignored');
        }
      }
    }
    if (newMessages.length === 0) return { newEvents: 0, duplicates, notApplied: 0, featureMessages: 0, outcomes: 0 };

    const customerIds = [...new Set(newMessages.map((m) => m.value.customer_id))].sort();
    const current = await this.currentStates(tx, await this.states.lockMany(tx, customerIds), fresh);
    const changed = new Map<string, Changed>();
    const notApplied: string[] = [];
    const outcomes: Outcome[] = [];
    for (const { value: event, timestamp } of newMessages) {
      const entry = changed.get(event.customer_id);
      const { state, applied, cancelledNow } = applyEvent(this.spec, entry?.state ?? current.get(event.customer_id), event);
      if (cancelledNow) outcomes.push(this.churnOutcome(event));
      changed.set(event.customer_id, { state, lastEventId: event.event_id, firstReceivedAt: Math.min(entry?.firstReceivedAt ?? timestamp, timestamp) });
      if (!applied) notApplied.push(event.event_id);
      this.metrics.events.inc({ event_type: event.event_type, result: applied ? 'applied' : 'not_applied' });
      this.logger.debug({ customer_id: event.customer_id, event_id: event.event_id, event_type: event.event_type, applied }, 'event applied');
    }
    await this.states.upsertMany(tx, this.specHash, new Map([...changed].map(([id, c]) => [id, c.state])));
    await this.ledger.markNotApplied(tx, notApplied);

    // Aggregates as of each customer's latest event, from the events its state keeps (no read of the event log).
    const features: CustomerFeaturesMessage[] = [];
    const receivedAt: number[] = [];
    let notScored = 0;
    for (const [customerId, { state, lastEventId, firstReceivedAt }] of changed) {
      if (isCancelled(state)) {
        notScored += 1;
        continue;
      }
      const vector = featureVector(this.spec, state, state.lastEventAt, windowedAggregateValues(this.spec, state));
      const message = featuresMessage(this.specHash, customerId, vector, state.lastEventAt, lastEventId);
      if (!message) continue;
      features.push(message);
      receivedAt.push(firstReceivedAt);
    }
    await this.producer.send(
      Topics.customerFeatures,
      features.map((value) => ({ key: value.customer_id, value })),
    );
    await this.producer.send(
      Topics.outcomes,
      outcomes.map((value) => ({ key: value.customer_id, value })),
    );
    this.metrics.outcomesDerived.inc({ source: 'cancellation' }, outcomes.length);
    this.metrics.notScored.inc(notScored);
    for (const o of outcomes)
      this.logger.info(
        { customer_id: o.customer_id, outcome_id: o.outcome_id, observed_at: o.observed_at, source: o.source },
        'churn derived from a cancellation',
      );
    const publishedAt = Date.now();
    for (const at of receivedAt) if (Number.isFinite(at)) this.metrics.latency.observe(Math.max(0, publishedAt - at) / 1000);
    this.metrics.featureMessages.inc(features.length);
    this.logger.debug(
      { events: messages.length, new_events: newMessages.length, customers: changed.size, feature_messages: features.length, outcomes: outcomes.length },
      'batch ingested',
    );
    return { newEvents: newMessages.length, duplicates, notApplied: notApplied.length, featureMessages: features.length, outcomes: outcomes.length };
  }

  /** The churn a cancellation of an open subscription is: observed when the cancellation takes effect. */
  private churnOutcome(event: CustomerEvent): Outcome {
    return {
      customer_id: event.customer_id,
      churned: true,
      observed_at: event.occurred_at,
      source: 'cancellation',
      outcome_id: cancellationOutcomeId(event.customer_id, event.occurred_at),
    };
  }

  /**
   * The states of the batch's customers before its events. A state folded under another spec (or
   * before states were spec-driven, or before they kept the aggregates' windows) is rebuilt from the
   * customer's logged events, this batch's left out: they are applied next, as for everyone.
   */
  private async currentStates(
    tx: Queryable,
    stored: ReadonlyMap<string, StoredCustomerState>,
    batch: ReadonlySet<string>,
  ): Promise<Map<string, EvaluatorState>> {
    const current = new Map<string, EvaluatorState>();
    const stale: string[] = [];
    for (const [customerId, row] of stored) {
      if (row.state && row.specHash === this.specHash && hasWindows(this.spec, row.state)) current.set(customerId, row.state);
      else stale.push(customerId);
    }
    if (stale.length === 0) return current;
    const history = (await this.history.eventsUpTo(tx, stale, 'infinity')).filter((e) => !batch.has(e.eventId));
    for (const [customerId, state] of foldHistory(this.spec, history)) current.set(customerId, state);
    this.logger.info({ customers: stale.length, spec_hash: this.specHash }, 'states rebuilt from the event log under the active spec');
    return current;
  }
}
