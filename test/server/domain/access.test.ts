import { expect } from 'chai';
import {
  PERMISSIONS,
  ROLES,
  decideAccess,
  intersectScopes,
  isRole,
  permissionsOf,
  roleWithin,
  scopeWithin,
  type Permission,
  type Principal,
  type Role,
  type TownScope,
} from '../../../server/domain/access.js';

function principal(role: Role, overrides: Partial<Principal> = {}): Principal {
  return { kind: 'session', userId: 'u1', username: 'someone', role, towns: null, mustChangePassword: false, ...overrides };
}

describe('access: decideAccess', () => {
  // The GRANTS truth table, written out again (✓ = 1): admin operator crew leader.
  const grants: Array<[Exclude<Permission, 'public'>, [number, number, number, number]]> = [
    ['self', [1, 1, 1, 1]],
    ['cameras:read', [1, 1, 1, 1]],
    ['cameras:write', [1, 0, 0, 0]],
    ['cameras:import', [1, 0, 0, 0]],
    ['cameras:export', [1, 1, 0, 1]],
    ['cameras:check', [1, 1, 0, 0]],
    ['users:manage', [1, 0, 0, 0]],
    ['tokens:manage', [1, 0, 0, 0]],
    ['audit:read', [1, 0, 0, 0]],
  ];
  const columns: Role[] = ['admin', 'operator', 'crew', 'leader'];

  it('the table covers every permission but public, and every role', () => {
    expect(grants.map(([p]) => p)).to.have.members(PERMISSIONS.filter((p) => p !== 'public'));
    expect(columns).to.have.members([...ROLES]);
  });

  for (const [permission, row] of grants) {
    columns.forEach((role, i) => {
      const expected = row[i] ? 'allow' : 'forbidden';
      it(`${permission} × ${role} → ${expected}`, () => {
        expect(decideAccess(permission, principal(role))).to.equal(expected);
      });
    });
  }

  for (const role of columns) {
    it(`permissionsOf(${role}) lists exactly the ✓ of its column`, () => {
      const i = columns.indexOf(role);
      expect([...permissionsOf(role)]).to.have.members(grants.filter(([, row]) => row[i]).map(([p]) => p));
    });
  }

  // permission | principal | mustChange → result (the decideAccess truth table)
  const table: Array<[string, Permission, Principal | undefined, ReturnType<typeof decideAccess>]> = [
    ['public, nobody', 'public', undefined, 'allow'],
    ['public, crew', 'public', principal('crew'), 'allow'],
    ['public, must change', 'public', principal('crew', { mustChangePassword: true }), 'allow'],
    ['self, nobody', 'self', undefined, 'unauthenticated'],
    ['cameras:read, nobody', 'cameras:read', undefined, 'unauthenticated'],
    ['audit:read, nobody', 'audit:read', undefined, 'unauthenticated'],
    ['self, must change', 'self', principal('crew', { mustChangePassword: true }), 'allow'],
    ['cameras:read, crew must change', 'cameras:read', principal('crew', { mustChangePassword: true }), 'password_change_required'],
    ['users:manage, admin must change', 'users:manage', principal('admin', { mustChangePassword: true }), 'password_change_required'],
    ['users:manage, crew must change (change first, then forbidden)', 'users:manage', principal('crew', { mustChangePassword: true }), 'password_change_required'],
    ['cameras:check, operator token', 'cameras:check', principal('operator', { kind: 'token', tokenId: 't1' }), 'allow'],
    ['cameras:write, leader token', 'cameras:write', principal('leader', { kind: 'token', tokenId: 't1' }), 'forbidden'],
    ['cameras:write, town-scoped admin', 'cameras:write', principal('admin', { towns: ['meizhu'] }), 'allow'],
  ];
  for (const [name, permission, who, expected] of table) {
    it(`${name} → ${expected}`, () => {
      expect(decideAccess(permission, who)).to.equal(expected);
    });
  }
});

describe('access: isRole', () => {
  for (const value of ['admin', 'operator', 'crew', 'leader']) it(`${value} is a role`, () => expect(isRole(value)).to.equal(true));
  for (const value of ['Admin', 'root', '', null, undefined, 3]) it(`${String(value)} is not`, () => expect(isRole(value)).to.equal(false));
});

describe('access: intersectScopes', () => {
  // a | b → a ∩ b (null = county)
  const table: Array<[TownScope, TownScope, TownScope]> = [
    [null, null, null],
    [null, ['meizhu'], ['meizhu']],
    [['meizhu', 'shizi'], null, ['meizhu', 'shizi']],
    [['meizhu', 'shizi'], ['shizi', 'jianping'], ['shizi']],
    [['meizhu'], ['shizi'], []],
    [[], null, []],
    [null, [], []],
  ];
  for (const [a, b, expected] of table) {
    it(`${JSON.stringify(a)} ∩ ${JSON.stringify(b)} → ${JSON.stringify(expected)}`, () => {
      expect(intersectScopes(a, b)).to.deep.equal(expected);
    });
  }

  it('an empty intersection is "nothing", never null ("everything")', () => {
    expect(intersectScopes(['meizhu'], ['shizi'])).to.not.equal(null);
  });
});

describe('access: scopeWithin', () => {
  // inner | outer → inner ⊆ outer
  const table: Array<[TownScope, TownScope, boolean]> = [
    [null, null, true],
    [['meizhu'], null, true],
    [null, ['meizhu'], false],
    [['meizhu'], ['meizhu', 'shizi'], true],
    [['meizhu', 'shizi'], ['meizhu', 'shizi'], true],
    [['meizhu', 'jianping'], ['meizhu', 'shizi'], false],
    [[], ['meizhu'], true],
  ];
  for (const [inner, outer, expected] of table) {
    it(`${JSON.stringify(inner)} within ${JSON.stringify(outer)} → ${expected}`, () => {
      expect(scopeWithin(inner, outer)).to.equal(expected);
    });
  }
});

describe('access: roleWithin', () => {
  // role | of → may a token / delegation with `role` be issued under `of`?
  const table: Array<[Role, Role, boolean]> = [
    ['admin', 'admin', true],
    ['operator', 'admin', true],
    ['crew', 'admin', true],
    ['leader', 'admin', true],
    ['admin', 'operator', false],
    ['operator', 'operator', true],
    ['crew', 'operator', true],
    ['leader', 'operator', true],
    ['admin', 'crew', false],
    ['operator', 'crew', false],
    ['crew', 'crew', true],
    ['leader', 'crew', false],
    ['admin', 'leader', false],
    ['operator', 'leader', false],
    ['crew', 'leader', false],
    ['leader', 'leader', true],
  ];

  it('covers every pair of roles', () => {
    expect(table).to.have.length(ROLES.length ** 2);
  });

  for (const [role, of, expected] of table) {
    it(`${role} within ${of} → ${expected}`, () => {
      expect(roleWithin(role, of)).to.equal(expected);
    });
  }
});
