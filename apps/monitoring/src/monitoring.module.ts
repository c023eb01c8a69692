import { Module } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { DatabaseModule, KafkaModule } from '@churn/service-kit';
import { OutcomesHandler } from './inbound/outcomes.handler';
import { MonitoringPredictionsHandler } from './inbound/predictions.handler';

@Module({
  imports: [
    DatabaseModule,
    KafkaModule.forRoot({
      group: 'monitoring',
      consumer: { deadLetterTopic: Topics.monitoringDlq, handlers: [MonitoringPredictionsHandler, OutcomesHandler] },
    }),
  ],
  providers: [MonitoringPredictionsHandler, OutcomesHandler],
})
export class MonitoringModule {}
