import { z } from 'zod';
import { ALERT_STATES, RISK_LEVELS } from '@churn/contracts';
import { CUSTOMER_SORT_KEYS, type CustomerListFilter, type CustomerSort } from '@churn/monitoring-data';
import type { Attribute } from '@churn/feature-spec';
import { ValidationError } from '@churn/service-kit';
import type { CustomerSpecView } from './customer-spec-view';

export const CUSTOMER_PAGE_SIZE_MAX = 200;
export const CUSTOMER_ALERT_FILTERS = [...ALERT_STATES, 'none'] as const;
/** `crm_task=open`: customers with a retention task open in a CRM; `none`: without one. */
export const CUSTOMER_CRM_TASK_FILTERS = ['open', 'none'] as const;
const SORTS = CUSTOMER_SORT_KEYS.flatMap((key) => [key, `-${key}`]) as [string, ...string[]];
/** Query parameters that name an attribute of the active spec: `attr.<name>=<value>[,<value>…]`. */
export const ATTRIBUTE_PREFIX = 'attr.';

/** A query parameter as Express hands it: a string, or an array when it is repeated. */
const raw = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
/** A comma-separated list (or a repeated parameter) of values from `allowed`. */
const listOf = <T extends string>(allowed: readonly T[]) =>
  raw.transform((values, ctx) => {
    const items = values
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
    const unknown = items.filter((v) => !(allowed as readonly string[]).includes(v));
    if (unknown.length > 0)
      ctx.addIssue({ code: 'custom', message: `unknown value ${unknown.map((v) => JSON.stringify(v)).join(', ')}; one of ${allowed.join(', ')}` });
    return items as T[];
  });
/** A parameter given at most once. */
const once = raw.pipe(z.array(z.string()).max(1, 'give it once')).transform((v) => v[0]!);
const score = once.pipe(z.coerce.number<string>().int('must be a whole number').min(0).max(100));

export const customerListQuerySchema = z
  .object({
    q: once.pipe(z.string().trim().max(200, 'at most 200 characters')).optional(),
    risk_level: listOf(RISK_LEVELS).optional(),
    score_min: score.optional(),
    score_max: score.optional(),
    alert_state: listOf(CUSTOMER_ALERT_FILTERS).optional(),
    arm: raw
      .transform((values) =>
        values
          .flatMap((v) => v.split(','))
          .map((v) => v.trim())
          .filter((v) => v.length > 0),
      )
      .pipe(z.array(z.string().max(100, 'at most 100 characters')))
      .optional(),
    sort: once.pipe(z.enum(SORTS, { message: `one of ${SORTS.join(', ')}` })).default('-score'),
    page: once.pipe(z.coerce.number<string>().int('must be a whole number').min(1).max(100_000)).default(1),
    page_size: once.pipe(z.coerce.number<string>().int('must be a whole number').min(1).max(CUSTOMER_PAGE_SIZE_MAX)).default(50),
    crm_task: once.pipe(z.enum(CUSTOMER_CRM_TASK_FILTERS, { message: `one of ${CUSTOMER_CRM_TASK_FILTERS.join(', ')}` })).optional(),
    format: once.pipe(z.enum(['json', 'csv'])).optional(),
  })
  .refine((q) => q.score_min === undefined || q.score_max === undefined || q.score_min <= q.score_max, {
    path: ['score_max'],
    message: 'must not be below score_min',
  });

export interface CustomerListRequest {
  readonly filter: CustomerListFilter;
  readonly sort: CustomerSort;
  readonly page: number;
  readonly pageSize: number;
  readonly format: 'json' | 'csv' | undefined;
}

interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** 400 naming every offending parameter, as the service kit's validation pipe does. */
export function invalidQuery(problems: readonly FieldProblem[]): ValidationError {
  return new ValidationError(problems);
}

/**
 * Reads `GET /v1/customers`'s query: the fixed parameters through the zod schema, `attr.<name>` against
 * the active spec (an attribute it has, values of the attribute's type and categories). Every problem is
 * collected; any problem is a 400 naming the parameters.
 */
export function parseCustomerListQuery(query: Readonly<Record<string, unknown>>, spec: CustomerSpecView): CustomerListRequest {
  const problems: FieldProblem[] = [];
  const fixed: Record<string, unknown> = {};
  const attributes: { name: string; values: (string | number)[] }[] = [];
  for (const [key, value] of Object.entries(query)) {
    // Postgres refuses a NUL in text (500 instead of 400); no filter value needs a control character.
    // eslint-disable-next-line no-control-regex
    if ((Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && /[\u0000-\u001f\u007f]/.test(v))) {
      problems.push({ field: key, message: 'must not contain control characters' });
      continue;
    }
    if (!key.startsWith(ATTRIBUTE_PREFIX)) {
      if (key in customerListQuerySchema.shape) fixed[key] = value;
      else problems.push({ field: key, message: `unknown parameter; attributes are filtered as ${ATTRIBUTE_PREFIX}<name>` });
      continue;
    }
    const name = key.slice(ATTRIBUTE_PREFIX.length);
    const attribute = spec.attribute(name);
    if (!attribute) {
      problems.push({ field: key, message: `not an attribute of the active feature spec (${spec.name}); attributes: ${spec.attributeNames.join(', ')}` });
      continue;
    }
    const parsed = attributeValues(attribute, value);
    if ('problem' in parsed) problems.push({ field: key, message: parsed.problem });
    else attributes.push({ name, values: parsed.values });
  }
  const result = customerListQuerySchema.safeParse(fixed);
  if (!result.success) problems.push(...result.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(query)', message: i.message })));
  if (problems.length > 0 || !result.success) throw invalidQuery(problems);
  const q = result.data;
  const descending = q.sort.startsWith('-');
  return {
    filter: {
      ...(q.q ? { q: q.q } : {}),
      ...(q.risk_level?.length ? { riskLevels: q.risk_level } : {}),
      ...(q.score_min !== undefined ? { scoreMin: q.score_min } : {}),
      ...(q.score_max !== undefined ? { scoreMax: q.score_max } : {}),
      ...(q.alert_state?.length ? { alertStates: q.alert_state } : {}),
      ...(q.arm?.length ? { arms: q.arm } : {}),
      ...(attributes.length ? { attributes } : {}),
      ...(q.crm_task ? { crmTask: q.crm_task } : {}),
    },
    sort: { key: (descending ? q.sort.slice(1) : q.sort) as CustomerSort['key'], direction: descending ? 'desc' : 'asc' },
    page: q.page,
    pageSize: q.page_size,
    format: q.format,
  };
}

/**
 * An attribute filter's values as the vector spells them: numbers for numeric attributes, the spec's
 * true_value / false_value for booleans (`true`/`false` or the spelling itself), and for closed
 * categoricals one of the categories.
 */
export function attributeValues(attribute: Attribute, value: unknown): { values: (string | number)[] } | { problem: string } {
  const texts = (Array.isArray(value) ? value : [value])
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  if (texts.length === 0) return { problem: 'give at least one value' };
  const values: (string | number)[] = [];
  for (const text of texts) {
    switch (attribute.type) {
      case 'numeric': {
        const n = Number(text);
        if (!Number.isFinite(n)) return { problem: `${JSON.stringify(text)} is not a number (${attribute.name} is numeric)` };
        values.push(n);
        break;
      }
      case 'boolean': {
        const spelled = [attribute.true_value, attribute.false_value];
        const match = spelled.find((s) => String(s) === text);
        if (match !== undefined) values.push(match);
        else if (text === 'true' || text === 'false') values.push(text === 'true' ? attribute.true_value : attribute.false_value);
        else return { problem: `${JSON.stringify(text)} is not true, false, ${spelled.map((s) => JSON.stringify(String(s))).join(' or ')}` };
        break;
      }
      case 'categorical': {
        if (attribute.categories && !attribute.categories.includes(text)) {
          return { problem: `${JSON.stringify(text)} is not a category of ${attribute.name}: ${attribute.categories.join(', ')}` };
        }
        values.push(text);
        break;
      }
    }
  }
  return { values };
}
