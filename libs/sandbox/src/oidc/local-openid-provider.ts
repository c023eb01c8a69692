import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { default as ProviderType, GrantInstance } from 'oidc-provider';
import { DEMO_PEOPLE, type DemoPerson } from './demo-people';
import { loginPage } from './login-page';

export interface LocalOpenIdProviderOptions {
  /** The one client's redirect URI (monitoring's OIDC_REDIRECT_URL): any other is refused. */
  readonly redirectUri: string;
  /** The people who may sign in; the demo agent, admin and an employee with no role by default. */
  readonly people?: readonly DemoPerson[];
  /** Port to listen on (0: a free one). */
  readonly port?: number;
}

/** The claim the provider puts each person's groups in (monitoring's OIDC_ROLES_CLAIM). */
export const LOCAL_OIDC_ROLES_CLAIM = 'groups';
/** Group → role map matching the demo people (monitoring's OIDC_ROLE_MAP). */
export const LOCAL_OIDC_ROLE_MAP = 'churn-agents:agent,churn-admins:admin';

const CLIENT_ID = 'churn-radar';
const SCOPES = 'openid profile email groups';

/**
 * A local OpenID Connect provider for the demo and the specs: panva's `oidc-provider` (the
 * certified implementation) with one confidential client, a login form a person (or a test's
 * fetch) submits, and the demo people. Strict where a real provider is: the registered
 * redirect_uri only, PKCE (S256) required, an authorization code used once (a second use is
 * refused and revokes what the first issued), the client secret checked. The roles claim is in
 * the ID token (`conformIdTokenClaims: false`), as Okta's or Entra ID's group claims are when
 * configured so. Consent is implied: the client is first-party.
 */
export class LocalOpenIdProvider {
  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    readonly clientId: string,
    readonly clientSecret: string,
    readonly redirectUri: string,
  ) {}

  static async start(options: LocalOpenIdProviderOptions): Promise<LocalOpenIdProvider> {
    const people = options.people ?? DEMO_PEOPLE;
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => void res.writeHead(503).end();
    const server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const clientSecret = `sandbox-oidc-${randomBytes(16).toString('hex')}`;
    // oidc-provider is an ES module: loaded with require(esm) (Node ≥ 22.12), compiled from this import.
    const { default: Provider } = await import('oidc-provider');
    const provider = new Provider(issuer, configuration(people, options.redirectUri, clientSecret));
    const callback = provider.callback();
    handler = (req, res) => {
      const url = new URL(req.url ?? '/', issuer);
      const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
      if (!interaction) return callback(req, res);
      void serveInteraction(provider, people, req, res, interaction[2] !== undefined).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`sign-in failed: ${(error as Error).message}\n`);
      });
    };
    return new LocalOpenIdProvider(server, issuer, CLIENT_ID, clientSecret, options.redirectUri);
  }

  /** Monitoring's OIDC environment pointing at this provider. */
  monitoringEnv(): Record<string, string> {
    return {
      OIDC_ISSUER_URL: this.issuer,
      OIDC_CLIENT_ID: this.clientId,
      OIDC_CLIENT_SECRET: this.clientSecret,
      OIDC_REDIRECT_URL: this.redirectUri,
      OIDC_ROLES_CLAIM: LOCAL_OIDC_ROLES_CLAIM,
      OIDC_ROLE_MAP: LOCAL_OIDC_ROLE_MAP,
      OIDC_SCOPES: SCOPES,
    };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function configuration(people: readonly DemoPerson[], redirectUri: string, clientSecret: string): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'sandbox', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'], groups: [LOCAL_OIDC_ROLES_CLAIM] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const person = people.find((p) => p.username === id);
      if (!person) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: person.username,
          name: person.name,
          preferred_username: person.username,
          email: person.email,
          email_verified: true,
          [LOCAL_OIDC_ROLES_CLAIM]: [...person.groups],
        }),
      };
    },
    // First-party client: the grant of every scope it asks for, without a consent screen.
    loadExistingGrant: async (ctx: {
      oidc: {
        provider: ProviderType;
        client: { clientId: string };
        session: { accountId: string; grantIdFor(id: string): string | undefined };
        result?: { consent?: { grantId?: string } };
      };
    }) => {
      const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant: GrantInstance = new ctx.oidc.provider.Grant({ accountId: ctx.oidc.session.accountId, clientId: ctx.oidc.client.clientId });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
    // The provider's own error page, plain: what was refused and why (oidc-provider's default nags to be replaced).
    renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body =
        Object.entries(out)
          .map(([key, value]) => `${key}: ${value}`)
          .join('\n') + '\n';
    },
    ttl: { AuthorizationCode: 60, IdToken: 300, AccessToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
  };
}

async function serveInteraction(
  provider: ProviderType,
  people: readonly DemoPerson[],
  req: IncomingMessage,
  res: ServerResponse,
  submitted: boolean,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (!submitted) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    return void res.end(loginPage(details.uid, people));
  }
  if (req.method !== 'POST') return void res.writeHead(405).end();
  const form = new URLSearchParams(await bodyOf(req));
  const person = people.find((p) => p.username === form.get('username'));
  if (!person || !samePassword(person.password, form.get('password') ?? '')) {
    res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    return void res.end(loginPage(details.uid, people, 'Wrong username or password.'));
  }
  await provider.interactionFinished(req, res, { login: { accountId: person.username } }, { mergeWithLastSubmission: false });
}

function samePassword(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
