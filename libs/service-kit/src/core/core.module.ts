import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { HealthRegistry, Logger, Registry } from '@churn/observability';
import { ErrorStatusTable } from '../http/error-statuses';
import { ObservabilityController } from './observability.controller';
import { HEALTH, LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from './tokens';

export interface CoreModuleOptions {
  readonly config: unknown;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly health: HealthRegistry;
  /** The exception filter's code → status table, which service modules add their codes to. */
  readonly errorStatuses: ErrorStatusTable;
}

/** Config, logger, metrics registry, health checks and the error-status table, created once before Nest starts and shared by all modules. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    const providers = [
      { provide: SERVICE_CONFIG, useValue: options.config },
      { provide: LOGGER, useValue: options.logger },
      { provide: METRICS_REGISTRY, useValue: options.registry },
      { provide: HEALTH, useValue: options.health },
      { provide: ErrorStatusTable, useValue: options.errorStatuses },
    ];
    return { module: CoreModule, controllers: [ObservabilityController], providers, exports: providers.map((p) => p.provide) };
  }
}
