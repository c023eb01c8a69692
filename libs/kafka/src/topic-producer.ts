import { Partitioners, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import { safeParse, TOPIC_SCHEMAS, type TopicName, type TopicSchemas, type TopicValue } from '@churn/contracts';
import type { Logger, Registry } from '@churn/observability';
import { ContractViolationError } from './errors';
import { kafkaMetrics, type KafkaMetrics } from './kafka-metrics';

export interface OutboundMessage<T> {
  readonly key: string;
  readonly value: T;
  readonly headers?: IHeaders;
}

export interface RawOutboundMessage {
  readonly key: string | null;
  readonly value: Buffer | string | null;
  readonly headers?: IHeaders;
}

/**
 * Publishes JSON values to contract topics. Every value is checked against its topic's schema before
 * it leaves, so a bug in our code fails here instead of in every consumer downstream.
 */
export class TopicProducer {
  private readonly producer: Producer;
  private readonly metrics: KafkaMetrics;
  private connected = false;

  constructor(
    kafka: Kafka,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    // Idempotence is left off (kafkajs marks it experimental); consumers are idempotent by key instead.
    // The murmur2 partitioner that Java clients use, so a customer's key lands on the same partition whoever publishes.
    this.producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 10 }, createPartitioner: Partitioners.DefaultPartitioner });
    this.metrics = kafkaMetrics(registry);
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }

  async send<T extends keyof TopicSchemas & TopicName>(topic: T, messages: readonly OutboundMessage<TopicValue<T>>[]): Promise<void> {
    if (messages.length === 0) return;
    const schema = TOPIC_SCHEMAS[topic];
    const encoded = messages.map((message) => {
      const checked = safeParse(schema, message.value);
      if (!checked.ok) throw new ContractViolationError(topic, checked.reason);
      return { key: message.key, value: JSON.stringify(message.value), headers: message.headers };
    });
    await this.sendRaw(topic, encoded);
  }

  /** Publishes bytes as they are: for dead letters and for re-driving them. */
  async sendRaw(topic: TopicName, messages: readonly RawOutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const end = this.metrics.produceDuration.startTimer({ topic });
    try {
      await this.producer.send({ topic, acks: -1, messages: messages.map((m) => ({ ...m })) });
    } finally {
      end();
    }
    this.metrics.produced.inc({ topic }, messages.length);
    this.logger.trace({ topic, count: messages.length }, 'published');
  }
}
