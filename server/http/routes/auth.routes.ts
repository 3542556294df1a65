import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { AuthService } from '../../services/access/auth.service.js';
import { meView } from '../../services/access/account-views.js';
import { MAX_PASSWORD_LENGTH } from '../../domain/password-policy.js';
import type { RouteDef } from '../route-table.js';
import { actorOf, credentialOf, requirePrincipal, SESSION_COOKIE } from '../access.js';
import { parseOrThrow } from '../validate.js';

export interface AuthRouteDeps {
  auth: AuthService;
  signInLimiter: RequestHandler;
  sessionAbsoluteMs: number;
}

const loginBody = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(MAX_PASSWORD_LENGTH) }).strict();
const passwordBody = z.object({ currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH), newPassword: z.string().min(1).max(1024) }).strict();

/** Sign-in, the caller's own account, sign-out. */
export function authRoutes(deps: AuthRouteDeps): RouteDef[] {
  const setCookie = (req: Request, res: Response, secret: string) =>
    res.cookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: deps.sessionAbsoluteMs });
  const clearCookie = (req: Request, res: Response) => res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
  return [
    {
      method: 'post', path: '/auth/login', permission: 'public', summary: 'Sign in with username and password (sets the session cookie)',
      middleware: [deps.signInLimiter],
      handler: async (req, res) => {
        const body = parseOrThrow(loginBody, req.body ?? {}, 'body');
        const signedIn = await deps.auth.login(body.username, body.password, { ...actorOf(req), userAgent: req.get('user-agent') });
        setCookie(req, res, signedIn.sessionSecret);
        return { user: meView(signedIn.principal, signedIn.user.displayName), csrfToken: signedIn.csrfToken };
      },
    },
    {
      method: 'get', path: '/auth/me', permission: 'self', summary: 'The signed-in caller, their permissions and CSRF token',
      handler: (req) => {
        const cred = credentialOf(req)!;
        return { user: meView(cred.principal, cred.displayName), csrfToken: cred.csrfToken ?? null, kind: cred.principal.kind };
      },
    },
    {
      method: 'post', path: '/auth/password', permission: 'self', summary: 'Change your own password (other sessions end)',
      middleware: [deps.signInLimiter],
      handler: async (req) => {
        const body = parseOrThrow(passwordBody, req.body ?? {}, 'body');
        const changed = await deps.auth.changePassword(requirePrincipal(req), body.currentPassword, body.newPassword, actorOf(req));
        // The session (and its CSRF token) continues; only the caller's other sessions ended.
        return { user: meView(changed.principal, changed.user.displayName), csrfToken: credentialOf(req)?.csrfToken ?? null };
      },
    },
    {
      method: 'post', path: '/auth/logout', permission: 'self', summary: 'Sign out this session',
      handler: async (req, res) => {
        await deps.auth.logout(requirePrincipal(req), actorOf(req));
        clearCookie(req, res);
        res.status(204).end();
      },
    },
    {
      method: 'post', path: '/auth/logout-all', permission: 'self', summary: 'Sign out every session of your account',
      handler: async (req, res) => {
        await deps.auth.logoutEverywhere(requirePrincipal(req), actorOf(req));
        clearCookie(req, res);
        res.status(204).end();
      },
    },
  ];
}
