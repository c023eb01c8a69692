import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { CrmIntakeService, type CrmMetrics } from '@churn/crm';
import { Database } from '@churn/db';
import type { Logger } from '@churn/observability';
import { DatabaseModule, errorStatusesProvider, JwtAuthGuard, KafkaModule, LOGGER } from '@churn/service-kit';
import { CrmActivityRelay } from './activity/crm-activity.relay';
import type { CrmSyncConfig } from './config';
import { CrmDrainHost } from './drain/crm-drain.host';
import { CRM_METRICS, crmMetricsProvider } from './drain/crm-metrics.provider';
import { CrmAlertsHandler, CrmOutcomesHandler, CrmPredictionsHandler } from './intake/crm-inbound.handlers';
import { CrmReadbackHost } from './readback/crm-readback.host';
import { enabledTargets } from './enabled-targets';
import { CRM_SYNC_ERROR_STATUSES } from './http-error-statuses';
import { IntegrationsController } from './integrations/integrations.controller';
import { IntegrationsService } from './integrations/integrations.service';

@Module({})
export class CrmSyncModule {
  static register(config: CrmSyncConfig): DynamicModule {
    return {
      module: CrmSyncModule,
      imports: [
        DatabaseModule,
        KafkaModule.forRoot({
          group: 'crm-sync',
          consumer: { deadLetterTopic: Topics.crmSyncDlq, handlers: [CrmPredictionsHandler, CrmAlertsHandler, CrmOutcomesHandler] },
        }),
      ],
      controllers: [IntegrationsController],
      providers: [
        crmMetricsProvider,
        IntegrationsService,
        JwtAuthGuard,
        errorStatusesProvider(CRM_SYNC_ERROR_STATUSES),
        {
          provide: CrmIntakeService,
          inject: [Database, CRM_METRICS, LOGGER],
          useFactory: (db: Database, metrics: CrmMetrics, logger: Logger) =>
            new CrmIntakeService(
              db,
              {
                targets: enabledTargets(config),
                scoreChangeThreshold: config.CRM_SCORE_CHANGE_THRESHOLD,
                taskDueHours: { critical: config.CRM_TASK_DUE_HOURS_CRITICAL, high: config.CRM_TASK_DUE_HOURS_HIGH },
                churnedTasks: config.CRM_CHURNED_TASKS,
              },
              metrics,
              logger.child({ context: CrmIntakeService.name }),
            ),
        },
        CrmActivityRelay,
        CrmDrainHost,
        CrmReadbackHost,
        CrmPredictionsHandler,
        CrmAlertsHandler,
        CrmOutcomesHandler,
      ],
    };
  }
}
