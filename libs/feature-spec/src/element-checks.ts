import type { z } from 'zod';
import { fixedPayloadFields } from './known-payloads';

/** Where a check reports: zod's refinement context, reduced to what the checks use. */
type Report = (message: string, path: (string | number)[]) => void;

export function reporter(ctx: z.RefinementCtx): Report {
  return (message, path) => ctx.addIssue({ code: 'custom', message, path });
}

/** A categorical attribute is closed (categories) or open-ended (max_categories, other), never both. */
export function checkCategorical(
  value: { categories?: string[] | undefined; max_categories?: number | undefined; other?: string | undefined },
  report: Report,
): void {
  const { categories, max_categories: max, other } = value;
  if (categories === undefined && max === undefined) report('a categorical attribute needs categories (closed) or max_categories (open-ended)', ['categories']);
  if (categories !== undefined && max !== undefined) report('give either categories or max_categories, not both', ['max_categories']);
  if (other !== undefined && max === undefined) report('other is the bucket of an open-ended categorical: it needs max_categories', ['other']);
  if (categories !== undefined) {
    if (categories.length < 2) report('must list at least 2 categories', ['categories']);
    const seen = new Set<string>();
    categories.forEach((category, i) => {
      if (seen.has(category)) report(`"${category}" is listed twice`, ['categories', i]);
      seen.add(category);
    });
  }
}

/** The two spellings of a boolean must tell true from false, and be of one kind (the model input has one type). */
export function checkBooleanEncoding(value: { true_value: string | number; false_value: string | number }, report: Report): void {
  if (value.true_value === value.false_value) report('must differ from true_value', ['false_value']);
  else if (typeof value.true_value !== typeof value.false_value) report('true_value and false_value must both be numbers or both strings', ['false_value']);
}

/** A field of a payload the contract fixes must exist there, and hold a number when it is added up. */
export function checkPayloadField(eventType: string, field: string, needsNumber: boolean, report: Report, path: (string | number)[]): void {
  const fields = fixedPayloadFields(eventType);
  const type = fields?.get(field);
  if (!fields) return;
  if (!type) report(`${eventType} has no payload field "${field}" (it has ${[...fields.keys()].join(', ')})`, path);
  else if (needsNumber && type.type !== 'number') report(`${eventType}.${field} is not a number: it cannot be added up`, path);
}

const PAYLOAD_TYPE_OF = { numeric: 'number', boolean: 'boolean', categorical: 'string' } as const;

/** An attribute set by a payload the contract fixes must name a field of it holding its type. */
export function checkAttributeSource(value: { type: keyof typeof PAYLOAD_TYPE_OF; set_by: { event_type: string; field: string } }, report: Report): void {
  const { event_type: eventType, field } = value.set_by;
  const fields = fixedPayloadFields(eventType);
  if (!fields) return;
  const type = fields.get(field);
  if (!type) report(`${eventType} has no payload field "${field}" (it has ${[...fields.keys()].join(', ')})`, ['set_by', 'field']);
  else if (type.type !== PAYLOAD_TYPE_OF[value.type])
    report(`${eventType}.${field} holds a ${type.type}, not what a ${value.type} attribute takes (a ${PAYLOAD_TYPE_OF[value.type]})`, ['set_by', 'field']);
}

interface AggregateLike {
  kind: string;
  event_type: string;
  field?: string | undefined;
  measure?: string | undefined;
  window_days?: number | undefined;
  filter?: { field: string; op: string; value: unknown } | undefined;
}

const NEEDS_FIELD = new Set(['sum', 'mean', 'last']);
const NEEDS_WINDOW = new Set(['count', 'sum', 'mean', 'trend']);
const ORDERED = new Set(['gt', 'gte', 'lt', 'lte']);
const LISTS = new Set(['in', 'not_in']);

/** What each kind of aggregate needs and refuses, and a filter that can select something. */
export function checkAggregate(value: AggregateLike, report: Report): void {
  const { kind, field, measure } = value;
  if (NEEDS_FIELD.has(kind) && field === undefined) report(`${kind} needs the payload field it aggregates`, ['field']);
  if ((kind === 'count' || kind === 'days_since') && field !== undefined)
    report(`${kind} does not read a field: remove it (or use sum, mean or last)`, ['field']);
  if (kind === 'trend') {
    if (measure === undefined) report('trend needs measure: count (events) or sum (of field)', ['measure']);
    if (measure === 'sum' && field === undefined) report('trend with measure sum needs the payload field it adds up', ['field']);
    if (measure === 'count' && field !== undefined) report('trend with measure count does not read a field: remove it', ['field']);
  } else if (measure !== undefined) {
    report('measure is for trend only', ['measure']);
  }
  if (NEEDS_WINDOW.has(kind) && value.window_days === undefined) report(`${kind} needs window_days`, ['window_days']);
  if (field !== undefined) checkPayloadField(value.event_type, field, kind === 'sum' || kind === 'mean' || kind === 'trend', report, ['field']);
  if (value.filter) checkFilter(value.event_type, value.filter, report);
}

function checkFilter(eventType: string, filter: { field: string; op: string; value: unknown }, report: Report): void {
  const { op, value } = filter;
  if (LISTS.has(op)) {
    if (!Array.isArray(value) || value.length === 0) report(`${op} needs a non-empty list of values`, ['filter', 'value']);
  } else if (Array.isArray(value)) {
    report(`${op} compares with one value; a list needs in or not_in`, ['filter', 'value']);
  } else if (ORDERED.has(op) && typeof value !== 'number') {
    report(`${op} compares numbers: value must be a number`, ['filter', 'value']);
  }
  const type = fixedPayloadFields(eventType)?.get(filter.field);
  checkPayloadField(eventType, filter.field, false, report, ['filter', 'field']);
  if (!type) return;
  if (ORDERED.has(op) && type.type !== 'number') report(`${eventType}.${filter.field} is not a number: ${op} cannot compare it`, ['filter', 'op']);
  const values = Array.isArray(value) ? value : [value];
  values.forEach((v, i) => {
    const at = Array.isArray(value) ? ['filter', 'value', i] : ['filter', 'value'];
    if (type.type !== 'other' && typeof v !== type.type) report(`${eventType}.${filter.field} holds a ${type.type}; ${JSON.stringify(v)} is a ${typeof v}`, at);
    else if (type.values && !type.values.includes(String(v)))
      report(`${eventType}.${filter.field} is one of ${type.values.join(', ')}; "${String(v)}" never occurs`, at);
  });
}
