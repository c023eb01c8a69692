import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { deadLetterSchema, predictionSchema, Topics } from '@churn/contracts';
import { createLogger } from '@churn/observability';
import { SERVICES, spawnService, stopService, waitUntilReady, type ServiceProcess } from '@churn/local-stack';
import { anEvent, asKafkaMessage, rawProducer, testInfra, TopicProbe, uniqueId } from '@churn/testing';

/**
 * The foundation's promise, end to end with the built services as separate processes (as `churn up`
 * runs them): five services ready; an event becomes one prediction on the topic and one row in
 * Postgres; a malformed event is dead-lettered and the pipeline keeps going.
 */
describe('pipeline end to end: five service processes, real Kafka and Postgres', () => {
  const logger = createLogger({ service: 'e2e', level: 'silent' });
  const services: ServiceProcess[] = [];
  let probe: TopicProbe;
  let db: Client;

  before(async () => {
    const { kafkaBrokers, databaseUrl } = testInfra();
    const env = { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, KAFKA_GROUP_PREFIX: uniqueId('e2e'), LOG_LEVEL: 'info' };
    // Contract ports shifted by the runner's base (3001 → 13001), so a running `churn up` is left alone.
    const base = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000);
    for (const { name, port } of SERVICES) services.push(spawnService(name, env, { port: base + (port % 1000) }));
    await Promise.all(services.map((service) => waitUntilReady(service)));
    probe = await TopicProbe.start([Topics.predictions, Topics.customerEventsDlq]);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  after(async () => {
    await probe?.stop();
    await db?.end();
    await Promise.all(services.map((service) => stopService(service, logger)));
  });

  it('answers 200 on /health/ready and serves Prometheus metrics on every service', async () => {
    for (const service of services) {
      const ready = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
      assert.equal(ready.status, 200, `${service.name} not ready`);
      const metrics = await (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
      assert.match(metrics, new RegExp(`process_cpu_user_seconds_total\\{service="${service.name}"\\}`));
    }
  });

  it('turns one event into one message on predictions and one row in the predictions table', async () => {
    const customer = uniqueId('C');
    const producer = await rawProducer();
    // Sign-up and subscription first; then the event under test.
    await producer.send({
      topic: Topics.customerEvents,
      messages: [anEvent.signedUp(customer, '2024-01-10T09:00:00Z'), anEvent.subscriptionChanged(customer, '2024-01-10T09:00:01Z')].map(asKafkaMessage),
    });
    await probe.waitFor((m) => m.topic === Topics.predictions && m.key === customer);
    const event = anEvent.invoicePaid(customer, '2024-02-10T09:00:00Z', 80.5);
    await producer.send({ topic: Topics.customerEvents, messages: [asKafkaMessage(event)] });

    const [message] = await probe.waitFor(
      (m) => m.topic === Topics.predictions && m.key === customer && JSON.parse(m.value!).source_event_id === event.event_id,
    );
    const prediction = predictionSchema.parse(JSON.parse(message!.value!));
    assert.equal(prediction.customer_id, customer);
    const rows = await db.query('SELECT prediction_id, features FROM predictions WHERE source_event_id = $1', [event.event_id]);
    assert.equal(rows.rowCount, 1);
    assert.equal(rows.rows[0].prediction_id, prediction.prediction_id);
    assert.equal(rows.rows[0].features.TotalCharges, 80.5);
    await probe.caughtUp(Topics.predictions);
    assert.equal(probe.messages.filter((m) => m.topic === Topics.predictions && m.value?.includes(event.event_id)).length, 1, 'exactly one prediction message');
    await producer.close();
  });

  it('dead-letters a malformed message and keeps consuming', async () => {
    const customer = uniqueId('C');
    const producer = await rawProducer();
    await producer.send({ topic: Topics.customerEvents, messages: [{ key: customer, value: 'this is not an event' }] });
    const [letter] = await probe.waitFor((m) => m.topic === Topics.customerEventsDlq && m.key === customer);
    const record = deadLetterSchema.parse(JSON.parse(letter!.value!));
    assert.equal(Buffer.from(record.value_base64!, 'base64').toString(), 'this is not an event');
    assert.equal(record.source_topic, Topics.customerEvents);

    await producer.send({
      topic: Topics.customerEvents,
      messages: [anEvent.signedUp(customer, '2024-01-10T09:00:00Z'), anEvent.subscriptionChanged(customer, '2024-01-10T09:00:01Z')].map(asKafkaMessage),
    });
    await probe.waitFor((m) => m.topic === Topics.predictions && m.key === customer);
    await producer.close();
  });
});
