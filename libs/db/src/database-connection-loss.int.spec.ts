import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { testInfra } from '@churn/testing';
import { Database } from './database';

/**
 * A connection Postgres terminates while a transaction holds it, between two statements (what a
 * Postgres restart does to a service that publishes to Kafka inside its transaction). Before the
 * fix the checked-out client emitted 'error' with no listener and the process died; now the
 * transaction fails, the process lives, and the pool serves the next statement.
 */
describe('Database: connection lost inside a transaction', () => {
  let db: Database;
  let admin: Client;

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'connection-loss-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    admin = new Client({ connectionString: testInfra().databaseUrl });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await db?.close();
  });

  it('rejects the transaction instead of crashing the process, and the pool recovers', async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        const [row] = await tx.query<{ pid: number }>('spec.backend_pid', 'SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [row!.pid]);
        // The 'error' event arrives while no statement is running, as during a Kafka publish (a pause
        // standing for that publish, not a wait on a condition).
        await new Promise((resolve) => setTimeout(resolve, 500));
        await tx.query('spec.after_loss', 'SELECT 1');
      }),
    );
    assert.deepEqual(await db.query<{ n: number }>('spec.after_recovery', 'SELECT 1 AS n'), [{ n: 1 }]);
  });
});
