import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { jwtVerify } from 'jose';
import type { Logger } from '@churn/observability';
import { DomainError, LOGGER, SERVICE_CONFIG } from '@churn/service-kit';
import type { ScorerConfig } from '../config';

/** The verified admin behind a request, for the audit log. */
export interface AdminPrincipal {
  readonly subject: string;
}

export type AdminRequest = Request & { admin?: AdminPrincipal };

/**
 * Registry operations need a bearer JWT signed with ADMIN_JWT_SECRET (HS256), with a `sub` and
 * `role: "admin"` (or `roles` containing it). The secret never leaves the config; tokens are not logged.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly key: Uint8Array | null;
  private readonly logger: Logger;

  constructor(@Inject(SERVICE_CONFIG) config: ScorerConfig, @Inject(LOGGER) logger: Logger) {
    this.key = config.ADMIN_JWT_SECRET ? new TextEncoder().encode(config.ADMIN_JWT_SECRET) : null;
    this.logger = logger.child({ context: AdminGuard.name });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    if (!this.key) throw new DomainError('ADMIN_DISABLED', 'admin operations are disabled: ADMIN_JWT_SECRET is not set', HttpStatus.SERVICE_UNAVAILABLE);
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new DomainError('UNAUTHENTICATED', 'an admin bearer token is required', HttpStatus.UNAUTHORIZED);
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1]!, this.key, { algorithms: ['HS256'] }));
    } catch (error) {
      this.logger.warn({ path: request.path, reason: (error as Error).message }, 'admin token refused');
      throw new DomainError('UNAUTHENTICATED', 'invalid or expired admin token', HttpStatus.UNAUTHORIZED);
    }
    const roles = Array.isArray(payload['roles']) ? payload['roles'] : [payload['role']];
    if (typeof payload['sub'] !== 'string' || payload['sub'] === '' || !roles.includes('admin')) {
      throw new DomainError('FORBIDDEN', 'the token does not carry the admin role and a subject', HttpStatus.FORBIDDEN);
    }
    request.admin = { subject: payload['sub'] };
    return true;
  }
}
