import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { outcomeSchema, Topics, type CustomerEvent } from '@churn/contracts';
import { cancellationOutcomeId, Database } from '@churn/db';
import { CustomerStateRepository } from '@churn/ingest-data';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import { anEvent, asKafkaMessage, rawProducer, serviceTestEnv, testInfra, TopicProbe, uniqueId, waitUntilHttpReady, type ProbedMessage } from '@churn/testing';
import { ingestConfigSchema } from './config';
import { IngestModule } from './ingest.module';
import { eventCommitted } from './ingest-spec-support';

/**
 * Cancellations and reactivations: a cancellation of an open subscription is a churned:true outcome on
 * `outcomes`, published once per cancellation time; a cancelled customer gets no feature vector until
 * a reactivation; the status is the latest of those events by occurred_at, whatever order they arrive in.
 */
describe('ingest: subscriptions cancelled and reactivated', () => {
  let sut: RunningService;
  let probe: TopicProbe;
  let db: Database;
  let producer: Awaited<ReturnType<typeof rawProducer>>;
  const states = new CustomerStateRepository();

  before(async () => {
    probe = await TopicProbe.start([Topics.customerFeatures, Topics.outcomes]);
    sut = await startService({ name: 'ingest', configSchema: ingestConfigSchema, module: (c) => IngestModule.register(c), env: serviceTestEnv() });
    await waitUntilHttpReady(sut.url);
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'ingest-cancel-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    producer = await rawProducer();
  });

  after(async () => {
    await producer?.close();
    await sut.close();
    await probe.stop();
    await db.close();
  });

  const send = (...events: CustomerEvent[]) => producer.send({ topic: Topics.customerEvents, messages: events.map(asKafkaMessage) });

  const committed = (eventId: string) => eventCommitted(db, eventId);

  /** The source events of the customer's feature messages published after the one from `eventId`. */
  function sourcesAfter(customer: string, eventId: string): string[] {
    const sources = probe.messages
      .filter((m) => m.topic === Topics.customerFeatures && m.key === customer)
      .map((m) => JSON.parse(m.value!).source_event_id as string);
    return sources.slice(sources.indexOf(eventId) + 1);
  }
  const outcomesOf = (customer: string) =>
    probe.messages.filter((m) => m.topic === Topics.outcomes && m.key === customer).map((m: ProbedMessage) => outcomeSchema.parse(JSON.parse(m.value!)));
  const featuresFrom = (customer: string, eventId: string) =>
    probe.waitFor((m) => m.topic === Topics.customerFeatures && m.key === customer && JSON.parse(m.value!).source_event_id === eventId);

  function history(customer: string): CustomerEvent[] {
    return [
      anEvent.signedUp(customer, '2024-01-10T09:00:00Z'),
      anEvent.subscriptionChanged(customer, '2024-01-10T09:00:01Z', { contract: 'Month-to-month', monthly_charges: 70 }),
      anEvent.invoicePaid(customer, '2024-02-10T09:00:00Z', 70),
    ];
  }

  it('publishes one churned outcome for a cancellation, whatever is redelivered or replayed, and stops scoring the customer until a reactivation', async () => {
    const customer = uniqueId('C');
    const events = history(customer);
    await send(...events);
    await featuresFrom(customer, events[2]!.event_id);

    const cancellation = anEvent.subscriptionCancelled(customer, '2024-03-01T00:00:00Z', 'price');
    await send(cancellation);
    const [outcome] = await probe.waitFor((m) => m.topic === Topics.outcomes && m.key === customer);
    assert.deepEqual(outcomeSchema.parse(JSON.parse(outcome!.value!)), {
      customer_id: customer,
      churned: true,
      observed_at: '2024-03-01T00:00:00Z',
      source: 'cancellation',
      outcome_id: cancellationOutcomeId(customer, '2024-03-01T00:00:00Z'),
    });
    await committed(cancellation.event_id);

    // Redelivered (same event), replayed by another system (a new event id, the same time), a later
    // cancellation of the cancelled subscription, and an invoice after it: no outcome, no vector.
    const replayed = anEvent.subscriptionCancelled(customer, '2024-03-01T00:00:00Z', 'price');
    const again = anEvent.subscriptionCancelled(customer, '2024-03-05T00:00:00Z');
    const lateInvoice = anEvent.invoicePaid(customer, '2024-03-10T09:00:00Z', 70);
    await send(cancellation, replayed, again, lateInvoice);
    await committed(lateInvoice.event_id);
    assert.equal((await states.findOne(db, customer))?.state?.subscription?.cancelled, true);

    // A reactivation reopens it: a vector again, which also proves (one partition, in order) that
    // nothing was published for the customer in between.
    const reactivation = anEvent.subscriptionReactivated(customer, '2024-04-01T00:00:00Z');
    await send(reactivation);
    await featuresFrom(customer, reactivation.event_id);
    assert.deepEqual(sourcesAfter(customer, events[2]!.event_id), [reactivation.event_id]);
    assert.equal(outcomesOf(customer).length, 1, 'one outcome for the first cancellation only');

    // Cancelled again later: a second churn, with an id of its own.
    const second = anEvent.subscriptionCancelled(customer, '2024-06-01T00:00:00Z');
    await send(second);
    await probe.waitFor((m) => m.topic === Topics.outcomes && m.key === customer, 2);
    assert.deepEqual(
      outcomesOf(customer).map((o) => o.outcome_id),
      [cancellationOutcomeId(customer, '2024-03-01T00:00:00Z'), cancellationOutcomeId(customer, '2024-06-01T00:00:00Z')],
    );
  });

  it('orders cancellations and reactivations by occurred_at: late, earlier-dated events change attributes but not the status', async () => {
    const customer = uniqueId('C');
    const events = history(customer);
    await send(...events);
    await featuresFrom(customer, events[2]!.event_id);

    // The cancellation arrives before an earlier-dated change and an earlier-dated reactivation.
    const cancellation = anEvent.subscriptionCancelled(customer, '2024-05-01T00:00:00Z');
    const earlierChange = anEvent.subscriptionChanged(customer, '2024-04-01T00:00:00Z', { contract: 'One year', monthly_charges: 60 });
    const earlierReactivation = anEvent.subscriptionReactivated(customer, '2024-04-15T00:00:00Z');
    await send(cancellation);
    await probe.waitFor((m) => m.topic === Topics.outcomes && m.key === customer);
    await send(earlierChange, earlierReactivation);
    await committed(earlierReactivation.event_id);
    const state = (await states.findOne(db, customer))?.state;
    assert.equal(state?.attributes['Contract']?.value, 'One year', 'the change is applied (last-write-wins by occurred_at)');
    assert.deepEqual(state?.subscription, { cancelled: true, at: '2024-05-01T00:00:00Z', eventId: cancellation.event_id });
    const applied = await db.query<{ applied: boolean }>('spec.applied', 'SELECT applied FROM processed_events WHERE event_id = $1', [
      earlierReactivation.event_id,
    ]);
    assert.equal(applied[0]?.applied, false, 'the older reactivation is recorded, not applied');

    // A reactivation after the cancellation reopens it; the vector then carries the late change.
    const reactivation = anEvent.subscriptionReactivated(customer, '2024-06-01T00:00:00Z');
    await send(reactivation);
    const [vector] = await featuresFrom(customer, reactivation.event_id);
    assert.equal(JSON.parse(vector!.value!).features.Contract, 'One year');
    assert.deepEqual(sourcesAfter(customer, events[2]!.event_id), [reactivation.event_id], 'nothing published while cancelled');
    assert.equal(outcomesOf(customer).length, 1);
  });
});
