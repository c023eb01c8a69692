/**
 * Client-side routes in the URL's fragment (`#/models`): monitoring serves one index.html at `/`, its
 * relative asset URLs stay right on every page, and a deep link needs nothing from the server.
 */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'queue'; readonly params: URLSearchParams }
  | { readonly page: 'customers'; readonly params: URLSearchParams }
  | { readonly page: 'customer'; readonly customerId: string }
  | { readonly page: 'experiments'; readonly name: string | null }
  | { readonly page: 'roi'; readonly params: URLSearchParams }
  | { readonly page: 'models' }
  | { readonly page: 'not-found'; readonly path: string };

export type PageName = Route['page'];

/** `#/`, `#/queue?…`, `#/customers?…`, `#/customers/<id>`, `#/experiments`, `#/experiments/<name>`, `#/roi?from=…&to=…&bucket=…`, `#/models`; anything else is not found. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  if (raw === '' || raw === '/') return { page: 'overview' };
  const [pathPart = '', query = ''] = raw.split('?', 2);
  const segments = pathPart
    .split('/')
    .filter(Boolean)
    .map((s) => safeDecode(s));
  const [first, second, ...rest] = segments;
  if (rest.length === 0) {
    if (first === 'queue' && second === undefined) return { page: 'queue', params: new URLSearchParams(query) };
    if (first === 'customers')
      return second === undefined ? { page: 'customers', params: new URLSearchParams(query) } : { page: 'customer', customerId: second };
    if (first === 'experiments') return { page: 'experiments', name: second ?? null };
    if (first === 'roi' && second === undefined) return { page: 'roi', params: new URLSearchParams(query) };
    if (first === 'models' && second === undefined) return { page: 'models' };
  }
  return { page: 'not-found', path: raw };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'overview':
      return '#/';
    case 'queue':
    case 'customers': {
      const query = route.params.toString();
      return query ? `#/${route.page}?${query}` : `#/${route.page}`;
    }
    case 'customer':
      return `#/customers/${encodeURIComponent(route.customerId)}`;
    case 'experiments':
      return route.name === null ? '#/experiments' : `#/experiments/${encodeURIComponent(route.name)}`;
    case 'roi': {
      const query = route.params.toString();
      return query ? `#/roi?${query}` : '#/roi';
    }
    case 'models':
      return '#/models';
    case 'not-found':
      return `#${route.path}`;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
