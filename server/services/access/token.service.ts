import { intersectScopes, roleWithin, scopeWithin, type Principal, type Role } from '../../domain/access.js';
import type { ApiTokenRepository } from '../../storage/api-token.repository.js';
import type { UserRepository } from '../../storage/user.repository.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { CodeList } from '../registry/catalog.js';
import { resolveTowns, tokenView, type TokenView } from './account-views.js';
import type { Actor, AuditTrail } from './audit-trail.js';
import { formatApiToken, newSecret, parseApiToken, sameSecret, sha256 } from './credentials.js';

export interface NewTokenInput {
  userId: string;
  name: string;
  /** Defaults to the user's role; never above it. */
  role?: Role;
  /** Defaults to the user's towns; never outside them. */
  towns?: string[] | null;
  expiresAt?: Date | null;
}

/** API tokens for integrations (the city platform, scripts): hashed, role- and town-scoped, revocable. */
export class TokenService {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly users: UserRepository,
    private readonly towns: CodeList,
    private readonly audit: AuditTrail,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(input: NewTokenInput, callerScope: readonly string[] | null, actor: Actor): Promise<{ token: TokenView; secret: string }> {
    const user = await this.users.findById(input.userId, callerScope);
    if (!user) throw new NotFoundError('user', input.userId);
    if (user.disabled) throw new ValidationError([{ field: 'userId', message: 'the account is disabled' }]);
    const role = input.role ?? user.role;
    if (!roleWithin(role, user.role)) throw new ValidationError([{ field: 'role', message: `cannot exceed the account's role (${user.role})` }]);
    const requested = input.towns === undefined ? user.towns : resolveTowns(input.towns, this.towns, callerScope) ?? null;
    if (user.towns && (requested === null || requested.some((t) => !user.towns!.includes(t)))) {
      throw new ValidationError([{ field: 'towns', message: `must lie within the account's towns (${user.towns.join(', ')})` }]);
    }
    if (input.expiresAt && input.expiresAt <= this.now()) throw new ValidationError([{ field: 'expiresAt', message: 'must be in the future' }]);
    const secret = newSecret();
    const record = await this.tokens.insert({
      name: input.name,
      secretHash: sha256(secret),
      userId: user.id,
      role,
      towns: requested,
      createdBy: actor.principal?.username ?? actor.name ?? 'unknown',
      expiresAt: input.expiresAt ?? null,
    });
    await this.audit.record(actor, { action: 'token.create', targetType: 'token', targetId: record.id, targetLabel: `${record.name} (${user.username})`, towns: requested, detail: { role, towns: requested, expiresAt: record.expiresAt } });
    return { token: tokenView(record), secret: formatApiToken(record.id, secret) };
  }

  async list(callerScope: readonly string[] | null): Promise<TokenView[]> {
    return (await this.tokens.list(callerScope)).map(tokenView);
  }

  async revoke(id: string, callerScope: readonly string[] | null, actor: Actor): Promise<TokenView> {
    const token = await this.tokens.find(id);
    if (!token || !scopeWithin(token.towns, callerScope)) throw new NotFoundError('token', id);
    const record = (await this.tokens.revoke(id, this.now()))!;
    await this.audit.record(actor, { action: 'token.revoke', targetType: 'token', targetId: id, targetLabel: `${record.name} (${record.username})`, towns: record.towns });
    return tokenView(record);
  }

  /** The principal behind `Authorization: Bearer <token>`, if the token is live. */
  async resolve(bearer: string): Promise<Principal | undefined> {
    const parsed = parseApiToken(bearer);
    if (!parsed) return undefined;
    const found = await this.tokens.findWithOwner(parsed.id);
    const now = this.now();
    if (!found) return undefined;
    const { token, owner } = found;
    if (token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return undefined;
    if (!sameSecret(sha256(parsed.secret), token.secretHash)) return undefined;
    // An account disabled or demoted since takes its tokens down with it.
    if (owner.disabled || !roleWithin(token.role, owner.role)) return undefined;
    await this.tokens.markUsed(token.id, now, token.lastUsedAt);
    return {
      kind: 'token',
      userId: token.userId,
      username: token.username,
      role: token.role,
      towns: intersectScopes(token.towns, owner.towns),
      mustChangePassword: false,
      tokenId: token.id,
    };
  }
}
