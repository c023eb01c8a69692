import { after, before, describe, it } from 'node:test';
import { SERVICES } from '@churn/local-stack';
import type { Database } from '@churn/db';
import { until } from '@churn/testing';
import { seedCrms, startChaosPlatform, type ChaosPlatform } from './chaos-platform';
import { publishEvents, scenarioDatabase, scenarioInput, waitForQuiescence } from './chaos-scenario';
import { assertExactlyOnce } from './pipeline-invariants';

/**
 * kill -9 of each service in turn while the replay flows, each restarted on the same consumer group:
 * the batch in flight is lost uncommitted and redelivered, and must change nothing twice.
 */
describe('chaos: every service killed with SIGKILL mid-stream and restarted', () => {
  let platform: ChaosPlatform;
  let db: Database;

  before(async () => {
    platform = await startChaosPlatform(0);
    db = scenarioDatabase('chaos-service-crash');
  });
  after(async () => {
    await platform?.stop();
    await db?.close();
  });

  it('accounts for every event exactly once after five crashes', { timeout: 300_000 }, async () => {
    const input = scenarioInput('crash', 0, 120);
    seedCrms(platform, input.ids);
    const published = publishEvents(input.events);
    for (const { name } of SERVICES) {
      // Crash each one while it has work: after the first fifth of the events is in the ledger, and so on.
      const share = (SERVICES.findIndex((s) => s.name === name) + 1) / (SERVICES.length + 1);
      await until(
        `${Math.round(share * 100)} % of the events processed`,
        async () => {
          const [row] = await db.query<{ n: string }>('chaos.progress', 'SELECT count(*) AS n FROM processed_events WHERE customer_id = ANY($1::text[])', [
            input.ids,
          ]);
          return Number(row!.n) >= share * input.events.length;
        },
        { timeoutMs: 120_000, intervalMs: 100 },
      );
      await platform.crashAndRestart(name);
    }
    await published;
    await waitForQuiescence(platform, db, input);
    await assertExactlyOnce(platform, db, input, { crmCallsMayRepeat: true });
  });
});
