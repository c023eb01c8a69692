/**
 * A route of another service that monitoring calls for the dashboard: its method and OpenAPI path
 * template (`/v1/alerts/{id}/ack`), and the path with its parameters filled in and encoded.
 */
export interface ForwardedRoute {
  readonly method: 'GET' | 'POST';
  readonly template: string;
  path(...params: string[]): string;
  /** `POST /v1/alerts/{id}/ack`, as the upstream's OpenAPI spec lists its routes. */
  readonly key: string;
}

function route(method: ForwardedRoute['method'], template: string): ForwardedRoute {
  const placeholders = template.match(/\{[^}]+\}/g) ?? [];
  return {
    method,
    template,
    key: `${method} ${template}`,
    path: (...params) => {
      if (params.length !== placeholders.length) throw new Error(`${template} takes ${placeholders.length} parameter(s), got ${params.length}`);
      let next = 0;
      return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[next++]!));
    },
  };
}

/**
 * The routes monitoring forwards to, one table per upstream. Each upstream's OpenAPI spec checks that
 * it serves every route of its table, so renaming a route there fails that spec instead of a 404 that
 * only the dashboard would meet.
 */
export const ALERTING_ROUTES = {
  queue: route('GET', '/v1/alerts'),
  bulk: route('POST', '/v1/alerts/bulk'),
  alert: route('GET', '/v1/alerts/{id}'),
  acknowledge: route('POST', '/v1/alerts/{id}/ack'),
  assign: route('POST', '/v1/alerts/{id}/assign'),
  resolve: route('POST', '/v1/alerts/{id}/resolve'),
  history: route('GET', '/v1/alerts/{id}/history'),
  rules: route('GET', '/v1/alerts/rules'),
} as const;

export const SCORER_ROUTES = {
  models: route('GET', '/v1/models'),
  activate: route('POST', '/v1/models/{version}/activate'),
  rollout: route('POST', '/v1/models/{version}/rollout'),
  rollback: route('POST', '/v1/models/rollout/rollback'),
} as const;

export const CRM_SYNC_ROUTES = {
  integrations: route('GET', '/v1/integrations'),
  resume: route('POST', '/v1/integrations/{crm}/resume'),
} as const;
