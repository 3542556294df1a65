/**
 * The shapes of the accounts API (/auth, /users, /tokens, /audit) as the console reads them: the
 * server's views and vocabularies by type-only import, request bodies and filters stated here.
 */

import type { Permission as ServerPermission, Role } from '../../server/domain/access';
import type { AuditView } from '../../server/services/access/audit-log.service';

export { ROLES } from '../../server/domain/access';
export type { UserView, TokenView } from '../../server/services/access/account-views';
export type { AuditView, Role };

/** What a signed-in user may do (`public` needs no sign-in, so it is never listed). */
export type Permission = Exclude<ServerPermission, 'public'>;

/** Town codes a user may see; null = the whole county. */
export type TownScope = string[] | null;

/** The signed-in user (GET /auth/me). */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  towns: TownScope;
  mustChangePassword: boolean;
  permissions: Permission[];
}

/** POST /auth/login and POST /auth/password answer this; GET /auth/me adds `kind`. */
export interface SignedIn {
  user: Me;
  csrfToken: string | null;
  kind?: 'session' | 'token';
}

export interface NewUser {
  username: string;
  displayName?: string;
  role: Role;
  towns?: TownScope;
  password?: string;
}

export interface UserPatch {
  displayName?: string;
  role?: Role;
  towns?: TownScope;
  disabled?: boolean;
}

export interface NewToken {
  userId: string;
  name: string;
  role?: Role;
  towns?: TownScope;
  expiresAt?: string | null;
}

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditPage {
  items: AuditView[];
  nextBefore: number | null;
}

/** Filters of the audit log (empty string = any). `from`/`to` are ISO instants. */
export interface AuditFilters {
  from: string;
  to: string;
  action: string;
  actor: string;
  outcome: '' | AuditOutcome;
}
