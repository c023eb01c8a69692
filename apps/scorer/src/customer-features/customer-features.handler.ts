import { Inject, Injectable } from '@nestjs/common';
import { Topics, type CustomerFeaturesMessage } from '@churn/contracts';
import type { BatchOutcome, ConsumedMessage } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { LOGGER, type TopicHandler } from '@churn/service-kit';
import { ScoringService } from '../scoring/scoring.service';

/** customer-features → predictions (+ predictions.shadow); refused vectors go to customer-features.dlq with the reason. */
@Injectable()
export class CustomerFeaturesHandler implements TopicHandler<typeof Topics.customerFeatures> {
  readonly topic = Topics.customerFeatures;
  private readonly logger: Logger;

  constructor(
    private readonly scoring: ScoringService,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: CustomerFeaturesHandler.name });
  }

  async handle(messages: ConsumedMessage<CustomerFeaturesMessage>[]): Promise<BatchOutcome> {
    const first = messages[0];
    this.logger.debug({ count: messages.length, partition: first?.partition, offset: first?.offset }, 'scoring batch');
    return this.scoring.score(messages);
  }
}
