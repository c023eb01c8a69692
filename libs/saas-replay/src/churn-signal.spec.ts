import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateSaasBusiness } from './saas-business';
import { SaasEventTypes, type SaasEvent } from './saas-event';

const DAY = 86_400_000;
const WEEKS_4 = 28 * DAY;

/** Behaviour in [from, to): logins, API calls, high/critical tickets, payment failures. */
function behaviour(events: readonly SaasEvent[], from: number, to: number) {
  const inWindow = events.filter((e) => {
    const at = Date.parse(e.occurred_at);
    return at >= from && at < to;
  });
  const of = (type: string) => inWindow.filter((e) => e.event_type === type);
  return {
    logins: of(SaasEventTypes.userLoggedIn).length,
    apiCalls: of(SaasEventTypes.usageReported)
      .filter((e) => e.payload['metric'] === 'api_calls')
      .reduce((sum, e) => sum + (e.payload['quantity'] as number), 0),
    severeTickets: of(SaasEventTypes.supportTicketOpened).filter((e) => ['high', 'critical'].includes(e.payload['severity'] as string)).length,
    paymentFailures: of(SaasEventTypes.paymentFailed).length,
  };
}

type Behaviour = ReturnType<typeof behaviour>;
const total = (list: readonly Behaviour[], key: keyof Behaviour) => list.reduce((sum, b) => sum + b[key], 0);

describe('the churn signal in behaviour', () => {
  const business = generateSaasBusiness({ customers: 1200, seed: 23 });
  const endMs = Date.parse(business.referenceTime);

  // Churners after a decline that started once onboarding was over: the 4 weeks before the decline
  // against the 4 weeks before the cancellation took effect.
  const churners = business.customers.filter(
    (c) => c.churnPath === 'decline' && c.declineStartedAtMs !== undefined && c.declineStartedAtMs - c.profile.signedUpAtMs >= 12 * 7 * DAY,
  );
  const before = churners.map((c) => behaviour(c.events, c.declineStartedAtMs! - WEEKS_4, c.declineStartedAtMs!));
  const last = churners.map((c) => behaviour(c.events, c.cancelledAtMs! - WEEKS_4, c.cancelledAtMs!));

  // Customers who never left, over the same two lengths of time three months apart.
  const stayers = business.customers.filter(
    (c) => c.cancelledAtMs === undefined && c.declineStartedAtMs === undefined && endMs - c.profile.signedUpAtMs >= 240 * DAY,
  );
  const stayersThen = stayers.map((c) => behaviour(c.events, endMs - 90 * DAY - WEEKS_4, endMs - 90 * DAY));
  const stayersNow = stayers.map((c) => behaviour(c.events, endMs - WEEKS_4, endMs));

  it('has enough churners after a decline and stayers to compare', () => {
    assert.ok(churners.length >= 60, `${churners.length} churners`);
    assert.ok(stayers.length >= 300, `${stayers.length} stayers`);
  });

  it("halves a future churner's logins and API calls, at least, in the weeks before it leaves", () => {
    assert.ok(total(last, 'logins') < 0.5 * total(before, 'logins'), `logins ${total(last, 'logins')} vs ${total(before, 'logins')}`);
    assert.ok(total(last, 'apiCalls') < 0.5 * total(before, 'apiCalls'), `API calls ${total(last, 'apiCalls')} vs ${total(before, 'apiCalls')}`);
    // Most churners, not a few extreme ones.
    const fewer = churners.filter((_, i) => last[i]!.logins < before[i]!.logins).length;
    assert.ok(fewer / churners.length > 0.7, `${fewer} of ${churners.length} log in less`);
  });

  it('raises its severe tickets and payment failures in the decline', () => {
    assert.ok(
      total(last, 'severeTickets') > 1.5 * total(before, 'severeTickets'),
      `severe tickets ${total(last, 'severeTickets')} vs ${total(before, 'severeTickets')}`,
    );
    const declineFailures = churners.reduce((sum, c) => sum + behaviour(c.events, c.declineStartedAtMs!, c.cancelledAtMs!).paymentFailures, 0);
    const declineWeeks = churners.reduce((sum, c) => sum + (c.cancelledAtMs! - c.declineStartedAtMs!) / (7 * DAY), 0);
    const stayerFailures = stayers.reduce((sum, c) => sum + behaviour(c.events, c.profile.signedUpAtMs, endMs).paymentFailures, 0);
    const stayerWeeks = stayers.reduce((sum, c) => sum + (endMs - c.profile.signedUpAtMs) / (7 * DAY), 0);
    assert.ok(
      declineFailures / declineWeeks > 2 * (stayerFailures / stayerWeeks),
      `failures per week ${declineFailures / declineWeeks} vs ${stayerFailures / stayerWeeks}`,
    );
  });

  it("keeps a stayer's behaviour level over the same span", () => {
    const ratio = total(stayersNow, 'logins') / total(stayersThen, 'logins');
    assert.ok(ratio > 0.85 && ratio < 1.2, `stayers' logins now / three months before: ${ratio}`);
  });
});
