import { BOOLEAN_PAIRS, foldEvents, type EvaluatedEvent, type FeatureSpec } from '@churn/feature-spec';
import { vectorAt } from '@churn/feature-state';
import { columnsOf, trainingColumns } from './table-columns';

const DAY_MS = 86_400_000;

/** A spec that cannot label a training table, or a label delay that is no number of days. */
export class PointInTimeRuleError extends Error {
  readonly code = 'POINT_IN_TIME_RULE';
  constructor(message: string) {
    super(message);
    this.name = 'PointInTimeRuleError';
  }
}

/**
 * The time a customer's training row is computed as of: `labelDelayDays` before its outcome was
 * observed — the same pairing monitoring uses (an outcome judges the prediction made at least the label
 * delay before it), so the model learns from vectors as old as those it will be judged on, and nothing
 * logged after that time reaches the row.
 */
export function trainingCutOff(observedAt: string, labelDelayDays: number): string {
  if (!Number.isFinite(labelDelayDays) || labelDelayDays < 0)
    throw new PointInTimeRuleError(`the label delay must be a number of days ≥ 0, not ${labelDelayDays}`);
  const observed = Date.parse(observedAt);
  if (!Number.isFinite(observed)) throw new PointInTimeRuleError(`not a time: ${observedAt}`);
  return new Date(observed - labelDelayDays * DAY_MS).toISOString();
}

/** The spec's label section, or a refusal saying what a training table needs. */
export function requireLabel(spec: FeatureSpec, specSource: string): NonNullable<FeatureSpec['label']> {
  if (!spec.label) throw new PointInTimeRuleError(`${specSource}: training needs label.column and label.positive in the spec`);
  return spec.label;
}

/**
 * The label cell of a customer who stayed: the other half of the positive value's yes/no pair in the
 * same case (Yes → No, true → false, 1 → 0), else `not <positive>` — the trainer reads every value but
 * the positive one as "stayed".
 */
export function negativeLabelOf(positive: string): string {
  const pair = BOOLEAN_PAIRS.find(([yes]) => yes === positive.toLowerCase());
  if (!pair) return `not ${positive}`;
  const [yes, no] = pair;
  if (positive === yes) return no;
  if (positive === yes.toUpperCase()) return no.toUpperCase();
  return no.charAt(0).toUpperCase() + no.slice(1);
}

/** The header of a point-in-time training table: the columns `churn train --data` requires, in that order. */
export function trainingSetHeader(spec: FeatureSpec): string[] {
  return trainingColumns(spec).required;
}

/**
 * A customer's training row at its cut-off (cells in `trainingSetHeader` order; a missing optional
 * attribute is blank), or undefined while its vector is incomplete then. Events after the cut-off are
 * dropped here, whatever the caller passed: they are exactly what must not leak into training.
 */
export function pointInTimeRow(
  spec: FeatureSpec,
  customerId: string,
  events: readonly EvaluatedEvent[],
  cutOff: string,
  churned: boolean,
): string[] | undefined {
  const label = requireLabel(spec, spec.name ?? 'the spec');
  const limit = Date.parse(cutOff);
  const known = events.filter((e) => Date.parse(e.occurred_at) <= limit);
  const state = foldEvents(spec, known);
  const vector = state && vectorAt(spec, state, known, cutOff);
  if (!vector) return undefined;
  const cells = new Map<string, string>([
    [spec.customer_id.column, customerId],
    [label.column, churned ? label.positive : negativeLabelOf(label.positive)],
  ]);
  for (const { name, column } of columnsOf(spec)) {
    const value = vector[name];
    cells.set(column, value === null || value === undefined ? '' : String(value));
  }
  return trainingSetHeader(spec).map((column) => cells.get(column) ?? '');
}
