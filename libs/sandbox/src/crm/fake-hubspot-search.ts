/** A filter of a CRM search request, as HubSpot's API takes it. */
export interface SearchFilter {
  readonly propertyName: string;
  readonly operator: string;
  readonly value?: string;
  readonly values?: readonly string[];
}

export interface SearchRequest {
  readonly filterGroups?: readonly { filters?: readonly SearchFilter[] }[];
  readonly sorts?: readonly (string | { propertyName?: string; direction?: string })[];
  readonly properties?: readonly string[];
  readonly limit?: number;
  readonly after?: string;
  readonly query?: string;
}

/** The search API's documented limits (developers.hubspot.com/docs/api/crm/search, "Limitations"). */
export const SEARCH_LIMITS = { maxPageSize: 200, maxFilterGroups: 5, maxFiltersPerGroup: 6, maxFilters: 18, maxResults: 10_000 } as const;

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);
const DATE_PROPERTIES = new Set(['hs_lastmodifieddate', 'hs_createdate', 'hs_timestamp', 'hs_task_completion_date']);

/** What is wrong with a search request, as HubSpot refuses it (400 VALIDATION_ERROR), or undefined. */
export function searchRequestProblem(request: SearchRequest, known: (property: string) => boolean, resultCap: number): string | undefined {
  const limit = request.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.maxPageSize)
    return `limit must be between 1 and ${SEARCH_LIMITS.maxPageSize}, got ${limit}`;
  const groups = request.filterGroups ?? [];
  if (groups.length > SEARCH_LIMITS.maxFilterGroups) return `at most ${SEARCH_LIMITS.maxFilterGroups} filterGroups are allowed`;
  const filters = groups.flatMap((g) => g.filters ?? []);
  if (groups.some((g) => (g.filters ?? []).length > SEARCH_LIMITS.maxFiltersPerGroup) || filters.length > SEARCH_LIMITS.maxFilters) return 'too many filters';
  for (const f of filters) {
    if (!OPERATORS.has(f.operator)) return `Invalid operator ${f.operator}`;
    if (!known(f.propertyName)) return `Unable to find property ${f.propertyName}`;
    if (f.operator !== 'HAS_PROPERTY' && f.operator !== 'NOT_HAS_PROPERTY' && f.value === undefined && f.values === undefined)
      return `filter on ${f.propertyName} has no value`;
  }
  if ((request.sorts ?? []).length > 1) return 'only one sort is allowed';
  for (const sort of request.sorts ?? []) {
    const name = typeof sort === 'string' ? sort.replace(/^-/, '') : sort.propertyName;
    if (!name || !known(name)) return `Unable to find property ${String(name)} to sort on`;
  }
  const after = request.after === undefined ? 0 : Number(request.after);
  if (!Number.isInteger(after) || after < 0) return `after must be a non-negative integer, got ${request.after}`;
  if (after + limit > resultCap) return `The search API cannot page beyond ${resultCap} results (after ${after} + limit ${limit})`;
  return undefined;
}

/** A property value as a comparable: date properties (ISO or epoch milliseconds) as milliseconds. */
function comparable(property: string, value: string | undefined | null): string | number | null {
  if (value === undefined || value === null || value === '') return null;
  if (DATE_PROPERTIES.has(property)) return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return value;
}

/** Whether a record matches the request: any filter group whose filters all match (no groups: every record). */
export function searchMatches(request: SearchRequest, properties: Readonly<Record<string, string | undefined>>): boolean {
  const groups = request.filterGroups ?? [];
  if (groups.length === 0) return true;
  return groups.some((g) =>
    (g.filters ?? []).every((f) => {
      const actual = comparable(f.propertyName, properties[f.propertyName]);
      if (f.operator === 'HAS_PROPERTY') return actual !== null;
      if (f.operator === 'NOT_HAS_PROPERTY') return actual === null;
      if (f.operator === 'IN' || f.operator === 'NOT_IN') {
        const found = (f.values ?? []).some((v) => comparable(f.propertyName, v) === actual);
        return f.operator === 'IN' ? found : !found;
      }
      const wanted = comparable(f.propertyName, f.value);
      if (f.operator === 'EQ') return actual === wanted;
      if (f.operator === 'NEQ') return actual !== wanted;
      if (actual === null || wanted === null) return false;
      if (f.operator === 'GT') return actual > wanted;
      if (f.operator === 'GTE') return actual >= wanted;
      if (f.operator === 'LT') return actual < wanted;
      if (f.operator === 'LTE') return actual <= wanted;
      return String(actual).toLowerCase().includes(String(wanted).toLowerCase()) === (f.operator === 'CONTAINS_TOKEN');
    }),
  );
}

/** Sorts by the request's one sort (default: by id, ascending). */
export function searchOrder(
  request: SearchRequest,
): (a: { id: string; properties: Record<string, string> }, b: { id: string; properties: Record<string, string> }) => number {
  const sort = request.sorts?.[0];
  const name = sort === undefined ? 'hs_object_id' : typeof sort === 'string' ? sort.replace(/^-/, '') : sort.propertyName!;
  const descending = sort !== undefined && (typeof sort === 'string' ? sort.startsWith('-') : sort.direction === 'DESCENDING');
  return (a, b) => {
    const x = comparable(name, name === 'hs_object_id' ? a.id : a.properties[name]) ?? '';
    const y = comparable(name, name === 'hs_object_id' ? b.id : b.properties[name]) ?? '';
    const order = x === y ? Number(a.id) - Number(b.id) : x < y ? -1 : 1;
    return descending ? -order : order;
  };
}
