import { Injectable } from '@nestjs/common';
import { Topics, type AlertNotification } from '@churn/contracts';
import { Database } from '@churn/db';
import type { ConsumedMessage } from '@churn/kafka';
import type { TopicHandler } from '@churn/service-kit';
import { CustomerReadModel } from '../customers/customer-read-model.service';

/**
 * Notification delivery attempts (alerting's outbox relay, at least once): each stored once, for the
 * customer's timeline. An invalid message goes to monitoring.dlq with the reason (the module's default).
 */
@Injectable()
export class AlertNotificationsHandler implements TopicHandler<typeof Topics.alertNotifications> {
  readonly topic = Topics.alertNotifications;

  constructor(
    private readonly database: Database,
    private readonly readModel: CustomerReadModel,
  ) {}

  async handle(messages: ConsumedMessage<AlertNotification>[]): Promise<void> {
    await this.database.transaction((tx) =>
      this.readModel.applyNotifications(
        tx,
        messages.map((m) => m.value),
      ),
    );
  }
}
