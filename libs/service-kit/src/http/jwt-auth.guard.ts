import { CanActivate, ExecutionContext, Inject, Injectable, Optional, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Counter } from 'prom-client';
import { z } from 'zod';
import { getOrCreateCounter, type Logger, type Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '../core/tokens';
import { DomainError } from '../errors/domain-error';

export type AuthErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'AUTH_DISABLED';

/** A request without valid credentials (401), without the role (403), or to a service with no secret (503). */
export class AuthError extends DomainError<AuthErrorCode> {}

/** Environment of services with authenticated endpoints; extend a service's config schema with it. */
export const authEnvSchema = z.object({
  /** HS256 secret of bearer tokens (at least 32 characters); unset: authenticated endpoints answer 503. */
  AUTH_JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  /**
   * Longest lifetime a token may have, in seconds: `exp` − `iat` (or `exp` − now when `iat` is
   * missing or in the future) above it is refused, so a leaked token cannot be minted to last for
   * years. Every token must carry `exp`. Default 24 hours (an agent's working day plus slack).
   */
  AUTH_JWT_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(86_400),
  /** When set, a token's `iss` claim must equal it (tokens minted by another issuer are refused). */
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  /** When set, a token's `aud` claim must contain it (tokens meant for another audience are refused). */
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
});

export type AuthEnv = z.output<typeof authEnvSchema>;

/** What a bearer token must satisfy; null when the service has no secret (authenticated endpoints answer 503). */
export interface BearerPolicy {
  readonly key: Uint8Array;
  readonly maxLifetimeSeconds: number;
  readonly issuer?: string;
  readonly audience?: string;
}

export function bearerPolicyOf(config: Partial<AuthEnv>): BearerPolicy | null {
  if (!config.AUTH_JWT_SECRET) return null;
  return {
    key: new TextEncoder().encode(config.AUTH_JWT_SECRET),
    maxLifetimeSeconds: config.AUTH_JWT_MAX_LIFETIME_SECONDS ?? authEnvSchema.shape.AUTH_JWT_MAX_LIFETIME_SECONDS.parse(undefined),
    ...(config.AUTH_JWT_ISSUER ? { issuer: config.AUTH_JWT_ISSUER } : {}),
    ...(config.AUTH_JWT_AUDIENCE ? { audience: config.AUTH_JWT_AUDIENCE } : {}),
  };
}

/** Who made a request: the token's (or the signed-in person's) subject and roles. */
export interface Principal {
  readonly subject: string;
  readonly roles: readonly string[];
  /** The person's name and e-mail, when a session (or the token's `name`/`email` claims) tells them. */
  readonly name?: string;
  readonly email?: string;
  /** How the request proved who made it: a bearer token, or a signed-in person's session cookie. */
  readonly via?: 'bearer' | 'session';
}

export type AuthenticatedRequest = Request & { principal?: Principal };

export const REQUIRED_ROLES = 'churn:required-roles';

/** Roles of which the token must carry at least one (any authenticated subject when none are given). */
export const RequireRoles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The roles people hold, lowest first: each may do what the ones before it may. */
export const PERSON_ROLES = ['agent', 'admin'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** The token must carry `role` or a role above it in PERSON_ROLES. */
export const RequireRoleOrHigher = (role: PersonRole) => RequireRoles(...PERSON_ROLES.slice(PERSON_ROLES.indexOf(role)));

/**
 * A service that signs people in (monitoring) provides this under SESSION_AUTHENTICATOR: the guard
 * asks it about a request that carries no Authorization header. It answers the session's principal,
 * null when the request carries no session cookie at all, and throws a DomainError (401 for an
 * expired or unknown session, 403 for a state-changing request without the session's CSRF token).
 */
export interface SessionAuthenticator {
  authenticate(request: Request): Promise<Principal | null>;
}

export const SESSION_AUTHENTICATOR = Symbol('SESSION_AUTHENTICATOR');

/** Why a token was refused: the `reason` label of `churn_auth_refusals_total` and the log line. */
export type RefusalReason = 'missing' | 'invalid' | 'expired' | 'no_expiry' | 'lifetime' | 'issuer' | 'audience' | 'no_subject' | 'role';

/**
 * Bearer JWT (HS256, secret AUTH_JWT_SECRET) with a `sub`, an `exp` and a `roles` claim (array of
 * strings); `iss`/`aud` checked when AUTH_JWT_ISSUER/AUTH_JWT_AUDIENCE are set. In a service that
 * provides SESSION_AUTHENTICATOR, a request without an Authorization header may instead carry a
 * signed-in person's session cookie; the same roles are then required of the session's principal. 401 for a missing,
 * malformed, forged, expired, expiry-less or too long-lived token; 403 when none of the required
 * roles is present; 503 when the service has no secret configured. Tokens and the secret are never
 * logged; each refusal counts in `churn_auth_refusals_total{reason}`.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly policy: BearerPolicy | null;
  private readonly logger: Logger;
  private readonly refusals: Counter<'reason'>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(SERVICE_CONFIG) config: Partial<AuthEnv>,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Optional() @Inject(SESSION_AUTHENTICATOR) private readonly sessions?: SessionAuthenticator,
  ) {
    this.policy = bearerPolicyOf(config);
    this.logger = logger.child({ context: JwtAuthGuard.name });
    this.refusals = getOrCreateCounter(registry, {
      name: 'churn_auth_refusals_total',
      help: 'Bearer tokens refused, by reason (missing, invalid, expired, no_expiry, lifetime, issuer, audience, no_subject, role).',
      labelNames: ['reason'],
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, [context.getHandler(), context.getClass()]) ?? [];
    const onRefused = (reason: RefusalReason, detail: string) => {
      this.refusals.inc({ reason });
      this.logger.warn({ path: request.path, reason, detail }, 'bearer token refused');
    };
    const session = request.headers.authorization === undefined && this.sessions ? await this.sessions.authenticate(request) : null;
    if (session) {
      if (required.length > 0 && !required.some((role) => session.roles.includes(role))) {
        onRefused('role', `session has roles: ${session.roles.join(', ') || '(none)'}`);
        throw new AuthError('FORBIDDEN', `requires one of the roles: ${required.join(', ')}`);
      }
      request.principal = session;
      return true;
    }
    request.principal = await verifyBearer(this.policy, request.headers.authorization, required, onRefused);
    return true;
  }
}

/** The guard's check without Nest, for callers outside a controller. */
export async function verifyBearer(
  policy: BearerPolicy | null,
  authorization: string | undefined,
  required: readonly string[],
  onRefused: (reason: RefusalReason, detail: string) => void = () => undefined,
): Promise<Principal> {
  if (!policy) throw new AuthError('AUTH_DISABLED', 'authentication is not configured: AUTH_JWT_SECRET is not set');
  const refuse = (reason: RefusalReason, message: string, detail = message, code: AuthErrorCode = 'UNAUTHENTICATED'): never => {
    onRefused(reason, detail);
    throw new AuthError(code, message);
  };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return refuse('missing', 'a bearer token is required');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(match[1]!, policy.key, {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      ...(policy.issuer ? { issuer: policy.issuer } : {}),
      ...(policy.audience ? { audience: policy.audience } : {}),
    }));
  } catch (error) {
    return refuse(...refusalOf(error));
  }
  // jose checks that exp is a number in the future; the lifetime cap is ours. An iat in the future
  // must not stretch it, hence the earlier of iat and now.
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = typeof payload.iat === 'number' ? Math.min(payload.iat, now) : now;
  const lifetime = payload.exp! - issuedAt;
  if (lifetime > policy.maxLifetimeSeconds) {
    refuse('lifetime', `the token lives ${lifetime} s, longer than the ${policy.maxLifetimeSeconds} s AUTH_JWT_MAX_LIFETIME_SECONDS allows`);
  }
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject === '') return refuse('no_subject', 'the token has no subject');
  const claimed: unknown = payload['roles'];
  const roles = Array.isArray(claimed) ? claimed.filter((r): r is string => typeof r === 'string') : [];
  if (required.length > 0 && !required.some((role) => roles.includes(role))) {
    refuse('role', `requires one of the roles: ${required.join(', ')}`, `has roles: ${roles.join(', ') || '(none)'}`, 'FORBIDDEN');
  }
  return { subject, roles, via: 'bearer' };
}

/** jose's verification errors as a reason and the message the caller sees. */
function refusalOf(error: unknown): [RefusalReason, string, string] {
  const detail = (error as Error).message;
  if (error instanceof joseErrors.JWTExpired) return ['expired', 'the token has expired', detail];
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'exp') return ['no_expiry', 'the token has no expiry (exp claim)', detail];
    if (error.claim === 'iss') return ['issuer', 'the token was not issued by AUTH_JWT_ISSUER', detail];
    if (error.claim === 'aud') return ['audience', 'the token is not meant for AUTH_JWT_AUDIENCE', detail];
  }
  return ['invalid', 'invalid token', detail];
}
