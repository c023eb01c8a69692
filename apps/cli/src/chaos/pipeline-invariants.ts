import assert from 'node:assert/strict';
import { alertUpdateSchema, Topics } from '@churn/contracts';
import { type Database } from '@churn/db';
import { CustomerStateRepository } from '@churn/ingest-data';
import { loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { stateFeatures } from '@churn/feature-state';
import { rowFeatures, toCents } from '@churn/telco-replay';
import type { ChaosPlatform } from './chaos-platform';
import { readTopics, type ScenarioInput } from './chaos-scenario';

/**
 * After quiescence: every input event accounted for exactly once, and no effect downstream happened
 * twice. The expected values come from the CSV and the replayed input, never from the services.
 */
export async function assertExactlyOnce(
  platform: ChaosPlatform,
  db: Database,
  input: ScenarioInput,
  options: { crmCallsMayRepeat?: boolean } = {},
): Promise<void> {
  const ids = [...input.ids];

  // ingest: the ledger holds each distinct event once; the state equals the CSV rows.
  const distinctEvents = new Set(input.events.map((e) => e.event_id)).size;
  const [ledger] = await db.query<{ n: string; distinct_ids: string }>(
    'chaos.ledger',
    'SELECT count(*) AS n, count(DISTINCT event_id) AS distinct_ids FROM processed_events WHERE customer_id = ANY($1::text[])',
    [ids],
  );
  assert.equal(Number(ledger!.n), distinctEvents, 'processed_events: one row per distinct input event');
  const state = await db.transaction((tx) => new CustomerStateRepository().lockMany(tx, ids));
  assert.equal(state.size, input.rows.length, 'one customer_state row per customer');
  const spec = loadFeatureSpec(TELCO_SPEC_PATH);
  const vectors = input.rows.map((row) => stateFeatures(spec, state.get(row.customerID)?.state));
  input.rows.forEach((row, i) => assert.deepEqual(vectors[i], rowFeatures(row), `feature vector of ${row.customerID}`));
  // Each invoice added once: the total charges of every state add up to the CSV's, to the cent.
  const expectedCents = input.rows.reduce((sum, row) => sum + toCents(row.TotalCharges), 0);
  const cents = vectors.reduce((sum, vector) => sum + Math.round(Number(vector?.['TotalCharges']) * 100), 0);
  assert.equal(cents, expectedCents, 'checksum: total charges equal the CSV sum');

  // scorer: one champion prediction per source event.
  const [predictions] = await db.query<{ n: string; sources: string }>(
    'chaos.predictions',
    `SELECT count(*) AS n, count(DISTINCT source_event_id) AS sources FROM predictions WHERE customer_id = ANY($1::text[]) AND role = 'champion'`,
    [ids],
  );
  assert.equal(Number(predictions!.n), Number(predictions!.sources), 'no source event scored twice by the champion');
  // Ingest publishes at most one feature vector per customer per batch, so not every event is scored;
  // but each customer's newest prediction must see the complete history (its CSV total charges).
  const newest = await db.query<{ customer_id: string; total: number }>(
    'chaos.newest_prediction',
    `SELECT DISTINCT ON (customer_id) customer_id, (features->>'TotalCharges')::float8 AS total
       FROM predictions WHERE customer_id = ANY($1::text[]) AND role = 'champion' ORDER BY customer_id, as_of DESC, scored_at DESC`,
    [ids],
  );
  assert.equal(newest.length, input.rows.length, 'every customer scored');
  const csvTotal = new Map(input.rows.map((r) => [r.customerID, toCents(r.TotalCharges)]));
  for (const p of newest) assert.equal(Math.round(p.total * 100), csvTotal.get(p.customer_id), `newest prediction of ${p.customer_id} saw every invoice`);

  // alerting: one alert per prediction at most, each for a prediction of these customers.
  const alerts = await db.query<{ alert_id: string; prediction_id: string; level: string }>(
    'chaos.alerts',
    `SELECT a.alert_id, a.prediction_id, a.level FROM alerts a JOIN predictions p USING (prediction_id) WHERE a.customer_id = ANY($1::text[])`,
    [ids],
  );
  const [allAlerts] = await db.query<{ n: string }>('chaos.alerts_all', 'SELECT count(*) AS n FROM alerts WHERE customer_id = ANY($1::text[])', [ids]);
  assert.equal(alerts.length, Number(allAlerts!.n), 'every alert belongs to a stored prediction');
  assert.equal(new Set(alerts.map((a) => a.prediction_id)).size, alerts.length, 'one alert per prediction');
  const alertIds = new Set(alerts.map((a) => a.alert_id));
  await assertAlertUpdatesPublished(db, ids, alertIds);

  // Slack and e-mail: no alert notified twice (a digest names several alerts, each still once).
  const slackIds = platform.slack.delivered().filter((id) => alertIds.has(id));
  assert.equal(new Set(slackIds).size, slackIds.length, `Slack: no alert delivered twice (${slackIds.length} delivered)`);
  const mailIds = platform.smtp.mails.flatMap((m) => m.alertIds).filter((id) => alertIds.has(id));
  assert.equal(new Set(mailIds).size, mailIds.length, `e-mail: no alert mailed twice (${mailIds.length} mailed)`);

  // crm-sync: one task per high/critical alert at each CRM, none twice; no score written twice in a row.
  const taskAlerts = alerts
    .filter((a) => a.level === 'high' || a.level === 'critical')
    .map((a) => a.alert_id)
    .sort();
  // Tasks are upserts by the alert id, so a call repeated when crm-sync could not mark the row sent
  // after Salesforce answered (process killed, or Postgres restarted in between) still makes one Task.
  // Task creations carry the subject; a churned customer's note (a later upsert of the same task) does not.
  const sfCalls = platform.salesforce
    .writesOf('Task')
    .filter((w) => 'Subject' in w.fields)
    .map((w) => w.externalId)
    .filter((id) => alertIds.has(id));
  assert.deepEqual([...new Set(sfCalls)].sort(), taskAlerts, 'Salesforce: exactly one task per high/critical alert');
  if (!options.crmCallsMayRepeat) assert.equal(sfCalls.length, taskAlerts.length, 'Salesforce: no task call repeated');
  const hsTasks = platform.hubspot.tasks.flatMap((t) => [...alertIds].filter((id) => t.properties['hs_task_body']?.includes(id)));
  assert.deepEqual([...hsTasks].sort(), taskAlerts, 'HubSpot: exactly one task per high/critical alert');
  // Each score write the outbox marked sent reached Salesforce once; superseded ones never left.
  const customers = new Set(ids);
  const scoreWrites = platform.salesforce.writesOf('Account').filter((w) => customers.has(w.externalId));
  const [sent] = await db.query<{ n: string }>(
    'chaos.crm_sent',
    `SELECT count(*) AS n FROM crm_outbox WHERE customer_id = ANY($1::text[]) AND target = 'salesforce' AND kind = 'score' AND status = 'sent'`,
    [ids],
  );
  if (options.crmCallsMayRepeat) assert.ok(scoreWrites.length >= Number(sent!.n), 'Salesforce: no queued score lost');
  else assert.equal(scoreWrites.length, Number(sent!.n), 'Salesforce: each queued score written once');
  assert.equal(new Set(scoreWrites.map((w) => w.externalId)).size, input.rows.length, 'every customer has its score at Salesforce');
}

/**
 * alert-updates, published at least once through alerting's outbox relay: every alert's `raised` is on
 * the topic, so is every change the outbox recorded for these customers, and a change published twice
 * (the relay killed between sending and marking) is the same message with the same update_id.
 */
async function assertAlertUpdatesPublished(db: Database, ids: readonly string[], alertIds: ReadonlySet<string>): Promise<void> {
  const customers = new Set(ids);
  const onTopic = (await readTopics([Topics.alertUpdates], 'alert-updates')).filter((r) => r.key !== null && customers.has(r.key));
  const byId = new Map<string, string>();
  for (const record of onTopic) {
    const update = alertUpdateSchema.parse(JSON.parse(record.value));
    assert.equal(record.key, update.customer_id, `alert-updates: ${update.update_id} keyed by its customer`);
    assert.ok(alertIds.has(update.alert_id), `alert-updates: ${update.update_id} is of an alert of these customers`);
    const earlier = byId.get(update.update_id);
    if (earlier !== undefined) assert.deepEqual(JSON.parse(record.value), JSON.parse(earlier), `alert-updates: ${update.update_id} published again unchanged`);
    byId.set(update.update_id, record.value);
  }
  for (const alertId of alertIds) assert.ok(byId.has(`${alertId}:raised`), `alert-updates: ${alertId} raised`);
  const recorded = await db.query<{ update_id: string }>(
    'chaos.alert_updates',
    'SELECT update_id FROM alert_updates_outbox WHERE customer_id = ANY($1::text[])',
    [ids],
  );
  assert.deepEqual(
    recorded.map((r) => r.update_id).filter((id) => !byId.has(id)),
    [],
    'alert-updates: every recorded change published',
  );
}
