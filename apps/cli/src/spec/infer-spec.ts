import { Document } from 'yaml';
import { FEATURE_SPEC_VERSION, type FeatureSpecInput } from '@churn/feature-spec';
import { booleanPair, profileColumn } from './column-profile';
import { columnIndex, CustomerTableError, type CustomerTable } from './customer-table';

export interface InferOptions {
  readonly idColumn: string;
  readonly labelColumn: string;
  /** A categorical with more distinct values than this is drafted open-ended, with this cap. */
  readonly maxListedCategories?: number;
}

export interface DraftSpec {
  readonly spec: FeatureSpecInput;
  /** What a person should look at, one line per point; the YAML's opening comment. */
  readonly notes: readonly string[];
}

/** The event every drafted attribute points at: the business's own attributes travel on subscription changes. */
const DRAFT_EVENT_TYPE = 'subscription.changed';
const DEFAULT_MAX_CATEGORIES = 20;

/** A column name as a feature name: an identifier (letters, digits, _), kept as is when it is one already. */
function featureNameOf(column: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(column)) return column;
  const snake = column
    .trim()
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase()
    .slice(0, 90);
  return /^[A-Za-z_]/.test(snake) ? snake : `c_${snake}`;
}

/** The label's positive value, from the two values the column holds (yes/no, true/false, 1/0, y/n). */
function positiveLabel(table: CustomerTable, index: number, column: string): string {
  const seen = new Set<string>();
  for (const row of table.rows) {
    const value = row.values[index]!;
    if (value === '')
      throw new CustomerTableError(`${table.source}: line ${row.line}: the label column "${column}" is blank (every training row needs its outcome)`);
    seen.add(value);
  }
  const pair = booleanPair([...seen]);
  if (!pair) {
    const values = [...seen]
      .sort()
      .slice(0, 10)
      .map((v) => `"${v}"`);
    throw new CustomerTableError(
      `cannot tell which value of the label column "${column}" means churned: it holds ${values.join(', ')}${seen.size > 10 ? ', …' : ''}; expected exactly two values, one of yes/no, true/false, 1/0 or y/n`,
    );
  }
  return pair.positive;
}

/** The id column must name every customer once. */
function checkIds(table: CustomerTable, index: number, column: string): void {
  const firstLine = new Map<string, number>();
  for (const row of table.rows) {
    const id = row.values[index]!;
    if (id === '') throw new CustomerTableError(`${table.source}: line ${row.line}: the id column "${column}" is blank`);
    const first = firstLine.get(id);
    if (first !== undefined)
      throw new CustomerTableError(
        `${table.source}: line ${row.line}: id "${id}" of column "${column}" is also on line ${first}: an id column names each customer once`,
      );
    firstLine.set(id, row.line);
  }
}

/**
 * Drafts a spec from a customer table, for a person to edit: each column other than the id and the label
 * becomes an attribute — boolean (a yes/no pair), numeric, or categorical (listed when there are few
 * values, open-ended with a cap when there are many) — set by a subscription.changed field of its name.
 */
export function inferSpec(table: CustomerTable, options: InferOptions): DraftSpec {
  const idIndex = columnIndex(table, options.idColumn, '--id');
  const labelIndex = columnIndex(table, options.labelColumn, '--label');
  if (idIndex === labelIndex) throw new CustomerTableError(`--id and --label both name "${options.idColumn}": the id and the label are different columns`);
  checkIds(table, idIndex, options.idColumn);
  const positive = positiveLabel(table, labelIndex, options.labelColumn);
  const cap = options.maxListedCategories ?? DEFAULT_MAX_CATEGORIES;

  const notes: string[] = [];
  const attributes: NonNullable<FeatureSpecInput['attributes']> = [];
  const names = new Set<string>();
  table.columns.forEach((column, index) => {
    if (index === idIndex || index === labelIndex) return;
    const profile = profileColumn(table.rows.map((row) => row.values[index]!));
    if (profile.kind === 'empty') {
      notes.push(`${column}: blank in every row, left out`);
      return;
    }
    if (profile.kind === 'constant') {
      notes.push(`${column}: "${profile.value}" in every row (it tells no customer from another), left out`);
      return;
    }
    let name = featureNameOf(column);
    for (let n = 2; names.has(name); n++) name = `${featureNameOf(column)}_${n}`;
    names.add(name);
    // Read in this order: name, type and categories first, then where the value comes from.
    const base = {
      ...(name === column ? {} : { column }),
      set_by: { event_type: DRAFT_EVENT_TYPE, field: name },
      ...(profile.blanks > 0 ? { optional: true } : {}),
    };
    if (profile.blanks > 0) notes.push(`${name}: blank in ${profile.blanks} of ${table.rows.length} rows, drafted optional (a blank is a missing value)`);
    if (profile.kind === 'categorical' && profile.values.length > cap) {
      attributes.push({ name, type: 'categorical', max_categories: cap, ...base });
      const unique = profile.values.length === table.rows.length - profile.blanks;
      notes.push(
        unique
          ? `${name}: a different value in every row — an identifier or free text? Likely no feature: consider removing it`
          : `${name}: ${profile.values.length} distinct values, drafted open-ended (the ${cap} most frequent keep their own category, the rest fall into "other")`,
      );
    } else if (profile.kind === 'categorical') {
      attributes.push({ name, type: 'categorical', categories: [...profile.values], ...base });
    } else {
      attributes.push({ name, type: profile.kind, ...base });
    }
  });
  if (attributes.length === 0)
    throw new CustomerTableError(
      `${table.source}: no column besides "${options.idColumn}" and "${options.labelColumn}" tells customers apart: nothing to draft`,
    );
  return {
    spec: {
      version: FEATURE_SPEC_VERSION,
      description: `Drafted by churn spec infer from ${table.source} (${table.rows.length} customers).`,
      customer_id: { column: options.idColumn },
      label: { column: options.labelColumn, positive },
      attributes,
    },
    notes,
  };
}

/** The draft as YAML, opening with what to review. */
export function draftToYaml(draft: DraftSpec): string {
  // YAML 1.1 quoting ("Yes", "No", "y", "on" quoted): readers of the older YAML, such as PyYAML, would take them for booleans.
  const document = new Document(draft.spec, { version: '1.1' });
  const review = [
    ' A DRAFT feature spec, inferred from a table: review it before training on it.',
    ' - Types: each column was read as boolean (a yes/no, true/false, 1/0 or y/n pair), numeric, or categorical.',
    '   A numeric code (a region number, a zip code) is better categorical; a yes/no kept as text is better boolean.',
    ' - Categories: a closed list refuses any value outside it; open-ended (max_categories) takes new values into "other".',
    ' - set_by: every attribute points at a subscription.changed payload field of its name; name the event and field',
    '   that really carry it (customer.signed_up for what is known at sign-up).',
    ' - Derived features (months since sign-up, lifetime sums) and behavioural aggregates (payment failures, tickets,',
    '   usage trends) cannot be seen in a table: add them. docs/feature-spec.md describes every field.',
    ...(draft.notes.length > 0 ? [' Columns to look at:', ...draft.notes.map((note) => ` - ${note}`)] : []),
  ];
  document.commentBefore = review.join('\n');
  return document.toString({ lineWidth: 0 });
}
