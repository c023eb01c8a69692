import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { stateDir } from '@churn/local-stack';

/** A working day: well under the services' default AUTH_JWT_MAX_LIFETIME_SECONDS (24 h). */
const TOKEN_LIFETIME = '12h';

export interface LocalAuth {
  /** AUTH_JWT_SECRET for the services when env names none. */
  readonly serviceEnv: Record<string, string>;
  /** Where the dashboard's sign-in token was written (mode 0600), when one was minted. */
  readonly tokenFile?: string;
}

/**
 * `churn up` / `churn demo` without AUTH_JWT_SECRET: a random secret for this run only, handed to the
 * services and never printed, and an agent token signed with it for the dashboard's sign-in (the
 * alert queue and the sandbox outbox name customers), written to a file only its owner may read —
 * a token is a credential, so it goes to a file, not to the terminal or a log. With AUTH_JWT_SECRET
 * in env nothing is generated: whoever holds that secret mints tokens (docs/alerting.md).
 */
export async function localAuth(env: NodeJS.ProcessEnv, dataName: string): Promise<LocalAuth> {
  if (env['AUTH_JWT_SECRET']) return { serviceEnv: {} };
  const secret = randomBytes(32).toString('base64url');
  const jwt = new SignJWT({ roles: ['agent'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('local-dashboard')
    .setIssuedAt()
    .setExpirationTime(TOKEN_LIFETIME);
  if (env['AUTH_JWT_ISSUER']) jwt.setIssuer(env['AUTH_JWT_ISSUER']);
  if (env['AUTH_JWT_AUDIENCE']) jwt.setAudience(env['AUTH_JWT_AUDIENCE']);
  const token = await jwt.sign(new TextEncoder().encode(secret));
  const tokenFile = path.join(stateDir(), 'auth', `${dataName}-dashboard.token`);
  fs.mkdirSync(path.dirname(tokenFile), { recursive: true, mode: 0o700 });
  fs.writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  // writeFileSync's mode applies only to a new file; a token file left by an earlier run keeps its own.
  fs.chmodSync(tokenFile, 0o600);
  return { serviceEnv: { AUTH_JWT_SECRET: secret }, tokenFile };
}
