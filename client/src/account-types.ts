/**
 * The shapes of the accounts API (/auth, /users, /tokens, /audit) as the console reads them.
 * Restated from the server's contract because the server's views import server-only modules.
 */

export const ROLES = ['admin', 'operator', 'crew', 'leader'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'self'
  | 'cameras:read'
  | 'cameras:write'
  | 'cameras:import'
  | 'cameras:export'
  | 'cameras:check'
  | 'users:manage'
  | 'tokens:manage'
  | 'audit:read';

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

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  towns: TownScope;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string | null;
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

export interface TokenView {
  id: string;
  name: string;
  userId: string;
  username: string;
  role: Role;
  towns: TownScope;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
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

export interface AuditView {
  id: number | string;
  at: string;
  actorType: 'user' | 'token' | 'cli' | 'system' | 'anonymous';
  actorName: string | null;
  ip: string | null;
  action: string;
  outcome: AuditOutcome;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  towns: string[] | null;
  detail: Record<string, unknown> | null;
}

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
