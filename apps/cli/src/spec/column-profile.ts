import { BOOLEAN_PAIRS } from '@churn/feature-spec';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** What a column's values look like, blanks being missing values. */
export type ColumnProfile =
  | { readonly kind: 'empty' }
  | { readonly kind: 'constant'; readonly value: string }
  | { readonly kind: 'boolean'; readonly blanks: number }
  | { readonly kind: 'numeric'; readonly blanks: number }
  | { readonly kind: 'categorical'; readonly blanks: number; readonly values: readonly string[]; readonly counts: ReadonlyMap<string, number> };

/** The pair two distinct values spell (exactly: the label's positive value is compared as written), and which means yes; undefined when they are no such pair. */
export function booleanPair(values: readonly string[]): { positive: string; negative: string } | undefined {
  if (values.length !== 2) return undefined;
  const lower = values.map((v) => v.toLowerCase());
  for (const [yes, no] of BOOLEAN_PAIRS) {
    const y = lower.indexOf(yes);
    const n = lower.indexOf(no);
    if (y >= 0 && n >= 0) return { positive: values[y]!, negative: values[n]! };
  }
  return undefined;
}

/** Whether a column's distinct values are one yes/no pair, in whatever case (Yes, yes, YES). */
function isBooleanColumn(values: readonly string[]): boolean {
  const lower = [...new Set(values.map((v) => v.toLowerCase()))];
  return booleanPair(lower) !== undefined;
}

/** Profiles one column: empty, constant, boolean (a yes/no pair), numeric, else categorical. */
export function profileColumn(values: readonly string[]): ColumnProfile {
  const counts = new Map<string, number>();
  let blanks = 0;
  for (const value of values) {
    if (value === '') blanks++;
    else counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const distinct = [...counts.keys()];
  if (distinct.length === 0) return { kind: 'empty' };
  if (distinct.length === 1) return { kind: 'constant', value: distinct[0]! };
  if (isBooleanColumn(distinct)) return { kind: 'boolean', blanks };
  if (distinct.every((v) => NUMBER.test(v))) return { kind: 'numeric', blanks };
  return { kind: 'categorical', blanks, values: distinct.sort(), counts };
}
