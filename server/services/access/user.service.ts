import type { Role } from '../../domain/access.js';
import { passwordProblem } from '../../domain/password-policy.js';
import { diffRecords } from '../../domain/audit-diff.js';
import type { SessionRepository } from '../../storage/session.repository.js';
import type { SignInThrottleRepository } from '../../storage/sign-in-throttle.repository.js';
import type { UserPatch, UserRecord, UserRepository } from '../../storage/user.repository.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { CodeList } from '../registry/catalog.js';
import type { Actor, AuditTrail } from './audit-trail.js';
import { resolveTowns, userView, type UserView } from './account-views.js';
import { commonPasswords, generateOneTimePassword, hashPassword } from './passwords.js';

export interface NewUserInput {
  username: string;
  displayName?: string;
  role: Role;
  towns?: string[] | null;
  /** Omitted: a one-time password is generated and must be changed at first sign-in. */
  password?: string;
}

export interface UserPatchInput {
  displayName?: string;
  role?: Role;
  towns?: string[] | null;
  disabled?: boolean;
}

/** Account administration. `caller` is whoever acts (an admin, or the command line with county scope). */
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly towns: CodeList,
    private readonly audit: AuditTrail,
    private readonly throttle: SignInThrottleRepository,
  ) {}

  async list(callerScope: readonly string[] | null): Promise<UserView[]> {
    return (await this.users.list(callerScope)).map(userView);
  }

  async create(input: NewUserInput, callerScope: readonly string[] | null, actor: Actor): Promise<{ user: UserView; oneTimePassword?: string }> {
    // Unset: the caller's own towns. null: the whole county (only a county-wide caller may grant it).
    const requested = input.towns === undefined ? (callerScope ? [...callerScope] : null) : input.towns;
    const towns = resolveTowns(requested, this.towns, callerScope) ?? null;
    let oneTimePassword: string | undefined;
    if (input.password !== undefined) {
      const problem = passwordProblem(input.password, { username: input.username, common: commonPasswords() });
      if (problem) throw new ValidationError([{ field: 'password', ...problem }]);
    } else {
      oneTimePassword = generateOneTimePassword();
    }
    const created = await this.users.insert({
      username: input.username,
      displayName: input.displayName ?? '',
      role: input.role,
      towns,
      passwordHash: await hashPassword(input.password ?? oneTimePassword!),
      mustChangePassword: oneTimePassword !== undefined,
    });
    if (!created) throw new ConflictError(`username ${input.username} is taken`, 'username');
    await this.audit.record(actor, { action: 'user.create', targetType: 'user', targetId: created.id, targetLabel: created.username, towns, detail: { changes: diffRecords(null, userView(created)) } });
    return { user: userView(created), ...(oneTimePassword ? { oneTimePassword } : {}) };
  }

  async update(id: string, input: UserPatchInput, callerScope: readonly string[] | null, actor: Actor): Promise<UserView> {
    const before = await this.mustFind(id, callerScope);
    const self = actor.principal?.userId === id;
    if (self && ((input.role && input.role !== before.role) || input.disabled === true || input.towns !== undefined)) {
      throw new ForbiddenError('forbidden', 'you cannot change your own role, towns or disable yourself; ask another admin');
    }
    const patch: UserPatch = { displayName: input.displayName, role: input.role, disabled: input.disabled };
    if (input.towns !== undefined) patch.towns = resolveTowns(input.towns, this.towns, callerScope) ?? null;
    const after = (await this.users.update(id, patch))!;
    if (after.disabled && !before.disabled) await this.sessions.deleteForUser(id);
    await this.audit.record(actor, { action: 'user.update', targetType: 'user', targetId: id, targetLabel: after.username, towns: after.towns ?? before.towns, detail: { changes: diffRecords(userView(before), userView(after)) } });
    return userView(after);
  }

  /** A new one-time password (shown once), every session of the user ended. */
  async resetPassword(id: string, callerScope: readonly string[] | null, actor: Actor): Promise<{ oneTimePassword: string }> {
    const user = await this.mustFind(id, callerScope);
    const oneTimePassword = generateOneTimePassword();
    await this.users.setPassword(id, await hashPassword(oneTimePassword), true);
    await this.unlock(user.username);
    const ended = await this.sessions.deleteForUser(id);
    await this.audit.record(actor, { action: 'user.reset_password', targetType: 'user', targetId: id, targetLabel: user.username, towns: user.towns, detail: { sessionsEnded: ended } });
    return { oneTimePassword };
  }

  /** Sets a chosen password (command line), without forcing a change. */
  async setPassword(username: string, password: string, actor: Actor): Promise<UserView> {
    const user = await this.users.findByUsername(username);
    if (!user) throw new NotFoundError('user', username);
    const problem = passwordProblem(password, { username: user.username, common: commonPasswords() });
    if (problem) throw new ValidationError([{ field: 'password', ...problem }]);
    await this.users.setPassword(user.id, await hashPassword(password), false);
    await this.unlock(user.username);
    await this.sessions.deleteForUser(user.id);
    await this.audit.record(actor, { action: 'user.reset_password', targetType: 'user', targetId: user.id, targetLabel: user.username, towns: user.towns, detail: { chosen: true } });
    return userView({ ...user, mustChangePassword: false });
  }

  async logoutEverywhere(id: string, callerScope: readonly string[] | null, actor: Actor): Promise<number> {
    const user = await this.mustFind(id, callerScope);
    const ended = await this.sessions.deleteForUser(id);
    await this.audit.record(actor, { action: 'user.logout_all', targetType: 'user', targetId: id, targetLabel: user.username, towns: user.towns, detail: { sessionsEnded: ended } });
    return ended;
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    return this.users.findByUsername(username);
  }

  /** A new password ends any lockout of the account: the locked-out admin's way back in is a reset. */
  private async unlock(username: string): Promise<void> {
    await this.throttle.clear(`account:${username.toLowerCase()}`);
  }

  private async mustFind(id: string, scope: readonly string[] | null): Promise<UserRecord> {
    const user = await this.users.findById(id, scope);
    if (!user) throw new NotFoundError('user', id);
    return user;
  }
}
