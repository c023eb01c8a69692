import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { customerFeaturesSchema, deadLetterSchema, Topics } from '@churn/contracts';
import { CustomerStateRepository, Database, ProcessedEventRepository } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import { anEvent, asKafkaMessage, rawProducer, serviceTestEnv, testInfra, TopicProbe, uniqueId } from '@churn/testing';
import { ingestConfigSchema } from './config';
import { IngestModule } from './ingest.module';

describe('ingest service on the real broker and Postgres', () => {
  let sut: RunningService;
  let probe: TopicProbe;
  let db: Database;
  const states = new CustomerStateRepository();
  const ledger = new ProcessedEventRepository();

  before(async () => {
    probe = await TopicProbe.start([Topics.customerFeatures, Topics.customerEventsDlq]);
    sut = await startService({ name: 'ingest', configSchema: ingestConfigSchema, module: (c) => IngestModule.register(c), env: serviceTestEnv() });
    await waitReady(sut.url);
    db = new Database({ url: testInfra().databaseUrl, poolSize: 2, applicationName: 'ingest-spec' }, createLogger({ service: 'spec', level: 'silent' }), createMetricsRegistry('spec'));
  });

  after(async () => {
    await sut.close();
    await probe.stop();
    await db.close();
  });

  it('turns a customer history into feature state and one feature message', async () => {
    const customer = uniqueId('C');
    const producer = await rawProducer();
    const events = [
      anEvent.signedUp(customer, '2024-01-10T09:00:00Z'),
      anEvent.subscriptionChanged(customer, '2024-01-10T09:00:01Z', { contract: 'One year', monthly_charges: 55 }),
      anEvent.invoicePaid(customer, '2024-02-10T09:00:00Z', 55),
      anEvent.invoicePaid(customer, '2024-03-10T09:00:00Z', 55),
    ];
    await producer.send({ topic: Topics.customerEvents, messages: events.map(asKafkaMessage) });
    const [message] = await probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer && JSON.parse(m.value!).features.TotalCharges === 110);
    const features = customerFeaturesSchema.parse(JSON.parse(message!.value!));
    assert.equal(features.features.tenure, 2);
    assert.equal(features.features.Contract, 'One year');
    assert.equal(features.as_of, '2024-03-10T09:00:00Z');
    const state = await states.findOne(db, customer);
    assert.equal(state?.totalCharges, 110);
    assert.equal(state?.invoicesPaid, 2);
    await producer.close();
  });

  it('changes nothing when the same events are delivered again', async () => {
    const customer = uniqueId('C');
    const producer = await rawProducer();
    const events = [anEvent.signedUp(customer, '2024-01-10T09:00:00Z'), anEvent.subscriptionChanged(customer, '2024-01-10T09:00:01Z'), anEvent.invoicePaid(customer, '2024-02-10T09:00:00Z', 80.5)];
    await producer.send({ topic: Topics.customerEvents, messages: events.map(asKafkaMessage) });
    await probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer);
    // A duplicate storm: every event three more times, in separate sends.
    for (let i = 0; i < 3; i++) await producer.send({ topic: Topics.customerEvents, messages: events.map(asKafkaMessage) });
    const marker = anEvent.invoicePaid(customer, '2024-03-10T09:00:00Z', 1);
    await producer.send({ topic: Topics.customerEvents, messages: [asKafkaMessage(marker)] });
    await probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer && JSON.parse(m.value!).source_event_id === marker.event_id);
    const state = await states.findOne(db, customer);
    assert.equal(state?.totalCharges, 81.5);
    assert.equal(state?.invoicesPaid, 2);
    assert.equal(await ledger.count(db, [customer]), 4);
    await producer.close();
  });

  it('dead-letters a malformed event with its reason and keeps consuming', async () => {
    const customer = uniqueId('C');
    const producer = await rawProducer();
    const bad = { ...anEvent.invoicePaid(customer, '2024-02-10T09:00:00Z', 10), payload: { invoice_id: 'x', amount: -10, period_start: '2024-01-01', period_end: '2024-01-31' } };
    await producer.send({
      topic: Topics.customerEvents,
      messages: [
        { key: customer, value: JSON.stringify(bad) },
        { key: customer, value: '{"truncated": ' },
        asKafkaMessage(anEvent.signedUp(customer, '2024-01-10T09:00:00Z')),
        asKafkaMessage(anEvent.subscriptionChanged(customer, '2024-01-10T09:00:01Z')),
      ],
    });
    const letters = await probe.waitFor((m) => m.topic === Topics.customerEventsDlq && m.key === customer, 2);
    const reasons = letters.map((m) => deadLetterSchema.parse(JSON.parse(m.value!))).map((r) => `${r.error_code}: ${r.reason}`).sort();
    assert.match(reasons[0]!, /^NOT_JSON/);
    assert.match(reasons[1]!, /^SCHEMA_INVALID: payload\.amount: must not be negative/);
    await probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer);
    await producer.close();
  });
});

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/health/ready`).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}
