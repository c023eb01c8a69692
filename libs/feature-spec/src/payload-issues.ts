import { ATTRIBUTE_EVENT_TYPES, isKnownEventType, type CustomerEvent } from '@churn/contracts';
import type { Aggregate } from './aggregate.schema';
import type { FeatureSpec } from './feature-spec.schema';

/** What is wrong with one place of an event, e.g. `{ path: 'payload.plan', message: '"gold" is not one of …' }`. */
export interface PayloadIssue {
  readonly path: string;
  readonly message: string;
}

type ScalarType = 'number' | 'boolean' | 'string';

/** What one feature of the spec needs of one payload field. */
interface FieldRule {
  /** The feature reading the field, as people read it: `attribute plan`, `aggregate logins_30d`. */
  readonly reader: string;
  /** The types the field may hold (several only for a filter comparing with values of mixed types). */
  readonly types: readonly ScalarType[];
  /** Categorical attributes: a value, not the empty string. */
  readonly nonEmpty?: boolean;
  /** Closed categorical attributes: every value allowed. */
  readonly categories?: readonly string[];
}

/** Per event type the spec names: each payload field it reads and what each reader needs of it. */
type SpecReads = Map<string, Map<string, FieldRule[]>>;

const TYPE_OF_ATTRIBUTE = { numeric: 'number', boolean: 'boolean', categorical: 'string' } as const;
const ORDERED_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte']);
const ATTRIBUTE_EVENTS = new Set<string>(ATTRIBUTE_EVENT_TYPES);

function specReads(spec: FeatureSpec): SpecReads {
  const reads: SpecReads = new Map();
  const name = (eventType: string) => {
    let fields = reads.get(eventType);
    if (!fields) reads.set(eventType, (fields = new Map()));
    return fields;
  };
  const read = (eventType: string, field: string, rule: FieldRule) => {
    const fields = name(eventType);
    fields.set(field, [...(fields.get(field) ?? []), rule]);
  };
  for (const attribute of spec.attributes) {
    const { event_type: eventType, field } = attribute.set_by;
    const reader = `attribute ${attribute.name}`;
    if (attribute.type !== 'categorical') read(eventType, field, { reader, types: [TYPE_OF_ATTRIBUTE[attribute.type]] });
    else read(eventType, field, { reader, types: ['string'], nonEmpty: true, ...(attribute.categories ? { categories: attribute.categories } : {}) });
  }
  for (const derived of spec.derived) {
    if (derived.kind === 'lifetime_sum') read(derived.event_type, derived.field, { reader: `derived ${derived.name}`, types: ['number'] });
    else name(derived.event_type);
  }
  for (const aggregate of spec.aggregates) {
    name(aggregate.event_type);
    // Every aggregate of a field is a number: sum, mean, the trend of a sum, and last.
    if (aggregate.field !== undefined) read(aggregate.event_type, aggregate.field, { reader: `aggregate ${aggregate.name}`, types: ['number'] });
    if (aggregate.filter)
      read(aggregate.event_type, aggregate.filter.field, { reader: `aggregate ${aggregate.name}'s filter`, types: filterTypes(aggregate.filter) });
  }
  return reads;
}

/** A filter compares like with like: numbers for gt … lte, else the types of the values it lists. */
function filterTypes(filter: NonNullable<Aggregate['filter']>): ScalarType[] {
  if (ORDERED_OPERATORS.has(filter.op)) return ['number'];
  const values = Array.isArray(filter.value) ? filter.value : [filter.value];
  return [...new Set(values.map((value) => typeof value as ScalarType))];
}

const SHOWN_CHARACTERS = 60;
const SHOWN_ISSUES = 20;

/** A value as a reason quotes it: a long string is cut, so that a reason stays a line. */
function shown(value: unknown): string {
  return typeof value === 'string' && value.length > SHOWN_CHARACTERS ? `${JSON.stringify(value.slice(0, SHOWN_CHARACTERS))}…` : JSON.stringify(value);
}

function ruleProblem(rule: FieldRule, value: unknown): string | undefined {
  const type = typeof value as ScalarType;
  if (!rule.types.includes(type)) {
    const wanted = rule.types.map((t) => (t === 'boolean' ? 'true or false' : `a ${t}`)).join(' or ');
    return `must be ${wanted} (${rule.reader} reads it), not ${shown(value)}`;
  }
  if (rule.nonEmpty && value === '') return `must not be empty (${rule.reader} is categorical)`;
  if (rule.categories && !rule.categories.includes(value as string)) {
    return `${shown(value)} is not a category of ${rule.reader} (${rule.categories.join(', ')})`;
  }
  return undefined;
}

const cache = new WeakMap<FeatureSpec, SpecReads>();

/**
 * Every way a schema version 2 event does not fit the spec, each with its path (`payload.<field>`,
 * `event_type`); none for a version 1 event, whose payloads the contract fixes.
 *  - sign-up and subscription change (the business's attributes): a field no attribute of that event
 *    reads is unknown; any subset of the others may come (a partial update);
 *  - a type of the business's own: the spec must name it (an attribute it sets, a derived feature or an
 *    aggregate of it); every field the spec reads must be there; fields it does not read are let through;
 *  - every type: a field the spec reads holds its type (numeric → number, boolean → true/false,
 *    categorical → a non-empty string, one of its categories when they are listed; a summed, averaged
 *    or compared field → a number).
 */
export function payloadIssues(spec: FeatureSpec, event: CustomerEvent): PayloadIssue[] {
  if (event.schema_version !== 2) return [];
  let reads = cache.get(spec);
  if (!reads) cache.set(spec, (reads = specReads(spec)));
  const fields = reads.get(event.event_type);
  const known = isKnownEventType(event.event_type);
  if (!known && !fields) return [{ path: 'event_type', message: `unknown event_type: the feature spec names no ${event.event_type} events` }];

  const payload = event.payload as Readonly<Record<string, unknown>>;
  const issues: PayloadIssue[] = [];
  if (ATTRIBUTE_EVENTS.has(event.event_type)) {
    const expected = fields ? [...fields.keys()].join(', ') : '';
    for (const field of Object.keys(payload)) {
      if (fields?.has(field)) continue;
      const message = expected
        ? `unknown field: the feature spec reads ${expected} from ${event.event_type}`
        : `unknown field: the feature spec reads no field of ${event.event_type}`;
      issues.push({ path: `payload.${field}`, message });
    }
  }
  for (const [field, rules] of fields ?? []) {
    const value = payload[field];
    if (value === undefined) {
      // The contract has required the fields of its own payloads already; attribute events may be partial.
      if (!known) issues.push({ path: `payload.${field}`, message: `is required: ${rules.map((r) => r.reader).join(' and ')} reads it` });
      continue;
    }
    const problem = rules.map((rule) => ruleProblem(rule, value)).find((p) => p !== undefined);
    if (problem) issues.push({ path: `payload.${field}`, message: problem });
  }
  return issues;
}

/** The issues as one line, as dead letters carry reasons: `payload.plan: …; payload.seats: …` (the first 20, then how many more). */
export function describePayloadIssues(issues: readonly PayloadIssue[]): string {
  const listed = issues.slice(0, SHOWN_ISSUES).map((issue) => `${issue.path}: ${issue.message}`);
  if (issues.length > SHOWN_ISSUES) listed.push(`and ${issues.length - SHOWN_ISSUES} more`);
  return listed.join('; ');
}
