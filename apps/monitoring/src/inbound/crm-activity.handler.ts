import { Injectable } from '@nestjs/common';
import { Topics, type CrmActivity } from '@churn/contracts';
import { Database } from '@churn/db';
import type { ConsumedMessage } from '@churn/kafka';
import type { TopicHandler } from '@churn/service-kit';
import { CustomerReadModel } from '../customers/customer-read-model.service';

/**
 * crm-sync's activity in the CRMs (its outbox relay, at least once): each stored once for the timeline,
 * and whether the customer has a task open. An invalid message goes to monitoring.dlq with the reason.
 */
@Injectable()
export class CrmActivityHandler implements TopicHandler<typeof Topics.crmActivity> {
  readonly topic = Topics.crmActivity;

  constructor(
    private readonly database: Database,
    private readonly readModel: CustomerReadModel,
  ) {}

  async handle(messages: ConsumedMessage<CrmActivity>[]): Promise<void> {
    await this.database.transaction((tx) =>
      this.readModel.applyCrmActivity(
        tx,
        messages.map((m) => m.value),
      ),
    );
  }
}
