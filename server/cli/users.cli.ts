/**
 * `npm run users -- <command>`: accounts from the command line, for the first set-up of a county,
 * scripts, and the day an admin is locked out. Works on the configured database (with the
 * embedded one, while the server is stopped). Every change is in the audit log as cli:<os user>.
 * Exit codes: 0 done, 1 refused (unknown user, weak password, …), 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { describeDatabase, loadConfig } from '../../config/index.js';
import { createContext, type AppContext } from '../context.js';
import { createLogger } from '../logger.js';
import { isRole, type Role } from '../domain/access.js';
import { cliActor } from '../services/access/audit-trail.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../services/errors.js';
import { readPasswordFromStdin } from './stdin-password.js';

const USAGE = `usage:
  npm run users -- list
  npm run users -- create <username> --role admin|operator|crew|leader [--towns 梅渚镇,shizi] [--name 显示名] [--password-stdin]
  npm run users -- reset <username> [--password-stdin]       new one-time password (or the one on stdin)
  npm run users -- token <username> --name <label> [--role R] [--towns a,b] [--expires-days N]
  npm run users -- revoke-token <token id>
  npm run users -- disable|enable|logout-all <username>
Without --password-stdin a one-time password is printed once and must be changed at first sign-in.`;

const OPTIONS = {
  role: { type: 'string' },
  towns: { type: 'string' },
  name: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'expires-days': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    return usage((err as Error).message);
  }
  if (args.values.help) return void process.stdout.write(USAGE + '\n'), 0;
  const [command, subject, ...extra] = args.positionals;
  const known = ['list', 'create', 'reset', 'token', 'revoke-token', 'disable', 'enable', 'logout-all'];
  if (!command || !known.includes(command) || extra.length > 0 || (command !== 'list' && !subject)) return usage();
  const role = args.values.role;
  if (role !== undefined && !isRole(role)) return usage(`--role must be one of admin, operator, crew, leader`);
  if (command === 'create' && !role) return usage('create needs --role');
  if (command === 'token' && !args.values.name) return usage('token needs --name');
  const days = args.values['expires-days'] === undefined ? undefined : Number(args.values['expires-days']);
  if (days !== undefined && !(Number.isInteger(days) && days > 0)) return usage('--expires-days must be a positive whole number');
  const password = args.values['password-stdin'] ? await readPasswordFromStdin() : undefined;

  const config = loadConfig();
  const ctx = await createContext(config, createLogger('warn', (line) => process.stderr.write(line + '\n')));
  process.stderr.write(`database: ${describeDatabase(config)}\n`);
  try {
    const run = { ctx, subject: subject!, role: role as Role | undefined, towns: splitTowns(args.values.towns), name: args.values.name, password, days };
    await COMMANDS[command](run);
    return 0;
  } catch (err) {
    if (err instanceof ValidationError) return refuse(err.problems.map((p) => `${p.field} ${p.message}`).join('; '));
    if (err instanceof NotFoundError || err instanceof ConflictError || err instanceof ForbiddenError) return refuse(err.message);
    throw err;
  } finally {
    await ctx.db.close();
  }
}

interface Run {
  ctx: AppContext;
  subject: string;
  role?: Role;
  towns?: string[] | null;
  name?: string;
  password?: string;
  days?: number;
}

const out = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n');

const COMMANDS: Record<string, (run: Run) => Promise<void>> = {
  async list({ ctx }) {
    for (const u of await ctx.users.list(null)) out({ username: u.username, role: u.role, towns: u.towns, disabled: u.disabled, mustChangePassword: u.mustChangePassword });
  },
  async create({ ctx, subject, role, towns, name, password }) {
    const created = await ctx.users.create({ username: subject, role: role!, towns, displayName: name, password }, null, cliActor());
    out({ created: created.user.username, role: created.user.role, towns: created.user.towns });
    if (created.oneTimePassword) process.stdout.write(`one-time password (shown once; must be changed at first sign-in): ${created.oneTimePassword}\n`);
  },
  async reset({ ctx, subject, password }) {
    if (password !== undefined) {
      await ctx.users.setPassword(subject, password, cliActor());
      out({ reset: subject, mustChangePassword: false });
      return;
    }
    const user = await mustFind(ctx, subject);
    const { oneTimePassword } = await ctx.users.resetPassword(user.id, null, cliActor());
    out({ reset: subject, mustChangePassword: true });
    process.stdout.write(`one-time password (shown once; must be changed at first sign-in): ${oneTimePassword}\n`);
  },
  async token({ ctx, subject, name, role, towns, days }) {
    const user = await mustFind(ctx, subject);
    const expiresAt = days ? new Date(Date.now() + days * 86_400_000) : null;
    const { token, secret } = await ctx.tokens.create({ userId: user.id, name: name!, role, towns, expiresAt }, null, cliActor());
    out({ token: token.id, name: token.name, role: token.role, towns: token.towns, expiresAt: token.expiresAt });
    process.stdout.write(`API token (shown once; send as "Authorization: Bearer <token>"): ${secret}\n`);
  },
  async 'revoke-token'({ ctx, subject }) {
    const token = await ctx.tokens.revoke(subject, null, cliActor());
    out({ revoked: token.id, name: token.name, revokedAt: token.revokedAt });
  },
  async disable({ ctx, subject }) {
    const user = await mustFind(ctx, subject);
    out({ disabled: (await ctx.users.update(user.id, { disabled: true }, null, cliActor())).username });
  },
  async enable({ ctx, subject }) {
    const user = await mustFind(ctx, subject);
    out({ enabled: (await ctx.users.update(user.id, { disabled: false }, null, cliActor())).username });
  },
  async 'logout-all'({ ctx, subject }) {
    const user = await mustFind(ctx, subject);
    out({ user: subject, sessionsEnded: await ctx.users.logoutEverywhere(user.id, null, cliActor()) });
  },
};

async function mustFind(ctx: AppContext, username: string) {
  const user = await ctx.users.findByUsername(username);
  if (!user) throw new NotFoundError('user', username);
  return user;
}

function splitTowns(text: string | undefined): string[] | null | undefined {
  if (text === undefined) return undefined;
  if (text === 'county' || text === '全县') return null;
  return text.split(/[,，]/).map((t) => t.trim()).filter(Boolean);
}

function usage(message?: string): number {
  process.stderr.write(`${message ? message + '\n' : ''}${USAGE}\n`);
  return 2;
}

function refuse(message: string): number {
  process.stderr.write(`refused: ${message}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`users: ${err.message}\n`);
    process.exit(1);
  },
);
