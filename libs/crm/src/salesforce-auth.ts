import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { CrmCallError, isNetworkError } from './crm-errors';
import type { SalesforceSettings } from './crm-config';

/** An access token and the instance it is valid on, as the token endpoint answered. */
export interface SalesforceSession {
  readonly accessToken: string;
  readonly instanceUrl: string;
}

/** Salesforce accepts a JWT bearer assertion whose `exp` is at most three minutes ahead. */
const ASSERTION_LIFETIME_SECONDS = 180;
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Signs in at the login host's OAuth 2.0 token endpoint with the configured flow (JWT bearer,
 * client credentials or refresh token) and returns the token with the instance URL of the
 * response: that instance, not a configured one, is where the session is valid (with My Domain
 * or after an org migration the two differ). One HTTP request per sign-in, cancelled by `signal`.
 */
export class SalesforceAuth {
  private key: KeyObject | undefined;

  constructor(private readonly settings: SalesforceSettings) {}

  async signIn(signal?: AbortSignal): Promise<SalesforceSession> {
    const url = `${this.settings.loginUrl}/services/oauth2/token`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: await this.grant(),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw new CrmCallError('outage', 'TIMEOUT', `Salesforce sign-in at ${url} cancelled: the call's deadline passed`);
      throw new CrmCallError(
        'outage',
        isNetworkError(error) ? 'NETWORK' : 'SIGN_IN_FAILED',
        `Salesforce sign-in at ${url} failed: ${(error as Error).message}`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; instance_url?: string; error?: string; error_description?: string };
    if (!response.ok) {
      // invalid_grant / invalid_client…: the credentials or the connected app are refused, and signing
      // in again will not change that: misconfigured (the integration pauses, reason auth_failed).
      // A token endpoint that fails otherwise (5xx, 429, no OAuth error) is an outage.
      const code = body.error ? `OAUTH_${body.error.toUpperCase()}` : `ERROR_HTTP_${response.status}`;
      const refused = Boolean(body.error) && response.status >= 400 && response.status < 500 && response.status !== 429;
      throw new CrmCallError(
        refused ? 'misconfigured' : 'outage',
        code,
        `Salesforce ${this.settings.flow} sign-in refused (${response.status}): ${body.error_description ?? body.error ?? response.statusText}`,
      );
    }
    if (!body.access_token || !body.instance_url || !URL.canParse(body.instance_url)) {
      throw new CrmCallError('outage', 'BAD_TOKEN_RESPONSE', 'Salesforce token response lacks access_token or a valid instance_url');
    }
    return { accessToken: body.access_token, instanceUrl: new URL(body.instance_url).origin };
  }

  private async grant(): Promise<URLSearchParams> {
    const s = this.settings;
    switch (s.flow) {
      case 'jwt_bearer':
        return new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: await this.assertion() });
      case 'client_credentials':
        return new URLSearchParams({ grant_type: 'client_credentials', client_id: s.clientId, client_secret: s.clientSecret ?? '' });
      case 'refresh_token':
        return new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: s.clientId,
          refresh_token: s.refreshToken ?? '',
          ...(s.clientSecret ? { client_secret: s.clientSecret } : {}),
        });
    }
  }

  /** RS256 assertion: iss the connected app, sub the integration user, aud the login host (never the instance), exp three minutes. */
  private async assertion(): Promise<string> {
    this.key ??= createPrivateKey(this.settings.privateKey ?? '');
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(this.settings.clientId)
      .setSubject(this.settings.username ?? '')
      .setAudience(this.settings.jwtAudience)
      .setExpirationTime(Math.floor(Date.now() / 1000) + ASSERTION_LIFETIME_SECONDS)
      .sign(this.key);
  }
}
