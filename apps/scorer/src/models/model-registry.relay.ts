import { Inject, Injectable } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { Database } from '@churn/db';
import { TopicProducer } from '@churn/kafka';
import type { Logger, Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG, TopicOutboxRelay } from '@churn/service-kit';
import type { ScorerConfig } from '../config';

/** How often the backlog gauges are refreshed (and published rows past MODEL_REGISTRY_KEEP_HOURS deleted). */
const BACKLOG_REFRESH_MS = 15_000;
/** Registry changes are few (an activation, a rollout step): a small batch publishes any backlog. */
const RELAY_BATCH = 100;

/**
 * Publishes the `model-registry` outbox, which the registry's repository fills in the transaction of
 * each change (the scorer's activations and rollouts, `churn retrain`'s registrations); consumers keep
 * the newest revision. Every scorer instance runs one; the relay lock lets one publish at a time.
 */
@Injectable()
export class ModelRegistryRelay extends TopicOutboxRelay<typeof Topics.modelRegistry> {
  constructor(
    database: Database,
    producer: TopicProducer,
    @Inject(SERVICE_CONFIG) config: ScorerConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    super(
      database,
      producer,
      {
        topic: Topics.modelRegistry,
        outbox: 'model_registry',
        metrics: {
          published: 'scorer_model_registry_published_total',
          failures: 'scorer_model_registry_relay_failures_total',
          waiting: 'scorer_model_registry_waiting',
          oldestWaiting: 'scorer_model_registry_oldest_waiting_seconds',
          passSeconds: 'scorer_model_registry_relay_pass_seconds',
        },
        what: 'model registry changes',
        intervalMs: config.MODEL_REGISTRY_RELAY_INTERVAL_MS,
        batch: RELAY_BATCH,
        keepHours: config.MODEL_REGISTRY_KEEP_HOURS,
        backlogRefreshMs: BACKLOG_REFRESH_MS,
      },
      logger.child({ context: ModelRegistryRelay.name }),
      registry,
    );
  }

}
