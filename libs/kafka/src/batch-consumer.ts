import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { z } from 'zod';
import type { TopicName } from '@churn/contracts';
import type { Logger, Registry } from '@churn/observability';
import { headersOf, type ConsumedMessage } from './consumed-message';
import { deadLetterInputOf, publishDeadLetters, type DeadLetterInput } from './dead-letter.publisher';
import { isTransientError, PermanentMessageError } from './errors';
import { kafkaMetrics, type KafkaMetrics } from './kafka-metrics';
import { decodeMessage } from './message-decoder';
import type { TopicProducer } from './topic-producer';

export interface BatchContext {
  readonly topic: string;
  readonly partition: number;
  heartbeat(): Promise<void>;
}

/** What a handler may say about single messages of its batch; everything else counts as processed. */
export interface BatchOutcome {
  readonly deadLetters?: readonly { message: ConsumedMessage<unknown>; code: string; reason: string }[];
}

export type BatchHandler<T> = (messages: ConsumedMessage<T>[], context: BatchContext) => Promise<BatchOutcome | void>;

export interface TopicSubscription<S extends z.ZodType = z.ZodType> {
  readonly topic: TopicName;
  readonly schema: S;
  readonly handler: BatchHandler<z.output<S>>;
  /** Overrides the consumer's dead-letter topic for this topic's messages. */
  readonly deadLetterTopic?: TopicName;
}

/** Keeps a subscription's handler typed by its own schema while the consumer holds many of them. */
export function subscription<S extends z.ZodType>(definition: TopicSubscription<S>): TopicSubscription {
  return definition as unknown as TopicSubscription;
}

export interface BatchConsumerOptions {
  readonly groupId: string;
  readonly subscriptions: readonly TopicSubscription[];
  readonly deadLetterTopic: TopicName;
  /** A new group starts at the beginning of the topic so that nothing published before it is missed. */
  readonly fromBeginning?: boolean;
  readonly partitionsConsumedConcurrently?: number;
  readonly maxBytesPerPartition?: number;
  /**
   * A fetch is answered once this many bytes are there or after maxWaitTimeInMs (defaults 1 and
   * 250 ms: at once when anything is there). A larger minBytes with a short wait makes fewer,
   * larger batches at moderate rates, each waiting at most maxWaitTimeInMs.
   */
  readonly minBytes?: number;
  readonly maxWaitTimeInMs?: number;
  readonly lagPollIntervalMs?: number;
  readonly retry?: { readonly initialDelayMs: number; readonly maxDelayMs: number };
}

const DEFAULT_RETRY = { initialDelayMs: 200, maxDelayMs: 5000 };

/**
 * Batch consumption with the guarantees the platform relies on:
 * - every message is validated against its topic's schema; what fails goes to the dead-letter topic
 *   with the original bytes and the reason, and the batch goes on;
 * - the handler gets the valid messages of a batch at once (so it can write them in one transaction);
 * - the offset is committed only after the handler and the dead-letter writes succeeded, so a crash
 *   re-delivers and idempotent handlers make that harmless;
 * - infrastructure errors are retried in place with back-off (nothing is dead-lettered because
 *   Postgres is down); a batch that fails otherwise is split and only the failing message is dead-lettered.
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly metrics: KafkaMetrics;
  private readonly subscriptions: Map<string, TopicSubscription>;
  private readonly retry: { initialDelayMs: number; maxDelayMs: number };
  private joined = false;
  private running = false;
  private lagTimer: NodeJS.Timeout | undefined;

  constructor(
    kafka: Kafka,
    private readonly producer: TopicProducer,
    private readonly options: BatchConsumerOptions,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      minBytes: options.minBytes ?? 1,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 250,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
      retry: { retries: 10 },
    });
    this.admin = kafka.admin();
    this.metrics = kafkaMetrics(registry);
    this.subscriptions = new Map(options.subscriptions.map((s) => [s.topic, s]));
    this.retry = options.retry ?? DEFAULT_RETRY;
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (event) => {
      this.joined = true;
      this.logger.info({ groupId: options.groupId, assignment: event.payload.memberAssignment }, 'joined consumer group');
    });
    this.consumer.on(CRASH, (event) => {
      this.joined = false;
      this.logger.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
    });
    this.consumer.on(STOP, () => (this.joined = false));
    this.consumer.on(DISCONNECT, () => (this.joined = false));
  }

  /** True once the consumer is a member of its group with partitions assigned (readiness). */
  isJoined(): boolean {
    return this.joined;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.admin.connect();
    await this.consumer.connect();
    for (const topic of this.subscriptions.keys()) {
      await this.consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning ?? true });
    }
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    const interval = this.options.lagPollIntervalMs ?? 10_000;
    this.lagTimer = setInterval(() => void this.pollLag(), interval);
    this.lagTimer.unref();
  }

  /** Stops fetching, lets the batch in flight finish and commit, then leaves the group. */
  async stop(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.running = false;
    await this.consumer.disconnect();
    await this.admin.disconnect().catch(() => undefined);
    this.joined = false;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const subscription = this.subscriptions.get(batch.topic);
    if (!subscription) throw new Error(`no handler for topic ${batch.topic}`);
    const labels = { group: this.options.groupId, topic: batch.topic };
    const endTimer = this.metrics.batchDuration.startTimer(labels);
    this.metrics.batchSize.observe(labels, batch.messages.length);

    const valid: ConsumedMessage<unknown>[] = [];
    const deadLetters: DeadLetterInput[] = [];
    for (const raw of batch.messages) {
      const decoded = decodeMessage(subscription.schema, raw);
      if (decoded.ok) {
        valid.push({
          topic: batch.topic,
          partition: batch.partition,
          offset: raw.offset,
          key: raw.key ? raw.key.toString('utf8') : null,
          value: decoded.value,
          headers: headersOf(raw),
          timestamp: Number(raw.timestamp),
          raw,
        });
      } else {
        deadLetters.push({ topic: batch.topic, partition: batch.partition, message: raw, code: decoded.code, reason: decoded.reason });
        this.logger.warn(
          { topic: batch.topic, partition: batch.partition, offset: raw.offset, code: decoded.code, reason: decoded.reason },
          'invalid message dead-lettered',
        );
      }
    }

    const context: BatchContext = { topic: batch.topic, partition: batch.partition, heartbeat: payload.heartbeat };
    const isActive = () => this.running && payload.isRunning() && !payload.isStale();
    if (valid.length > 0) {
      const handlerDeadLetters = await this.process(subscription, valid, context, isActive);
      deadLetters.push(...handlerDeadLetters);
    }
    const dlqTopic = subscription.deadLetterTopic ?? this.options.deadLetterTopic;
    await this.withTransientRetry(batch.topic, isActive, payload.heartbeat, () =>
      publishDeadLetters(this.producer, dlqTopic, this.options.groupId, deadLetters),
    );
    for (const letter of deadLetters) {
      this.metrics.deadLetters.inc({
        group: this.options.groupId,
        source_topic: letter.topic,
        dlq_topic: dlqTopic,
        code: letter.code,
      });
    }

    const last = batch.messages[batch.messages.length - 1]!;
    payload.resolveOffset(last.offset);
    await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
    this.metrics.consumed.inc({ ...labels, result: 'processed' }, batch.messages.length - deadLetters.length);
    this.metrics.consumed.inc({ ...labels, result: 'dead_lettered' }, deadLetters.length);
    const lag = Number(batch.offsetLag());
    if (Number.isFinite(lag)) this.metrics.lag.set({ ...labels, partition: String(batch.partition) }, lag);
    endTimer();
    await payload.heartbeat();
  }

  /** Runs the handler on the whole batch; on a permanent failure, isolates the failing messages one by one. */
  private async process(
    subscription: TopicSubscription,
    messages: ConsumedMessage<unknown>[],
    context: BatchContext,
    isActive: () => boolean,
  ): Promise<DeadLetterInput[]> {
    try {
      const outcome = await this.withTransientRetry(context.topic, isActive, context.heartbeat, () => subscription.handler(messages, context));
      return (outcome?.deadLetters ?? []).map((d) => deadLetterInputOf(d.message, d.code, d.reason));
    } catch (error) {
      if (isTransientError(error)) throw error;
      this.metrics.failures.inc({ group: this.options.groupId, topic: context.topic, kind: 'permanent' });
      if (messages.length === 1) {
        const code = error instanceof PermanentMessageError ? error.code : 'HANDLER_FAILED';
        this.logger.error({ err: error, topic: context.topic, offset: messages[0]!.offset, key: messages[0]!.key }, 'message failed; dead-lettered');
        return [deadLetterInputOf(messages[0]!, code, (error as Error).message ?? String(error))];
      }
      this.logger.warn({ err: error, topic: context.topic, size: messages.length }, 'batch failed; processing its messages one by one');
      const result: DeadLetterInput[] = [];
      for (const message of messages) result.push(...(await this.process(subscription, [message], context, isActive)));
      return result;
    }
  }

  private async withTransientRetry<T>(
    topic: string,
    isActive: () => boolean,
    heartbeat: () => Promise<void>,
    work: () => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!isTransientError(error)) throw error;
        this.metrics.failures.inc({ group: this.options.groupId, topic, kind: 'transient' });
        // Stopping or rebalancing: give the batch back uncommitted; it will be re-delivered.
        if (!isActive()) throw error;
        const delay = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** Math.min(attempt - 1, 10));
        this.logger.warn({ err: error, topic, attempt, retryInMs: delay }, 'transient failure; retrying batch');
        await sleep(delay * (0.75 + Math.random() * 0.5));
        await heartbeat();
      }
    }
  }

  private async pollLag(): Promise<void> {
    try {
      const groupOffsets = await this.admin.fetchOffsets({ groupId: this.options.groupId, topics: [...this.subscriptions.keys()] });
      for (const { topic, partitions } of groupOffsets) {
        const ends = await this.admin.fetchTopicOffsets(topic);
        for (const end of ends) {
          const committed = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          const base = committed === '-1' ? BigInt(end.low) : BigInt(committed);
          const lag = BigInt(end.high) - base;
          this.metrics.lag.set({ group: this.options.groupId, topic, partition: String(end.partition) }, Number(lag < 0n ? 0n : lag));
        }
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'lag poll failed');
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
