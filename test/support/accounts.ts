import { randomBytes } from 'node:crypto';
import type { Role } from '../../server/domain/access.js';
import { cliActor } from '../../server/services/access/audit-trail.js';
import { rememberSecret } from './secrets.js';
import type { TestServer } from './test-server.js';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: Role;
  towns: string[] | null;
}

/** A fresh account with a chosen (not one-time) password; usernames are unique per call. */
export async function createUser(sut: TestServer, role: Role, towns: string[] | null = null, prefix: string = role): Promise<TestUser> {
  const username = `${prefix}-${randomBytes(4).toString('hex')}`;
  const password = `Quiet night ${randomBytes(6).toString('hex')}`;
  rememberSecret(password);
  const { user } = await sut.ctx.users.create({ username, role, towns, password }, null, cliActor());
  return { id: user.id, username, password, role, towns: user.towns };
}

/** An API token for the user (role and towns as the account's), remembered for the log scan. */
export async function tokenFor(sut: TestServer, user: Pick<TestUser, 'id'>, name = 'test'): Promise<string> {
  const { secret } = await sut.ctx.tokens.create({ userId: user.id, name }, null, cliActor());
  rememberSecret(secret);
  return secret;
}

export interface Session {
  cookie: string;
  csrf: string;
  status: number;
  body: Record<string, unknown>;
  setCookie: string | null;
}

/** Signs in through POST /auth/login, as the console does. */
export async function signIn(sut: TestServer, username: string, password: string, headers: Record<string, string> = {}): Promise<Session> {
  const res = await fetch(`${sut.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  const setCookie = res.headers.get('set-cookie');
  const cookie = setCookie?.split(';')[0] ?? '';
  if (cookie) rememberSecret(cookie.split('=')[1] ?? '');
  return { cookie, csrf: String(body.csrfToken ?? ''), status: res.status, body, setCookie };
}

/** fetch() against /api/v1 with a session cookie (and its CSRF token on writes unless `csrf: false`). */
export function withSession(sut: TestServer, s: Pick<Session, 'cookie' | 'csrf'>, options: { csrf?: boolean } = {}) {
  return (pathAndQuery: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', s.cookie);
    if (options.csrf !== false && init.method && init.method !== 'GET') headers.set('x-csrf-token', s.csrf);
    if (init.body && typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return fetch(sut.url + pathAndQuery, { ...init, headers });
  };
}

/** fetch() against /api/v1 with a bearer token. */
export function withToken(sut: TestServer, token: string) {
  return (pathAndQuery: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    if (init.body && typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return fetch(sut.url + pathAndQuery, { ...init, headers });
  };
}
