import { startLocalStack, type RunningStack } from '@churn/local-stack';
import type { CliContext } from '../cli-context';

/** Starts what KAFKA_BROKERS / DATABASE_URL do not already name: the contract's "default when unset". */
export function startStackFromEnv(context: CliContext, profile: 'dev' | 'test' = 'dev', fresh = false): Promise<RunningStack> {
  return startLocalStack({
    profile,
    fresh,
    kafkaBrokers: context.env['KAFKA_BROKERS'] || undefined,
    databaseUrl: context.env['DATABASE_URL'] || undefined,
    logger: context.logger,
  });
}
