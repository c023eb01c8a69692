import { Injectable } from '@nestjs/common';
import { Topics, type Prediction } from '@churn/contracts';
import type { ConsumedMessage } from '@churn/kafka';
import type { TopicHandler } from '@churn/service-kit';
import { PredictionIntake } from './prediction-intake.service';

/** Champion predictions: stored for the outcome join, ROI and experiments. */
@Injectable()
export class MonitoringPredictionsHandler implements TopicHandler<typeof Topics.predictions> {
  readonly topic = Topics.predictions;

  constructor(private readonly intake: PredictionIntake) {}

  async handle(messages: ConsumedMessage<Prediction>[]): Promise<void> {
    await this.intake.store(
      'champion',
      messages.map((m) => m.value),
    );
  }
}

/** Shadow (challenger) predictions: stored so that the challenger's quality and drift are measured like the champion's. */
@Injectable()
export class ShadowPredictionsHandler implements TopicHandler<typeof Topics.predictionsShadow> {
  readonly topic = Topics.predictionsShadow;

  constructor(private readonly intake: PredictionIntake) {}

  async handle(messages: ConsumedMessage<Prediction>[]): Promise<void> {
    await this.intake.store(
      'shadow',
      messages.map((m) => m.value),
    );
  }
}
