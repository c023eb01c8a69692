import { createLogger, type Logger } from '@churn/observability';

/** What every command gets: a logger for humans (pretty unless LOG_FORMAT=json) and the caller's environment. */
export interface CliContext {
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
}

export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const format = env['LOG_FORMAT'] === 'json' || !process.stdout.isTTY ? 'json' : 'pretty';
  return { logger: createLogger({ service: 'churn-cli', level: env['LOG_LEVEL'] ?? 'info', format }), env };
}
