import { Inject, Injectable } from '@nestjs/common';
import { Topics, type CustomerEvent } from '@churn/contracts';
import { payloadIssues, type ActiveFeatureSpec } from '@churn/feature-spec';
import type { BatchOutcome, ConsumedMessage } from '@churn/kafka';
import type { Logger } from '@churn/observability';
import { LOGGER, type TopicHandler } from '@churn/service-kit';
import { ACTIVE_FEATURE_SPEC } from '../active-feature-spec.token';
import { IngestService } from './ingest.service';
import { SpecMismatchError } from './spec-mismatch.error';

type DeadLetter = NonNullable<BatchOutcome['deadLetters']>[number];

@Injectable()
export class CustomerEventsHandler implements TopicHandler<typeof Topics.customerEvents> {
  readonly topic = Topics.customerEvents;
  private readonly logger: Logger;

  constructor(
    private readonly ingest: IngestService,
    @Inject(ACTIVE_FEATURE_SPEC) private readonly active: ActiveFeatureSpec,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: CustomerEventsHandler.name });
  }

  /**
   * The contract has validated every message; an event that does not fit the active spec (a schema
   * version 2 payload the spec cannot read) is dead-lettered on its own, and the rest is ingested.
   */
  async handle(messages: ConsumedMessage<CustomerEvent>[]): Promise<BatchOutcome> {
    const fitting: ConsumedMessage<CustomerEvent>[] = [];
    const deadLetters: DeadLetter[] = [];
    for (const message of messages) {
      const issues = payloadIssues(this.active.spec, message.value);
      if (issues.length === 0) {
        fitting.push(message);
        continue;
      }
      const error = new SpecMismatchError(issues);
      deadLetters.push({ message, code: error.code, reason: error.message });
      const { event_id, customer_id, event_type } = message.value;
      this.logger.warn({ event_id, customer_id, event_type, code: error.code, reason: error.message }, 'event does not fit the feature spec; dead-lettered');
    }
    if (fitting.length > 0) await this.ingest.ingest(fitting);
    return { deadLetters };
  }
}
