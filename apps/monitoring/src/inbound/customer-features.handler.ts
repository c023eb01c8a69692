import { Injectable } from '@nestjs/common';
import { Topics, type CustomerFeaturesMessage } from '@churn/contracts';
import { Database } from '@churn/db';
import type { ConsumedMessage } from '@churn/kafka';
import type { TopicHandler } from '@churn/service-kit';
import { CustomerReadModel } from '../customers/customer-read-model.service';

/** Customers' feature vectors: the newest one of each customer, by name, in the customer read model. */
@Injectable()
export class CustomerFeaturesHandler implements TopicHandler<typeof Topics.customerFeatures> {
  readonly topic = Topics.customerFeatures;

  constructor(
    private readonly database: Database,
    private readonly readModel: CustomerReadModel,
  ) {}

  async handle(messages: ConsumedMessage<CustomerFeaturesMessage>[]): Promise<void> {
    await this.database.transaction((tx) =>
      this.readModel.applyVectors(
        tx,
        messages.map((m) => m.value),
      ),
    );
  }
}
