import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claimValues, parseRoleMap, rolesOf } from './role-map';

describe('OIDC_ROLE_MAP and the roles claim', () => {
  const map = parseRoleMap('churn-agents:agent, churn-admins:admin,urn:example:role:lead:admin');

  it('parses value:role pairs, a value holding colons included', () => {
    assert.deepEqual(
      [...map],
      [
        ['churn-agents', 'agent'],
        ['churn-admins', 'admin'],
        ['urn:example:role:lead', 'admin'],
      ],
    );
  });

  it('refuses an unknown role, a pair without a role, a value mapped twice, and an empty map', () => {
    assert.throws(() => parseRoleMap('churn-agents:viewer'), /role must be one of agent, admin/);
    assert.throws(() => parseRoleMap('churn-agents'), /not value:role/);
    assert.throws(() => parseRoleMap(':agent'), /not value:role/);
    assert.throws(() => parseRoleMap('x:agent,x:admin'), /two roles/);
    assert.throws(() => parseRoleMap(' , '), /no claim value/);
  });

  it('reads an array, a space- or comma-separated string, a dotted path and a URL-like claim name', () => {
    assert.deepEqual(claimValues({ groups: ['a', 'b', 3] }, 'groups'), ['a', 'b']);
    assert.deepEqual(claimValues({ roles: 'a b,c' }, 'roles'), ['a', 'b', 'c']);
    assert.deepEqual(claimValues({ realm_access: { roles: ['churn-admins'] } }, 'realm_access.roles'), ['churn-admins']);
    assert.deepEqual(claimValues({ 'https://example.com/roles': ['x'] }, 'https://example.com/roles'), ['x']);
    assert.deepEqual(claimValues({ groups: { length: 1 } }, 'groups'), []);
    assert.deepEqual(claimValues({}, 'realm_access.roles'), []);
    assert.deepEqual(claimValues({ ['__proto__']: ['x'] } as Record<string, unknown>, 'constructor.name'), []);
  });

  it('maps claims to roles, lowest first, and to none when no value is in the map', () => {
    assert.deepEqual(rolesOf({ groups: ['churn-admins', 'churn-agents', 'everyone'] }, 'groups', map), ['agent', 'admin']);
    assert.deepEqual(rolesOf({ groups: ['churn-agents'] }, 'groups', map), ['agent']);
    assert.deepEqual(rolesOf({ groups: ['everyone'] }, 'groups', map), []);
    assert.deepEqual(rolesOf({ roles: ['churn-admins'] }, 'groups', map), []);
  });
});
