import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { DatabaseModule, KafkaModule } from '@churn/service-kit';
import type { ScorerConfig } from './config';
import { CustomerFeaturesHandler } from './customer-features/customer-features.handler';
import { ScoringService } from './scoring/scoring.service';

@Module({})
export class ScorerModule {
  static register(_config: ScorerConfig): DynamicModule {
    return {
      module: ScorerModule,
      imports: [
        DatabaseModule,
        KafkaModule.forRoot({ group: 'scorer', consumer: { deadLetterTopic: Topics.customerFeaturesDlq, handlers: [CustomerFeaturesHandler] } }),
      ],
      providers: [ScoringService, CustomerFeaturesHandler],
    };
  }
}
