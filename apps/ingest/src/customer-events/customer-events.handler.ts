import { Injectable } from '@nestjs/common';
import { Topics, type CustomerEvent } from '@churn/contracts';
import type { ConsumedMessage } from '@churn/kafka';
import type { TopicHandler } from '@churn/service-kit';
import { IngestService } from './ingest.service';

@Injectable()
export class CustomerEventsHandler implements TopicHandler<typeof Topics.customerEvents> {
  readonly topic = Topics.customerEvents;

  constructor(private readonly ingest: IngestService) {}

  async handle(messages: ConsumedMessage<CustomerEvent>[]): Promise<void> {
    await this.ingest.ingest(messages);
  }
}
