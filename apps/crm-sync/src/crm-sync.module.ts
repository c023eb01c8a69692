import { Module } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { DatabaseModule, KafkaModule } from '@churn/service-kit';
import { CrmAlertsHandler, CrmPredictionsHandler } from './inbound/crm-inbound.handlers';

@Module({
  imports: [
    DatabaseModule,
    KafkaModule.forRoot({ group: 'crm-sync', consumer: { deadLetterTopic: Topics.crmSyncDlq, handlers: [CrmPredictionsHandler, CrmAlertsHandler] } }),
  ],
  providers: [CrmPredictionsHandler, CrmAlertsHandler],
})
export class CrmSyncModule {}
