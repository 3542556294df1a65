import { permissionsOf, type Principal } from '../../domain/access.js';
import type { ApiTokenRecord } from '../../storage/api-token.repository.js';
import type { UserRecord } from '../../storage/user.repository.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import type { CodeList } from '../registry/catalog.js';

/** What the API shows of an account: never the password hash. */
export function userView(u: UserRecord) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    towns: u.towns,
    mustChangePassword: u.mustChangePassword,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
    passwordChangedAt: u.passwordChangedAt.toISOString(),
  };
}
export type UserView = ReturnType<typeof userView>;

/** The signed-in caller, with what they may do, for the console to shape itself. */
export function meView(p: Principal, displayName: string) {
  return {
    id: p.userId,
    username: p.username,
    displayName,
    role: p.role,
    towns: p.towns,
    mustChangePassword: p.mustChangePassword,
    permissions: p.mustChangePassword ? ['self'] : [...permissionsOf(p.role)],
  };
}

/** A token as listed: never its secret or hash. */
export function tokenView(t: ApiTokenRecord) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: t.id,
    name: t.name,
    userId: t.userId,
    username: t.username,
    role: t.role,
    towns: t.towns,
    createdAt: t.createdAt.toISOString(),
    createdBy: t.createdBy,
    expiresAt: iso(t.expiresAt),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
  };
}
export type TokenView = ReturnType<typeof tokenView>;

/**
 * Town input (codes or names) as sorted codes; null stays "whole county". A caller may only hand
 * out towns inside their own scope.
 */
export function resolveTowns(input: readonly string[] | null | undefined, towns: CodeList, callerScope: readonly string[] | null, field = 'towns'): string[] | null | undefined {
  if (input === undefined) return undefined;
  if (input === null) {
    if (callerScope !== null) throw new ForbiddenError('out_of_scope', 'you may only grant towns inside your own scope');
    return null;
  }
  if (input.length === 0) throw new ValidationError([{ field, message: 'give at least one town, or null for the whole county' }]);
  const codes = input.map((text) => {
    const entry = towns.resolve(text);
    if (!entry) throw new ValidationError([{ field, message: `unknown town "${text}"; known: ${towns.describe()}` }]);
    return entry.code;
  });
  if (callerScope !== null && codes.some((c) => !callerScope.includes(c))) {
    throw new ForbiddenError('out_of_scope', 'you may only grant towns inside your own scope');
  }
  return [...new Set(codes)].sort();
}
