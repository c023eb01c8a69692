import { startLocalStack, type RunningStack } from '@churn/local-stack';
import type { CliContext } from '../cli-context';

/** Starts what KAFKA_BROKERS / DATABASE_URL do not already name: the contract's "default when unset". */
export function startStackFromEnv(context: CliContext, profile: 'dev' | 'test' = 'dev'): Promise<RunningStack> {
  return startLocalStack({
    profile,
    kafkaBrokers: context.env['KAFKA_BROKERS'] || undefined,
    databaseUrl: context.env['DATABASE_URL'] || undefined,
    logger: context.logger,
  });
}
