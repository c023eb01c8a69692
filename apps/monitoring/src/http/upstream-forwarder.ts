import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Response } from 'express';
import type { Counter } from 'prom-client';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, type AuthenticatedRequest } from '@churn/service-kit';
import { SessionService } from '../auth/session.service';
import { UpstreamError } from './upstream-error';

/**
 * The services monitoring forwards the dashboard's requests to, each with the error code of a 502
 * when it cannot be reached.
 */
export const UPSTREAMS = {
  alerting: { code: 'ALERTING_UNAVAILABLE' as const, what: "alerting's API" },
  'crm-sync': { code: 'CRM_SYNC_UNAVAILABLE' as const, what: "crm-sync's API" },
  scorer: { code: 'SCORER_UNAVAILABLE' as const, what: "the scorer's models API" },
  sandbox: { code: 'SANDBOX_UNAVAILABLE' as const, what: 'the integration sandbox (has the demo stopped?)' },
} as const;

export type UpstreamName = keyof typeof UPSTREAMS;

/** How long monitoring waits for an upstream's answer before answering 504. */
export const UPSTREAM_TIMEOUT_MS = 5000;

export interface ForwardedRequest {
  readonly method: 'GET' | 'POST';
  /**
   * The caller's own `Authorization` header, passed on unchanged (monitoring holds no credential of
   * its own), or the short-lived bearer minted for a signed-in person: `authorizationOf(request)`.
   */
  readonly authorization?: string | undefined;
  /** A JSON body (POST). */
  readonly body?: unknown;
}

/**
 * Forwards one request to another service's HTTP API and relays its answer unchanged (status,
 * content type, body): the upstream decides, monitoring adds nothing and weakens nothing. Counts
 * every request in `monitoring_upstream_requests_total{upstream,status}` (status: the upstream's
 * HTTP status, `unreachable` or `timeout`), logs writes and failures, and answers 502 with the
 * upstream's code when it cannot be reached, 504 UPSTREAM_TIMEOUT when it does not answer within
 * UPSTREAM_TIMEOUT_MS. An upstream's own error answer (problem+json) is relayed as it came.
 */
@Injectable()
export class UpstreamForwarder {
  private readonly logger: Logger;
  private readonly requests: Counter<'upstream' | 'status'>;

  constructor(
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Optional() @Inject(SessionService) private readonly sessions?: SessionService,
  ) {
    this.logger = logger.child({ context: UpstreamForwarder.name });
    this.requests = getOrCreateCounter(registry, {
      name: 'monitoring_upstream_requests_total',
      help: 'Requests monitoring forwarded to another service (alerting, crm-sync, scorer, sandbox), by the upstream’s HTTP status, "unreachable" or "timeout".',
      labelNames: ['upstream', 'status'],
    });
  }

  /**
   * What authorizes a forwarded request: the caller's bearer header as it came; for a signed-in
   * person (no header, a session cookie), a bearer token minted for their principal that lives
   * FORWARDED_TOKEN_SECONDS (the upstreams check bearer tokens only); nothing for an anonymous
   * caller (the upstream answers 401). A state-changing request with a session must carry its CSRF
   * token, as the guard requires.
   */
  async authorizationOf(request: AuthenticatedRequest): Promise<string | undefined> {
    if (request.headers.authorization !== undefined) return request.headers.authorization;
    const principal = request.principal?.via === 'session' ? request.principal : await this.sessions?.authenticate(request);
    return principal ? this.sessions!.forwardedAuthorization(principal) : undefined;
  }

  /** The upstream's answer; UpstreamError `<UPSTREAM>_UNAVAILABLE` when unreachable, UPSTREAM_TIMEOUT when too slow. */
  async forward(upstream: UpstreamName, url: URL, request: ForwardedRequest): Promise<globalThis.Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.authorization) headers['authorization'] = request.authorization;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const started = Date.now();
    const target = { upstream, method: request.method, path: url.pathname };
    let answer: globalThis.Response;
    try {
      answer = await fetch(url, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
    } catch (error) {
      // AbortSignal.timeout aborts fetch with a DOMException named TimeoutError
      // (https://developer.mozilla.org/en-US/docs/Web/API/AbortSignal/timeout_static).
      const timedOut = (error as Error).name === 'TimeoutError';
      this.requests.inc({ upstream, status: timedOut ? 'timeout' : 'unreachable' });
      this.logger.warn(
        { ...target, duration_ms: Date.now() - started, err: error },
        timedOut ? 'upstream did not answer in time' : 'upstream could not be reached',
      );
      if (timedOut)
        throw new UpstreamError('UPSTREAM_TIMEOUT', `${UPSTREAMS[upstream].what} at ${url.origin} did not answer within ${UPSTREAM_TIMEOUT_MS} ms`, {
          upstream,
        });
      throw new UpstreamError(UPSTREAMS[upstream].code, `${UPSTREAMS[upstream].what} at ${url.origin} could not be reached`, { upstream });
    }
    this.requests.inc({ upstream, status: String(answer.status) });
    const fields = { ...target, status: answer.status, duration_ms: Date.now() - started };
    if (request.method !== 'GET') this.logger.info(fields, 'request forwarded');
    else if (answer.status >= 500) this.logger.warn(fields, 'upstream answered with an error');
    else this.logger.debug(fields, 'request forwarded');
    return answer;
  }

  /** Forwards and sends the upstream's answer to `res` as it came. */
  async relay(res: Response, upstream: UpstreamName, url: URL, request: ForwardedRequest): Promise<void> {
    const answer = await this.forward(upstream, url, request);
    res
      .status(answer.status)
      .type(answer.headers.get('content-type') ?? 'application/json')
      .send(await answer.text());
  }
}
