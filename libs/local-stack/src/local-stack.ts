import fs from 'node:fs';
import path from 'node:path';
import { TOPIC_SPECS } from '@churn/contracts';
import { createKafka, ensureTopics } from '@churn/kafka';
import { createLogger, type Logger } from '@churn/observability';
import { LOCAL_DATABASE_PORT, type KafkaEnv } from '@churn/config';
import { runMigrations } from '@churn/db';
import { LocalKafkaBroker } from './kafka-broker';
import { kafkaRelease } from './kafka-version';
import { LocalPostgres } from './embedded-postgres';
import { stateDir } from './paths';

export interface LocalStackOptions {
  /** `dev` for `churn up`, `test` for the test suite: separate ports and data. */
  readonly profile: 'dev' | 'test';
  /** When set, that cluster is used and no broker is started. */
  readonly kafkaBrokers?: string;
  /** When set, that database is used and no Postgres is started. */
  readonly databaseUrl?: string;
  /** Start the local broker and Postgres on empty data (what `churn demo` does, so every run replays anew). */
  readonly fresh?: boolean;
  readonly logger?: Logger;
}

export function testStackDataName(): string {
  return stackPorts('test').name;
}

/** The name of `churn up` / `churn demo`'s data under `.churn/` (`dev`, or `dev-<CHURN_PORT_OFFSET>`). */
export function devStackDataName(env: NodeJS.ProcessEnv = process.env): string {
  return stackPorts('dev', env).name;
}

/** Deletes the local broker's and Postgres's data of one profile (the installed jars and binaries stay). */
export function wipeLocalStackData(profile: 'dev' | 'test'): void {
  const { name } = stackPorts(profile);
  for (const dir of ['kafka', 'postgres']) fs.rmSync(path.join(stateDir(), dir, name), { recursive: true, force: true });
}

export interface RunningStack {
  readonly kafkaBrokers: string;
  readonly databaseUrl: string;
  /** Name of the data directories under .churn/kafka and .churn/postgres. */
  readonly dataName: string;
  readonly broker: LocalKafkaBroker | undefined;
  readonly postgres: LocalPostgres | undefined;
  stop(): Promise<void>;
}

const PORTS = {
  dev: { kafka: 9092, controller: 9093, postgres: LOCAL_DATABASE_PORT },
  test: { kafka: 19092, controller: 19093, postgres: 55432 },
} as const;

/**
 * Shifts every port of the test profile (and names its data apart), so that two test runs on one
 * machine — two developers' worktrees, or CI beside a developer — do not collide.
 */
export function testPortOffset(env: NodeJS.ProcessEnv = process.env): number {
  const offset = Number(env['CHURN_TEST_PORT_OFFSET'] ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 1000) throw new Error('CHURN_TEST_PORT_OFFSET must be an integer from 0 to 1000');
  return offset;
}

/**
 * Shifts every port of the dev profile — Kafka, Postgres and the five services (`servicePort`) — and
 * names its data apart: a second platform beside a running `churn up`, or beside something else on 9092.
 */
export function devPortOffset(env: NodeJS.ProcessEnv = process.env): number {
  const offset = Number(env['CHURN_PORT_OFFSET'] ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 1000) throw new Error('CHURN_PORT_OFFSET must be an integer from 0 to 1000');
  return offset;
}

function stackPorts(profile: 'dev' | 'test', env: NodeJS.ProcessEnv = process.env): { kafka: number; controller: number; postgres: number; name: string } {
  const offset = profile === 'dev' ? devPortOffset(env) : testPortOffset(env);
  const base = PORTS[profile];
  return {
    kafka: base.kafka + offset,
    controller: base.controller + offset,
    postgres: base.postgres + offset,
    name: offset === 0 ? profile : `${profile}-${offset}`,
  };
}

/**
 * Brings up what the services need: Kafka (unless KAFKA_BROKERS names a cluster), Postgres (unless
 * DATABASE_URL names one), the contract's topics and the schema. Both start in parallel.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<RunningStack> {
  const logger = options.logger ?? createLogger({ service: 'local-stack' });
  const ports = stackPorts(options.profile);
  if (options.fresh) {
    // Only what this call starts: a cluster or database named in env is never touched.
    if (!options.kafkaBrokers) fs.rmSync(path.join(stateDir(), 'kafka', ports.name), { recursive: true, force: true });
    if (!options.databaseUrl) fs.rmSync(path.join(stateDir(), 'postgres', ports.name), { recursive: true, force: true });
  }
  const broker = options.kafkaBrokers
    ? undefined
    : new LocalKafkaBroker(
        { name: ports.name, port: ports.kafka, controllerPort: ports.controller, release: kafkaRelease() },
        logger.child({ context: 'kafka' }),
      );
  const postgres = options.databaseUrl
    ? undefined
    : new LocalPostgres({ name: ports.name, port: ports.postgres, database: 'churn' }, logger.child({ context: 'postgres' }));

  // Before anything starts: a Postgres that cannot run from here is said in one line.
  await postgres?.checkAccess();
  const results = await Promise.allSettled([broker?.start(), postgres?.start()]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.allSettled([broker?.stop(), postgres?.stop()]);
    throw failure.reason;
  }
  const kafkaBrokers = options.kafkaBrokers ?? broker!.brokers;
  const databaseUrl = options.databaseUrl ?? postgres!.url;

  const kafkaEnv: KafkaEnv = {
    KAFKA_BROKERS: kafkaBrokers.split(','),
    KAFKA_SSL: false,
    KAFKA_GROUP_PREFIX: 'churn',
  };
  const created = await ensureTopics(createKafka(kafkaEnv, 'churn-local-stack', logger), TOPIC_SPECS);
  if (created.length > 0) logger.info({ topics: created }, 'topics created');
  await runMigrations(databaseUrl, logger);

  return {
    kafkaBrokers,
    databaseUrl,
    dataName: ports.name,
    broker,
    postgres,
    stop: async () => {
      await Promise.allSettled([broker?.stop(), postgres?.stop()]);
    },
  };
}
