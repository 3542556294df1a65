import type { AuthConfig } from '../../../config/index.js';
import type { Principal } from '../../domain/access.js';
import { passwordProblem } from '../../domain/password-policy.js';
import { ACCOUNT_POLICY, ADDRESS_POLICY, afterFailure, waitMs } from '../../domain/sign-in-throttle.js';
import type { SessionRepository } from '../../storage/session.repository.js';
import type { SignInThrottleRepository } from '../../storage/sign-in-throttle.repository.js';
import type { UserRecord, UserRepository } from '../../storage/user.repository.js';
import { LockedError, UnauthenticatedError, ValidationError } from '../errors.js';
import type { Actor, AuditTrail } from './audit-trail.js';
import { newSecret, sha256 } from './credentials.js';
import { commonPasswords, decoyHash, hashPassword, verifyPassword } from './passwords.js';

export interface SignedIn {
  user: UserRecord;
  principal: Principal;
  /** Goes into the cookie; never stored. */
  sessionSecret: string;
  csrfToken: string;
}

export interface ResolvedSession {
  principal: Principal;
  csrfToken: string;
  user: UserRecord;
}

/** Only so often is a session's last-seen time written, so a busy console does not write per request. */
const TOUCH_EVERY_MS = 60_000;

export interface AuthDeps {
  users: UserRepository;
  sessions: SessionRepository;
  throttle: SignInThrottleRepository;
  audit: AuditTrail;
  config: AuthConfig;
  now?: () => Date;
}

/** Sign-in, sessions and password changes. */
export class AuthService {
  private readonly now: () => Date;

  constructor(private readonly deps: AuthDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async login(username: string, password: string, actor: Actor & { userAgent?: string }): Promise<SignedIn> {
    const now = this.now();
    const keys = [`account:${username.toLowerCase()}`, `ip:${actor.ip ?? 'unknown'}`];
    const counters = await this.deps.throttle.load(keys);
    const wait = Math.max(...keys.map((k) => waitMs(counters.get(k), now)));
    if (wait > 0) {
      await this.deps.audit.record(actor, { action: 'auth.login_failed', outcome: 'denied', targetType: 'user', targetLabel: username, detail: { reason: 'locked' } });
      throw new LockedError(Math.ceil(wait / 1000));
    }
    const user = await this.deps.users.findByUsername(username);
    // Verify even for unknown users, so the answer takes as long whether the account exists or not.
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !ok || user.disabled) {
      await this.deps.throttle.save(keys[0], afterFailure(counters.get(keys[0]), now, ACCOUNT_POLICY));
      await this.deps.throttle.save(keys[1], afterFailure(counters.get(keys[1]), now, ADDRESS_POLICY));
      const reason = !user ? 'unknown user' : !ok ? 'wrong password' : 'account disabled';
      await this.deps.audit.record(actor, { action: 'auth.login_failed', outcome: 'failed', targetType: 'user', targetId: user?.id, targetLabel: username, towns: user?.towns, detail: { reason } });
      throw new UnauthenticatedError('invalid_credentials', 'wrong username or password');
    }
    await this.deps.throttle.clear(keys[0]);
    const signedIn = await this.openSession(user, actor, now);
    await this.deps.audit.record({ ...actor, principal: signedIn.principal }, { action: 'auth.login', targetType: 'user', targetId: user.id, targetLabel: user.username, towns: user.towns });
    return signedIn;
  }

  /** The session behind a cookie secret, if it is still valid (not idle too long, not past its absolute end). */
  async resolveSession(secret: string): Promise<ResolvedSession | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
    const now = this.now();
    const idHash = sha256(secret);
    const found = await this.deps.sessions.find(idHash);
    if (!found) return undefined;
    const { session, user } = found;
    const idleEnd = session.lastSeenAt.getTime() + this.deps.config.sessionIdleMs;
    if (session.expiresAt <= now || idleEnd <= now.getTime()) {
      await this.deps.sessions.delete(idHash);
      return undefined;
    }
    if (user.disabled) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await this.deps.sessions.touch(idHash, now);
    return { principal: sessionPrincipal(user, idHash), csrfToken: session.csrfToken, user };
  }

  async logout(principal: Principal, actor: Actor): Promise<void> {
    if (principal.sessionId) await this.deps.sessions.delete(principal.sessionId);
    await this.deps.audit.record(actor, { action: 'auth.logout', targetType: 'user', targetId: principal.userId, targetLabel: principal.username });
  }

  async logoutEverywhere(principal: Principal, actor: Actor): Promise<number> {
    const ended = await this.deps.sessions.deleteForUser(principal.userId);
    await this.deps.audit.record(actor, { action: 'auth.logout_all', targetType: 'user', targetId: principal.userId, targetLabel: principal.username, detail: { sessionsEnded: ended } });
    return ended;
  }

  /** Changes the caller's own password; every other session of theirs ends, this one continues. */
  async changePassword(principal: Principal, current: string, next: string, actor: Actor): Promise<{ principal: Principal; user: UserRecord }> {
    const user = await this.deps.users.findById(principal.userId);
    if (!user || user.disabled) throw new UnauthenticatedError();
    if (!(await verifyPassword(user.passwordHash, current))) {
      await this.deps.audit.record(actor, { action: 'auth.password_change', outcome: 'failed', targetType: 'user', targetId: user.id, targetLabel: user.username, detail: { reason: 'wrong current password' } });
      throw new ValidationError([{ field: 'currentPassword', code: 'wrong_current', message: 'is not your current password' }]);
    }
    const problem = next === current ? { code: 'same_as_current', message: 'must differ from the current password' } : passwordProblem(next, { username: user.username, common: commonPasswords() });
    if (problem) throw new ValidationError([{ field: 'newPassword', ...problem }]);
    await this.deps.users.setPassword(user.id, await hashPassword(next), false);
    const ended = await this.deps.sessions.deleteForUser(user.id, principal.sessionId);
    await this.deps.audit.record(actor, { action: 'auth.password_change', targetType: 'user', targetId: user.id, targetLabel: user.username, towns: user.towns, detail: { otherSessionsEnded: ended } });
    return { principal: { ...principal, mustChangePassword: false }, user: { ...user, mustChangePassword: false } };
  }

  private async openSession(user: UserRecord, actor: Actor & { userAgent?: string }, now: Date): Promise<SignedIn> {
    const sessionSecret = newSecret();
    const csrfToken = newSecret();
    const idHash = sha256(sessionSecret);
    await this.deps.sessions.insert({
      idHash,
      userId: user.id,
      csrfToken,
      now,
      expiresAt: new Date(now.getTime() + this.deps.config.sessionAbsoluteMs),
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    return { user, principal: sessionPrincipal(user, idHash), sessionSecret, csrfToken };
  }

  /** Housekeeping: sessions past either timeout, and old sign-in counters. */
  async prune(): Promise<void> {
    const now = this.now();
    await this.deps.sessions.pruneExpired(now, new Date(now.getTime() - this.deps.config.sessionIdleMs));
    await this.deps.throttle.pruneOlderThan(new Date(now.getTime() - 24 * 3_600_000));
  }
}

export function sessionPrincipal(user: UserRecord, sessionId: string): Principal {
  return {
    kind: 'session',
    userId: user.id,
    username: user.username,
    role: user.role,
    towns: user.towns,
    mustChangePassword: user.mustChangePassword,
    sessionId,
  };
}
