/**
 * The work queue's filters, sort and page as the URL's query carries them (`#/queue?level=high&owner=me`),
 * so a filtered queue is a link to share and Back returns to the previous one. Values stay the strings the
 * URL holds: alerting validates them, and a malformed one comes back as a 400 naming its parameter.
 * Browser-free, so Node's test runner checks it.
 */
export interface QueueFilters {
  /** A level, or '' for any. */
  readonly level: string;
  /** States, comma-separated, or `all`. */
  readonly state: string;
  /** '' (anyone), `me`, `none` (unassigned) or a person as assigned. */
  readonly owner: string;
  /** `true`: only pending alerts past their deadline; '' for all. */
  readonly overdue: string;
  readonly sort: string;
  readonly page: string;
  readonly page_size: string;
}

export type FilterKey = keyof QueueFilters;

/** What a retention agent works on by default: the open alerts, soonest deadline first. */
export const DEFAULT_FILTERS: QueueFilters = { level: '', state: 'pending,acknowledged', owner: '', overdue: '', sort: 'due_at', page: '1', page_size: '50' };

/** `state=all` in the URL: no state filter at all (the API's default when the parameter is absent). */
export const ALL_STATES = 'all';

const KEYS = Object.keys(DEFAULT_FILTERS) as FilterKey[];

export function filtersFromParams(params: URLSearchParams): QueueFilters {
  const entries = KEYS.map((key) => [key, params.get(key) || DEFAULT_FILTERS[key]] as const);
  return Object.fromEntries(entries) as unknown as QueueFilters;
}

/** The URL's query: only what differs from the defaults, so the plain queue is `#/queue`. */
export function paramsOfFilters(filters: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of KEYS) if (filters[key] !== DEFAULT_FILTERS[key]) params.set(key, filters[key]);
  return params;
}

/** The query of `GET v1/alerts`. */
export function apiQueryOf(filters: QueueFilters): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value === '' || (key === 'state' && value === ALL_STATES)) continue;
    query.set(key, value);
  }
  return query;
}

/** A changed filter starts again at page 1; only paging keeps the rest as it is. */
export function withFilter(filters: QueueFilters, key: FilterKey, value: string): QueueFilters {
  return { ...filters, [key]: value, ...(key === 'page' ? {} : { page: '1' }) };
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
