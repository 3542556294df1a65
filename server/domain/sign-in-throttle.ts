/**
 * Lockout with back-off after repeated failed sign-ins, per account and per client address.
 * Pure: the caller loads the counter, asks here, and stores what comes back.
 */

export interface ThrottlePolicy {
  /** Failures allowed before the first lock. */
  freeFailures: number;
  /** Length of the first lock; each further failure doubles it. */
  baseLockMs: number;
  maxLockMs: number;
  /** A counter untouched this long starts again from zero. */
  forgetAfterMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { freeFailures: 5, baseLockMs: 60_000, maxLockMs: 60 * 60_000, forgetAfterMs: 60 * 60_000 };
export const ADDRESS_POLICY: ThrottlePolicy = { freeFailures: 20, baseLockMs: 60_000, maxLockMs: 60 * 60_000, forgetAfterMs: 60 * 60_000 };

export interface ThrottleCounter {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

/** Milliseconds the key must still wait before a sign-in attempt is even looked at (0 = go ahead). */
export function waitMs(counter: ThrottleCounter | undefined, now: Date): number {
  if (!counter?.lockedUntil) return 0;
  return Math.max(0, counter.lockedUntil.getTime() - now.getTime());
}

/**
 * The counter after one more failure.
 * Truth table (freeFailures 5, base 60 s, max 1 h, forget after 1 h):
 * previous failures | last failure     | new failures | lock
 * none              | -                | 1            | none
 * 3                 | 1 min ago        | 4            | none
 * 4                 | 1 min ago        | 5            | 60 s
 * 5                 | 1 min ago        | 6            | 120 s
 * 9                 | 1 min ago        | 10           | 32 min
 * 20                | 1 min ago        | 21           | 1 h (cap)
 * 9                 | 2 h ago          | 1            | none (forgotten)
 */
export function afterFailure(counter: ThrottleCounter | undefined, now: Date, policy: ThrottlePolicy): ThrottleCounter {
  const stale = !counter || now.getTime() - counter.lastFailureAt.getTime() > policy.forgetAfterMs;
  const failures = (stale ? 0 : counter.failures) + 1;
  const over = failures - policy.freeFailures;
  if (over < 0) return { failures, lastFailureAt: now, lockedUntil: null };
  const lockMs = Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** Math.min(over, 30));
  return { failures, lastFailureAt: now, lockedUntil: new Date(now.getTime() + lockMs) };
}
