import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  CLOCK_CORRECTION_THRESHOLD_MS,
  createdStamp,
  createUsernameToken,
  isoStamp,
  passwordDigest,
  securityHeader,
} from '../../../../workers/probes/onvif/ws-security.js';
import { NS, find, parseXml, textAt } from '../../../../workers/probes/onvif/xml.js';

/** Independent reference: SHA-1 over the concatenated bytes, Base64. */
const reference = (nonce: Buffer, created: string, password: string) =>
  createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')])).digest('base64');

describe('onvif/ws-security UsernameToken PasswordDigest', () => {
  const nonce = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
  const created = '2024-07-09T19:49:06.123Z';

  it('matches the known vector Base64(SHA1(nonce + created + password))', () => {
    const expected = reference(nonce, created, 'Pa55-wörd!');
    expect(passwordDigest(nonce, created, 'Pa55-wörd!')).to.equal(expected);
    expect(passwordDigest(nonce, created, '')).to.equal(reference(nonce, created, ''));
  });

  it('builds a token from `now` with a fixed nonce', () => {
    const sut = createUsernameToken({ username: 'admin', password: 'secret', now: Date.parse(created), nonce });
    expect(sut).to.deep.equal({
      username: 'admin',
      passwordDigest: reference(nonce, created, 'secret'),
      nonce: nonce.toString('base64'),
      created,
    });
  });

  it('uses 16 fresh random bytes per token', () => {
    const a = createUsernameToken({ username: 'u', password: 'p', now: 0 });
    const b = createUsernameToken({ username: 'u', password: 'p', now: 0 });
    expect(Buffer.from(a.nonce, 'base64')).to.have.length(16);
    expect(a.nonce).to.not.equal(b.nonce);
  });

  describe('Created with clock correction (device − worker offset)', () => {
    const now = Date.parse('2024-01-01T00:00:00.000Z');
    const rows: Array<[number | null | undefined, string]> = [
      [undefined, '2024-01-01T00:00:00.000Z'],
      [null, '2024-01-01T00:00:00.000Z'],
      [CLOCK_CORRECTION_THRESHOLD_MS, '2024-01-01T00:00:00.000Z'], // at the threshold: not corrected
      [-4_999, '2024-01-01T00:00:00.000Z'],
      [5_001, '2024-01-01T00:00:05.001Z'],
      [3_600_000, '2024-01-01T01:00:00.000Z'],
      [-86_400_000, '2023-12-31T00:00:00.000Z'],
    ];
    for (const [offset, expected] of rows) {
      it(`offset ${offset} → ${expected}`, () => expect(createdStamp(now, offset)).to.equal(expected));
    }
  });

  it('isoStamp equals Date#toISOString (second boundaries, fractions, negative and six-digit years, repeats)', () => {
    const times = [0, 1, 999, 1000, 1001, -1, -999, -1000, -1001, 1.7, -1.7, 1764288000000, 1764288000999, 1764288001000, 1764287999999.5,
      8.64e15, -8.64e15, 253402300800000, -62198755200000, 1764288000123, 1764288000123, 1764288000007];
    for (let i = 0; i < 2000; i++) times.push(Math.floor(Math.random() * 4e12) - 1e12 + (i % 3) * 0.25);
    for (const ms of times) expect(isoStamp(ms), String(ms)).to.equal(new Date(ms).toISOString());
    expect(() => isoStamp(8.64e15 + 1)).to.throw(RangeError);
    expect(() => isoStamp(NaN)).to.throw(RangeError);
  });

  it('renders a wsse:Security header that parses back, with the username escaped', () => {
    const token = createUsernameToken({ username: 'a<b&"c', password: 'p', now: 0, nonce });
    const root = parseXml(securityHeader(token));
    expect([root.ns, root.local]).to.deep.equal([NS.wsse, 'Security']);
    const ut = find(root, NS.wsse, 'UsernameToken');
    expect(textAt(ut, [NS.wsse, 'Username'])).to.equal('a<b&"c');
    expect(textAt(ut, [NS.wsse, 'Password'])).to.equal(token.passwordDigest);
    expect(textAt(ut, [NS.wsse, 'Nonce'])).to.equal(token.nonce);
    expect(textAt(ut, [NS.wsu, 'Created'])).to.equal('1970-01-01T00:00:00.000Z');
    expect(find(ut, NS.wsse, 'Password')?.attrs.Type).to.match(/#PasswordDigest$/);
    expect(securityHeader(token)).to.not.include('>p<');
  });
});
