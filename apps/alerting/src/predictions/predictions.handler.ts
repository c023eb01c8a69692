import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Prediction } from '@churn/contracts';
import type { ConsumedMessage } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { LOGGER, type TopicHandler } from '@churn/service-kit';
import { AlertIntakeService } from '../alerts/alert-intake.service';

/** predictions → alerts; shadow predictions live on another topic and are never read here. */
@Injectable()
export class PredictionsHandler implements TopicHandler<typeof Topics.predictions> {
  readonly topic = Topics.predictions;
  private readonly logger: Logger;

  constructor(
    private readonly intake: AlertIntakeService,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: PredictionsHandler.name });
  }

  async handle(messages: ConsumedMessage<Prediction>[]): Promise<void> {
    const first = messages[0];
    this.logger.debug({ count: messages.length, partition: first?.partition, offset: first?.offset }, 'evaluating predictions');
    await this.intake.process(messages.map((m) => m.value));
  }
}
