/** Where a sign-in goes when `return_to` is missing or refused. */
export const DEFAULT_RETURN_TO = '/';

/**
 * `return_to` of `/auth/login` as a path on this origin, or null when it is not one: it must start
 * with a single `/` (not `//` or `/\`, which browsers read as another host), hold no control
 * characters or backslashes, and resolve to the same origin. Keeps the path, query and fragment.
 * Refusing rather than rewriting: an attacker's URL never becomes a redirect target.
 */
export function sameOriginPath(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (raw.length > 2048 || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || [...raw].some((c) => c < ' ' || c === '\u007f')) return null;
  const base = 'http://same.origin.invalid';
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return null;
  }
  if (url.origin !== base) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
