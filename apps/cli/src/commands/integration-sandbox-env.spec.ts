import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startIntegrationSandbox } from './integration-sandbox-env';

describe('the demo sandbox’s sign-in wiring', () => {
  it('starts a local OpenID provider and points monitoring’s sign-in at it, returning to monitoring’s port', async () => {
    const sut = await startIntegrationSandbox({ CHURN_PORT_OFFSET: '100' }, []);
    try {
      assert.ok(sut.openIdProvider);
      assert.equal(sut.serviceEnv['OIDC_ISSUER_URL'], sut.openIdProvider.issuer);
      assert.equal(sut.serviceEnv['OIDC_REDIRECT_URL'], 'http://127.0.0.1:3105/auth/callback');
      assert.equal(sut.serviceEnv['OIDC_ROLE_MAP'], 'churn-agents:agent,churn-admins:admin');
      const discovery = (await (await fetch(`${sut.openIdProvider.issuer}/.well-known/openid-configuration`)).json()) as {
        code_challenge_methods_supported: string[];
      };
      assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    } finally {
      await sut.stop();
    }
  });

  it('keeps a real provider named in the environment', async () => {
    const sut = await startIntegrationSandbox({ OIDC_ISSUER_URL: 'https://login.example.com/' }, []);
    try {
      assert.equal(sut.openIdProvider, undefined);
      assert.equal(sut.serviceEnv['OIDC_ISSUER_URL'], undefined);
    } finally {
      await sut.stop();
    }
  });
});
