import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { expectProblem } from './problem-answer';

export interface TestTokenOptions {
  readonly sub?: string;
  /** jose's time span or epoch seconds; null: no exp claim (which the services refuse). */
  readonly expiresIn?: string | number | null;
}

/** A bearer token as the platform's guard expects it: HS256, `sub`, `roles`, `iat`, `exp` (5 minutes by default). */
export function signTestToken(secret: string, roles: readonly string[], options: TestTokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ roles: [...roles] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.sub ?? 'spec@example.com')
    .setIssuedAt();
  if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '5m');
  return jwt.sign(new TextEncoder().encode(secret));
}

const withBearer = (init: RequestInit, token: string | undefined): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string> | undefined), ...(token ? { authorization: `Bearer ${token}` } : {}) },
});

/**
 * An endpoint with customer-level data: 401 without a token and with one lacking `exp`, 403 with a
 * role below agent (both problem+json), 200 for agent and admin. Returns the agent's answer for the
 * caller's own checks.
 */
export async function assertAgentOrHigher(url: string, secret: string, init: RequestInit = {}): Promise<globalThis.Response> {
  const answerWith = (token: string | undefined) => fetch(url, withBearer(init, token));
  await expectProblem(await answerWith(undefined), 401, 'UNAUTHENTICATED');
  await expectProblem(await answerWith(await signTestToken(secret, ['agent'], { expiresIn: null })), 401, 'UNAUTHENTICATED');
  await expectProblem(await answerWith(await signTestToken(secret, ['viewer', 'service'])), 403, 'FORBIDDEN');
  const admin = await answerWith(await signTestToken(secret, ['admin']));
  await admin.arrayBuffer();
  assert.equal(admin.status, 200, `${url} as admin`);
  const agent = await fetch(url, withBearer(init, await signTestToken(secret, ['agent'])));
  assert.equal(agent.status, 200, `${url} as agent: ${await agent.clone().text()}`);
  return agent;
}
