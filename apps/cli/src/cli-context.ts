import { createLogger, type Logger } from '@churn/observability';

/**
 * What every command gets: a logger for humans and the caller's environment. `logFormat` is
 * 'pretty' (one readable line per entry) on a terminal, 'json' when stdout is not one (a pipe, a
 * file, CI) or LOG_FORMAT=json; `churn up --logs` echoes the services' logs the same way.
 */
export interface CliContext {
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly logFormat: 'json' | 'pretty';
}

export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const logFormat = env['LOG_FORMAT'] === 'json' || !process.stdout.isTTY ? 'json' : 'pretty';
  return { logger: createLogger({ service: 'churn-cli', level: env['LOG_LEVEL'] ?? 'info', format: logFormat }), env, logFormat };
}
