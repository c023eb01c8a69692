import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { DatabaseModule, errorStatusesProvider, JwtAuthGuard, KafkaModule } from '@churn/service-kit';
import { AlertIntakeService } from './alerts/alert-intake.service';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsService } from './alerts/alerts.service';
import type { AlertingConfig } from './config';
import { ALERTING_ERROR_STATUSES } from './http-error-statuses';
import { EnabledChannels } from './delivery/enabled-channels';
import { NotificationDispatcher } from './delivery/notification.dispatcher';
import { ModelAlertIntakeService } from './model-alerts/model-alert-intake.service';
import { ModelAlertsHandler } from './model-alerts/model-alerts.handler';
import { ChurnResolutionService } from './outcomes/churn-resolution.service';
import { AlertingOutcomesHandler } from './outcomes/outcomes.handler';
import { PredictionsHandler } from './predictions/predictions.handler';
import { AlertRulesService } from './rules/alert-rules.service';
import { SlaService } from './sla/sla.service';
import { AckExpirySweeper } from './expiry/ack-expiry.sweeper';
import { QueueController } from './queue/queue.controller';
import { QueueMetricsService } from './queue/queue-metrics.service';
import { QueueService } from './queue/queue.service';
import { AlertUpdatesOutbox } from './updates/alert-updates.outbox';
import { AlertUpdatesRelay } from './updates/alert-updates.relay';
import { AlertNotificationsRelay } from './updates/alert-notifications.relay';
import { NotificationFactsOutbox } from './delivery/notification-facts.outbox';

@Module({})
export class AlertingModule {
  static register(config: AlertingConfig): DynamicModule {
    return {
      module: AlertingModule,
      imports: [
        DatabaseModule,
        KafkaModule.forRoot({
          group: 'alerting',
          consumer: { deadLetterTopic: Topics.alertingDlq, handlers: [PredictionsHandler, ModelAlertsHandler, AlertingOutcomesHandler] },
        }),
      ],
      controllers: [QueueController, AlertsController],
      providers: [
        {
          provide: EnabledChannels,
          useValue: new EnabledChannels(
            Boolean(config.SLACK_WEBHOOK_URL),
            Boolean(config.SMTP_URL && config.ALERT_EMAIL_TO),
            Boolean(config.OPS_SLACK_WEBHOOK_URL),
            Boolean(config.SMTP_URL && config.OPS_EMAIL_TO),
          ),
        },
        AlertRulesService,
        AlertIntakeService,
        PredictionsHandler,
        ModelAlertIntakeService,
        ModelAlertsHandler,
        ChurnResolutionService,
        AlertingOutcomesHandler,
        NotificationFactsOutbox,
        AlertNotificationsRelay,
        NotificationDispatcher,
        SlaService,
        AlertsService,
        AlertUpdatesOutbox,
        AlertUpdatesRelay,
        AckExpirySweeper,
        QueueService,
        QueueMetricsService,
        JwtAuthGuard,
        errorStatusesProvider(ALERTING_ERROR_STATUSES),
      ],
    };
  }
}
