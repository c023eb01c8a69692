import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CustomerEvent } from '@churn/contracts';
import { cancellationOutcomeId, type Database } from '@churn/db';
import { PlatformSummaryRepository } from '../platform-summary/platform-summary.repository';
import { customerCancellation, DEFAULT_REFERENCE_TIME } from '@churn/telco-replay';
import { until } from '@churn/testing';
import { seedCrms, startChaosPlatform, type ChaosPlatform } from './chaos-platform';
import { publishEvents, scenarioDatabase, scenarioInput, waitForQuiescence } from './chaos-scenario';

/**
 * Cancellations replayed twice, with ingest and monitoring killed with SIGKILL in between: every
 * churned customer ends with exactly one stored outcome (the cancellation's id), whatever was
 * redelivered, re-sent under the same event ids, or re-sent by another system under new ones.
 */
describe('chaos: cancellations replayed twice with services killed in between', () => {
  let platform: ChaosPlatform;
  let db: Database;

  before(async () => {
    platform = await startChaosPlatform(3);
    db = scenarioDatabase('chaos-cancellations');
  });
  after(async () => {
    await platform?.stop();
    await db?.close();
  });

  it('stores exactly one outcome per churned customer and none for the others', { timeout: 420_000 }, async () => {
    const history = scenarioInput('cancel', 300, 80);
    seedCrms(platform, history.ids);
    const churners = history.rows.filter((row) => row.Churn === 'Yes');
    assert.ok(churners.length >= 10, `${churners.length} churners in the slice`);
    const cancellations = churners.map((row) => customerCancellation(row)!);
    // Another system's copy of the same cancellations: new event ids, the same customers and times.
    const foreign: CustomerEvent[] = cancellations.map((e) => ({ ...e, event_id: `other-${randomUUID()}` }));

    await publishEvents(history.events);
    const summaries = new PlatformSummaryRepository();
    await until(
      'every customer scored and evaluated',
      async () => (await summaries.scoredAndEvaluated(db, history.ids, DEFAULT_REFERENCE_TIME)).size === history.ids.length,
      { timeoutMs: 180_000, intervalMs: 500 },
    );

    // First replay, ingest killed while it derives the churns.
    const first = publishEvents(cancellations, 5);
    await until(
      'some cancellations in the ledger',
      async () => {
        const [row] = await db.query<{ n: string }>(
          'chaos.cancelled',
          "SELECT count(*) AS n FROM processed_events WHERE customer_id = ANY($1::text[]) AND event_type = 'subscription.cancelled'",
          [history.ids],
        );
        return Number(row!.n) >= 1;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    await platform.crashAndRestart('ingest');
    await first;
    // Monitoring killed while the outcomes reach it; then the same cancellations again, and another system's.
    await platform.crashAndRestart('monitoring');
    await publishEvents(cancellations, 5);
    await publishEvents(foreign, 5);
    await platform.crashAndRestart('alerting');

    await waitForQuiescence(platform, db, { ...history, events: [...history.events, ...cancellations, ...foreign] });
    const stored = await db.query<{ customer_id: string; outcome_id: string; source: string; churned: boolean }>(
      'chaos.outcomes',
      'SELECT customer_id, outcome_id, source, churned FROM outcomes WHERE customer_id = ANY($1::text[]) ORDER BY customer_id',
      [history.ids],
    );
    assert.deepEqual(
      stored.map((o) => [o.customer_id, o.outcome_id, o.source, o.churned]),
      cancellations
        .map((e) => [e.customer_id, cancellationOutcomeId(e.customer_id, e.occurred_at), 'cancellation', true])
        .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
      'exactly one outcome per churned customer, none for the others',
    );
    const pending = await db.query<{ n: string }>(
      'chaos.pending',
      "SELECT count(*) AS n FROM alerts WHERE customer_id = ANY($1::text[]) AND status = 'pending'",
      [churners.map((r) => r.customerID)],
    );
    assert.equal(Number(pending[0]!.n), 0, 'the churned customers’ alerts are resolved');
  });
});
