import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from '@churn/observability';

/** The migrations folder travels with the library: `libs/db/migrations`, ordered by epoch prefix. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');

/** Any constant shared by every process that migrates this database. */
const MIGRATION_LOCK_KEY = 4_271_903_661;

/**
 * Applies pending migrations. Safe to call from every service at start: a blocking advisory lock
 * makes concurrent starts take turns (node-pg-migrate's own lock fails instead of waiting), so each
 * migration runs once and the others then find nothing to do.
 * `options.through` stops after the named migration, so a spec can seed the schema an older release left before migrating the rest.
 */
export async function runMigrations(databaseUrl: string, logger: Logger, options: { through?: string } = {}): Promise<string[]> {
  const upTo = options.through === undefined ? undefined : await migrationTimestamp(options.through);
  const lock = new Client({ connectionString: databaseUrl, application_name: 'churn-migrations-lock' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await applyPending(databaseUrl, logger, upTo);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}

/** The migration's epoch prefix: node-pg-migrate orders migrations by it and, with `timestamp`, applies those up to it. */
async function migrationTimestamp(name: string): Promise<number> {
  const names = (await readdir(MIGRATIONS_DIR)).map((file) => path.parse(file).name);
  if (!names.includes(name)) throw new Error(`no migration named ${name} in ${MIGRATIONS_DIR}`);
  return Number(name.split('_')[0]);
}

async function applyPending(databaseUrl: string, logger: Logger, upTo: number | undefined): Promise<string[]> {
  const log = logger.child({ context: 'migrations' });
  const applied = await runner({
    noLock: true,
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    ...(upTo === undefined ? { count: Infinity } : { count: upTo, timestamp: true }),
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
