import { Global, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import { TOPIC_SCHEMAS, type TopicName } from '@churn/contracts';
import { BatchConsumer, createKafka, TopicProducer, type TopicSubscription } from '@churn/kafka';
import type { HealthRegistry, Logger, Registry } from '@churn/observability';
import type { BaseServiceConfig } from '../core/base-config';
import { HEALTH, LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '../core/tokens';
import type { TopicHandler } from './topic-handler';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const KAFKA_CONSUMER_OPTIONS = Symbol('KAFKA_CONSUMER_OPTIONS');

export interface KafkaModuleOptions {
  /** Consumer group name without the deployment prefix, normally the service name. */
  readonly group: string;
  readonly consumer?: {
    readonly deadLetterTopic: TopicName;
    readonly handlers: readonly Type<TopicHandler>[];
    readonly partitionsConsumedConcurrently?: number;
  };
}

/**
 * Owns the consumer's lifecycle: starts after the app is wired, stops first at shutdown. Handler
 * classes are providers of the service's own modules and are looked up when the app has started.
 */
export class KafkaConsumerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer: BatchConsumer | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly create: (handlers: TopicHandler[]) => BatchConsumer,
    private readonly handlerTypes: readonly Type<TopicHandler>[],
    private readonly logger: Logger,
  ) {}

  isJoined(): boolean {
    return this.consumer?.isJoined() ?? false;
  }

  /** Not yet created counts as alive: the consumer starts after the app is wired. */
  isAlive(): boolean {
    return this.consumer?.isAlive() ?? true;
  }

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.handlerTypes.map((type) => this.moduleRef.get(type, { strict: false }));
    this.consumer = this.create(handlers);
    await this.consumer.start();
  }

  /** Runs before any shutdown hook: the batch in flight finishes and commits while Postgres is still open. */
  async onModuleDestroy(): Promise<void> {
    if (!this.consumer) return;
    this.logger.info('stopping Kafka consumer');
    await this.consumer.stop();
  }
}

class ProducerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly producer: TopicProducer) {}
  async onApplicationBootstrap(): Promise<void> {
    await this.producer.connect();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

@Global()
@Module({})
export class KafkaModule {
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    const providers = [
      {
        provide: KAFKA_CLIENT,
        inject: [SERVICE_CONFIG, LOGGER],
        useFactory: (config: BaseServiceConfig, logger: Logger) => createKafka(config, `churn-${options.group}`, logger),
      },
      {
        provide: TopicProducer,
        inject: [KAFKA_CLIENT, LOGGER, METRICS_REGISTRY],
        useFactory: (kafka: Kafka, logger: Logger, registry: Registry) => new TopicProducer(kafka, logger.child({ context: TopicProducer.name }), registry),
      },
      { provide: ProducerLifecycle, inject: [TopicProducer], useFactory: (producer: TopicProducer) => new ProducerLifecycle(producer) },
    ];
    if (options.consumer) {
      const consumerOptions = options.consumer;
      providers.push({
        provide: KafkaConsumerHost,
        inject: [ModuleRef, SERVICE_CONFIG, KAFKA_CLIENT, TopicProducer, LOGGER, METRICS_REGISTRY, HEALTH],
        useFactory: (
          moduleRef: ModuleRef,
          config: BaseServiceConfig,
          kafka: Kafka,
          producer: TopicProducer,
          logger: Logger,
          registry: Registry,
          health: HealthRegistry,
        ) => {
          const log = logger.child({ context: BatchConsumer.name });
          const create = (handlers: TopicHandler[]) =>
            new BatchConsumer(
              kafka,
              producer,
              {
                groupId: `${config.KAFKA_GROUP_PREFIX}.${options.group}`,
                subscriptions: handlers.map((handler): TopicSubscription => ({
                  topic: handler.topic,
                  schema: TOPIC_SCHEMAS[handler.topic],
                  handler: (messages, context) => handler.handle(messages as never, context),
                  deadLetterTopic: handler.deadLetterTopic,
                })),
                deadLetterTopic: consumerOptions.deadLetterTopic,
                batching: config.KAFKA_CONSUMER_BATCHING,
                partitionsConsumedConcurrently: consumerOptions.partitionsConsumedConcurrently ?? config.KAFKA_PARTITIONS_CONCURRENTLY,
                minBytes: config.KAFKA_CONSUMER_MIN_BYTES,
                maxWaitTimeInMs: config.KAFKA_CONSUMER_MAX_WAIT_MS,
              },
              log,
              registry,
            );
          const host = new KafkaConsumerHost(moduleRef, create, consumerOptions.handlers, log);
          health.register('kafka-consumer', () => host.isJoined());
          health.registerLiveness('kafka-consumer', () => host.isAlive());
          return host;
        },
      } as never);
    }
    return {
      module: KafkaModule,
      providers,
      exports: [KAFKA_CLIENT, TopicProducer, ...(options.consumer ? [KafkaConsumerHost] : [])],
    };
  }
}
