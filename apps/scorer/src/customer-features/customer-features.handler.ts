import { Injectable } from '@nestjs/common';
import { Topics, type CustomerFeaturesMessage } from '@churn/contracts';
import type { ConsumedMessage } from '@churn/kafka';
import type { TopicHandler } from '@churn/service-kit';
import { ScoringService } from '../scoring/scoring.service';

@Injectable()
export class CustomerFeaturesHandler implements TopicHandler<typeof Topics.customerFeatures> {
  readonly topic = Topics.customerFeatures;

  constructor(private readonly scoring: ScoringService) {}

  async handle(messages: ConsumedMessage<CustomerFeaturesMessage>[]): Promise<void> {
    await this.scoring.score(messages);
  }
}
