import { Gauge, type Counter } from 'prom-client';
import { getOrCreateCounter, type Registry } from '@churn/observability';

/** Results of a sign-in (the `result` label). */
export type SignInResult = 'signed_in' | 'no_role' | 'provider_error' | 'provider_unreachable' | 'invalid_state' | 'failed';
/** Why a request with a session cookie was refused (the `reason` label). */
export type SessionRefusal = 'ended' | 'csrf';
/** How a sign-in's redirect asks the provider (the `prompt` label): `login` asks for credentials again. */
export type SignInPrompt = 'login' | 'default';

export interface SignInMetrics {
  readonly signIns: Counter<'result'>;
  readonly refusals: Counter<'reason'>;
  readonly redirects: Counter<'prompt'>;
}

/**
 * `monitoring_sign_ins_total{result}`, `monitoring_session_refusals_total{reason}`,
 * `monitoring_sign_in_redirects_total{prompt}` and
 * `monitoring_sessions_active` (live sessions, counted in Postgres when scraped).
 */
export function signInMetrics(registry: Registry, countLive: () => Promise<number>): SignInMetrics {
  const name = 'monitoring_sessions_active';
  if (!registry.getSingleMetric(name)) {
    // prom-client awaits an async collect() on every scrape; a failed count reports NaN rather
    // than failing the whole scrape.
    new Gauge({
      name,
      help: 'Sessions of signed-in people neither expired nor idle, counted in Postgres when scraped.',
      registers: [registry],
      async collect() {
        this.set(await countLive().catch(() => Number.NaN));
      },
    });
  }
  return {
    signIns: getOrCreateCounter(registry, {
      name: 'monitoring_sign_ins_total',
      help: 'Sign-ins through the OpenID provider, by result: signed_in, no_role (claims map to no role), provider_error (the provider answered an error), provider_unreachable (discovery failed), invalid_state (callback not of this browser, replayed or late), failed (code exchange or ID token refused).',
      labelNames: ['result'] as const,
    }),
    refusals: getOrCreateCounter(registry, {
      name: 'monitoring_session_refusals_total',
      help: 'Requests with a session cookie refused, by reason: ended (expired, idle or signed out), csrf (state-changing request without the session’s CSRF token).',
      labelNames: ['reason'] as const,
    }),
    redirects: getOrCreateCounter(registry, {
      name: 'monitoring_sign_in_redirects_total',
      help: 'Sign-ins started (redirects to the OpenID provider), by prompt: login (the provider asks for credentials again: after a sign-out in this browser, or asked with prompt=login), default (the provider may sign the person in with its own session).',
      labelNames: ['prompt'] as const,
    }),
  };
}
