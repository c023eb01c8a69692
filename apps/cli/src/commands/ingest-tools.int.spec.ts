import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { customerFeaturesV2Schema, Topics, type CustomerEvent, type DeadLetter } from '@churn/contracts';
import { Database } from '@churn/db';
import { CustomerStateRepository, ProcessedEventRepository } from '@churn/ingest-data';
import { foldEvents, loadFeatureSpec, specHash, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { anEvent, rawProducer, testInfra, TopicProbe, uniqueId } from '@churn/testing';

const CLI = path.resolve(__dirname, '../main.js');

function churn(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { kafkaBrokers, databaseUrl } = testInfra();
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('churn dlq and churn rescore', () => {
  let probe: TopicProbe;
  let db: Database;

  before(async () => {
    probe = await TopicProbe.start([Topics.customerEvents, Topics.customerFeatures]);
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'cli-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
  });

  after(async () => {
    await probe.stop();
    await db.close();
  });

  it('lists dead letters and re-drives the original bytes of the selected ones (dry run publishes nothing)', { timeout: 120_000 }, async () => {
    const customer = uniqueId('C');
    const code = `SPEC_${customer.slice(-8).toUpperCase()}`;
    const original = JSON.stringify(anEvent.signedUp(customer, '2024-01-10T09:00:00Z'));
    const letter = (c: string, offset: string): DeadLetter => ({
      source_topic: Topics.customerEvents,
      partition: 0,
      offset,
      key: customer,
      value_base64: Buffer.from(original).toString('base64'),
      headers: {},
      reason: 'payload.gender: spec',
      error_code: c,
      consumer_group: 'spec',
      failed_at: new Date().toISOString(),
    });
    const producer = await rawProducer();
    await producer.send({
      topic: Topics.customerEventsDlq,
      messages: [
        { key: customer, value: JSON.stringify(letter(code, '7')) },
        { key: customer, value: JSON.stringify(letter('OTHER', '8')) },
      ],
    });
    await producer.close();

    const listed = churn('dlq', 'list', '--code', code, '--json');
    assert.equal(listed.status, 0, listed.stderr);
    const records = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(records.length, 1);
    assert.equal(records[0].value, original);
    assert.equal(records[0].offset, '7');

    const dry = churn('dlq', 'replay', '--code', code, '--dry-run');
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /1 letter\(s\) would be re-driven/);
    await probe.caughtUp(Topics.customerEvents);
    assert.equal(probe.messages.filter((m) => m.topic === Topics.customerEvents && m.key === customer).length, 0);

    const replayed = churn('dlq', 'replay', '--code', code);
    assert.equal(replayed.status, 0, replayed.stderr);
    const [redriven] = await probe.waitFor((m) => m.topic === Topics.customerEvents && m.key === customer);
    assert.equal(redriven!.value, original);
    assert.match(redriven!.headers['x-dlq-redriven-from'] ?? '', /^customer-events\.dlq:0:\d+$/);
    // Still there: listing and re-driving never consume a letter.
    assert.equal(churn('dlq', 'list', '--code', code, '--json').stdout.trim().split('\n').length, 1);
  });

  it('rescore publishes every active customer as of T with tenure to T and a deterministic source id', { timeout: 120_000 }, async () => {
    const customer = uniqueId('R');
    const events: CustomerEvent[] = [
      anEvent.signedUp(customer, '2024-01-10T09:00:00Z'),
      anEvent.subscriptionChanged(customer, '2024-01-10T09:01:00Z', { monthly_charges: 50 }),
      anEvent.invoicePaid(customer, '2024-02-10T09:00:00Z', 50),
      anEvent.invoicePaid(customer, '2024-09-10T09:00:00Z', 50),
    ];
    await db.transaction(async (tx) => {
      await new ProcessedEventRepository().insertNew(
        tx,
        events.map((e) => ({ eventId: e.event_id, customerId: e.customer_id, eventType: e.event_type, occurredAt: e.occurred_at, payload: e.payload })),
      );
      const spec = loadFeatureSpec(TELCO_SPEC_PATH);
      await new CustomerStateRepository().upsertMany(tx, specHash(spec), new Map([[customer, foldEvents(spec, events)!]]));
    });
    const asOf = '2024-06-20T00:00:00.000Z';
    const result = churn('rescore', '--as-of', asOf, '--batch-size', '50');
    assert.equal(result.status, 0, result.stderr);
    const [message] = await probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer);
    const features = customerFeaturesV2Schema.parse(JSON.parse(message!.value!));
    assert.equal(features.spec_hash, specHash(loadFeatureSpec(TELCO_SPEC_PATH)));
    assert.equal(features.source_event_id, `rescore:${asOf}:${customer}`);
    assert.equal(features.as_of, asOf);
    // As of June: five whole months since sign-up, and only the February invoice had happened.
    assert.equal(features.features['tenure'], 5);
    assert.equal(features.features['TotalCharges'], 50);
    assert.equal(features.features['payment_failures_90d'], 0);
  });
});
