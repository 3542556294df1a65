import { z } from 'zod';
import { ROLES } from '../../domain/access.js';
import type { TokenService } from '../../services/access/token.service.js';
import type { UserService } from '../../services/access/user.service.js';
import type { RouteDef } from '../route-table.js';
import { actorOf, callerScope } from '../access.js';
import { parseOrThrow } from '../validate.js';

export interface AccountRouteDeps {
  users: UserService;
  tokens: TokenService;
}

const towns = z.array(z.string().min(1).max(32)).max(64).nullable();
const newUser = z
  .object({
    username: z.string().regex(/^[A-Za-z0-9._@-]{2,64}$/, '2–64 letters, digits, . _ @ -'),
    displayName: z.string().trim().max(64).optional(),
    role: z.enum(ROLES),
    towns: towns.optional(),
    password: z.string().max(128).optional(),
  })
  .strict();
const userPatch = z
  .object({ displayName: z.string().trim().max(64), role: z.enum(ROLES), towns, disabled: z.boolean() })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
const idParams = z.object({ id: z.uuid('must be a UUID') });
const newToken = z
  .object({
    userId: z.uuid('must be a UUID'),
    name: z.string().trim().min(1).max(80),
    role: z.enum(ROLES).optional(),
    towns: towns.optional(),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

/** Account and token administration (admins; a town-scoped admin manages only their towns). */
export function accountRoutes(deps: AccountRouteDeps): RouteDef[] {
  return [
    {
      method: 'get', path: '/users', permission: 'users:manage', summary: 'List accounts',
      handler: async (req) => ({ items: await deps.users.list(callerScope(req)) }),
    },
    {
      method: 'post', path: '/users', permission: 'users:manage', summary: 'Create an account (without a password: a one-time password is returned once)',
      handler: async (req, res) => {
        const body = parseOrThrow(newUser, req.body ?? {}, 'body');
        const created = await deps.users.create(body, callerScope(req), actorOf(req));
        res.status(201);
        return created;
      },
    },
    {
      method: 'patch', path: '/users/:id', permission: 'users:manage', summary: 'Change an account: name, role, towns, disabled',
      handler: async (req) => {
        const { id } = parseOrThrow(idParams, req.params, 'params');
        return deps.users.update(id, parseOrThrow(userPatch, req.body ?? {}, 'body'), callerScope(req), actorOf(req));
      },
    },
    {
      method: 'post', path: '/users/:id/reset-password', permission: 'users:manage', summary: 'Issue a one-time password (returned once) and end the account’s sessions',
      handler: async (req) => deps.users.resetPassword(parseOrThrow(idParams, req.params, 'params').id, callerScope(req), actorOf(req)),
    },
    {
      method: 'post', path: '/users/:id/logout-all', permission: 'users:manage', summary: 'End every session of an account',
      handler: async (req, res) => {
        await deps.users.logoutEverywhere(parseOrThrow(idParams, req.params, 'params').id, callerScope(req), actorOf(req));
        res.status(204).end();
      },
    },
    {
      method: 'get', path: '/tokens', permission: 'tokens:manage', summary: 'List API tokens (never their secrets)',
      handler: async (req) => ({ items: await deps.tokens.list(callerScope(req)) }),
    },
    {
      method: 'post', path: '/tokens', permission: 'tokens:manage', summary: 'Create an API token for an account (the secret is returned once)',
      handler: async (req, res) => {
        const body = parseOrThrow(newToken, req.body ?? {}, 'body');
        const created = await deps.tokens.create(
          { ...body, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null },
          callerScope(req),
          actorOf(req),
        );
        res.status(201);
        return created;
      },
    },
    {
      method: 'post', path: '/tokens/:id/revoke', permission: 'tokens:manage', summary: 'Revoke an API token',
      handler: async (req) => deps.tokens.revoke(parseOrThrow(idParams, req.params, 'params').id, callerScope(req), actorOf(req)),
    },
  ];
}
