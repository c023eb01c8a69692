import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jwtVerify } from 'jose';
import { localAuth } from './local-auth';

describe('localAuth: the dashboard sign-in of `churn up` / `churn demo`', () => {
  let dir: string;
  const previous = process.env['CHURN_STATE_DIR'];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-local-auth-'));
    process.env['CHURN_STATE_DIR'] = dir;
  });

  after(() => {
    if (previous === undefined) delete process.env['CHURN_STATE_DIR'];
    else process.env['CHURN_STATE_DIR'] = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('without AUTH_JWT_SECRET: a fresh secret for the services and an agent token with exp in a file only its owner reads', async () => {
    const sut = await localAuth({}, 'dev');
    const secret = sut.serviceEnv['AUTH_JWT_SECRET']!;
    assert.ok(secret.length >= 32, 'long enough for the services’ schema');
    assert.equal(fs.statSync(sut.tokenFile!).mode & 0o777, 0o600);
    const token = fs.readFileSync(sut.tokenFile!, 'utf8').trim();
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'], requiredClaims: ['exp', 'iat', 'sub'] });
    assert.deepEqual(payload['roles'], ['agent']);
    assert.ok(payload.exp! - payload.iat! <= 86_400, 'within the default AUTH_JWT_MAX_LIFETIME_SECONDS');
    const again = await localAuth({}, 'dev');
    assert.notEqual(again.serviceEnv['AUTH_JWT_SECRET'], secret, 'a new secret per run');
  });

  it('with AUTH_JWT_SECRET in env: generates nothing', async () => {
    assert.deepEqual(await localAuth({ AUTH_JWT_SECRET: 'x'.repeat(40) }, 'dev-2'), { serviceEnv: {} });
    assert.equal(fs.existsSync(path.join(dir, 'auth', 'dev-2-dashboard.token')), false);
  });
});
