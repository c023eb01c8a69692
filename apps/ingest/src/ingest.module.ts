import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { loadActiveFeatureSpec } from '@churn/feature-spec';
import { DatabaseModule, KafkaModule } from '@churn/service-kit';
import { ACTIVE_FEATURE_SPEC } from './active-feature-spec';
import type { IngestConfig } from './config';
import { CustomerEventsHandler } from './customer-events/customer-events.handler';
import { IngestService } from './customer-events/ingest.service';

@Module({})
export class IngestModule {
  static register(config: IngestConfig): DynamicModule {
    // Read once, here: a spec that does not validate stops the service with every problem listed.
    const spec = loadActiveFeatureSpec(config.FEATURE_SPEC_FILE);
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
      providers: [{ provide: ACTIVE_FEATURE_SPEC, useValue: spec }, IngestService, CustomerEventsHandler],
    };
  }
}
