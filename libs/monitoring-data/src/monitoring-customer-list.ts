/** What `GET /v1/customers` may ask of monitoring's customer read model (already validated against the spec). */
export interface CustomerListFilter {
  /** A customer id prefix or a substring of a text attribute, case-insensitive. */
  readonly q?: string;
  readonly riskLevels?: readonly string[];
  readonly scoreMin?: number;
  readonly scoreMax?: number;
  /** Alert states to match; `none` matches a customer who never had an alert. */
  readonly alertStates?: readonly string[];
  readonly arms?: readonly string[];
  /** Attributes of the active spec, each with the values it may take (one of them). */
  readonly attributes?: readonly { readonly name: string; readonly values: readonly (string | number)[] }[];
  /** `open`: the customer has a CRM task open; `none`: no open one. */
  readonly crmTask?: 'open' | 'none';
}

export const CUSTOMER_SORT_KEYS = ['score', 'score_change', 'revenue_at_risk'] as const;
export type CustomerSortKey = (typeof CUSTOMER_SORT_KEYS)[number];
export interface CustomerSort {
  readonly key: CustomerSortKey;
  readonly direction: 'asc' | 'desc';
}

/** `LIKE` treats `%`, `_` and `\` specially: a search for "50%" means the characters. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The bound parameters ($1–$11) of the list's statement for a filter: every absent filter is NULL, which
 * the statement reads as "no condition" (Postgres plans unnamed statements with their values, so a NULL
 * guard folds away rather than costing a check per row). Single-valued attributes are merged into one
 * containment (`features @> {...}`, which the GIN index answers); attributes with several values are
 * checked per name (`{"name": [values]}`).
 */
export function customerListParameters(filter: CustomerListFilter): unknown[] {
  const q = filter.q?.trim().toLowerCase();
  const nonEmpty = <T>(values: readonly T[] | undefined) => (values && values.length > 0 ? [...values] : null);
  const alertStates = filter.alertStates ?? [];
  const states = alertStates.filter((s) => s !== 'none');
  const single: Record<string, string | number> = {};
  const multiple: Record<string, (string | number)[]> = {};
  for (const { name, values } of filter.attributes ?? []) {
    const distinct = [...new Set(values)];
    if (distinct.length === 1) single[name] = distinct[0]!;
    else if (distinct.length > 1) multiple[name] = distinct;
  }
  return [
    q ? `${escapeLike(q)}%` : null,
    q ? `%${escapeLike(q)}%` : null,
    nonEmpty(filter.riskLevels),
    filter.scoreMin ?? null,
    filter.scoreMax ?? null,
    states.length > 0 ? states : null,
    alertStates.includes('none'),
    nonEmpty(filter.arms),
    Object.keys(single).length > 0 ? JSON.stringify(single) : null,
    Object.keys(multiple).length > 0 ? JSON.stringify(multiple) : null,
    filter.crmTask === undefined ? null : filter.crmTask === 'open',
  ];
}
