import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { AuthError, JwtAuthGuard, REQUIRED_ROLES, type AuthenticatedRequest, type Principal, type SessionAuthenticator } from './jwt-auth.guard';

const SECRET = 'service-kit-sessions-spec-secret-0123456789';
const person: Principal = { subject: 'ada@example.com', roles: ['agent'], name: 'Ada', via: 'session' };

/** A request to a handler that requires `roles`, with these headers. */
function contextOf(request: Partial<AuthenticatedRequest>, roles: string[]): ExecutionContext {
  const handler = () => undefined;
  Reflect.defineMetadata(REQUIRED_ROLES, roles, handler);
  return {
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => handler,
    getClass: () => class {},
  } as unknown as ExecutionContext;
}

function guardWith(sessions?: SessionAuthenticator) {
  return new JwtAuthGuard(
    new Reflector(),
    { AUTH_JWT_SECRET: SECRET },
    createLogger({ service: 'spec', level: 'silent' }),
    createMetricsRegistry('spec'),
    sessions,
  );
}

describe('JwtAuthGuard with a session authenticator', () => {
  const sessions: SessionAuthenticator & { asked: number } = {
    asked: 0,
    authenticate(request) {
      this.asked++;
      return Promise.resolve(request.headers.cookie === 'session=ok' ? person : null);
    },
  };

  it('puts the session’s principal on a request without an Authorization header', async () => {
    const request = { headers: { cookie: 'session=ok' }, path: '/x' } as Partial<AuthenticatedRequest>;
    assert.equal(await guardWith(sessions).canActivate(contextOf(request, ['agent', 'admin'])), true);
    assert.deepEqual(request.principal, person);
  });

  it('answers 403 when the session lacks the role, and 401 without a session or a token', async () => {
    const forbidden = await guardWith(sessions)
      .canActivate(contextOf({ headers: { cookie: 'session=ok' }, path: '/x' }, ['admin']))
      .catch((e: unknown) => e);
    assert.ok(forbidden instanceof AuthError && forbidden.code === 'FORBIDDEN', String(forbidden));
    const anonymous = await guardWith(sessions)
      .canActivate(contextOf({ headers: {}, path: '/x' }, ['agent']))
      .catch((e: unknown) => e);
    assert.ok(anonymous instanceof AuthError && anonymous.code === 'UNAUTHENTICATED', String(anonymous));
  });

  it('checks a bearer token as before when there is one, without asking about a session', async () => {
    const before = sessions.asked;
    const refused = await guardWith(sessions)
      .canActivate(contextOf({ headers: { authorization: 'Bearer forged', cookie: 'session=ok' }, path: '/x' }, ['agent']))
      .catch((e: unknown) => e);
    assert.ok(refused instanceof AuthError && refused.code === 'UNAUTHENTICATED', String(refused));
    assert.equal(sessions.asked, before);
  });

  it('without an authenticator (every service but monitoring) a cookie is no credential', async () => {
    const refused = await guardWith()
      .canActivate(contextOf({ headers: { cookie: 'session=ok' }, path: '/x' }, ['agent']))
      .catch((e: unknown) => e);
    assert.ok(refused instanceof AuthError && refused.code === 'UNAUTHENTICATED', String(refused));
  });
});
