import type { Logger } from '../../logger.js';
import type { UserRepository } from '../../storage/user.repository.js';
import { SYSTEM_ACTOR, type AuditTrail } from './audit-trail.js';
import { generateOneTimePassword, hashPassword } from './passwords.js';

export const FIRST_ADMIN = 'admin';

/**
 * On a database without an admin account, creates `admin`: with ADMIN_INITIAL_PASSWORD when configured
 * (automated deployments; no forced change), else with a one-time password shown once on the
 * console that must be changed at first sign-in. Two servers starting at once create one admin.
 */
export async function ensureFirstAdmin(
  users: UserRepository,
  audit: AuditTrail,
  logger: Logger,
  initialPassword: string | undefined,
  announce: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  if ((await users.countAdmins()) > 0) return;
  const password = initialPassword ?? generateOneTimePassword();
  const created = await users.insertFirst({
    username: FIRST_ADMIN,
    displayName: '系统管理员',
    role: 'admin',
    towns: null,
    passwordHash: await hashPassword(password),
    mustChangePassword: initialPassword === undefined,
  });
  if (!created) {
    if ((await users.countAdmins()) === 0) logger.error(`no admin account exists and the username "${FIRST_ADMIN}" is taken; create one with: npm run users -- create <name> --role admin`);
    return;
  }
  await audit.record(SYSTEM_ACTOR, { action: 'user.create', targetType: 'user', targetId: created.id, targetLabel: created.username, detail: { firstAdmin: true, passwordFrom: initialPassword ? 'ADMIN_INITIAL_PASSWORD' : 'one-time' } });
  if (initialPassword) {
    logger.info('first admin account created with ADMIN_INITIAL_PASSWORD', { username: FIRST_ADMIN });
    return;
  }
  logger.warn('first admin account created; its one-time password is shown once on the console above', { username: FIRST_ADMIN });
  // Shown once, outside the structured log, and useless after the forced change at first sign-in.
  announce(
    [
      '',
      '==================================================================',
      `  First start: account "${FIRST_ADMIN}" created.`,
      `  One-time password: ${password}`,
      '  Sign in and choose a new password now; this one is shown only once.',
      '  首次启动：已创建管理员账号 admin，以上一次性密码仅显示一次，登录后须立即修改。',
      '==================================================================',
      '',
    ].join('\n') + '\n',
  );
}
