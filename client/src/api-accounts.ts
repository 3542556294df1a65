/** Calls of the accounts API: sign-in and password, users, API tokens, the audit log. */
import { query, request, send } from './http';
import type {
  AuditFilters, AuditPage, NewToken, NewUser, SignedIn, TokenView, UserPatch, UserView,
} from './account-types';

const id = (value: string) => encodeURIComponent(value);

export const authApi = {
  me: () => request<SignedIn>('/auth/me'),
  login: (username: string, password: string) => send<SignedIn>('POST', '/auth/login', { username, password }),
  changePassword: (currentPassword: string, newPassword: string) =>
    send<SignedIn>('POST', '/auth/password', { currentPassword, newPassword }),
  logout: () => send<void>('POST', '/auth/logout'),
  logoutAll: () => send<void>('POST', '/auth/logout-all'),
};

export const usersApi = {
  list: () => request<{ items: UserView[] }>('/users'),
  create: (user: NewUser) => send<{ user: UserView; oneTimePassword?: string }>('POST', '/users', user),
  update: (userId: string, patch: UserPatch) => send<UserView>('PATCH', `/users/${id(userId)}`, patch),
  resetPassword: (userId: string) => send<{ oneTimePassword: string }>('POST', `/users/${id(userId)}/reset-password`, {}),
  logoutAll: (userId: string) => send<void>('POST', `/users/${id(userId)}/logout-all`),
};

export const tokensApi = {
  list: () => request<{ items: TokenView[] }>('/tokens'),
  create: (token: NewToken) => send<{ token: TokenView; secret: string }>('POST', '/tokens', token),
  revoke: (tokenId: string) => send<TokenView>('POST', `/tokens/${id(tokenId)}/revoke`),
};

function auditParams(filters: AuditFilters): Record<string, string> {
  return { from: filters.from, to: filters.to, action: filters.action, actor: filters.actor, outcome: filters.outcome };
}

export const auditApi = {
  page: (filters: AuditFilters, before: number | null, limit = 100) =>
    request<AuditPage>(`/audit${query({ ...auditParams(filters), before, limit })}`),
  /** A download link carrying the same filters as the table; `lang` picks the column headings. */
  exportUrl: (filters: AuditFilters, format: 'csv' | 'xlsx', lang: 'zh' | 'en') =>
    `/api/v1/audit/export${query({ format, lang, ...auditParams(filters) })}`,
};
