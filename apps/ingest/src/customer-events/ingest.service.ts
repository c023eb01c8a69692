import { Inject, Injectable } from '@nestjs/common';
import { FEATURE_SCHEMA_VERSION, Topics, type CustomerEvent, type CustomerFeaturesMessage } from '@churn/contracts';
import { CustomerStateRepository, Database, ProcessedEventRepository, type CustomerState } from '@churn/db';
import { TopicProducer, type ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY } from '@churn/service-kit';
import { applyEvent, emptyState, toFeatureVector } from '../feature-state/feature-state';

export interface IngestResult {
  readonly newEvents: number;
  readonly duplicates: number;
  readonly notApplied: number;
  readonly featureMessages: number;
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
  private readonly logger: Logger;
  private readonly events;

  constructor(
    private readonly database: Database,
    private readonly producer: TopicProducer,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: IngestService.name });
    this.events = getOrCreateCounter(registry, {
      name: 'ingest_events_total',
      help: 'Customer events by type and result (applied, not_applied: older than the current value, duplicate).',
      labelNames: ['event_type', 'result'] as const,
    });
  }

  async ingest(messages: readonly ConsumedMessage<CustomerEvent>[]): Promise<IngestResult> {
    return this.database.transaction(async (tx) => {
      const fresh = await this.ledger.insertNew(
        tx,
        messages.map((m) => ({
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
      // The same event twice in one batch: only its first occurrence is new.
      const seen = new Set<string>();
      const events = messages
        .map((m) => m.value)
        .filter((event) => fresh.has(event.event_id) && !seen.has(event.event_id) && seen.add(event.event_id));
      for (const message of messages) {
        if (!events.includes(message.value)) this.events.inc({ event_type: message.value.event_type, result: 'duplicate' });
      }
      if (events.length === 0) return { newEvents: 0, duplicates: messages.length, notApplied: 0, featureMessages: 0 };

      const customerIds = [...new Set(events.map((e) => e.customer_id))].sort();
      const current = await this.states.lockMany(tx, customerIds);
      const changed = new Map<string, { state: CustomerState; lastEventId: string }>();
      const notApplied: string[] = [];
      for (const event of events) {
        const before = changed.get(event.customer_id)?.state ?? current.get(event.customer_id) ?? emptyState(event.customer_id, event);
        const { state, applied } = applyEvent(before, event);
        changed.set(event.customer_id, { state, lastEventId: event.event_id });
        if (!applied) notApplied.push(event.event_id);
        this.events.inc({ event_type: event.event_type, result: applied ? 'applied' : 'not_applied' });
        this.logger.debug({ customer_id: event.customer_id, event_id: event.event_id, event_type: event.event_type, applied }, 'event applied');
      }
      await this.states.upsertMany(tx, [...changed.values()].map((c) => c.state));
      await this.ledger.markNotApplied(tx, notApplied);

      // One feature message per customer per batch, carrying the latest state.
      const features: CustomerFeaturesMessage[] = [];
      for (const { state, lastEventId } of changed.values()) {
        const vector = toFeatureVector(state);
        if (!vector) continue;
        features.push({
          customer_id: state.customerId,
          as_of: state.lastEventAt,
          source_event_id: lastEventId,
          feature_schema_version: FEATURE_SCHEMA_VERSION,
          features: vector,
        });
      }
      await this.producer.send(
        Topics.customerFeatures,
        features.map((value) => ({ key: value.customer_id, value })),
      );
      return { newEvents: events.length, duplicates: messages.length - events.length, notApplied: notApplied.length, featureMessages: features.length };
    });
  }
}
