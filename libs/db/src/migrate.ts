import path from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Logger } from '@churn/observability';

/** The migrations folder travels with the library: `libs/db/migrations`, ordered by epoch prefix. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');

/**
 * Applies pending migrations. Safe to call from every service at start: node-pg-migrate takes an
 * advisory lock, so concurrent starts run each migration once and the others wait, then find nothing to do.
 */
export async function runMigrations(databaseUrl: string, logger: Logger): Promise<string[]> {
  const log = logger.child({ context: 'migrations' });
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    count: Infinity,
    checkOrder: true,
    verbose: false,
    logger: {
      debug: () => undefined,
      info: (message: string) => log.debug(message),
      warn: (message: string) => log.warn(message),
      error: (message: string) => log.error(message),
    },
  });
  const names = applied.map((migration) => migration.name);
  if (names.length > 0) log.info({ applied: names }, 'migrations applied');
  return names;
}
