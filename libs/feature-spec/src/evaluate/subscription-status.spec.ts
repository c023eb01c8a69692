import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEvent, foldEvents, isCancelled } from './apply-event';
import type { EvaluatedEvent, EvaluatorState } from './evaluator-types';
import { SAAS_SPEC as spec } from './fixtures/saas-spec';

const event = (id: string, type: string, occurredAt: string): EvaluatedEvent => ({ event_id: id, event_type: type, occurred_at: occurredAt, payload: {} });
const cancel = (id: string, at: string) => event(id, 'subscription.cancelled', at);
const reactivate = (id: string, at: string) => event(id, 'subscription.reactivated', at);

/** Every order of `events`. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('the subscription status in the evaluator state', () => {
  const open: EvaluatorState = applyEvent(spec, undefined, event('e0', 'subscription.changed', '2024-01-01T00:00:00Z')).state;

  it('is open until a cancellation; a cancellation of an open subscription is a churn, a second one is not', () => {
    assert.equal(isCancelled(open), false);
    assert.equal(isCancelled(undefined), false);
    const first = applyEvent(spec, open, cancel('c1', '2024-03-01T00:00:00Z'));
    assert.equal(first.cancelledNow, true);
    assert.equal(isCancelled(first.state), true);
    const later = applyEvent(spec, first.state, cancel('c2', '2024-03-05T00:00:00Z'));
    assert.equal(later.cancelledNow, undefined, 'already cancelled: no second churn');
    assert.equal(isCancelled(later.state), true);
    const reopened = applyEvent(spec, later.state, reactivate('r1', '2024-04-01T00:00:00Z'));
    assert.equal(isCancelled(reopened.state), false);
    assert.equal(applyEvent(spec, reopened.state, cancel('c3', '2024-06-01T00:00:00Z')).cancelledNow, true, 'cancelled again after a reactivation: a churn');
  });

  it('takes the latest status by occurred_at (then event id), so every arrival order ends in the same status', () => {
    const events = [
      cancel('c1', '2024-03-01T00:00:00Z'),
      reactivate('r1', '2024-04-01T00:00:00Z'),
      cancel('c2', '2024-05-01T00:00:00Z'),
      reactivate('r0', '2024-02-01T00:00:00Z'),
    ];
    for (const order of permutations(events)) {
      assert.deepEqual(
        foldEvents(spec, order, open)!.subscription,
        { cancelled: true, at: '2024-05-01T00:00:00Z', eventId: 'c2' },
        order.map((e) => e.event_id).join(','),
      );
    }
    const tie = [cancel('a', '2024-03-01T00:00:00Z'), reactivate('b', '2024-03-01T00:00:00Z')];
    for (const order of permutations(tie)) assert.equal(isCancelled(foldEvents(spec, order, open)), false, 'equal times: the greater event id wins');
  });

  it('records an earlier-dated status event arriving late without applying it', () => {
    const cancelled = applyEvent(spec, open, cancel('c1', '2024-05-01T00:00:00Z')).state;
    const late = applyEvent(spec, cancelled, reactivate('r1', '2024-04-01T00:00:00Z'));
    assert.equal(late.applied, false);
    assert.equal(isCancelled(late.state), true);
    const lateCancel = applyEvent(spec, cancelled, cancel('c0', '2024-04-01T00:00:00Z'));
    assert.equal(lateCancel.applied, false);
    assert.equal(lateCancel.cancelledNow, undefined);
  });

  it('changes no attribute, sum or count', () => {
    const cancelled = applyEvent(spec, open, cancel('c1', '2024-05-01T00:00:00Z')).state;
    assert.deepEqual(
      { ...cancelled, subscription: undefined, lastEventAt: open.lastEventAt, lastEventId: open.lastEventId },
      { ...open, subscription: undefined },
    );
  });
});
