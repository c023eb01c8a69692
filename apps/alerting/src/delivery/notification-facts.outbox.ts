import { Injectable } from '@nestjs/common';
import { NotificationRepository } from '@churn/alerting-data';
import { TopicOutboxRepository, type Queryable } from '@churn/db';
import { notificationFactOf, type AttemptOutcome } from './notification-fact';

/**
 * Writes the delivery facts of churn alerts' notifications to the `alert-notifications` outbox inside
 * the transaction that records the attempt, so the row's new status and its fact commit together;
 * AlertNotificationsRelay publishes them.
 */
@Injectable()
export class NotificationFactsOutbox {
  private readonly notifications = new NotificationRepository();
  private readonly outbox = new TopicOutboxRepository('alert_notifications');

  /** Returns how many facts were new. */
  async record(tx: Queryable, notificationIds: readonly string[], attempt: AttemptOutcome): Promise<number> {
    const alerts = await this.notifications.deliveredAlerts(tx, notificationIds);
    return this.outbox.enqueue(
      tx,
      alerts.map((alert) => {
        const fact = notificationFactOf(alert, attempt);
        return { messageId: fact.notification_id, customerId: fact.customer_id, payload: fact };
      }),
    );
  }
}
