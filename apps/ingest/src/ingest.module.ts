import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { DatabaseModule, KafkaModule } from '@churn/service-kit';
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
      providers: [IngestService, CustomerEventsHandler],
    };
  }
}
