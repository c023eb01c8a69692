import { wholeCalendarMonths } from '@churn/contracts';
import type { Attribute } from '../attribute.schema';
import type { FeatureSpec } from '../feature-spec.schema';
import { roundDecimal } from './exact-decimal';
import { FeatureEvaluationError, type AggregateValues, type EvaluatorState, type FeatureValue, type FeatureVector, type ScalarValue } from './evaluator-types';

function encode(attribute: Attribute, value: ScalarValue): FeatureValue {
  switch (attribute.type) {
    case 'boolean':
      return value === true ? attribute.true_value : attribute.false_value;
    case 'numeric':
      return typeof value === 'number' ? value : Number(value);
    case 'categorical':
      return String(value);
  }
}

/**
 * The feature vector of a state at `asOf` (default: the customer's latest event): every feature of the
 * spec, in the spec's order. Booleans are spelled as the spec's true_value / false_value; a missing
 * optional attribute is null. Undefined until every non-optional attribute has a value and every event
 * a months_since_first feature counts from has been seen. `aggregates` are the spec's aggregates at the
 * same time (aggregateValues).
 */
export function featureVector(
  spec: FeatureSpec,
  state: EvaluatorState,
  asOf: string = state.lastEventAt,
  aggregates: AggregateValues,
): FeatureVector | undefined {
  const vector: Record<string, FeatureValue> = {};
  for (const attribute of spec.attributes) {
    const current = state.attributes[attribute.name];
    if (!current && !attribute.optional) return undefined;
    vector[attribute.name] = current ? encode(attribute, current.value) : null;
  }
  for (const derived of spec.derived) {
    switch (derived.kind) {
      case 'months_since_first': {
        const first = state.firstAt[derived.event_type];
        if (first === undefined) return undefined;
        vector[derived.name] = wholeCalendarMonths(new Date(first), new Date(asOf));
        break;
      }
      case 'lifetime_sum': {
        const sum = state.sums[derived.name] ?? '0';
        vector[derived.name] = Number(derived.decimals === undefined ? sum : roundDecimal(sum, derived.decimals));
        break;
      }
      case 'lifetime_count':
        vector[derived.name] = state.counts[derived.name] ?? 0;
        break;
    }
  }
  for (const aggregate of spec.aggregates) {
    const value = aggregates[aggregate.name];
    if (value === undefined) throw new FeatureEvaluationError(`no value for the aggregate ${aggregate.name}: compute the aggregates with the same spec`);
    vector[aggregate.name] = value;
  }
  return vector;
}
