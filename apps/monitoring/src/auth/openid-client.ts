import * as oidc from 'openid-client';
import { SessionError } from './session-error';
import { isLoopback, type SignInSettings } from './sign-in-env';

/** What a redirect to the provider needs kept until its callback. */
export interface AuthorizationRequest {
  readonly url: URL;
  readonly state: string;
  readonly codeVerifier: string;
  readonly nonce: string;
}

/**
 * The relying party, on panva's openid-client (v6, an ES module: this CommonJS file loads it with
 * Node's require(esm), Node ≥ 22.12 and 24). Discovery happens on the first sign-in, not at start,
 * so monitoring starts while the provider is down; a failed discovery is retried by the next
 * sign-in. Plain http is allowed only for a loopback issuer (the sandbox's provider): openid-client
 * refuses it otherwise unless told (`allowInsecureRequests`).
 */
export class OpenIdClient {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: SignInSettings) {}

  /**
   * The provider's authorization URL for a new sign-in: code flow, PKCE S256, a state and a nonce.
   * `prompt: 'login'` asks the provider to ask for credentials even when it has a session of its own
   * (OpenID Connect Core 1.0 §3.1.2.1); openid-client passes it through as any other parameter.
   */
  async authorizationRequest(options: { prompt?: 'login' } = {}): Promise<AuthorizationRequest> {
    const config = await this.discovered();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl.href,
      scope: this.settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(options.prompt ? { prompt: options.prompt } : {}),
    });
    return { url, state, codeVerifier, nonce };
  }

  /**
   * Exchanges the callback's code (checked against the state, the PKCE verifier and the nonce, the
   * ID token's signature, issuer, audience and expiry by openid-client) and returns the person's
   * claims: the ID token's, completed from userinfo when the roles claim is not in it (Google, and
   * providers configured to keep groups out of the ID token).
   */
  async claimsOf(
    callbackQuery: string,
    expected: { state: string; codeVerifier: string; nonce: string },
    rolesClaim: string,
  ): Promise<Record<string, unknown>> {
    const config = await this.discovered();
    const currentUrl = new URL(this.settings.redirectUrl);
    currentUrl.search = callbackQuery;
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
    const claims: Record<string, unknown> = { ...tokens.claims() };
    const root = rolesClaim.split('.')[0]!;
    if (!(rolesClaim in claims) && !(root in claims) && config.serverMetadata().userinfo_endpoint) {
      Object.assign(claims, await oidc.fetchUserInfo(config, tokens.access_token, String(claims['sub'])), { sub: claims['sub'] });
    }
    return claims;
  }

  private discovered(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(this.settings.issuer, this.settings.clientId, this.settings.clientSecret, undefined, {
        ...(isLoopback(this.settings.issuer.href) && this.settings.issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw new SessionError('OIDC_UNAVAILABLE', `the OpenID provider at ${this.settings.issuer.origin} could not be reached: ${(error as Error).message}`);
      });
    return this.configuration;
  }
}
