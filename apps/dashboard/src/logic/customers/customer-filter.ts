/**
 * The customer list's filter, sort and page as the page's URL keeps them (`#/customers?risk_level=high&…`).
 * The URL uses the API's own parameter names, and values stay as typed: a malformed one goes to the API
 * unchanged, whose 400 names the parameter, so the page never disagrees with the API about what is valid.
 * No DOM here, and outside src/web: the Node build compiles it for the unit specs (dist/web is the
 * bundle's, which Vite empties); the bundle imports it as any page module.
 */

export const SORT_KEYS = ['score', 'score_change', 'revenue_at_risk'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const DEFAULT_SORT = '-score';
export const PAGE_SIZES = ['25', '50', '100'] as const;
export const DEFAULT_PAGE_SIZE = '25';
export const ATTRIBUTE_PREFIX = 'attr.';

/** `attr.<name>=<value>`: the value as typed (several values comma-separated). */
export interface AttributeCondition {
  readonly name: string;
  readonly value: string;
}

export interface CustomerFilter {
  readonly q: string;
  readonly riskLevels: readonly string[];
  readonly scoreMin: string;
  readonly scoreMax: string;
  readonly alertStates: readonly string[];
  readonly arm: string;
  /** `open`: customers with an open CRM task of the platform's; `none`: without one; '' either. */
  readonly crmTask: string;
  readonly attributes: readonly AttributeCondition[];
  /** `score`, or `-score` for descending (the API's spelling). */
  readonly sort: string;
  readonly page: string;
  readonly pageSize: string;
}

const list = (value: string | null): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

export function filterFromParams(params: URLSearchParams): CustomerFilter {
  const attributes: AttributeCondition[] = [];
  for (const [key, value] of params) {
    if (key.startsWith(ATTRIBUTE_PREFIX) && !attributes.some((a) => a.name === key.slice(ATTRIBUTE_PREFIX.length)))
      attributes.push({ name: key.slice(ATTRIBUTE_PREFIX.length), value });
  }
  return {
    q: params.get('q') ?? '',
    riskLevels: list(params.get('risk_level')),
    scoreMin: params.get('score_min') ?? '',
    scoreMax: params.get('score_max') ?? '',
    alertStates: list(params.get('alert_state')),
    arm: params.get('arm') ?? '',
    crmTask: params.get('crm_task') ?? '',
    attributes,
    sort: params.get('sort') || DEFAULT_SORT,
    page: params.get('page') || '1',
    pageSize: params.get('page_size') || DEFAULT_PAGE_SIZE,
  };
}

/** The page's URL query: defaults and empty values left out, so a plain list is `#/customers`. */
export function paramsOfFilter(filter: CustomerFilter): URLSearchParams {
  const params = filterParams(filter);
  if (filter.sort !== DEFAULT_SORT) params.set('sort', filter.sort);
  if (filter.page !== '1') params.set('page', filter.page);
  if (filter.pageSize !== DEFAULT_PAGE_SIZE) params.set('page_size', filter.pageSize);
  return params;
}

/** The API's query for the page shown: the filter, the sort, the page and its size. */
export function listQuery(filter: CustomerFilter): URLSearchParams {
  const params = exportQuery(filter);
  params.set('page', filter.page);
  params.set('page_size', filter.pageSize);
  return params;
}

/** The API's query for the CSV: the whole filter in the sort's order, no page. */
export function exportQuery(filter: CustomerFilter): URLSearchParams {
  const params = filterParams(filter);
  params.set('sort', filter.sort);
  return params;
}

function filterParams(filter: CustomerFilter): URLSearchParams {
  const params = new URLSearchParams();
  const add = (name: string, value: string) => {
    if (value.trim() !== '') params.set(name, value.trim());
  };
  add('q', filter.q);
  add('risk_level', filter.riskLevels.join(','));
  add('score_min', filter.scoreMin);
  add('score_max', filter.scoreMax);
  add('alert_state', filter.alertStates.join(','));
  add('arm', filter.arm);
  add('crm_task', filter.crmTask);
  for (const condition of filter.attributes) add(`${ATTRIBUTE_PREFIX}${condition.name}`, condition.value);
  return params;
}

/** The same list with another filter: back to its first page. */
export function withFilter(filter: CustomerFilter, change: Partial<Omit<CustomerFilter, 'page'>>): CustomerFilter {
  return { ...filter, ...change, page: '1' };
}

/** Nothing filtered, the sort and page size kept. */
export function clearedFilter(filter: CustomerFilter): CustomerFilter {
  return withFilter(filter, { q: '', riskLevels: [], scoreMin: '', scoreMax: '', alertStates: [], arm: '', crmTask: '', attributes: [] });
}

export function isFiltered(filter: CustomerFilter): boolean {
  return filterParams(filter).toString() !== '';
}

export function sortOf(filter: CustomerFilter): { key: string; descending: boolean } {
  const descending = filter.sort.startsWith('-');
  return { key: descending ? filter.sort.slice(1) : filter.sort, descending };
}

/** A column's sort: the column sorted already turns around; another starts descending (highest first). */
export function withSortBy(filter: CustomerFilter, key: SortKey): CustomerFilter {
  const current = sortOf(filter);
  const descending = current.key === key ? !current.descending : true;
  return { ...filter, sort: descending ? `-${key}` : key, page: '1' };
}

export function withPage(filter: CustomerFilter, page: number): CustomerFilter {
  return { ...filter, page: String(page) };
}

/** Pages of a total (at least one, the empty list's). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}
