import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { SignJWT } from 'jose';
import { Database } from '@churn/db';
import { MonitoringSessionsRepository, type SessionRow } from '@churn/monitoring-data';
import type { Logger, Registry } from '@churn/observability';
import { AuthError, LOGGER, METRICS_REGISTRY, SERVICE_CONFIG, type Principal, type SessionAuthenticator } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { cookieOf } from './session-cookie';
import { signInSettingsOf, type SignInSettings } from './sign-in-env';
import { signInMetrics, type SignInMetrics } from './sign-in-metrics';
import { SessionError } from './session-error';

/** Methods that change nothing: the only ones a session cookie may make without the CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Lifetime of the bearer token minted for a session's request forwarded to alerting or crm-sync. */
export const FORWARDED_TOKEN_SECONDS = 300;

/** A signed-in person as `GET /v1/session` shows them. */
export interface SessionView {
  readonly principal: Principal;
  readonly csrfToken: string;
  /** The absolute end of the session. */
  readonly expiresAt: Date;
  /** When it ends if unused: the idle timeout from now. */
  readonly idleExpiresAt: Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/**
 * Server-side sessions of signed-in people, in monitoring's `monitoring_sessions`: the cookie holds
 * a random id, the table its sha256, the person's roles and a CSRF token. A session ends at its
 * absolute lifetime (SESSION_MAX_AGE_SECONDS), after SESSION_IDLE_TIMEOUT_SECONDS unused, or at
 * sign-out. CSRF: the synchronizer token kept in the session row must come back in `x-csrf-token`
 * on every state-changing request made with the cookie (OWASP's token pattern for stateful
 * servers); a library such as csrf-csrf implements the double-submit cookie, the pattern for
 * servers without a session store, so it would add nothing here. Bearer requests are exempt: a
 * browser never attaches an Authorization header on its own.
 */
@Injectable()
export class SessionService implements SessionAuthenticator {
  readonly settings: SignInSettings | null;
  readonly metrics: SignInMetrics;
  private readonly repository = new MonitoringSessionsRepository();
  private readonly logger: Logger;
  private readonly signingKey: Uint8Array | null;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(Database) private readonly database: Database,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.settings = signInSettingsOf(config);
    this.logger = logger.child({ context: SessionService.name });
    this.signingKey = config.AUTH_JWT_SECRET ? new TextEncoder().encode(config.AUTH_JWT_SECRET) : null;
    const settings = this.settings;
    this.metrics = signInMetrics(registry, async () => (settings ? this.repository.countLive(this.database, new Date(), settings.idleSeconds) : 0));
  }

  /**
   * The principal of the request's session; null without a session cookie (or with sign-in off);
   * SessionError SESSION_ENDED (401) for a cookie of no live session, CSRF_TOKEN_INVALID (403) for a
   * state-changing request without the session's CSRF token.
   */
  async authenticate(request: Request): Promise<Principal | null> {
    const view = await this.sessionOf(request);
    if (!view) return null;
    if (!SAFE_METHODS.has(request.method) && !sameToken(view.csrfToken, request.headers['x-csrf-token'])) {
      this.metrics.refusals.inc({ reason: 'csrf' });
      this.logger.warn({ path: request.path, method: request.method, subject: view.principal.subject }, 'session request without its CSRF token refused');
      throw new SessionError(
        'CSRF_TOKEN_INVALID',
        'a request made with the session cookie must carry the session’s CSRF token in the x-csrf-token header (GET /v1/session gives it)',
      );
    }
    return view.principal;
  }

  /** The request's live session (its last use moved to now); null without a cookie; 401 SESSION_ENDED for an ended one. */
  async sessionOf(request: Request): Promise<SessionView | null> {
    const cookie = this.settings ? cookieOf(request, this.settings.cookieName) : undefined;
    if (!this.settings || cookie === undefined) return null;
    const row = await this.repository.touch(this.database, sha256(cookie), new Date(), this.settings.idleSeconds);
    if (!row) {
      this.metrics.refusals.inc({ reason: 'ended' });
      throw new SessionError('SESSION_ENDED', 'your session has ended (expired, unused for too long, or signed out): sign in again', {
        sign_in: '/auth/login',
      });
    }
    return this.viewOf(row);
  }

  /**
   * A new session for a person who signed in (a new random id every time, so an id planted before
   * sign-in is worthless: no fixation); the one the browser held before, if any, is deleted. Also
   * deletes ended sessions and abandoned sign-ins. Returns the cookie's value.
   */
  async create(
    person: { subject: string; name?: string | undefined; email?: string | undefined; roles: readonly string[] },
    previousCookie: string | undefined,
  ): Promise<{ cookie: string; view: SessionView }> {
    const settings = this.requireSettings();
    const now = new Date();
    if (previousCookie !== undefined) await this.repository.delete(this.database, sha256(previousCookie));
    await this.repository.deleteEnded(this.database, now, settings.idleSeconds);
    const cookie = randomToken();
    const row: SessionRow = {
      session_hash: sha256(cookie),
      subject: person.subject,
      name: person.name ?? null,
      email: person.email ?? null,
      roles: [...person.roles],
      csrf_token: randomToken(),
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + settings.maxAgeSeconds * 1000),
    };
    await this.repository.create(this.database, row);
    return { cookie, view: this.viewOf(row) };
  }

  /** Ends the request's session (CSRF-checked like any state change); whether there was a live one. */
  async signOut(request: Request): Promise<boolean> {
    const cookie = this.settings ? cookieOf(request, this.settings.cookieName) : undefined;
    if (cookie === undefined) return false;
    const principal = await this.authenticate(request).catch((error: unknown) => {
      if (error instanceof SessionError && error.code === 'SESSION_ENDED') return null;
      throw error;
    });
    await this.repository.delete(this.database, sha256(cookie));
    if (principal) this.logger.info({ subject: principal.subject }, 'signed out');
    return principal !== null;
  }

  /**
   * The Authorization header of a request monitoring forwards for a session's principal: a bearer
   * token signed with AUTH_JWT_SECRET for FORWARDED_TOKEN_SECONDS, with the principal's subject,
   * roles, name and e-mail (AUTH_JWT_ISSUER / AUTH_JWT_AUDIENCE when set), which the upstream checks
   * as it checks any bearer.
   */
  async forwardedAuthorization(principal: Principal): Promise<string> {
    if (!this.signingKey) throw new AuthError('AUTH_DISABLED', 'authentication is not configured: AUTH_JWT_SECRET is not set');
    const jwt = new SignJWT({
      roles: [...principal.roles],
      ...(principal.name ? { name: principal.name } : {}),
      ...(principal.email ? { email: principal.email } : {}),
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principal.subject)
      .setIssuedAt()
      .setExpirationTime(`${FORWARDED_TOKEN_SECONDS}s`);
    if (this.config.AUTH_JWT_ISSUER) jwt.setIssuer(this.config.AUTH_JWT_ISSUER);
    if (this.config.AUTH_JWT_AUDIENCE) jwt.setAudience(this.config.AUTH_JWT_AUDIENCE);
    return `Bearer ${await jwt.sign(this.signingKey)}`;
  }

  requireSettings(): SignInSettings {
    if (!this.settings) throw new SessionError('SIGN_IN_DISABLED', 'signing in is not configured (OIDC_ISSUER_URL is not set): use a bearer token');
    return this.settings;
  }

  private viewOf(row: SessionRow): SessionView {
    const idleEnd = row.last_seen_at.getTime() + this.requireSettings().idleSeconds * 1000;
    return {
      principal: {
        subject: row.subject,
        roles: row.roles,
        ...(row.name ? { name: row.name } : {}),
        ...(row.email ? { email: row.email } : {}),
        via: 'session',
      },
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
      idleExpiresAt: new Date(Math.min(idleEnd, row.expires_at.getTime())),
    };
  }
}

function sameToken(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
