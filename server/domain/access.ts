/**
 * Who may do what: roles, the permissions each grants, and town scopes. Pure; the HTTP layer and
 * the Socket.IO handshake ask these questions, the repositories apply the resulting town scope.
 */

export const ROLES = ['admin', 'operator', 'crew', 'leader'] as const;
export type Role = (typeof ROLES)[number];

/** What a route needs from the caller. `public` needs nothing; `self` needs any signed-in caller. */
export const PERMISSIONS = [
  'public',
  'self',
  'cameras:read',
  'cameras:write',
  'cameras:import',
  'cameras:export',
  'cameras:check',
  'users:manage',
  'tokens:manage',
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Truth table (✓ = granted):
 *                  admin operator crew leader
 * self               ✓     ✓       ✓    ✓
 * cameras:read       ✓     ✓       ✓    ✓
 * cameras:write      ✓
 * cameras:import     ✓
 * cameras:export     ✓     ✓            ✓
 * cameras:check      ✓     ✓
 * users:manage       ✓
 * tokens:manage      ✓
 * audit:read         ✓
 */
const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['self', 'cameras:read', 'cameras:write', 'cameras:import', 'cameras:export', 'cameras:check', 'users:manage', 'tokens:manage', 'audit:read'],
  operator: ['self', 'cameras:read', 'cameras:export', 'cameras:check'],
  crew: ['self', 'cameras:read'],
  leader: ['self', 'cameras:read', 'cameras:export'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}

/** Towns a caller may see: null = the whole county. */
export type TownScope = readonly string[] | null;

/** The caller as the access layer sees it, however they signed in. */
export interface Principal {
  kind: 'session' | 'token';
  userId: string;
  username: string;
  role: Role;
  towns: TownScope;
  /** A first sign-in with a one-time password: only `self` routes until it is changed. */
  mustChangePassword: boolean;
  sessionId?: string;
  tokenId?: string;
}

export type AccessDecision = 'allow' | 'unauthenticated' | 'forbidden' | 'password_change_required';

/**
 * Truth table:
 * permission | principal          | mustChange | result
 * public     | any / none         | any        | allow
 * other      | none               | -          | unauthenticated
 * self       | any                | any        | allow
 * other      | any                | true       | password_change_required
 * other      | role grants it     | false      | allow
 * other      | role lacks it      | false      | forbidden
 */
export function decideAccess(permission: Permission, principal: Principal | undefined): AccessDecision {
  if (permission === 'public') return 'allow';
  if (!principal) return 'unauthenticated';
  if (permission === 'self') return 'allow';
  if (principal.mustChangePassword) return 'password_change_required';
  return GRANTS[principal.role].includes(permission) ? 'allow' : 'forbidden';
}

/** The towns in both scopes (null = county). An empty result means "nothing", never "everything". */
export function intersectScopes(a: TownScope, b: TownScope): TownScope {
  if (a === null) return b;
  if (b === null) return a;
  return a.filter((t) => b.includes(t));
}

/** True when `inner` asks for no town outside `outer`. */
export function scopeWithin(inner: TownScope, outer: TownScope): boolean {
  if (outer === null) return true;
  if (inner === null) return false;
  return inner.every((t) => outer.includes(t));
}

/** Roles ordered by what they may do, so a token never outranks the account it belongs to. */
const RANK: Record<Role, number> = { crew: 1, leader: 1, operator: 2, admin: 3 };

/** A token or delegated role may be the same role, or a lesser one (crew and leader are peers below operator). */
export function roleWithin(role: Role, of: Role): boolean {
  if (role === of) return true;
  return RANK[role] < RANK[of];
}
