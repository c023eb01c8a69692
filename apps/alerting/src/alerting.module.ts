import { Module } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { DatabaseModule, KafkaModule } from '@churn/service-kit';
import { PredictionsHandler } from './predictions/predictions.handler';

@Module({
  imports: [DatabaseModule, KafkaModule.forRoot({ group: 'alerting', consumer: { deadLetterTopic: Topics.alertingDlq, handlers: [PredictionsHandler] } })],
  providers: [PredictionsHandler],
})
export class AlertingModule {}
