import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Topics } from '@churn/contracts';
import type { Database } from '@churn/db';
import { SERVICES, stackControl } from '@churn/local-stack';
import { rawProducer, until } from '@churn/testing';
import { seedCrms, startChaosPlatform, type ChaosPlatform } from './chaos-platform';
import { assertNoSecretsInLogs } from './secrets-in-logs';
import { deadLettersOf, publishEvents, scenarioDatabase, scenarioInput, waitForQuiescence, type ScenarioInput } from './chaos-scenario';
import { assertExactlyOnce } from './pipeline-invariants';

/** A poison message for every topic a service consumes, and who must dead-letter it (each group its own). */
function poisonMessages(run: string): { topic: string; groups: string[]; value: string }[] {
  let nested = '0';
  for (let i = 0; i < 10_000; i += 1) nested = `{"a":${nested}}`;
  return [
    // Just under the broker's 1 MB default: the largest value that gets through, JSON of the wrong shape.
    { topic: Topics.customerEvents, groups: ['ingest'], value: JSON.stringify({ event_id: run, junk: 'x'.repeat(1_000_000) }) },
    { topic: Topics.customerFeatures, groups: ['scorer', 'monitoring'], value: nested },
    {
      topic: Topics.predictions,
      groups: ['alerting', 'crm-sync', 'monitoring'],
      value: JSON.stringify({ prediction_id: 42, customer_id: ['x'], risk_score: 'high' }),
    },
    { topic: Topics.alerts, groups: ['crm-sync', 'monitoring'], value: '{"alert_id": "a1", ' },
    {
      topic: Topics.outcomes,
      groups: ['alerting', 'crm-sync', 'monitoring'],
      value: JSON.stringify({ customer_id: null, churned: 'maybe', observed_at: 'yesterday' }),
    },
    { topic: Topics.interventions, groups: ['monitoring'], value: JSON.stringify({ customer_id: run, performed_at: 'later', source: 'zoho' }) },
    {
      topic: Topics.alertUpdates,
      groups: ['monitoring'],
      value: JSON.stringify({ schema_version: 1, update_id: run, alert_id: 'a1', state: 'sleeping', change: 'raised' }),
    },
    {
      topic: Topics.alertNotifications,
      groups: ['monitoring'],
      value: JSON.stringify({ schema_version: 1, notification_id: run, alert_id: 'a1', customer_id: run, channel: 'pager', outcome: 'sent' }),
    },
    {
      topic: Topics.crmActivity,
      groups: ['monitoring'],
      value: JSON.stringify({ schema_version: 1, activity_id: run, customer_id: run, crm: 'zoho', kind: 'task_created' }),
    },
  ];
}

describe('chaos: broker and Postgres restarts, poison messages, a duplicate storm, CRM and Slack outages', () => {
  let platform: ChaosPlatform;
  let db: Database;

  before(async () => {
    platform = await startChaosPlatform(1);
    db = scenarioDatabase('chaos-faults');
  });
  after(async () => {
    await platform?.stop();
    await db?.close();
  });

  const assertAllRunning = () => {
    for (const { name } of SERVICES) assert.equal(platform.service(name).child.exitCode, null, `${name} kept running (see ${platform.service(name).logFile})`);
  };
  const seeded = (input: ScenarioInput) => seedCrms(platform, input.ids);
  const processedShare = (input: ScenarioInput, share: number) =>
    until(
      `${share * 100} % of the events processed`,
      async () => {
        const [row] = await db.query<{ n: string }>('chaos.progress', 'SELECT count(*) AS n FROM processed_events WHERE customer_id = ANY($1::text[])', [
          input.ids,
        ]);
        return Number(row!.n) >= share * input.events.length;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );

  it('Kafka broker killed with SIGKILL mid-stream and started again on its data', { timeout: 240_000 }, async () => {
    const input = scenarioInput('broker', 200, 80);
    seeded(input);
    await publishEvents(input.events);
    await processedShare(input, 0.3);
    await stackControl('kafka/kill');
    // The broker stays down a while (a pause, not a wait on a condition): clients must see it gone.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await stackControl('kafka/start');
    await waitForQuiescence(platform, db, input);
    await assertExactlyOnce(platform, db, input);
    assertAllRunning();
  });

  it('Postgres restarted mid-stream', { timeout: 240_000 }, async () => {
    const input = scenarioInput('postgres', 300, 80);
    seeded(input);
    await publishEvents(input.events);
    await processedShare(input, 0.3);
    await stackControl('postgres/restart');
    await waitForQuiescence(platform, db, input);
    await assertExactlyOnce(platform, db, input, { crmCallsMayRepeat: true });
    // Before the fix in libs/db (Database.transaction), four of the five services died here of an
    // unhandled 'error' on a checked-out pg client.
    assertAllRunning();
  });

  it('poison in every input topic during a 3× duplicate storm, with Salesforce, HubSpot and Slack down', { timeout: 240_000 }, async () => {
    const input = scenarioInput('storm', 400, 80);
    seeded(input);
    platform.salesforce.outageFor(8000);
    platform.hubspot.outageFor(8000);
    for (let i = 0; i < 6; i += 1) platform.slack.script.push({ status: 500, body: 'rollup_error' });
    const run = input.run;
    const poison = poisonMessages(run);
    const producer = await rawProducer();
    try {
      const storm = publishEvents([...input.events, ...input.events, ...input.events]);
      for (const p of poison) await producer.send({ topic: p.topic, messages: [{ key: `poison-${run}`, value: p.value }] });
      await storm;
      // 10 MB: refused before any consumer sees it (broker message.max.bytes, 1 MB by default).
      await assert.rejects(producer.send({ topic: Topics.customerEvents, messages: [{ key: `poison-${run}`, value: 'x'.repeat(10 * 1024 * 1024) }] }));
    } finally {
      await producer.close();
    }
    await waitForQuiescence(platform, db, input);
    await assertExactlyOnce(platform, db, input);

    const letters = (await deadLettersOf(platform)).filter((l) => l.key === `poison-${run}`);
    const got = letters.map((l) => `${l.source_topic} by ${l.consumer_group.slice(platform.groupPrefix.length + 1)}`).sort();
    const wanted = poison.flatMap((p) => p.groups.map((g) => `${p.topic} by ${g}`)).sort();
    assert.deepEqual(got, wanted, 'each poison message dead-lettered once by each group that reads it');
    for (const letter of letters) assert.ok(letter.reason.length > 0 && letter.error_code.length > 0, 'a letter says why');
    const all = await deadLettersOf(platform);
    assert.equal(
      all.length,
      letters.length,
      `the dead-letter topics hold only the poison messages: ${JSON.stringify(all.filter((l) => l.key !== `poison-${run}`).map((l) => [l.source_topic, l.error_code, l.reason]))}`,
    );
    assertAllRunning();
  });

  it('wrote none of the configured secrets to any service log, through all of the above', () => {
    assertNoSecretsInLogs(platform);
  });
});
