import type { FakeFieldDefinition } from './fake-salesforce-schema';

/** A parsed SOQL query of the subset the platform sends. */
export interface SoqlQuery {
  readonly fields: readonly string[];
  readonly object: string;
  readonly where: readonly SoqlCondition[];
  readonly orderBy: readonly { field: string; descending: boolean }[];
  readonly limit?: number;
}

export interface SoqlCondition {
  readonly field: string;
  readonly op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN';
  readonly values: readonly SoqlValue[];
}

export type SoqlValue =
  | { kind: 'string'; value: string }
  | { kind: 'null' }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'datetime'; value: number };

/** A refusal as Salesforce words it: the error code and message of a 400. */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
  }
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
/** Relationship fields the fake serves (Owner is polymorphic: User or Queue; its "Name" fields). */
const OWNER_FIELDS = new Set(['Name', 'Email']);
/** Field types Salesforce does not let a WHERE clause filter on (long text areas). */
const UNFILTERABLE = new Set(['textarea']);

/**
 * Parses `SELECT f, … FROM Object [WHERE c AND c …] [ORDER BY f [ASC|DESC], …] [LIMIT n]` where a
 * condition is `field op value` or `field IN ('a', …)`, and checks it against the object's fields as
 * Salesforce does: unknown columns (INVALID_FIELD), a datetime compared with a quoted string (Salesforce
 * wants datetime literals unquoted), a filter on a long text area, anything else it cannot read
 * (MALFORMED_QUERY).
 */
export function parseSoql(soql: string, schemaOf: (object: string) => ReadonlyMap<string, FakeFieldDefinition> | undefined): SoqlQuery {
  const m = /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(.+?))?(?:\s+LIMIT\s+(\d+))?$/is.exec(soql.trim());
  if (!m) throw new SoqlError('MALFORMED_QUERY', `unexpected token in: ${soql.slice(0, 200)}`);
  const object = m[2]!;
  const schema = schemaOf(object);
  if (!schema) throw new SoqlError('INVALID_TYPE', `sObject type '${object}' is not supported.`);
  const fields = m[1]!.split(',').map((f) => f.trim());
  for (const f of fields) checkField(f, object, schema);
  const where = m[3] ? splitAnd(m[3]).map((c) => condition(c, object, schema)) : [];
  const orderBy = m[4]
    ? m[4].split(',').map((part) => {
        const [field, direction] = part.trim().split(/\s+/);
        checkField(field!, object, schema);
        if (direction && !/^(ASC|DESC)$/i.test(direction)) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${direction}'`);
        return { field: field!, descending: /^DESC$/i.test(direction ?? '') };
      })
    : [];
  return { fields, object, where, orderBy, ...(m[5] ? { limit: Number(m[5]) } : {}) };
}

function checkField(field: string, object: string, schema: ReadonlyMap<string, FakeFieldDefinition>): void {
  const [head, sub] = field.split('.');
  if (sub !== undefined) {
    if (head === 'Owner' && schema.has('OwnerId') && OWNER_FIELDS.has(sub)) return;
    throw new SoqlError('INVALID_FIELD', `Didn't understand relationship '${head}' in field path. No such column '${field}' on entity '${object}'.`);
  }
  if (!schema.has(field)) throw new SoqlError('INVALID_FIELD', `No such column '${field}' on entity '${object}'.`);
}

/** Splits a WHERE clause on its top-level ANDs (not inside quotes or an IN list). */
function splitAnd(clause: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < clause.length; i++) {
    const c = clause[i]!;
    if (c === '\\' && quoted) i++;
    else if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && /^\sAND\s/i.test(clause.slice(i, i + 5))) {
      parts.push(clause.slice(start, i).trim());
      start = i + 5;
      i += 4;
    }
  }
  parts.push(clause.slice(start).trim());
  if (parts.some((p) => /\sOR\s/i.test(p))) throw new SoqlError('MALFORMED_QUERY', 'the fake reads AND conditions only');
  return parts;
}

function condition(text: string, object: string, schema: ReadonlyMap<string, FakeFieldDefinition>): SoqlCondition {
  const m = /^(\w+)\s*(=|!=|<=|>=|<|>|\bIN\b)\s*(.+)$/is.exec(text);
  if (!m) throw new SoqlError('MALFORMED_QUERY', `unexpected token in condition: ${text}`);
  const field = m[1]!;
  checkField(field, object, schema);
  const type = schema.get(field)!.type;
  if (UNFILTERABLE.has(type)) throw new SoqlError('INVALID_FIELD', `field '${field}' can not be filtered in a query call`);
  const op = m[2]!.toUpperCase() as SoqlCondition['op'];
  const raw = m[3]!.trim();
  const values = op === 'IN' ? listOf(raw) : [raw];
  return { field, op, values: values.map((v) => valueOf(v, field, type)) };
}

function listOf(raw: string): string[] {
  if (!raw.startsWith('(') || !raw.endsWith(')')) throw new SoqlError('MALFORMED_QUERY', `expecting a left parentheses, found '${raw.slice(0, 20)}'`);
  return [...raw.slice(1, -1).matchAll(/'(?:[^'\\]|\\.)*'|[^,\s]+/g)].map((v) => v[0]);
}

function valueOf(raw: string, field: string, type: string): SoqlValue {
  if (raw.startsWith("'")) {
    if (type === 'datetime' || type === 'date') {
      throw new SoqlError(
        'INVALID_FIELD',
        `value of filter criterion for field '${field}' must be of type ${type === 'date' ? 'date' : 'dateTime'} and should not be enclosed in quotes`,
      );
    }
    return { kind: 'string', value: raw.slice(1, -1).replace(/\\(.)/g, '$1') };
  }
  if (/^null$/i.test(raw)) return { kind: 'null' };
  if (/^(true|false)$/i.test(raw)) {
    if (type !== 'boolean') throw new SoqlError('INVALID_FIELD', `value of filter criterion for field '${field}' must be of type ${type}`);
    return { kind: 'boolean', value: /^true$/i.test(raw) };
  }
  if (DATETIME.test(raw)) {
    if (type !== 'datetime')
      throw new SoqlError('INVALID_FIELD', `value of filter criterion for field '${field}' must be of type ${type} and should be enclosed in quotes`);
    return { kind: 'datetime', value: Date.parse(raw) };
  }
  if (/^-?\d+(\.\d+)?$/.test(raw)) return { kind: 'number', value: Number(raw) };
  throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${raw}'`);
}

/** Whether a record's values satisfy every condition. */
export function matches(query: SoqlQuery, valueOfField: (field: string) => unknown): boolean {
  return query.where.every((c) => {
    const actual = valueOfField(c.field);
    const comparable = (v: SoqlValue): unknown => (v.kind === 'null' ? null : v.kind === 'datetime' ? v.value : v.value);
    const left = typeof actual === 'string' && c.values[0]?.kind === 'datetime' ? Date.parse(actual) : (actual ?? null);
    if (c.op === 'IN') return c.values.some((v) => comparable(v) === left);
    const right = comparable(c.values[0]!);
    if (c.op === '=') return left === right;
    if (c.op === '!=') return left !== right;
    if (left === null || right === null) return false;
    const l = left as number | string;
    const r = right as number | string;
    return c.op === '<' ? l < r : c.op === '<=' ? l <= r : c.op === '>' ? l > r : l >= r;
  });
}

/** Orders records by the ORDER BY fields (nulls first, as Salesforce sorts ascending by default). */
export function compareBy(query: SoqlQuery, valueOfField: (record: unknown, field: string) => unknown): (a: unknown, b: unknown) => number {
  return (a, b) => {
    for (const { field, descending } of query.orderBy) {
      const x = valueOfField(a, field) as string | number | null;
      const y = valueOfField(b, field) as string | number | null;
      if (x === y) continue;
      const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return descending ? -order : order;
    }
    return 0;
  };
}
