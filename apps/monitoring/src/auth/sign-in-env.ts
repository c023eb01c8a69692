import fs from 'node:fs';
import { z } from 'zod';
import { parseRoleMap } from './role-map';

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

/**
 * Sign-in of people with OpenID Connect (authorization code + PKCE) and the server-side session
 * that follows (docs/security.md, "Signing in"). All unset: no sign-in, the dashboard asks for a
 * bearer token. OIDC_ISSUER_URL set: the client id, a secret (or its file), the redirect URL and
 * the role map are required too.
 */
export const signInEnvSchema = z.object({
  /** The provider's issuer (its `/.well-known/openid-configuration` is read from it). http only on a loopback host. */
  OIDC_ISSUER_URL: httpUrl.optional(),
  /** This application's client id at the provider. */
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** The client secret (client_secret_basic); or OIDC_CLIENT_SECRET_FILE. */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** A file holding the client secret (a mounted Kubernetes secret); trailing whitespace is ignored. */
  OIDC_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  /** Monitoring's `/auth/callback` as the provider knows it (registered there); https makes the cookie Secure. */
  OIDC_REDIRECT_URL: httpUrl.optional(),
  /** Scopes asked for; the roles claim must come with them (e.g. add `groups`). */
  OIDC_SCOPES: z.string().min(1).default('openid profile email'),
  /** Claim of the ID token (or userinfo) holding the person's groups or roles; a dotted path reaches a nested one (`realm_access.roles`). */
  OIDC_ROLES_CLAIM: z.string().min(1).default('groups'),
  /** Claim value → role: `churn-agents:agent,churn-admins:admin`. A person whose values map to no role is refused. */
  OIDC_ROLE_MAP: z.string().min(1).optional(),
  /** Absolute lifetime of a session, in seconds (8 hours: a working day). */
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(28_800),
  /** A session unused this long ends, in seconds (30 minutes). */
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(1800),
  /** Name of the session cookie (httpOnly, SameSite=Lax, Secure when OIDC_REDIRECT_URL is https). */
  SESSION_COOKIE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'letters, digits, _ and - only' })
    .default('churn_session'),
});

type SignInEnv = z.output<typeof signInEnvSchema>;

/** The checks across variables, for the service's superRefine (every problem reported at once). */
export function checkSignInEnv(c: SignInEnv & { AUTH_JWT_SECRET?: string | undefined }, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (c.OIDC_CLIENT_SECRET && c.OIDC_CLIENT_SECRET_FILE) issue('OIDC_CLIENT_SECRET_FILE', 'set OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE, not both');
  if (c.OIDC_CLIENT_SECRET_FILE && !fs.existsSync(c.OIDC_CLIENT_SECRET_FILE)) issue('OIDC_CLIENT_SECRET_FILE', `no file ${c.OIDC_CLIENT_SECRET_FILE}`);
  if (c.OIDC_ROLE_MAP) {
    try {
      parseRoleMap(c.OIDC_ROLE_MAP);
    } catch (error) {
      issue('OIDC_ROLE_MAP', (error as Error).message);
    }
  }
  if (!c.OIDC_ISSUER_URL) {
    for (const name of ['OIDC_CLIENT_ID', 'OIDC_REDIRECT_URL', 'OIDC_ROLE_MAP'] as const) if (c[name]) issue(name, 'needs OIDC_ISSUER_URL');
    return;
  }
  if (!c.OIDC_CLIENT_ID) issue('OIDC_CLIENT_ID', 'needed with OIDC_ISSUER_URL');
  if (!c.OIDC_CLIENT_SECRET && !c.OIDC_CLIENT_SECRET_FILE) issue('OIDC_CLIENT_SECRET', 'needed with OIDC_ISSUER_URL (or OIDC_CLIENT_SECRET_FILE)');
  if (!c.OIDC_REDIRECT_URL) issue('OIDC_REDIRECT_URL', 'needed with OIDC_ISSUER_URL');
  if (!c.OIDC_ROLE_MAP) issue('OIDC_ROLE_MAP', 'needed with OIDC_ISSUER_URL (e.g. churn-agents:agent,churn-admins:admin)');
  if (!c.AUTH_JWT_SECRET) issue('OIDC_ISSUER_URL', 'needs AUTH_JWT_SECRET: requests forwarded for a signed-in person carry a bearer token signed with it');
  if (new URL(c.OIDC_ISSUER_URL).protocol === 'http:' && !isLoopback(c.OIDC_ISSUER_URL))
    issue('OIDC_ISSUER_URL', 'must be https (http only on a loopback host, for a local provider)');
  if (c.SESSION_IDLE_TIMEOUT_SECONDS > c.SESSION_MAX_AGE_SECONDS) issue('SESSION_IDLE_TIMEOUT_SECONDS', 'must not exceed SESSION_MAX_AGE_SECONDS');
}

export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The sign-in's settings, once the environment has passed; null when OIDC is off. */
export interface SignInSettings {
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUrl: URL;
  readonly scopes: string;
  readonly rolesClaim: string;
  readonly roleMap: string;
  readonly maxAgeSeconds: number;
  readonly idleSeconds: number;
  readonly cookieName: string;
  readonly secureCookie: boolean;
}

export function signInSettingsOf(c: SignInEnv): SignInSettings | null {
  if (!c.OIDC_ISSUER_URL) return null;
  const secret = c.OIDC_CLIENT_SECRET ?? fs.readFileSync(c.OIDC_CLIENT_SECRET_FILE!, 'utf8').trimEnd();
  return {
    issuer: new URL(c.OIDC_ISSUER_URL),
    clientId: c.OIDC_CLIENT_ID!,
    clientSecret: secret,
    redirectUrl: new URL(c.OIDC_REDIRECT_URL!),
    scopes: c.OIDC_SCOPES,
    rolesClaim: c.OIDC_ROLES_CLAIM,
    roleMap: c.OIDC_ROLE_MAP!,
    maxAgeSeconds: c.SESSION_MAX_AGE_SECONDS,
    idleSeconds: c.SESSION_IDLE_TIMEOUT_SECONDS,
    cookieName: c.SESSION_COOKIE_NAME,
    secureCookie: c.OIDC_REDIRECT_URL!.startsWith('https:'),
  };
}
