import { expect } from 'chai';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  afterFailure,
  waitMs,
  type ThrottleCounter,
  type ThrottlePolicy,
} from '../../../server/domain/sign-in-throttle.js';

const MIN = 60_000;
const now = new Date('2026-11-27T02:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const counter = (failures: number, lastFailureMsAgo: number, lockedUntil: Date | null = null): ThrottleCounter => ({
  failures,
  lastFailureAt: ago(lastFailureMsAgo),
  lockedUntil,
});

describe('sign-in throttle: afterFailure', () => {
  const policy: ThrottlePolicy = { freeFailures: 5, baseLockMs: MIN, maxLockMs: 60 * MIN, forgetAfterMs: 60 * MIN };

  it('the table below uses the account policy', () => {
    expect(ACCOUNT_POLICY).to.deep.equal(policy);
  });

  // previous counter | → new failures | lock (ms, null = none)
  const table: Array<[string, ThrottleCounter | undefined, number, number | null]> = [
    ['none', undefined, 1, null],
    ['3, 1 min ago', counter(3, MIN), 4, null],
    ['4, 1 min ago', counter(4, MIN), 5, MIN],
    ['5, 1 min ago', counter(5, MIN), 6, 2 * MIN],
    ['9, 1 min ago', counter(9, MIN), 10, 32 * MIN],
    ['20, 1 min ago (cap)', counter(20, MIN), 21, 60 * MIN],
    ['9, 2 h ago (forgotten)', counter(9, 120 * MIN), 1, null],
    // beyond the comment's table: the edges of "forget" and a huge count that must not overflow
    ['9, exactly 1 h ago (not yet forgotten)', counter(9, 60 * MIN), 10, 32 * MIN],
    ['9, 1 h + 1 ms ago (forgotten)', counter(9, 60 * MIN + 1), 1, null],
    ['10,000, 1 min ago (still the cap)', counter(10_000, MIN), 10_001, 60 * MIN],
  ];
  for (const [name, previous, failures, lockMs] of table) {
    it(`${name} → ${failures} failure(s), ${lockMs === null ? 'no lock' : `lock ${lockMs / 1000} s`}`, () => {
      const sut = afterFailure(previous, now, policy);
      expect(sut.failures).to.equal(failures);
      expect(sut.lastFailureAt.getTime()).to.equal(now.getTime());
      expect(sut.lockedUntil?.getTime() ?? null).to.equal(lockMs === null ? null : now.getTime() + lockMs);
    });
  }

  it('a forgotten counter drops its old lock too', () => {
    const sut = afterFailure(counter(9, 120 * MIN, ago(90 * MIN)), now, policy);
    expect(sut).to.deep.equal({ failures: 1, lastFailureAt: now, lockedUntil: null });
  });

  it('the address policy allows 20 failures before its first lock', () => {
    expect(afterFailure(counter(18, MIN), now, ADDRESS_POLICY).lockedUntil).to.equal(null);
    expect(afterFailure(counter(19, MIN), now, ADDRESS_POLICY).lockedUntil?.getTime()).to.equal(now.getTime() + MIN);
  });
});

describe('sign-in throttle: waitMs', () => {
  // counter | → ms to wait
  const table: Array<[string, ThrottleCounter | undefined, number]> = [
    ['no counter', undefined, 0],
    ['failures but no lock', counter(3, MIN), 0],
    ['locked 30 s more', counter(5, MIN, new Date(now.getTime() + 30_000)), 30_000],
    ['lock ends right now', counter(5, MIN, now), 0],
    ['lock ended 1 s ago', counter(5, MIN, ago(1000)), 0],
  ];
  for (const [name, c, expected] of table) {
    it(`${name} → ${expected}`, () => {
      expect(waitMs(c, now)).to.equal(expected);
    });
  }

  it('the lock afterFailure sets is what waitMs reports', () => {
    const locked = afterFailure(counter(5, MIN), now, ACCOUNT_POLICY);
    expect(waitMs(locked, now)).to.equal(2 * MIN);
    expect(waitMs(locked, new Date(now.getTime() + MIN))).to.equal(MIN);
  });
});
