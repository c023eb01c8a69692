import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import type { KafkaEnv } from '@churn/config';
import type { Logger } from '@churn/observability';

const PINO_LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Builds the kafkajs client from validated settings; its own log lines go through our logger. */
export function createKafka(env: KafkaEnv, clientId: string, logger: Logger): Kafka {
  const log = logger.child({ context: 'kafkajs' });
  const config: KafkaConfig = {
    clientId,
    brokers: env.KAFKA_BROKERS,
    ssl: env.KAFKA_SSL,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 12 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log: entry }: LogEntry) => {
        const { message, ...extra } = entry;
        log[PINO_LEVEL[level] ?? 'info']({ namespace, ...extra }, message);
      },
  };
  const sasl = saslOptions(env);
  if (sasl) config.sasl = sasl;
  return new Kafka(config);
}

export function saslOptions(env: KafkaEnv): SASLOptions | undefined {
  if (!env.KAFKA_SASL_MECHANISM || !env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD) return undefined;
  const credentials = { username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD };
  switch (env.KAFKA_SASL_MECHANISM) {
    case 'plain':
      return { mechanism: 'plain', ...credentials };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', ...credentials };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', ...credentials };
    default:
      return undefined;
  }
}
