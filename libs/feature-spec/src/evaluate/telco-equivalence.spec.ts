import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomerEvent, CustomerEventV1 } from '@churn/contracts';
import { loadFeatureSpec } from '../load-feature-spec';
import { TELCO_SPEC_PATH } from '../telco-spec';
import { aggregateValues } from './aggregate-values';
import { applyEvent } from './apply-event';
import type { EvaluatorState } from './evaluator-types';
import { featureVector } from './feature-vector';
import { SeededRandom } from './fixtures/seeded-random';
import { randomTelcoHistory } from './fixtures/telco-history';
import * as reference from './fixtures/telco-reference';
import { aggregatesOf, modelInputsOf } from './vector-sections';

const spec = loadFeatureSpec(TELCO_SPEC_PATH);
const CUSTOMERS = 400;

/** The evaluator's vector split as the features message carries it, or undefined. */
function evaluated(state: EvaluatorState, arrived: readonly CustomerEvent[], asOf: string) {
  const vector = featureVector(spec, state, asOf, aggregateValues(spec, arrived, asOf));
  return vector && { features: modelInputsOf(spec, vector), behaviour: aggregatesOf(spec, vector) };
}

function expected(state: reference.CustomerState, arrived: readonly CustomerEvent[], asOf: string) {
  const features = reference.toFeatureVector(state, asOf);
  return features && { features, behaviour: reference.toBehaviour(reference.behaviourCountsAsOf(arrived, asOf)) };
}

describe('the evaluator with the Telco spec', () => {
  it('gives the Telco vector and behaviour of the former fold, event by event in arrival order, on random histories', () => {
    let compared = 0;
    let complete = 0;
    let notApplied = 0;
    for (let seed = 1; seed <= CUSTOMERS; seed++) {
      const random = new SeededRandom(seed);
      const customer = `C-${seed}`;
      const arrival = random.arrivalOrder(randomTelcoHistory(random, customer));
      let ours: EvaluatorState | undefined;
      let theirs: reference.CustomerState | undefined;
      const arrived: CustomerEvent[] = [];
      for (const event of arrival) {
        arrived.push(event);
        const mine = applyEvent(spec, ours, event);
        // The random Telco histories are schema version 1 events, the only ones the former fold read.
        const old = reference.applyEvent(theirs ?? reference.emptyState(customer, event), event as CustomerEventV1);
        ours = mine.state;
        theirs = old.state;
        const at = `seed ${seed}, after ${event.event_id}`;
        assert.equal(mine.applied, old.applied, `applied, ${at}`);
        if (!mine.applied) notApplied += 1;
        assert.equal(ours.lastEventAt, theirs.lastEventAt, `last event time, ${at}`);
        assert.equal(ours.lastEventId, theirs.lastEventId, `last event id, ${at}`);
        // At the latest event (ingest) and 45 days later (a rescore as of a later time).
        for (const asOf of [theirs.lastEventAt, new Date(Date.parse(theirs.lastEventAt) + 45 * 86_400_000).toISOString()]) {
          const want = expected(theirs, arrived, asOf);
          assert.deepEqual(evaluated(ours, arrived, asOf), want, `${at}, as of ${asOf}`);
          compared += 1;
          if (want) complete += 1;
        }
      }
    }
    // The histories exercise what the comparison is about: complete vectors, and late events not applied.
    assert.ok(complete > compared / 4, `${complete} complete vectors of ${compared}`);
    assert.ok(notApplied > 50, `${notApplied} events not applied`);
  });
});
