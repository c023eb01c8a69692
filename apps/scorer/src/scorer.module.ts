import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { Topics } from '@churn/contracts';
import { Database } from '@churn/db';
import type { Logger, Registry } from '@churn/observability';
import { ScoringPolicy } from '@churn/scoring';
import { DatabaseModule, errorStatusesProvider, KafkaModule, LOGGER, METRICS_REGISTRY, SERVICE_CONFIG, JwtAuthGuard } from '@churn/service-kit';
import type { ScorerConfig } from './config';
import { SCORER_ERROR_STATUSES } from './http-error-statuses';
import { CustomersController } from './customers/customers.controller';
import { CustomerFeaturesHandler } from './customer-features/customer-features.handler';
import { ModelRegistryRelay } from './models/model-registry.relay';
import { ModelRegistryService } from './models/model-registry.service';
import { ModelsController } from './models/models.controller';
import { PredictController } from './predict/predict.controller';
import { PredictAuthGuard } from './predict/predict-auth.guard';
import { PredictService } from './predict/predict.service';
import { scoringPolicyOf } from './scoring/scoring-policy.provider';
import { ScoringService } from './scoring/scoring.service';

/** Releases the model sessions after the consumer has finished its last batch. */
class ModelRegistryLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ModelRegistryService) private readonly registry: ModelRegistryService) {}
  async onApplicationShutdown(): Promise<void> {
    await this.registry.stop();
  }
}

@Module({})
export class ScorerModule {
  static register(config: ScorerConfig): DynamicModule {
    return {
      module: ScorerModule,
      imports: [
        DatabaseModule,
        // SCORER_STREAM_ENABLED=false runs the HTTP side alone (scaled on CPU), outside the stream's consumer group.
        KafkaModule.forRoot(
          config.SCORER_STREAM_ENABLED
            ? { group: 'scorer', consumer: { deadLetterTopic: Topics.customerFeaturesDlq, handlers: [CustomerFeaturesHandler] } }
            : { group: 'scorer' },
        ),
        ThrottlerModule.forRoot({ throttlers: [{ ttl: config.RATE_LIMIT_WINDOW_MS, limit: config.RATE_LIMIT_REQUESTS }] }),
      ],
      controllers: [PredictController, CustomersController, ModelsController],
      providers: [
        {
          // Loaded before anything starts consuming: the first batch already has a model.
          provide: ModelRegistryService,
          inject: [Database, SERVICE_CONFIG, LOGGER, METRICS_REGISTRY],
          useFactory: async (database: Database, cfg: ScorerConfig, logger: Logger, registry: Registry) => {
            const service = new ModelRegistryService(database, cfg, logger.child({ context: ModelRegistryService.name }), registry);
            await service.start();
            return service;
          },
        },
        { provide: ScoringPolicy, inject: [SERVICE_CONFIG], useFactory: (cfg: ScorerConfig) => scoringPolicyOf(cfg) },
        ModelRegistryLifecycle,
        ModelRegistryRelay,
        ScoringService,
        CustomerFeaturesHandler,
        PredictService,
        JwtAuthGuard,
        errorStatusesProvider(SCORER_ERROR_STATUSES),
        PredictAuthGuard,
      ],
    };
  }
}
