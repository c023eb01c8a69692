import type { Command } from 'commander';
import { databaseEnvSchema, parseConfig } from '@churn/config';
import { runMigrations } from '@churn/db';
import type { CliContext } from '../cli-context';

export function registerDbCommand(program: Command, context: CliContext): void {
  const db = program.command('db').description('operational database');
  db.command('migrate')
    .description('apply pending migrations to DATABASE_URL (services also do this at start)')
    .action(async () => {
      const { DATABASE_URL } = parseConfig(databaseEnvSchema, context.env);
      const applied = await runMigrations(DATABASE_URL, context.logger);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
    });
}
