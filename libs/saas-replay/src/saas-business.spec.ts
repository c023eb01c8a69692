import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { businessEvents, generateSaasBusiness } from './saas-business';
import { SaasReplayError } from './saas-replay.error';
import { SaasEventTypes } from './saas-event';
import { LONG_TAIL_SHARE, PLAN_MIX } from './saas-parameters';

const DAY = 86_400_000;

describe('generateSaasBusiness: determinism', () => {
  it('writes the same bytes for the same seed and other bytes for another seed', () => {
    const bytes = (seed: number) => JSON.stringify(businessEvents(generateSaasBusiness({ customers: 40, seed })));
    assert.equal(bytes(5), bytes(5));
    assert.notEqual(bytes(5), bytes(6));
  });

  it('writes the bytes it wrote when this test was written: a change to the process shows here', () => {
    // Update the digest only with a change of the process, and docs/datasets/saas.md with it.
    const bytes = JSON.stringify(businessEvents(generateSaasBusiness({ customers: 25, seed: 1 })));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), 'd02cc64148ca9167baaa331f3f82d88ad949c39a6c1bb413793dfb736c7fa84c');
  });

  it("keeps a customer's history whatever the number of customers generated", () => {
    const few = generateSaasBusiness({ customers: 10, seed: 3 });
    const more = generateSaasBusiness({ customers: 25, seed: 3 });
    assert.deepEqual(more.customers.slice(0, 10), few.customers);
  });

  it('refuses options it cannot honour, naming them', () => {
    assert.throws(
      () => generateSaasBusiness({ customers: 0, seed: 1 }),
      (e: unknown) => e instanceof SaasReplayError && e.code === 'SAAS_OPTIONS_INVALID' && /customers/.test(e.message),
    );
    assert.throws(() => generateSaasBusiness({ customers: 10, seed: -1 }), /seed/);
    assert.throws(() => generateSaasBusiness({ customers: 10, seed: 1, months: 0 }), /months/);
    assert.throws(() => generateSaasBusiness({ customers: 10, seed: 1, referenceTime: 'soon' }), /referenceTime/);
  });
});

describe('generateSaasBusiness: histories', () => {
  const business = generateSaasBusiness({ customers: 300, seed: 11 });
  const endMs = Date.parse(business.referenceTime);

  it('starts with the sign-up, stays in time order and within the period, and ends at the cancellation', () => {
    for (const { profile, events, cancelledAtMs } of business.customers) {
      assert.equal(events[0]!.event_type, SaasEventTypes.signedUp, profile.customerId);
      assert.equal(events[1]!.event_type, SaasEventTypes.subscriptionChanged, profile.customerId);
      const times = events.map((e) => Date.parse(e.occurred_at));
      assert.ok(
        times.every((t, i) => i === 0 || t >= times[i - 1]!),
        `${profile.customerId}: time order`,
      );
      assert.ok(times[times.length - 1]! <= endMs, `${profile.customerId}: nothing after the reference time`);
      const cancellations = events.filter((e) => e.event_type === SaasEventTypes.subscriptionCancelled);
      if (cancelledAtMs === undefined) assert.equal(cancellations.length, 0);
      else {
        assert.equal(cancellations.length, 1);
        assert.equal(events[events.length - 1], cancellations[0], `${profile.customerId}: the cancellation is the last event`);
        assert.equal(cancellations[0]!.occurred_at, new Date(cancelledAtMs).toISOString());
      }
    }
  });

  it('gives every event its own id, marked synthetic', () => {
    const ids = business.customers.flatMap((c) => c.events.map((e) => e.event_id));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => id.startsWith('synth-saas:synth-')));
  });

  it('bills what the subscription costs when the invoice is issued: the monthly price times the months it covers', () => {
    for (const { events } of business.customers) {
      let price = 0;
      // An invoice is issued at its first payment attempt; a retry after a price change still bills the old price.
      const issuedAt = new Map<string, number>();
      for (const event of events) {
        if (event.event_type === SaasEventTypes.subscriptionChanged && typeof event.payload['monthly_price'] === 'number')
          price = event.payload['monthly_price'];
        if (event.event_type !== SaasEventTypes.invoicePaid && event.event_type !== SaasEventTypes.paymentFailed) continue;
        const invoice = event.payload['invoice_id'] as string;
        if (!issuedAt.has(invoice)) issuedAt.set(invoice, price);
        const billed = issuedAt.get(invoice)!;
        const amount = event.payload['amount'] as number;
        assert.ok(
          [1, 12].some((months) => Math.abs(amount - Math.round(billed * months * 100) / 100) < 0.005),
          `${event.event_id}: ${amount} for ${billed} a month`,
        );
      }
    }
  });
});

/** Stated bounds over a seeded population (docs/datasets/saas.md, "What the data looks like"). */
describe('generateSaasBusiness: rates over 2,000 customers', () => {
  const business = generateSaasBusiness({ customers: 2000, seed: 17 });
  const endMs = Date.parse(business.referenceTime);
  const snapshotMs = endMs - 90 * DAY;
  const customers = business.customers;
  const active = customers.filter((c) => c.profile.signedUpAtMs <= snapshotMs && (c.cancelledAtMs === undefined || c.cancelledAtMs > snapshotMs));
  const churned = active.filter((c) => c.cancelledAtMs !== undefined && c.cancelledAtMs <= endMs);
  const share = <T>(list: readonly T[], keep: (item: T) => boolean) => list.filter(keep).length / list.length;

  it('draws plans and channels in the stated shares, with a long tail of rare channels', () => {
    for (const [plan, expected] of PLAN_MIX) assert.ok(Math.abs(share(customers, (c) => c.profile.plan === plan) - expected) < 0.03, plan);
    const tail = customers.filter((c) => /^(partner|event)_/.test(c.profile.acquisitionChannel));
    assert.ok(Math.abs(tail.length / customers.length - LONG_TAIL_SHARE) < 0.03);
    const counts = new Map<string, number>();
    for (const c of tail) counts.set(c.profile.acquisitionChannel, (counts.get(c.profile.acquisitionChannel) ?? 0) + 1);
    assert.ok(counts.size >= 30, `${counts.size} distinct long-tail channels`);
    assert.ok([...counts.values()].filter((n) => n < 10).length >= 15, 'many rare channels');
  });

  it('churns 8–15 % of the customers active at T − 90 days within the 90 days, most after a decline', () => {
    const rate = churned.length / active.length;
    assert.ok(rate >= 0.08 && rate <= 0.15, `90-day churn ${rate}`);
    assert.ok(share(churned, (c) => c.churnPath === 'decline') >= 0.7);
    assert.ok(churned.some((c) => c.churnPath === 'payment') && churned.some((c) => c.churnPath === 'sudden'));
  });

  it('churns starter customers more than enterprise ones, and monthly more than annual', () => {
    const everChurned = (keep: (c: (typeof customers)[number]) => boolean) => share(customers.filter(keep), (c) => c.cancelledAtMs !== undefined);
    assert.ok(everChurned((c) => c.profile.plan === 'starter') > 1.5 * everChurned((c) => c.profile.plan === 'enterprise'));
    assert.ok(everChurned((c) => c.profile.billingCycle === 'monthly') > 1.5 * everChurned((c) => c.profile.billingCycle === 'annual'));
  });
});
