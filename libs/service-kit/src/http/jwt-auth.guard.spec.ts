import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { DomainError } from './domain-error';
import { authEnvSchema, verifyBearer } from './jwt-auth.guard';

const SECRET = 'service-kit-spec-secret-0123456789-abcdef';
const key = new TextEncoder().encode(SECRET);

function sign(claims: Record<string, unknown>, options: { secret?: string; sub?: string | null; expiresIn?: string; alg?: string } = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256' }).setIssuedAt().setExpirationTime(options.expiresIn ?? '5m');
  if (options.sub !== null) jwt.setSubject(options.sub ?? 'jane');
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    assert.ok(error instanceof DomainError, String(error));
    return error.status;
  }
}

describe('verifyBearer', () => {
  it('accepts a valid token and returns its subject and roles', async () => {
    const principal = await verifyBearer(key, `Bearer ${await sign({ roles: ['agent'] })}`, ['agent', 'admin']);
    assert.deepEqual(principal, { subject: 'jane', roles: ['agent'] });
  });

  it('answers 401 for a missing, malformed, forged, expired or subject-less token', async () => {
    assert.equal(await statusOf(verifyBearer(key, undefined, [])), 401);
    assert.equal(await statusOf(verifyBearer(key, 'Basic abc', [])), 401);
    assert.equal(await statusOf(verifyBearer(key, 'Bearer not.a.jwt', [])), 401);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { secret: 'another-secret-of-enough-length-000000' })}`, [])), 401);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { expiresIn: '-1s' })}`, [])), 401);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { sub: null })}`, [])), 401);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { alg: 'HS512' })}`, [])), 401);
  });

  it('answers 403 when none of the required roles is in the roles claim', async () => {
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['viewer'] })}`, ['admin'])), 403);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ role: 'admin' })}`, ['admin'])), 403);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['viewer'] })}`, [])), 200);
  });

  it('answers 503 without a configured secret, and the secret must be long enough', async () => {
    assert.equal(await statusOf(verifyBearer(null, `Bearer ${await sign({ roles: ['admin'] })}`, [])), 503);
    assert.equal(authEnvSchema.safeParse({ AUTH_JWT_SECRET: 'short' }).success, false);
    assert.equal(authEnvSchema.safeParse({}).success, true);
  });
});
