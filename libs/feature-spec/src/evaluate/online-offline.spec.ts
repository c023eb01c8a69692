import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateValues } from './aggregate-values';
import { foldEvents } from './apply-event';
import type { EvaluatedEvent, EvaluatorState, FeatureVector } from './evaluator-types';
import { featureVector } from './feature-vector';
import { windowedAggregateValues } from './windowed-events';
import { SAAS_SPEC, randomSaasHistory } from './fixtures/saas-spec';
import { SeededRandom } from './fixtures/seeded-random';

const spec = SAAS_SPEC;
const CUSTOMERS = 300;
const DAY = 86_400_000;

/** Offline: the events that occurred by T, folded in occurred_at order (ties in arrival order, as the log reads them), aggregates at T. */
function offline(arrival: readonly EvaluatedEvent[], asOf: string): { vector: FeatureVector | undefined; ids: Set<string> } {
  const at = Date.parse(asOf);
  const known = arrival
    .map((event, index) => ({ event, index }))
    .filter(({ event }) => Date.parse(event.occurred_at) <= at)
    .sort((a, b) => Date.parse(a.event.occurred_at) - Date.parse(b.event.occurred_at) || a.index - b.index)
    .map(({ event }) => event);
  const state = foldEvents(spec, known);
  return { vector: state && featureVector(spec, state, asOf, aggregateValues(spec, known, asOf)), ids: new Set(known.map((e) => e.event_id)) };
}

/**
 * Online: the state folded in arrival order, aggregates from the events the state keeps (what ingest
 * computes); they must equal the aggregates over every event logged so far.
 */
function online(state: EvaluatorState, logged: readonly EvaluatedEvent[], asOf: string): FeatureVector | undefined {
  const kept = windowedAggregateValues(spec, state, asOf);
  assert.deepEqual(kept, aggregateValues(spec, logged, asOf), `the state's windows as of ${asOf}`);
  return featureVector(spec, state, asOf, kept);
}

const sameSet = (a: Set<string>, b: readonly EvaluatedEvent[]) => a.size === b.length && b.every((e) => a.has(e.event_id));

describe('the evaluator online and offline', () => {
  it('gives the same vector live (events in arrival order, some late) and rebuilt from the log at T, whenever the same events are known', () => {
    let compared = 0;
    let complete = 0;
    const seenNonNull = new Set<string>();
    for (let seed = 1; seed <= CUSTOMERS; seed++) {
      const random = new SeededRandom(seed);
      const arrival = random.arrivalOrder(randomSaasHistory(random, `A-${seed}`), 0.35);
      let state: EvaluatorState | undefined;
      for (let k = 1; k <= arrival.length; k++) {
        const logged = arrival.slice(0, k);
        state = foldEvents(spec, [arrival[k - 1]!], state)!;
        // At the latest event (ingest's time), and at later times (a rescore as of T).
        const times = [
          state.lastEventAt,
          ...[1, 7, 29, 40].map((days) => new Date(Date.parse(state!.lastEventAt) + days * DAY + random.int(0, DAY)).toISOString()),
        ];
        for (const asOf of times) {
          const rebuilt = offline(arrival, asOf);
          if (!sameSet(rebuilt.ids, logged)) continue;
          const live = online(state, logged, asOf);
          assert.deepEqual(live, rebuilt.vector, `seed ${seed}, ${k} events arrived, as of ${asOf}`);
          compared += 1;
          if (live) {
            complete += 1;
            for (const [name, value] of Object.entries(live)) if (value !== null) seenNonNull.add(name);
          }
        }
      }
    }
    assert.ok(compared > 2_000 && complete > compared / 8, `${compared} comparisons, ${complete} complete`);
    // Every feature took a value somewhere: no aggregate is vacuously null on both sides.
    assert.deepEqual(
      [...spec.attributes, ...spec.derived, ...spec.aggregates].map((f) => f.name).filter((name) => !seenNonNull.has(name)),
      [],
    );
  });
});
