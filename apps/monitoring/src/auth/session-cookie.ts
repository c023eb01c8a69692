import type { CookieOptions, Request } from 'express';

/** The value of cookie `name` in the request's Cookie header (RFC 6265 pairs), undefined when absent. */
export function cookieOf(request: Request, name: string): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    const value = pair
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The session cookie's attributes: not readable by scripts, sent on top-level navigations from the
 * provider (Lax, so the callback's redirect keeps it) but not on cross-site POSTs, Secure when the
 * application is served over https.
 */
export function sessionCookieOptions(secure: boolean, maxAgeSeconds: number, path = '/'): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path, maxAge: maxAgeSeconds * 1000 };
}

/** The cookie that binds a sign-in under way to the browser that started it (its value: the state). */
export const signInCookieName = (sessionCookie: string) => `${sessionCookie}_sign_in`;

/**
 * The cookie a sign-out leaves (path `/auth`): the next sign-in in this browser asks the provider for
 * credentials again, so the next person at the desk is not signed in as the previous one.
 */
export const signedOutCookieName = (sessionCookie: string) => `${sessionCookie}_signed_out`;
