import { Injectable } from '@nestjs/common';
import { Topics, type AlertUpdate } from '@churn/contracts';
import { Database } from '@churn/db';
import type { ConsumedMessage } from '@churn/kafka';
import type { TopicHandler } from '@churn/service-kit';
import { CustomerReadModel } from '../customers/customer-read-model.service';

/** Alert life-cycle changes (alerting's outbox relay, at least once): each stored once, and the customer's current alert in the read model. */
@Injectable()
export class AlertUpdatesHandler implements TopicHandler<typeof Topics.alertUpdates> {
  readonly topic = Topics.alertUpdates;
  readonly deadLetterTopic = Topics.alertUpdatesDlq;

  constructor(
    private readonly database: Database,
    private readonly readModel: CustomerReadModel,
  ) {}

  async handle(messages: ConsumedMessage<AlertUpdate>[]): Promise<void> {
    await this.database.transaction((tx) =>
      this.readModel.applyAlertUpdates(
        tx,
        messages.map((m) => m.value),
      ),
    );
  }
}
