import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { DatabaseModule, KafkaModule } from '@churn/service-kit';
import { ACTIVE_FEATURE_SPEC } from './active-feature-spec.token';
import type { IngestConfig } from './config';
import { CustomerEventsHandler } from './customer-events/customer-events.handler';
import { IngestService } from './customer-events/ingest.service';

@Module({})
export class IngestModule {
  static register(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        DatabaseModule,
        KafkaModule.forRoot({
          group: 'ingest',
          consumer: {
            deadLetterTopic: Topics.customerEventsDlq,
            handlers: [CustomerEventsHandler],
            partitionsConsumedConcurrently: config.INGEST_PARTITIONS_CONCURRENTLY,
          },
        }),
      ],
      providers: [{ provide: ACTIVE_FEATURE_SPEC, useValue: config.FEATURE_SPEC_FILE }, IngestService, CustomerEventsHandler],
    };
  }
}
