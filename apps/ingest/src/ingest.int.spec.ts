import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { customerFeaturesV2Schema, deadLetterSchema, Topics } from '@churn/contracts';
import { Database } from '@churn/db';
import { CustomerStateRepository, ProcessedEventRepository } from '@churn/ingest-data';
import { featureColumns, foldEvents, loadFeatureSpec, specHash, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import { anEvent, asKafkaMessage, rawProducer, serviceTestEnv, testInfra, TopicProbe, uniqueId, waitUntilHttpReady } from '@churn/testing';
import { ingestConfigSchema } from './config';
import { IngestModule } from './ingest.module';
import { eventCommitted } from './ingest-spec-support';

describe('ingest service on the real broker and Postgres', () => {
  let sut: RunningService;
  let probe: TopicProbe;
  let db: Database;
  const states = new CustomerStateRepository();
  const ledger = new ProcessedEventRepository();
  // Closed in after() too: a failed assertion skips a test's own close, and an open producer keeps the spec process alive.
  const producers: Array<{ close(): Promise<void> }> = [];
  const openProducer = async (): ReturnType<typeof rawProducer> => {
    const producer = await rawProducer();
    producers.push(producer);
    return producer;
  };

  before(async () => {
    probe = await TopicProbe.start([Topics.customerFeatures, Topics.customerEventsDlq]);
    sut = await startService({ name: 'ingest', configSchema: ingestConfigSchema, module: (c) => IngestModule.register(c), env: serviceTestEnv() });
    await waitUntilHttpReady(sut.url);
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'ingest-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
  });

  after(async () => {
    await Promise.allSettled(producers.map((p) => p.close()));
    await sut.close();
    await probe.stop();
    await db.close();
  });

  const committed = (eventId: string) => eventCommitted(db, eventId);

  /** A published features message: version 2, the active (Telco) spec's hash, every feature of the spec in its order. */
  function telcoMessage(value: string) {
    const spec = loadFeatureSpec(TELCO_SPEC_PATH);
    const message = customerFeaturesV2Schema.parse(JSON.parse(value));
    assert.equal(message.spec_hash, specHash(spec));
    assert.deepEqual(
      Object.keys(message.features),
      featureColumns(spec).map((c) => c.name),
    );
    return message;
  }

  it('turns a customer history into feature state and one feature message', async () => {
    const customer = uniqueId('C');
    const producer = await openProducer();
    const events = [
      anEvent.signedUp(customer, '2024-01-10T09:00:00Z'),
      anEvent.subscriptionChanged(customer, '2024-01-10T09:00:01Z', { contract: 'One year', monthly_charges: 55 }),
      anEvent.invoicePaid(customer, '2024-02-10T09:00:00Z', 55),
      anEvent.invoicePaid(customer, '2024-03-10T09:00:00Z', 55),
    ];
    await producer.send({ topic: Topics.customerEvents, messages: events.map(asKafkaMessage) });
    const [message] = await probe.waitFor(
      (m) => m.topic === Topics.customerFeatures && m.key === customer && JSON.parse(m.value!).features.TotalCharges === 110,
    );
    await committed(events[3]!.event_id);
    const features = telcoMessage(message!.value!);
    assert.equal(features.features['tenure'], 2);
    assert.equal(features.features['Contract'], 'One year');
    assert.equal(features.as_of, '2024-03-10T09:00:00Z');
    const state = (await states.findOne(db, customer))?.state;
    assert.equal(state?.sums['TotalCharges'], '110');
    await producer.close();
  });

  it('changes nothing when the same events are delivered again', async () => {
    const customer = uniqueId('C');
    const producer = await openProducer();
    const events = [
      anEvent.signedUp(customer, '2024-01-10T09:00:00Z'),
      anEvent.subscriptionChanged(customer, '2024-01-10T09:00:01Z'),
      anEvent.invoicePaid(customer, '2024-02-10T09:00:00Z', 80.5),
    ];
    await producer.send({ topic: Topics.customerEvents, messages: events.map(asKafkaMessage) });
    await probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer);
    // A duplicate storm: every event three more times, in separate sends.
    for (let i = 0; i < 3; i++) await producer.send({ topic: Topics.customerEvents, messages: events.map(asKafkaMessage) });
    const marker = anEvent.invoicePaid(customer, '2024-03-10T09:00:00Z', 1);
    await producer.send({ topic: Topics.customerEvents, messages: [asKafkaMessage(marker)] });
    await probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer && JSON.parse(m.value!).source_event_id === marker.event_id);
    await committed(marker.event_id);
    const state = (await states.findOne(db, customer))?.state;
    assert.equal(state?.sums['TotalCharges'], '81.5', 'each invoice added once');
    assert.equal(await ledger.count(db, [customer]), 4);
    await producer.close();
  });

  it('keeps the newest attribute values when older events arrive late, and records the late ones', async () => {
    const customer = uniqueId('C');
    const producer = await openProducer();
    const newer = anEvent.subscriptionChanged(customer, '2024-05-01T00:00:00Z', { contract: 'Two year', monthly_charges: 99 });
    const older = anEvent.subscriptionChanged(customer, '2024-02-01T00:00:00Z', { contract: 'Month-to-month', monthly_charges: 20 });
    const lateSignUp = anEvent.signedUp(customer, '2024-01-10T09:00:00Z', { gender: 'Male' });
    const lateInvoice = anEvent.invoicePaid(customer, '2024-03-10T09:00:00Z', 20);
    await producer.send({
      topic: Topics.customerEvents,
      messages: [asKafkaMessage(newer), asKafkaMessage(anEvent.invoicePaid(customer, '2024-05-10T09:00:00Z', 99))],
    });
    await producer.send({ topic: Topics.customerEvents, messages: [asKafkaMessage(older), asKafkaMessage(lateSignUp), asKafkaMessage(lateInvoice)] });
    const [last] = await probe.waitFor(
      (m) => m.topic === Topics.customerFeatures && m.key === customer && JSON.parse(m.value!).source_event_id === lateInvoice.event_id,
    );
    await committed(lateInvoice.event_id);
    const state = (await states.findOne(db, customer))?.state;
    assert.equal(state?.attributes['Contract']?.value, 'Two year');
    assert.equal(state?.attributes['MonthlyCharges']?.value, 99);
    assert.equal(state?.attributes['gender']?.value, 'Male');
    assert.equal(state?.sums['TotalCharges'], '119');
    // Tenure counts from the late sign-up to the latest event (2024-05-10), not to the late invoice.
    const features = telcoMessage(last!.value!);
    assert.equal(features.features['tenure'], 4);
    assert.equal(Date.parse(features.as_of), Date.parse('2024-05-10T09:00:00Z'));
    const applied = await db.query<{ event_id: string; applied: boolean }>(
      'spec.applied',
      'SELECT event_id, applied FROM processed_events WHERE customer_id = $1',
      [customer],
    );
    assert.equal(applied.find((r) => r.event_id === older.event_id)?.applied, false, 'the older subscription is recorded but not applied');
    assert.equal(applied.length, 5);
    await producer.close();
  });

  it('rebuilds a state folded under another spec from the event log, then applies the new event', async () => {
    const customer = uniqueId('C');
    const spec = loadFeatureSpec(TELCO_SPEC_PATH);
    const logged = [
      anEvent.signedUp(customer, '2024-01-10T09:00:00Z', { gender: 'Male' }),
      anEvent.subscriptionChanged(customer, '2024-01-10T09:00:01Z', { contract: 'Two year' }),
      anEvent.invoicePaid(customer, '2024-02-10T09:00:00Z', 55),
    ];
    // In the log, but the stored state knows only the sign-up, under a spec that is not the active one.
    await db.transaction(async (tx) => {
      await ledger.insertNew(
        tx,
        logged.map((e) => ({ eventId: e.event_id, customerId: customer, eventType: e.event_type, occurredAt: e.occurred_at, payload: e.payload })),
      );
      await states.upsertMany(tx, 'another-spec', new Map([[customer, foldEvents(spec, logged.slice(0, 1))!]]));
    });
    const producer = await openProducer();
    const next = anEvent.invoicePaid(customer, '2024-03-10T09:00:00Z', 45);
    await producer.send({ topic: Topics.customerEvents, messages: [asKafkaMessage(next)] });
    const [message] = await probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer);
    await committed(next.event_id);
    const { features } = telcoMessage(message!.value!);
    assert.equal(features['TotalCharges'], 100);
    assert.equal(features['Contract'], 'Two year');
    assert.equal(features['tenure'], 2);
    assert.equal((await states.findOne(db, customer))?.specHash, specHash(spec));
    await producer.close();
  });

  it("rebuilds a state of the active spec kept before the aggregates' windows were, so its aggregates count the logged events", async () => {
    const customer = uniqueId('C');
    const spec = loadFeatureSpec(TELCO_SPEC_PATH);
    const failed = (iso: string) => ({
      event_id: uniqueId('E'),
      customer_id: customer,
      occurred_at: iso,
      schema_version: 1 as const,
      event_type: 'payment.failed',
      payload: { invoice_id: uniqueId('i'), amount: 10, reason: 'card_declined' },
    });
    const logged = [
      anEvent.signedUp(customer, '2024-01-10T09:00:00Z'),
      anEvent.subscriptionChanged(customer, '2024-01-10T09:00:01Z'),
      failed('2024-03-01T00:00:00Z'),
    ];
    // The state as a version without windows stored it: everything but the windows, under the active hash.
    const { windows, ...withoutWindows } = foldEvents(spec, logged)!;
    assert.ok(windows, 'the Telco spec has aggregates, so a state folded now keeps windows');
    await db.transaction(async (tx) => {
      await ledger.insertNew(
        tx,
        logged.map((e) => ({ eventId: e.event_id, customerId: customer, eventType: e.event_type, occurredAt: e.occurred_at, payload: e.payload })),
      );
      await states.upsertMany(tx, specHash(spec), new Map([[customer, withoutWindows]]));
    });
    const producer = await openProducer();
    const next = failed('2024-03-05T00:00:00Z');
    await producer.send({ topic: Topics.customerEvents, messages: [{ key: customer, value: JSON.stringify(next) }] });
    const [message] = await probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer);
    await committed(next.event_id);
    assert.equal(telcoMessage(message!.value!).features['payment_failures_30d'], 2);
    assert.ok((await states.findOne(db, customer))?.state?.windows, 'the rebuilt state keeps windows');
    await producer.close();
  });

  it('carries payment failures, tickets and the usage trend as of the latest event', async () => {
    const customer = uniqueId('C');
    const producer = await openProducer();
    const at = (iso: string) => ({ event_id: uniqueId('E'), customer_id: customer, occurred_at: iso, schema_version: 1 });
    const raw = [
      anEvent.signedUp(customer, '2024-01-01T00:00:00Z'),
      anEvent.subscriptionChanged(customer, '2024-01-01T00:00:01Z'),
      { ...at('2024-02-15T00:00:00Z'), event_type: 'payment.failed', payload: { invoice_id: 'i1', amount: 10, reason: 'card_declined' } },
      { ...at('2024-04-20T00:00:00Z'), event_type: 'payment.failed', payload: { invoice_id: 'i2', amount: 10, reason: 'card_declined' } },
      { ...at('2024-04-25T00:00:00Z'), event_type: 'support.ticket_opened', payload: { ticket_id: 't1', category: 'billing', severity: 'high' } },
      {
        ...at('2024-03-10T00:00:00Z'),
        event_type: 'usage.reported',
        payload: { metric: 'data_gb', quantity: 40, period_start: '2024-03-01', period_end: '2024-03-10' },
      },
      {
        ...at('2024-04-10T00:00:00Z'),
        event_type: 'usage.reported',
        payload: { metric: 'data_gb', quantity: 10, period_start: '2024-04-01', period_end: '2024-04-10' },
      },
      {
        ...at('2024-05-01T00:00:00Z'),
        event_type: 'usage.reported',
        payload: { metric: 'data_gb', quantity: 20, period_start: '2024-04-11', period_end: '2024-05-01' },
      },
    ];
    await producer.send({ topic: Topics.customerEvents, messages: raw.map((e) => ({ key: customer, value: JSON.stringify(e) })) });
    const [message] = await probe.waitFor(
      (m) => m.topic === Topics.customerFeatures && m.key === customer && JSON.parse(m.value!).as_of.startsWith('2024-05-01'),
    );
    // As of 2024-05-01: failures on 02-15 (within 90 days only) and 04-20; usage 10 + 20 in the last 30 days against 40 before.
    const expected = { payment_failures_30d: 1, payment_failures_90d: 2, support_tickets_30d: 1, support_tickets_90d: 1, usage_trend: -0.25 };
    const { features } = telcoMessage(message!.value!);
    assert.deepEqual(Object.fromEntries(Object.keys(expected).map((name) => [name, features[name]])), expected);
    await producer.close();
  });

  it('dead-letters a malformed event with its reason and keeps consuming', async () => {
    const customer = uniqueId('C');
    const producer = await openProducer();
    const bad = {
      ...anEvent.invoicePaid(customer, '2024-02-10T09:00:00Z', 10),
      payload: { invoice_id: 'x', amount: -10, period_start: '2024-01-01', period_end: '2024-01-31' },
    };
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
    const reasons = letters
      .map((m) => deadLetterSchema.parse(JSON.parse(m.value!)))
      .map((r) => `${r.error_code}: ${r.reason}`)
      .sort();
    assert.match(reasons[0]!, /^NOT_JSON/);
    assert.match(reasons[1]!, /^SCHEMA_INVALID: payload\.amount: must not be negative/);
    await probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer);
    await producer.close();
  });
});
