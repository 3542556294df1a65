import { expect } from 'chai';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from '../../../server/domain/password-policy.js';
import {
  commonPasswords,
  decoyHash,
  generateOneTimePassword,
  hashPassword,
  verifyPassword,
} from '../../../server/services/access/passwords.js';

describe('password policy: passwordProblem', () => {
  const common = new Set(['password123', 'qwertyuiop', '1qaz2wsx3edc']);
  const ctx = { username: 'admin', common };

  // candidate | username → problem (null = acceptable)
  const table: Array<[string, string, string, RegExp | null]> = [
    ['"short"', 'short', 'admin', /at least 10 characters/],
    ['9 characters', 'abcdefghi', 'admin', /at least 10 characters/],
    ['10 characters (the minimum)', 'abcdefghij', 'admin', null],
    ['128 characters (the maximum)', 'abcd'.repeat(32), 'admin', null],
    ['129 characters', 'abcd'.repeat(32) + 'e', 'admin', /at most 128 characters/],
    ['"password123" (common)', 'password123', 'admin', /most common passwords/],
    ['"PassWord123" (common, other case)', 'PassWord123', 'admin', /most common passwords/],
    ['username inside', 'my-admin-desk-7', 'admin', /must not contain the username/],
    ['username inside, other case', 'My-ADMIN-desk-7', 'admin', /must not contain the username/],
    ['username reversed', 'nimda-desk-742', 'admin', /must not contain the username/],
    ['username of two letters is not checked', 'li-correct-horse', 'li', null],
    ['too few different characters', 'abababababab', 'admin', /too few different characters/],
    ['"correct horse battery"', 'correct horse battery', 'admin', null],
    ['length counts characters, not UTF-16 units: 9 emoji', '🔒🔑🚪🏠🌙⭐🌲🐟🍵', 'admin', /at least 10 characters/],
    ['ten Chinese characters', '今天天气很好我们去爬山', 'admin', null],
  ];
  for (const [name, candidate, username, problem] of table) {
    it(`${name} → ${problem ? problem.source : 'ok'}`, () => {
      const sut = passwordProblem(candidate, { ...ctx, username });
      if (problem) expect(sut?.message).to.match(problem);
      else expect(sut).to.equal(undefined);
    });
  }

  it('the limits are 10 and 128', () => {
    expect([MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH]).to.deep.equal([10, 128]);
  });

  it('length is checked before the common list (the first rule broken is reported)', () => {
    expect(passwordProblem('qwerty', { username: 'admin', common: new Set(['qwerty']) })?.code).to.equal('too_short');
  });
});

describe('passwords (service helpers)', () => {
  it('the common-password list holds at least 10,000 lower-cased entries, local ones included', () => {
    const sut = commonPasswords();
    expect(sut.size).to.be.at.least(10_000);
    for (const p of ['123456', 'password', 'woaini1314', 'admin12345']) expect(sut.has(p), p).to.equal(true);
    for (const p of sut) if (p !== p.toLowerCase()) expect.fail(`not lower-cased: ${p}`);
  });

  it('the real list rejects a common password through the policy', () => {
    expect(passwordProblem('Admin12345', { username: 'operator', common: commonPasswords() })?.code).to.equal('common');
  });

  it('hashes with argon2id and verifies the same password only', async () => {
    const sut = await hashPassword('correct horse battery');
    expect(sut.startsWith('$argon2id$')).to.equal(true);
    expect(await verifyPassword(sut, 'correct horse battery')).to.equal(true);
    expect(await verifyPassword(sut, 'correct horse batterY')).to.equal(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).to.not.equal(b);
  });

  it('a malformed stored hash verifies as false instead of throwing', async () => {
    expect(await verifyPassword('not-a-hash', 'anything at all')).to.equal(false);
  });

  it('the decoy hash is one argon2id hash, reused', async () => {
    const sut = await decoyHash();
    expect(sut.startsWith('$argon2id$')).to.equal(true);
    expect(await decoyHash()).to.equal(sut);
  });

  it('one-time passwords: 16 characters without look-alikes that pass the policy for "admin"', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const sut = generateOneTimePassword();
      expect(sut).to.have.length(16);
      expect(sut).to.match(/^[a-hjkmnp-zA-HJ-NP-Z2-9]{16}$/);
      expect(sut).to.not.match(/[ilIoO01]/);
      expect(passwordProblem(sut, { username: 'admin', common: commonPasswords() }), sut).to.equal(undefined);
      seen.add(sut);
    }
    expect(seen.size).to.equal(200);
  });
});
