import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { KIT_ERROR_STATUSES } from './error-statuses';
import { AuthError, authEnvSchema, bearerPolicyOf, verifyBearer, type RefusalReason } from './jwt-auth.guard';

const SECRET = 'service-kit-spec-secret-0123456789-abcdef';
const key = bearerPolicyOf(authEnvSchema.parse({ AUTH_JWT_SECRET: SECRET }));

interface SignOptions {
  secret?: string;
  sub?: string | null;
  /** null: no exp claim. */
  expiresIn?: string | number | null;
  /** null: no iat claim. */
  issuedAt?: number | null;
  alg?: string;
  issuer?: string;
  audience?: string;
}

function sign(claims: Record<string, unknown>, options: SignOptions = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256' });
  if (options.issuedAt !== null) jwt.setIssuedAt(options.issuedAt);
  if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '5m');
  if (options.sub !== null) jwt.setSubject(options.sub ?? 'jane');
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    assert.ok(error instanceof AuthError, String(error));
    return KIT_ERROR_STATUSES[error.code];
  }
}

describe('verifyBearer', () => {
  it('accepts a valid token and returns its subject and roles', async () => {
    const principal = await verifyBearer(key, `Bearer ${await sign({ roles: ['agent'] })}`, ['agent', 'admin']);
    assert.deepEqual(principal, { subject: 'jane', roles: ['agent'], via: 'bearer' });
  });

  it('answers 401 for a missing, malformed, forged, expired or subject-less token', async () => {
    assert.equal(await statusOf(verifyBearer(key, undefined, [])), 401);
    assert.equal(await statusOf(verifyBearer(key, 'Basic abc', [])), 401);
    assert.equal(await statusOf(verifyBearer(key, 'Bearer not.a.jwt', [])), 401);
    assert.equal(
      await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { secret: 'another-secret-of-enough-length-000000' })}`, [])),
      401,
    );
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { expiresIn: '-1s' })}`, [])), 401);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { sub: null })}`, [])), 401);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { alg: 'HS512' })}`, [])), 401);
  });

  it('answers 401 for a token without exp, whatever else it carries', async () => {
    const reasons: RefusalReason[] = [];
    const status = await statusOf(
      verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { expiresIn: null })}`, ['admin'], (reason) => reasons.push(reason)),
    );
    assert.equal(status, 401);
    assert.deepEqual(reasons, ['no_expiry']);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { expiresIn: null, issuedAt: null })}`, [])), 401);
  });

  it('answers 401 for a token that lives longer than AUTH_JWT_MAX_LIFETIME_SECONDS (24 h by default)', async () => {
    const now = Math.floor(Date.now() / 1000);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { expiresIn: '25h' })}`, [])), 401);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { expiresIn: '23h' })}`, [])), 200);
    // Without iat the lifetime counts from now; an iat in the future does not stretch it.
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { issuedAt: null, expiresIn: now + 25 * 3600 })}`, [])), 401);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { issuedAt: null, expiresIn: now + 3600 })}`, [])), 200);
    assert.equal(
      await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { issuedAt: now + 365 * 86400, expiresIn: now + 365 * 86400 + 60 })}`, [])),
      401,
    );
    // A token issued 23 h ago that lives 25 h in all is refused although it has 2 h left.
    assert.equal(
      await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['admin'] }, { issuedAt: now - 23 * 3600, expiresIn: now + 2 * 3600 })}`, [])),
      401,
    );
    const hourly = bearerPolicyOf(authEnvSchema.parse({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_MAX_LIFETIME_SECONDS: '3600' }));
    assert.equal(await statusOf(verifyBearer(hourly, `Bearer ${await sign({ roles: ['admin'] }, { expiresIn: '2h' })}`, [])), 401);
    assert.equal(await statusOf(verifyBearer(hourly, `Bearer ${await sign({ roles: ['admin'] }, { expiresIn: '30m' })}`, [])), 200);
  });

  it('checks iss and aud when AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE are set', async () => {
    const strict = bearerPolicyOf(
      authEnvSchema.parse({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: 'https://idp.example.com', AUTH_JWT_AUDIENCE: 'churn-radar' }),
    );
    const good = { issuer: 'https://idp.example.com', audience: 'churn-radar' };
    assert.equal(await statusOf(verifyBearer(strict, `Bearer ${await sign({ roles: ['agent'] }, good)}`, ['agent'])), 200);
    const reasons: RefusalReason[] = [];
    const onRefused = (reason: RefusalReason) => void reasons.push(reason);
    assert.equal(
      await statusOf(verifyBearer(strict, `Bearer ${await sign({ roles: ['agent'] }, { ...good, issuer: 'https://evil.example.com' })}`, ['agent'], onRefused)),
      401,
    );
    assert.equal(
      await statusOf(verifyBearer(strict, `Bearer ${await sign({ roles: ['agent'] }, { ...good, audience: 'another-app' })}`, ['agent'], onRefused)),
      401,
    );
    assert.equal(await statusOf(verifyBearer(strict, `Bearer ${await sign({ roles: ['agent'] }, { audience: 'churn-radar' })}`, ['agent'], onRefused)), 401);
    assert.equal(
      await statusOf(verifyBearer(strict, `Bearer ${await sign({ roles: ['agent'] }, { issuer: 'https://idp.example.com' })}`, ['agent'], onRefused)),
      401,
    );
    assert.deepEqual(reasons, ['issuer', 'audience', 'issuer', 'audience']);
    // Unset: iss and aud are not looked at.
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['agent'] }, { issuer: 'anyone', audience: 'anything' })}`, ['agent'])), 200);
  });

  it('answers 403 when none of the required roles is in the roles claim', async () => {
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['viewer'] })}`, ['admin'])), 403);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ role: 'admin' })}`, ['admin'])), 403);
    assert.equal(await statusOf(verifyBearer(key, `Bearer ${await sign({ roles: ['viewer'] })}`, [])), 200);
  });

  it('answers 503 without a configured secret, and the secret must be long enough', async () => {
    assert.equal(bearerPolicyOf(authEnvSchema.parse({})), null);
    assert.equal(await statusOf(verifyBearer(null, `Bearer ${await sign({ roles: ['admin'] })}`, [])), 503);
    assert.equal(authEnvSchema.safeParse({ AUTH_JWT_SECRET: 'short' }).success, false);
    assert.equal(authEnvSchema.safeParse({}).success, true);
  });
});
