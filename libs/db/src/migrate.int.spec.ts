import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '@churn/observability';
import { testInfra } from '@churn/testing';
import { runMigrations } from './migrate';

describe('migrations on the real Postgres', () => {
  const logger = createLogger({ service: 'db-spec', level: 'silent' });

  it('runs migrations idempotently, also when several processes start at once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runMigrations(testInfra().databaseUrl, logger)));
    assert.deepEqual(results, [[], [], []]);
  });
});
