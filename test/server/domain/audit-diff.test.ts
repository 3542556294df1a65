import { expect } from 'chai';
import { diffRecords, redactSecrets, type FieldChange } from '../../../server/domain/audit-diff.js';

describe('audit diff: diffRecords', () => {
  // before | after → entries (the truth table in diffRecords' comment, then further rows)
  const table: Array<[string, object | null | undefined, object | null | undefined, Record<string, FieldChange>]> = [
    ['a: 1 → a: 1', { a: 1 }, { a: 1 }, {}],
    ['a: 1 → a: 2', { a: 1 }, { a: 2 }, { a: { before: 1, after: 2 } }],
    ['(absent) → a: 2', {}, { a: 2 }, { a: { before: null, after: 2 } }],
    ['password: x → password: y', { password: 'x' }, { password: 'y' }, { password: { before: '***', after: '***' } }],
    ['tags [1,2] → tags [1,2] (by value)', { tags: [1, 2] }, { tags: [1, 2] }, {}],
    // beyond the comment's table
    ['a: 2 → (absent)', { a: 2 }, {}, { a: { before: 2, after: null } }],
    ['tags [1,2] → tags [2,1]', { tags: [1, 2] }, { tags: [2, 1] }, { tags: { before: [1, 2], after: [2, 1] } }],
    ['password unchanged', { password: 'x' }, { password: 'x' }, {}],
    ['password set', { password: null }, { password: 'x' }, { password: { before: null, after: '***' } }],
    ['password cleared', { password: 'x' }, { password: null }, { password: { before: '***', after: null } }],
    ['hasPassword flag is shown as is', { hasPassword: false }, { hasPassword: true }, { hasPassword: { before: false, after: true } }],
    ['null before (a creation)', null, { name: 'cam 1', apiKey: 'k' }, { name: { before: null, after: 'cam 1' }, apiKey: { before: null, after: '***' } }],
    ['undefined after (a deletion)', { name: 'cam 1' }, undefined, { name: { before: 'cam 1', after: null } }],
    ['nested object changed', { idInfo: { town: 'a' } }, { idInfo: { town: 'b' } }, { idInfo: { before: { town: 'a' }, after: { town: 'b' } } }],
    ['undefined and null are the same', { a: undefined }, { a: null }, {}],
    [
      'dates compare by instant, shown as ISO text',
      { at: new Date('2026-01-01T00:00:00Z') },
      { at: new Date('2026-01-02T00:00:00Z') },
      { at: { before: '2026-01-01T00:00:00.000Z', after: '2026-01-02T00:00:00.000Z' } },
    ],
    ['equal dates are no change', { at: new Date('2026-01-01T00:00:00Z') }, { at: new Date('2026-01-01T00:00:00Z') }, {}],
  ];
  for (const [name, before, after, expected] of table) {
    it(name, () => {
      expect(diffRecords(before, after)).to.deep.equal(expected);
    });
  }

  it('never copies a secret value into the diff', () => {
    const sut = JSON.stringify(diffRecords({ secretHash: 'old-hash', token: 'tok-1' }, { secretHash: 'new-hash', token: 'tok-2' }));
    expect(sut).to.not.match(/old-hash|new-hash|tok-1|tok-2/);
  });
});

describe('audit diff: redactSecrets', () => {
  it('redacts secret-looking fields at every level, objects inside arrays included', () => {
    const sut = redactSecrets({
      name: 'cam 1',
      password: 'hunter2',
      credentials: { username: 'ops', passwordEnc: 'v1:abc', apiKey: 'k', nested: { sessionToken: 't', note: 'keep' } },
      endpoints: [{ url: 'rtsp://cam', authorization: 'Basic eA==' }, { url: 'onvif://cam', Cookie: 'sid=1' }],
      clientSecret: 's',
      passwordHash: '$argon2id$...',
    });
    expect(sut).to.deep.equal({
      name: 'cam 1',
      password: '***',
      credentials: { username: 'ops', passwordEnc: '***', apiKey: '***', nested: { sessionToken: '***', note: 'keep' } },
      endpoints: [{ url: 'rtsp://cam', authorization: '***' }, { url: 'onvif://cam', Cookie: '***' }],
      clientSecret: '***',
      passwordHash: '***',
    });
  });

  it('a whole secret object is replaced, not walked', () => {
    expect(redactSecrets({ token: { id: 'a', secret: 'b' } })).to.deep.equal({ token: '***' });
  });

  it('an absent secret is null, not "***" (so the log shows there was none)', () => {
    expect(redactSecrets({ password: null, token: undefined })).to.deep.equal({ password: null, token: null });
  });

  it('a field named hasPassword (or any has… flag) is not redacted', () => {
    expect(redactSecrets({ hasPassword: true, hasToken: false, nested: { hasPassword: false } })).to.deep.equal({
      hasPassword: true,
      hasToken: false,
      nested: { hasPassword: false },
    });
  });

  it('leaves primitives and ordinary fields alone and turns dates into ISO text', () => {
    expect(redactSecrets('password')).to.equal('password');
    expect(redactSecrets(7)).to.equal(7);
    expect(redactSecrets(null)).to.equal(null);
    expect(redactSecrets({ at: new Date('2026-11-27T02:00:00Z'), tags: ['a'] })).to.deep.equal({ at: '2026-11-27T02:00:00.000Z', tags: ['a'] });
  });

  it('does not change its input', () => {
    const input = { password: 'hunter2', nested: { token: 't' } };
    redactSecrets(input);
    expect(input).to.deep.equal({ password: 'hunter2', nested: { token: 't' } });
  });

  it('never hands back a secret nested deeper than it walks', () => {
    let deep: object = { password: 'hunter2' };
    for (let i = 0; i < 10; i++) deep = { n: deep };
    const sut = JSON.stringify(redactSecrets(deep));
    expect(sut).to.not.contain('hunter2');
  });
});
