import { Inject, Injectable } from '@nestjs/common';
import { Topics, type ModelAlert } from '@churn/contracts';
import type { ConsumedMessage } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { LOGGER, type TopicHandler } from '@churn/service-kit';
import { ModelAlertIntakeService } from './model-alert-intake.service';

/** model-alerts (drift, quality, from monitoring) → the operators' Slack / e-mail; invalid messages are dead-lettered by the consumer. */
@Injectable()
export class ModelAlertsHandler implements TopicHandler<typeof Topics.modelAlerts> {
  readonly topic = Topics.modelAlerts;
  private readonly logger: Logger;

  constructor(
    private readonly intake: ModelAlertIntakeService,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: ModelAlertsHandler.name });
  }

  async handle(messages: ConsumedMessage<ModelAlert>[]): Promise<void> {
    const first = messages[0];
    this.logger.debug({ count: messages.length, partition: first?.partition, offset: first?.offset }, 'receiving model alerts');
    await this.intake.process(messages.map((m) => m.value));
  }
}
