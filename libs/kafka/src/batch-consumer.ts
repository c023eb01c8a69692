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
  /** The partitions the batch's messages come from (several when a fetch brought data for several). */
  readonly partitions: readonly number[];
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
  /**
   * 'fetch' (default): the batches one fetch brings for the partitions of a topic go to the handler
   * together — one handler call (one transaction), one dead-letter publish and one offset commit per
   * topic and fetch. 'partition': one handler call per partition batch, as kafkajs hands them over,
   * `partitionsConsumedConcurrently` at a time.
   */
  readonly batching?: ConsumerBatching;
  /** Only with batching 'partition'. */
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

export type ConsumerBatching = 'fetch' | 'partition';

const DEFAULT_RETRY = { initialDelayMs: 200, maxDelayMs: 5000 };
/**
 * kafkajs workers in 'fetch' mode: at least the partitions one fetch can bring, so that every batch of
 * a fetch reaches eachBatch in the same turn of the event loop (they are then gathered into one group).
 * More partitions than this are still handled correctly, in more than one group.
 */
const FETCH_WORKERS = 64;

interface WaitingBatch {
  readonly payload: EachBatchPayload;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Batch consumption with the guarantees the platform relies on:
 * - every message is validated against its topic's schema; what fails goes to the dead-letter topic
 *   with the original bytes and the reason, and the batch goes on;
 * - the handler gets the valid messages of a batch at once (so it can write them in one transaction); by
 *   default a batch is everything one fetch brought for a topic, all partitions together, so the fixed cost
 *   of a batch (transaction, publish, offset commit) is paid once per fetch rather than once per partition;
 * - the offset is committed only after the handler and the dead-letter writes succeeded, so a crash
 *   re-delivers and idempotent handlers make that harmless;
 * - infrastructure errors are retried in place with back-off (nothing is dead-lettered because
 *   Postgres is down); a batch that fails otherwise is split in halves until the failing message is alone,
 *   and only that message is dead-lettered.
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly metrics: KafkaMetrics;
  private readonly subscriptions: Map<string, TopicSubscription>;
  private readonly retry: { initialDelayMs: number; maxDelayMs: number };
  private joined = false;
  private running = false;
  /** Set when the consumer stopped for good: kafkajs will not restart it, only a new process helps. */
  private fatalError: unknown;
  private lagTimer: NodeJS.Timeout | undefined;
  private readonly batching: ConsumerBatching;
  private waiting: WaitingBatch[] = [];
  private flushScheduled = false;

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
    this.batching = options.batching ?? 'fetch';
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (event) => {
      this.joined = true;
      this.logger.info({ groupId: options.groupId, assignment: event.payload.memberAssignment }, 'joined consumer group');
    });
    // kafkajs restarts the consumer after a crash only when the error is retriable
    // (node_modules/kafkajs/src/consumer/index.js, onCrash); otherwise it stays disconnected for good.
    this.consumer.on(CRASH, (event) => {
      this.joined = false;
      const { error, restart } = event.payload;
      this.metrics.consumerCrashes.inc({ group: options.groupId, restart: String(restart) });
      if (restart) {
        this.logger.warn({ err: error, groupId: options.groupId }, 'consumer crashed; kafkajs restarts it');
      } else {
        this.markFatal(error, 'consumer crashed and kafkajs does not restart it; liveness fails so that the process is restarted');
      }
    });
    this.consumer.on(STOP, () => (this.joined = false));
    this.consumer.on(DISCONNECT, () => (this.joined = false));
  }

  /** True once the consumer is a member of its group with partitions assigned (readiness). */
  isJoined(): boolean {
    return this.joined;
  }

  /** False once the consumer stopped for good after a crash (liveness). */
  isAlive(): boolean {
    return this.fatalError === undefined;
  }

  private markFatal(error: unknown, message: string): void {
    this.fatalError = error ?? new Error('consumer crashed');
    this.running = false;
    this.metrics.consumerRunning.set({ group: this.options.groupId }, 0);
    this.logger.error({ err: error, groupId: this.options.groupId }, message);
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.admin.connect();
    await this.consumer.connect();
    for (const topic of this.subscriptions.keys()) {
      await this.consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning ?? true });
    }
    this.running = true;
    this.metrics.consumerRunning.set({ group: this.options.groupId }, 1);
    try {
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.batching === 'fetch' ? FETCH_WORKERS : (this.options.partitionsConsumedConcurrently ?? 1),
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (error) {
      this.markFatal(error, 'consumer failed to run');
      throw error;
    }
    const interval = this.options.lagPollIntervalMs ?? 10_000;
    this.lagTimer = setInterval(() => void this.pollLag(), interval);
    this.lagTimer.unref();
  }

  /** Stops fetching, lets the batch in flight finish and commit, then leaves the group. */
  async stop(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.running = false;
    this.metrics.consumerRunning.set({ group: this.options.groupId }, 0);
    await this.consumer.disconnect();
    await this.admin.disconnect().catch(() => undefined);
    this.joined = false;
  }

  private onBatch(payload: EachBatchPayload): Promise<void> {
    if (payload.batch.messages.length === 0) return Promise.resolve();
    if (this.batching === 'partition') return this.processGroup([payload]);
    // kafkajs hands every batch of a fetch to its own worker in the same turn of the event loop; they are
    // gathered here and processed together once that turn is over.
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ payload, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** One group per topic, in the order the batches came; each batch's eachBatch settles with its group. */
  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const byTopic = new Map<string, WaitingBatch[]>();
    for (const item of this.waiting.splice(0)) {
      const list = byTopic.get(item.payload.batch.topic) ?? [];
      list.push(item);
      byTopic.set(item.payload.batch.topic, list);
    }
    for (const items of byTopic.values()) {
      try {
        await this.processGroup(items.map((item) => item.payload));
        for (const item of items) item.resolve();
      } catch (error) {
        for (const item of items) item.reject(error);
      }
    }
  }

  /** Batches of one topic (one or several partitions): validate, handle, dead-letter, commit every partition. */
  private async processGroup(payloads: readonly EachBatchPayload[]): Promise<void> {
    const topic = payloads[0]!.batch.topic;
    const subscription = this.subscriptions.get(topic);
    if (!subscription) throw new Error(`no handler for topic ${topic}`);
    const labels = { group: this.options.groupId, topic };
    const endTimer = this.metrics.batchDuration.startTimer(labels);
    const total = payloads.reduce((n, p) => n + p.batch.messages.length, 0);
    this.metrics.batchSize.observe(labels, total);
    const oldest = Math.min(...payloads.map((p) => Number(p.batch.messages[0]!.timestamp)));
    if (Number.isFinite(oldest)) this.metrics.batchPhase.observe({ ...labels, phase: 'waiting' }, Math.max(0, Date.now() - oldest) / 1000);

    const valid: ConsumedMessage<unknown>[] = [];
    const deadLetters: DeadLetterInput[] = [];
    for (const { batch } of payloads) {
      for (const raw of batch.messages) {
        const decoded = decodeMessage(subscription.schema, raw);
        if (decoded.ok) {
          valid.push({
            topic,
            partition: batch.partition,
            offset: raw.offset,
            key: raw.key ? raw.key.toString('utf8') : null,
            value: decoded.value,
            headers: headersOf(raw),
            timestamp: Number(raw.timestamp),
            raw,
          });
        } else {
          deadLetters.push({ topic, partition: batch.partition, message: raw, code: decoded.code, reason: decoded.reason });
          this.logger.warn(
            { topic, partition: batch.partition, offset: raw.offset, code: decoded.code, reason: decoded.reason },
            'invalid message dead-lettered',
          );
        }
      }
    }

    const heartbeat = () => payloads[0]!.heartbeat();
    const context: BatchContext = { topic, partitions: payloads.map((p) => p.batch.partition), heartbeat };
    // Stopping, rebalancing or a seek on any of the partitions: stop retrying and give the batches back uncommitted.
    const isActive = () => this.running && payloads.every((p) => p.isRunning() && !p.isStale());
    if (valid.length > 0) {
      const endHandler = this.metrics.batchPhase.startTimer({ ...labels, phase: 'handler' });
      const handlerDeadLetters = await this.process(subscription, valid, context, isActive);
      endHandler();
      deadLetters.push(...handlerDeadLetters);
    }
    const dlqTopic = subscription.deadLetterTopic ?? this.options.deadLetterTopic;
    const endDeadLetters = this.metrics.batchPhase.startTimer({ ...labels, phase: 'dead_letters' });
    await this.withTransientRetry(topic, isActive, heartbeat, () => publishDeadLetters(this.producer, dlqTopic, this.options.groupId, deadLetters));
    endDeadLetters();
    for (const letter of deadLetters) {
      this.metrics.deadLetters.inc({
        group: this.options.groupId,
        source_topic: letter.topic,
        dlq_topic: dlqTopic,
        code: letter.code,
      });
    }

    // Every partition's offset in one request, only now that the handler's transaction and the letters are done.
    const offsets = payloads.map(({ batch, resolveOffset }) => {
      const last = batch.messages[batch.messages.length - 1]!;
      resolveOffset(last.offset);
      return { topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() };
    });
    const endCommit = this.metrics.batchPhase.startTimer({ ...labels, phase: 'commit' });
    await this.consumer.commitOffsets(offsets);
    endCommit();
    this.metrics.consumed.inc({ ...labels, result: 'processed' }, total - deadLetters.length);
    this.metrics.consumed.inc({ ...labels, result: 'dead_lettered' }, deadLetters.length);
    for (const { batch } of payloads) {
      const lag = Number(batch.offsetLag());
      if (Number.isFinite(lag)) this.metrics.lag.set({ ...labels, partition: String(batch.partition) }, lag);
    }
    endTimer();
    await heartbeat();
  }

  /**
   * Runs the handler on the whole batch; on a permanent failure, splits it in halves (in order, so each
   * partition's messages keep their order) until every failing message is alone and dead-lettered. Halves
   * that succeed are done in their own handler call (transaction); k bad messages in n cost about
   * 2·k·log2(n) handler calls instead of n.
   */
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
      this.logger.warn({ err: error, topic: context.topic, size: messages.length }, 'batch failed; processing it in halves to isolate the failing messages');
      const middle = Math.ceil(messages.length / 2);
      return [
        ...(await this.process(subscription, messages.slice(0, middle), context, isActive)),
        ...(await this.process(subscription, messages.slice(middle), context, isActive)),
      ];
    }
  }

  private async withTransientRetry<T>(topic: string, isActive: () => boolean, heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
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
