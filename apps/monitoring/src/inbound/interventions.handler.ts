import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Intervention } from '@churn/contracts';
import { Database } from '@churn/db';
import { InterventionRepository, MonitoringRepository } from '@churn/monitoring-data';
import { PermanentMessageError, type ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, type TopicHandler } from '@churn/service-kit';
import { recordsRecordedCounters } from '../recorded/records-metrics';

/** A CRM's clock may run a little ahead of ours: a completion time up to this far ahead is not "in the future". */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Stores the interventions CRMs report as done (completed retention tasks, published by crm-sync),
 * with the checks `POST /v1/interventions` applies — a customer monitoring knows, a time not in the
 * future — and its idempotency: the id is derived from the source and the CRM's task id, so a task
 * read back twice is stored once. A message that fails a check is dead-lettered with its reason.
 */
@Injectable()
export class InterventionsHandler implements TopicHandler<typeof Topics.interventions> {
  readonly topic = Topics.interventions;
  readonly deadLetterTopic = Topics.interventionsDlq;
  private readonly interventions = new InterventionRepository();
  private readonly monitoring = new MonitoringRepository();
  private readonly received;
  private readonly recorded;
  private readonly logger: Logger;

  constructor(
    private readonly database: Database,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.received = getOrCreateCounter(registry, {
      name: 'monitoring_crm_interventions_total',
      help: 'Interventions received on the interventions topic (completed CRM tasks), by source and result (new, duplicate).',
      labelNames: ['source', 'result'] as const,
    });
    this.recorded = recordsRecordedCounters(registry).interventions;
    this.logger = logger.child({ context: InterventionsHandler.name });
  }

  async handle(messages: ConsumedMessage<Intervention>[]): Promise<void> {
    const now = Date.now();
    for (const { value } of messages) {
      if (Date.parse(value.performed_at) > now + CLOCK_SKEW_MS) {
        throw new PermanentMessageError('FUTURE_DATE', `performed_at ${value.performed_at} is later than now (${new Date(now).toISOString()})`);
      }
    }
    const fresh = await this.database.transaction(async (tx) => {
      const known = await this.monitoring.knownCustomers(
        tx,
        messages.map((m) => m.value.customer_id),
      );
      const unknown = messages.find((m) => !known.has(m.value.customer_id));
      if (unknown)
        throw new PermanentMessageError(
          'UNKNOWN_CUSTOMER',
          `customer_id: customer ${unknown.value.customer_id} has no prediction: monitoring does not know it`,
        );
      const bySource = new Map<Intervention['source'], Intervention[]>();
      for (const { value } of messages) bySource.set(value.source, [...(bySource.get(value.source) ?? []), value]);
      const counts = new Map<Intervention['source'], number>();
      for (const [source, records] of bySource) {
        counts.set(
          source,
          await this.interventions.insertNew(
            tx,
            source,
            records.map((r) => ({ ...r, cost: r.cost ?? null })),
          ),
        );
      }
      return [...bySource].map(([source, records]) => ({ source, total: records.length, fresh: counts.get(source) ?? 0 }));
    });
    for (const { source, total, fresh: n } of fresh) {
      this.received.inc({ source, result: 'new' }, n);
      this.received.inc({ source, result: 'duplicate' }, total - n);
      this.recorded.inc({ source }, n);
      if (n > 0) this.logger.info({ source, recorded: n, duplicates: total - n }, 'CRM interventions recorded');
    }
  }
}
