import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deadLetterSchema, Topics, type CustomerEvent } from '@churn/contracts';
import { type Database } from '@churn/db';
import { CustomerStateRepository } from '@churn/ingest-data';
import { startService, type RunningService } from '@churn/service-kit';
import { anEvent, asKafkaMessage, rawProducer, serviceTestEnv, TopicProbe, uniqueId, waitUntilHttpReady } from '@churn/testing';
import { ingestConfigSchema } from './config';
import { IngestModule } from './ingest.module';
import { eventCommitted, specDatabase } from './ingest-spec-support';

interface LedgerRow {
  event_id: string;
  event_type: string;
  payload: unknown;
  applied: boolean;
}

describe('ingest of schema version 2 events against the active feature spec (Telco, the default)', () => {
  let sut: RunningService;
  let probe: TopicProbe;
  let db: Database;
  const states = new CustomerStateRepository();

  before(async () => {
    probe = await TopicProbe.start([Topics.customerFeatures, Topics.customerEventsDlq]);
    sut = await startService({ name: 'ingest', configSchema: ingestConfigSchema, module: (c) => IngestModule.register(c), env: serviceTestEnv() });
    await waitUntilHttpReady(sut.url);
    db = specDatabase('ingest-spec-fit-spec');
  });

  after(async () => {
    await sut.close();
    await probe.stop();
    await db.close();
  });

  const ledgerOf = (customer: string) =>
    db.query<LedgerRow>('spec.ledger', 'SELECT event_id, event_type, payload, applied FROM processed_events WHERE customer_id = $1', [customer]);

  const committed = (eventId: string) => eventCommitted(db, eventId);

  it('dead-letters the events that do not fit the spec, naming the field, records the cancellation and the reactivation and ingests the rest', async () => {
    const customer = uniqueId('C');
    const producer = await rawProducer();
    try {
      const unknownField = anEvent.v2('subscription.changed', customer, '2024-02-01T00:00:00Z', { contract: 'Two year', contrakt: 'Two year' });
      const unknownCategory = anEvent.v2('customer.signed_up', customer, '2024-02-02T00:00:00Z', { gender: 'Other' });
      const unknownType = anEvent.v2('user.logged_in', customer, '2024-02-03T00:00:00Z', { device: 'ios' });
      const cancelled = anEvent.v2('subscription.cancelled', customer, '2024-03-01T00:00:00Z', { reason: 'moved abroad' });
      const reactivated = anEvent.subscriptionReactivated(customer, '2024-03-01T12:00:00Z');
      const partialUpdate = anEvent.v2('subscription.changed', customer, '2024-02-15T00:00:00Z', { monthly_charges: 42.5 });
      const marker = anEvent.invoicePaid(customer, '2024-03-02T00:00:00Z', 80.5);
      const events = [
        anEvent.signedUp(customer, '2024-01-10T00:00:00Z'),
        anEvent.subscriptionChanged(customer, '2024-01-10T00:00:01Z', { contract: 'One year' }),
        unknownField,
        unknownCategory,
        unknownType,
        partialUpdate,
        cancelled,
        reactivated,
        marker,
      ];
      await producer.send({ topic: Topics.customerEvents, messages: events.map(asKafkaMessage) });

      const letters = (await probe.waitFor((m) => m.topic === Topics.customerEventsDlq && m.key === customer, 3)).map((m) =>
        deadLetterSchema.parse(JSON.parse(m.value!)),
      );
      const byEvent = new Map(
        letters.map((letter) => [(JSON.parse(Buffer.from(letter.value_base64!, 'base64').toString('utf8')) as CustomerEvent).event_id, letter]),
      );
      assert.deepEqual(
        [unknownField, unknownCategory, unknownType].map((e) => byEvent.get(e.event_id)?.error_code),
        ['SPEC_MISMATCH', 'SPEC_MISMATCH', 'SPEC_MISMATCH'],
      );
      assert.match(byEvent.get(unknownField.event_id)!.reason, /^payload\.contrakt: unknown field: /);
      assert.equal(byEvent.get(unknownCategory.event_id)!.reason, 'payload.gender: "Other" is not a category of attribute gender (Female, Male)');
      assert.match(byEvent.get(unknownType.event_id)!.reason, /^event_type: unknown event_type/);

      await committed(marker.event_id);
      const ledger = await ledgerOf(customer);
      assert.deepEqual(
        ledger.map((r) => r.event_id).sort(),
        events
          .filter((e) => !byEvent.has(e.event_id))
          .map((e) => e.event_id)
          .sort(),
        'dead letters are not in the ledger',
      );
      const cancellation = ledger.find((r) => r.event_id === cancelled.event_id);
      assert.deepEqual(cancellation, {
        event_id: cancelled.event_id,
        event_type: 'subscription.cancelled',
        payload: { reason: 'moved abroad' },
        applied: true,
      });
      assert.deepEqual(
        ledger.find((r) => r.event_id === reactivated.event_id),
        { event_id: reactivated.event_id, event_type: 'subscription.reactivated', payload: {}, applied: true },
      );
      assert.deepEqual(ledger.find((r) => r.event_id === partialUpdate.event_id)?.payload, { monthly_charges: 42.5 });

      // A partial version 2 update sets only the attribute it carries; a cancellation changes no feature.
      const attributes = (await states.findOne(db, customer))?.state?.attributes;
      assert.equal(attributes?.['Contract']?.value, 'One year');
      assert.equal(attributes?.['gender']?.value, 'Female');
      assert.deepEqual(attributes?.['MonthlyCharges'], { value: 42.5, at: '2024-02-15T00:00:00Z' });
    } finally {
      await producer.close();
    }
  });
});
