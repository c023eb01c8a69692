import { Injectable } from '@nestjs/common';
import { Topics, type ModelRegistryChange } from '@churn/contracts';
import { Database } from '@churn/db';
import type { ConsumedMessage } from '@churn/kafka';
import { MonitoringModelRegistryRepository } from '@churn/monitoring-data';
import type { TopicHandler } from '@churn/service-kit';

/**
 * The scorer's registry changes (its outbox relay, at least once): each version's card and the newest
 * assignment, which model cards, who serves what, the rollout comparison, reports and the promotion
 * gate read. An invalid message goes to monitoring.dlq with the reason.
 */
@Injectable()
export class ModelRegistryHandler implements TopicHandler<typeof Topics.modelRegistry> {
  readonly topic = Topics.modelRegistry;
  private readonly registry = new MonitoringModelRegistryRepository();

  constructor(private readonly database: Database) {}

  async handle(messages: ConsumedMessage<ModelRegistryChange>[]): Promise<void> {
    await this.database.transaction((tx) =>
      this.registry.apply(
        tx,
        messages.map((m) => m.value),
      ),
    );
  }
}
