import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Logger } from '@churn/observability';
import { LOGGER, SERVICE_CONFIG } from '../core/tokens';
import { DomainError } from './domain-error';

/** Environment of services with authenticated endpoints; extend a service's config schema with it. */
export const authEnvSchema = z.object({
  /** HS256 secret of bearer tokens (at least 32 characters); unset: authenticated endpoints answer 503. */
  AUTH_JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
});

export type AuthEnv = z.output<typeof authEnvSchema>;

/** Who made a request: the token's subject and roles. */
export interface Principal {
  readonly subject: string;
  readonly roles: readonly string[];
}

export type AuthenticatedRequest = Request & { principal?: Principal };

export const REQUIRED_ROLES = 'churn:required-roles';

/** Roles of which the token must carry at least one (any authenticated subject when none are given). */
export const RequireRoles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);

/**
 * Bearer JWT (HS256, secret AUTH_JWT_SECRET) with a `sub` and a `roles` claim (array of strings).
 * 401 for a missing, malformed, expired or forged token; 403 when none of the required roles is
 * present; 503 when the service has no secret configured. Tokens and the secret are never logged.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly key: Uint8Array | null;
  private readonly logger: Logger;

  constructor(
    private readonly reflector: Reflector,
    @Inject(SERVICE_CONFIG) config: Partial<AuthEnv>,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.key = config.AUTH_JWT_SECRET ? new TextEncoder().encode(config.AUTH_JWT_SECRET) : null;
    this.logger = logger.child({ context: JwtAuthGuard.name });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, [context.getHandler(), context.getClass()]) ?? [];
    request.principal = await verifyBearer(this.key, request.headers.authorization, required, (reason) =>
      this.logger.warn({ path: request.path, reason }, 'bearer token refused'),
    );
    return true;
  }
}

/** The guard's check without Nest, for callers outside a controller. */
export async function verifyBearer(
  key: Uint8Array | null,
  authorization: string | undefined,
  required: readonly string[],
  onRefused: (reason: string) => void = () => undefined,
): Promise<Principal> {
  if (!key) throw new DomainError('AUTH_DISABLED', 'authentication is not configured: AUTH_JWT_SECRET is not set', HttpStatus.SERVICE_UNAVAILABLE);
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new DomainError('UNAUTHENTICATED', 'a bearer token is required', HttpStatus.UNAUTHORIZED);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(match[1]!, key, { algorithms: ['HS256'] }));
  } catch (error) {
    const reason = error instanceof joseErrors.JWTExpired ? 'expired' : (error as Error).message;
    onRefused(reason);
    throw new DomainError('UNAUTHENTICATED', error instanceof joseErrors.JWTExpired ? 'the token has expired' : 'invalid token', HttpStatus.UNAUTHORIZED);
  }
  const subject = payload['sub'];
  if (typeof subject !== 'string' || subject === '') throw new DomainError('UNAUTHENTICATED', 'the token has no subject', HttpStatus.UNAUTHORIZED);
  const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((r): r is string => typeof r === 'string') : [];
  if (required.length > 0 && !required.some((role) => roles.includes(role))) {
    throw new DomainError('FORBIDDEN', `requires one of the roles: ${required.join(', ')}`, HttpStatus.FORBIDDEN);
  }
  return { subject, roles };
}
