import { PERSON_ROLES, type PersonRole } from '@churn/service-kit';

/** Claim value → role, from OIDC_ROLE_MAP (`churn-agents:agent,churn-admins:admin`). */
export type RoleMap = ReadonlyMap<string, PersonRole>;

/**
 * Parses OIDC_ROLE_MAP: comma-separated `value:role` pairs, the role one of PERSON_ROLES. The value
 * may itself hold colons (Entra ID app roles, URNs): the role is what follows the last one.
 * Throws with the offending pair named; config validation reports the message.
 */
export function parseRoleMap(text: string): RoleMap {
  const map = new Map<string, PersonRole>();
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const at = pair.lastIndexOf(':');
    const value = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at <= 0 || value === '') throw new Error(`"${pair}" is not value:role`);
    if (!(PERSON_ROLES as readonly string[]).includes(role)) throw new Error(`"${pair}": the role must be one of ${PERSON_ROLES.join(', ')}`);
    if (map.has(value) && map.get(value) !== role) throw new Error(`"${value}" is mapped to two roles`);
    map.set(value, role as PersonRole);
  }
  if (map.size === 0) throw new Error('maps no claim value to a role');
  return map;
}

/**
 * The claim at a dotted path (`groups`, `realm_access.roles` for Keycloak, or a URL-like claim name
 * such as `https://example.com/roles` looked up whole first) as a list of strings: an array's
 * strings, a single string (space- or comma-separated lists split), nothing otherwise.
 */
export function claimValues(claims: Readonly<Record<string, unknown>>, path: string): string[] {
  let value: unknown = Object.hasOwn(claims, path)
    ? claims[path]
    : path
        .split('.')
        .reduce<unknown>(
          (node, key) => (node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined),
          claims,
        );
  if (typeof value === 'string') value = value.split(/[\s,]+/);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/** The roles a person's claims map to, lowest first, without repeats; empty when none maps. */
export function rolesOf(claims: Readonly<Record<string, unknown>>, path: string, map: RoleMap): PersonRole[] {
  const mapped = new Set(claimValues(claims, path).flatMap((v) => (map.has(v) ? [map.get(v)!] : [])));
  return PERSON_ROLES.filter((role) => mapped.has(role));
}
