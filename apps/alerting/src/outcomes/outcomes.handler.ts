import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Outcome } from '@churn/contracts';
import type { ConsumedMessage } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { LOGGER, type TopicHandler } from '@churn/service-kit';
import { ChurnResolutionService } from './churn-resolution.service';

/** outcomes → alerts resolved on churn; an outcome that fails the contract is dead-lettered to alerting.dlq by the consumer. */
@Injectable()
export class AlertingOutcomesHandler implements TopicHandler<typeof Topics.outcomes> {
  readonly topic = Topics.outcomes;
  private readonly logger: Logger;

  constructor(
    private readonly churn: ChurnResolutionService,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: AlertingOutcomesHandler.name });
  }

  async handle(messages: ConsumedMessage<Outcome>[]): Promise<void> {
    const first = messages[0];
    this.logger.debug({ count: messages.length, partition: first?.partition, offset: first?.offset }, 'reading outcomes');
    await this.churn.process(messages.map((m) => m.value));
  }
}
