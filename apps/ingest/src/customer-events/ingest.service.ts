import { Inject, Injectable } from '@nestjs/common';
import { Topics, type CustomerEvent, type CustomerFeaturesMessage } from '@churn/contracts';
import { CustomerHistoryRepository, CustomerStateRepository, Database, ProcessedEventRepository, type CustomerState, type Queryable } from '@churn/db';
import { applyEvent, emptyState, featuresMessage, toBehaviour } from '@churn/feature-state';
import { TopicProducer, type ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, getOrCreateHistogram, LATENCY_BUCKETS_SECONDS, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY } from '@churn/service-kit';

export interface IngestResult {
  readonly newEvents: number;
  readonly duplicates: number;
  readonly notApplied: number;
  readonly featureMessages: number;
}

interface Changed {
  state: CustomerState;
  /** The last event of the batch for this customer: the feature message's source_event_id. */
  lastEventId: string;
  /** Broker timestamp of the oldest new event of this customer in the batch, for the latency metric. */
  firstReceivedAt: number;
}

/**
 * Turns a batch of customer events into feature state, exactly once per event: the ledger insert,
 * the state change and the feature messages happen in one Postgres transaction, and the messages
 * are published before it commits. A crash at any point re-delivers the batch; events already in the
 * ledger change nothing, and a feature message sent twice carries the same source_event_id.
 */
@Injectable()
export class IngestService {
  private readonly ledger = new ProcessedEventRepository();
  private readonly states = new CustomerStateRepository();
  private readonly history = new CustomerHistoryRepository();
  private readonly logger: Logger;
  private readonly metrics;

  constructor(
    private readonly database: Database,
    private readonly producer: TopicProducer,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: IngestService.name });
    this.metrics = {
      events: getOrCreateCounter(registry, {
        name: 'ingest_events_total',
        help: 'Customer events by type and result (applied; not_applied: older than the current value, recorded only; duplicate: already in the ledger).',
        labelNames: ['event_type', 'result'] as const,
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
    if (newMessages.length === 0) return { newEvents: 0, duplicates, notApplied: 0, featureMessages: 0 };

    const customerIds = [...new Set(newMessages.map((m) => m.value.customer_id))].sort();
    const current = await this.states.lockMany(tx, customerIds);
    const changed = new Map<string, Changed>();
    const notApplied: string[] = [];
    for (const { value: event, timestamp } of newMessages) {
      const entry = changed.get(event.customer_id);
      const before = entry?.state ?? current.get(event.customer_id) ?? emptyState(event.customer_id, event);
      const { state, applied } = applyEvent(before, event);
      changed.set(event.customer_id, { state, lastEventId: event.event_id, firstReceivedAt: Math.min(entry?.firstReceivedAt ?? timestamp, timestamp) });
      if (!applied) notApplied.push(event.event_id);
      this.metrics.events.inc({ event_type: event.event_type, result: applied ? 'applied' : 'not_applied' });
      this.logger.debug({ customer_id: event.customer_id, event_id: event.event_id, event_type: event.event_type, applied }, 'event applied');
    }
    await this.states.upsertMany(tx, [...changed.values()].map((c) => c.state));
    await this.ledger.markNotApplied(tx, notApplied);

    // Behavioural aggregates as of each customer's latest event, for all customers of the batch at once.
    const behaviour = await this.history.behaviourAsOf(tx, new Map([...changed.values()].map((c) => [c.state.customerId, c.state.lastEventAt])));
    const features: CustomerFeaturesMessage[] = [];
    const receivedAt: number[] = [];
    for (const { state, lastEventId, firstReceivedAt } of changed.values()) {
      const message = featuresMessage(state, state.lastEventAt, lastEventId, toBehaviour(behaviour.get(state.customerId)));
      if (!message) continue;
      features.push(message);
      receivedAt.push(firstReceivedAt);
    }
    await this.producer.send(
      Topics.customerFeatures,
      features.map((value) => ({ key: value.customer_id, value })),
    );
    const publishedAt = Date.now();
    for (const at of receivedAt) if (Number.isFinite(at)) this.metrics.latency.observe(Math.max(0, publishedAt - at) / 1000);
    this.metrics.featureMessages.inc(features.length);
    this.logger.debug({ events: messages.length, new_events: newMessages.length, customers: changed.size, feature_messages: features.length }, 'batch ingested');
    return { newEvents: newMessages.length, duplicates, notApplied: notApplied.length, featureMessages: features.length };
  }
}
