import type { TopicName, TopicSchemas, TopicValue } from '@churn/contracts';
import type { BatchContext, BatchOutcome, ConsumedMessage } from '@churn/kafka';

/**
 * A service's consumer of one topic. Thin: it gets the batch of messages that passed the topic's
 * schema and hands it to a service class. Throwing an infrastructure error retries the batch;
 * returning dead letters parks single messages.
 */
export interface TopicHandler<T extends keyof TopicSchemas & TopicName = keyof TopicSchemas & TopicName> {
  readonly topic: T;
  /** Where this topic's unprocessable messages go, when not the consumer's default dead-letter topic. */
  readonly deadLetterTopic?: TopicName;
  handle(messages: ConsumedMessage<TopicValue<T>>[], context: BatchContext): Promise<BatchOutcome | void>;
}
