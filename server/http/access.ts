import type { Request, RequestHandler } from 'express';
import { decideAccess, PERMISSIONS, type Permission, type Principal } from '../domain/access.js';
import type { AuthService } from '../services/access/auth.service.js';
import type { TokenService } from '../services/access/token.service.js';
import type { Actor } from '../services/access/audit-trail.js';
import { sameSecret } from '../services/access/credentials.js';
import { ForbiddenError, UnauthenticatedError } from '../services/errors.js';

export const SESSION_COOKIE = 'sem_session';

interface Credential {
  principal: Principal;
  displayName: string;
  /** Present for cookie sessions: state-changing requests must echo it in X-CSRF-Token. */
  csrfToken?: string;
}

const credentials = new WeakMap<Request, Credential>();

/** The signed-in caller of this request, if any. */
export function principalOf(req: Request): Principal | undefined {
  return credentials.get(req)?.principal;
}

export function credentialOf(req: Request): Credential | undefined {
  return credentials.get(req);
}

/** The signed-in caller; routes behind any permission but `public` always have one. */
export function requirePrincipal(req: Request): Principal {
  const p = principalOf(req);
  if (!p) throw new UnauthenticatedError();
  return p;
}

/** Towns the caller may see, in the form the registry takes (undefined = county). */
export function scopeOf(req: Request): readonly string[] | undefined {
  return principalOf(req)?.towns ?? undefined;
}

/** Same, in the accounts' form (null = county). */
export function callerScope(req: Request): readonly string[] | null {
  return principalOf(req)?.towns ?? null;
}

export function actorOf(req: Request): Actor {
  return { principal: principalOf(req), ip: req.ip ?? req.socket.remoteAddress };
}

/** Reads one cookie from a Cookie header (RFC 6265 pairs), no dependency needed. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export interface Authenticators {
  auth: AuthService;
  tokens: TokenService;
}

/** Resolves `Authorization: Bearer <token>` or the session cookie into a principal for every API request. */
export async function authenticateHeaders(headers: { authorization?: string; cookie?: string }, a: Authenticators): Promise<Credential | 'bad_token' | undefined> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (headers.authorization !== undefined) {
    if (!bearer) return 'bad_token';
    const principal = await a.tokens.resolve(bearer);
    return principal ? { principal, displayName: principal.username } : 'bad_token';
  }
  const secret = readCookie(headers.cookie, SESSION_COOKIE);
  if (!secret) return undefined;
  const session = await a.auth.resolveSession(secret);
  return session && { principal: session.principal, displayName: session.user.displayName, csrfToken: session.csrfToken };
}

export function authenticate(a: Authenticators): RequestHandler {
  return async (req, _res, next) => {
    const found = await authenticateHeaders(req.headers, a);
    // A bad token is refused outright rather than treated as anonymous, so integrations notice.
    if (found === 'bad_token') throw new UnauthenticatedError('unauthenticated', 'the API token is invalid, expired or revoked');
    if (found) credentials.set(req, found);
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Enforces one route's permission: the default is deny, and cookie sessions must pass the CSRF check. */
export function authorize(permission: Permission): RequestHandler {
  if (!(PERMISSIONS as readonly string[]).includes(permission)) throw new Error(`route declares unknown permission "${permission}"`);
  return (req, _res, next) => {
    const found = credentials.get(req);
    const decision = decideAccess(permission, found?.principal);
    if (decision === 'unauthenticated') throw new UnauthenticatedError();
    if (decision === 'forbidden') throw new ForbiddenError('forbidden', `your role may not do this (needs ${permission})`);
    if (decision === 'password_change_required') throw new ForbiddenError('password_change_required', 'change your one-time password first');
    if (found?.csrfToken !== undefined && permission !== 'public' && !SAFE_METHODS.has(req.method)) {
      const sent = req.get('x-csrf-token');
      if (!sent || !sameSecret(sent, found.csrfToken)) throw new ForbiddenError('csrf_failed', 'missing or wrong X-CSRF-Token header');
    }
    next();
  };
}
