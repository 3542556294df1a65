import { expect } from 'chai';
import {
  basicAuthorization,
  createAuthorizer,
  digestResponse,
  digestSupported,
  parseChallenges,
  type AuthChallenge,
  type DigestParams,
} from '../../../../workers/probes/rtsp/digest.js';
import { fixture } from '../../../support/rtsp-script-server.js';

describe('digestResponse (published vectors)', () => {
  const rfc7616 = {
    username: 'Mufasa',
    password: 'Circle of Life',
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    method: 'GET',
    uri: '/dir/index.html',
    qop: 'auth',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  // Truth table: source → inputs → response.
  const vectors: Array<[string, DigestParams, string]> = [
    [
      'RFC 2617 §3.5 (MD5, qop=auth)',
      { username: 'Mufasa', password: 'Circle Of Life', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html', qop: 'auth', nc: '00000001', cnonce: '0a4f113b' },
      '6629fae49393a05397450978507c4ef1',
    ],
    [
      'RFC 2069 §2.4 as corrected by erratum 749 (MD5, no qop)',
      { username: 'Mufasa', password: 'CircleOfLife', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html' },
      '1949323746fe6a43ef61f9606e7febea',
    ],
    ['RFC 7616 §3.9.1 (MD5, qop=auth)', { ...rfc7616, algorithm: 'MD5' }, '8ca523f5e9506fed4657c9700eebdbec'],
    ['RFC 7616 §3.9.1 (SHA-256, qop=auth)', { ...rfc7616, algorithm: 'SHA-256' }, '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ];
  for (const [name, params, expected] of vectors) {
    it(name, () => expect(digestResponse(params)).to.equal(expected));
  }

  it('the per-camera hashes it keeps (H(user:realm:pass), H(method:uri)) never answer for other inputs', () => {
    // Same call twice (the second from the kept hashes), then each input changed alone: each must change the answer.
    const base = vectors[0][1];
    expect(digestResponse(base)).to.equal(vectors[0][2]);
    expect(digestResponse(base)).to.equal(vectors[0][2]);
    const answers = new Set([vectors[0][2]]);
    for (const changed of [{ password: 'Circle of Life' }, { username: 'mufasa' }, { realm: 'testrealm@host.co' }, { method: 'POST' }, { uri: '/dir/index.htm' }, { algorithm: 'SHA-256' }]) {
      answers.add(digestResponse({ ...base, ...changed }));
    }
    expect(answers.size).to.equal(7);
  });

  it('algorithm names are case-insensitive; unknown ones throw', () => {
    expect(digestResponse({ ...rfc7616, algorithm: 'md5' })).to.equal('8ca523f5e9506fed4657c9700eebdbec');
    expect(() => digestResponse({ ...rfc7616, algorithm: 'SHA-512-256' })).to.throw(/unsupported/);
  });

  it('RFC 7617 §2 Basic vector', () => {
    expect(basicAuthorization({ username: 'Aladdin', password: 'open sesame' })).to.equal('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });
});

describe('parseChallenges', () => {
  const longse = fixture('longse/401-Unauthorized-Digest.txt').toString('latin1');
  const longseValue = /WWW-Authenticate: (.*)\r\n/.exec(longse)![1];
  // Truth table: header value(s) → challenges.
  const cases: Array<[string, string[], AuthChallenge[]]> = [
    ['longse fixture (realm + nonce only)', [longseValue], [{ scheme: 'digest', params: { realm: 'Surveillance Server', nonce: '98481030' } }]],
    ['lower-case scheme, unquoted values', ['digest realm=cam, nonce=abc=, stale=FALSE'], [{ scheme: 'digest', params: { realm: 'cam', nonce: 'abc=', stale: 'FALSE' } }]],
    [
      'two challenges in one header',
      ['Basic realm="x", Digest realm="Login to 2J0123", nonce="n", qop="auth,auth-int", opaque=""'],
      [
        { scheme: 'basic', params: { realm: 'x' } },
        { scheme: 'digest', params: { realm: 'Login to 2J0123', nonce: 'n', qop: 'auth,auth-int', opaque: '' } },
      ],
    ],
    [
      'two headers',
      ['Digest realm="a", nonce="1", algorithm=MD5', 'Basic realm="a"'],
      [
        { scheme: 'digest', params: { realm: 'a', nonce: '1', algorithm: 'MD5' } },
        { scheme: 'basic', params: { realm: 'a' } },
      ],
    ],
    ['escaped quote and comma inside quotes', ['Digest realm="say \\"hi\\", ok",nonce="z"'], [{ scheme: 'digest', params: { realm: 'say "hi", ok', nonce: 'z' } }]],
    ['spaces around =', ['Digest realm = "r" , nonce= "n"'], [{ scheme: 'digest', params: { realm: 'r', nonce: 'n' } }]],
    ['empty', [''], []],
  ];
  for (const [name, values, expected] of cases) {
    it(name, () => expect(parseChallenges(values)).to.deep.equal(expected));
  }
});

describe('digestSupported / createAuthorizer', () => {
  const creds = { username: 'admin', password: 'pw' };
  const digest = (params: Record<string, string>): AuthChallenge => ({ scheme: 'digest', params: { realm: 'r', nonce: 'n', ...params } });
  // Truth table: challenge → usable?
  const support: Array<[string, AuthChallenge, boolean]> = [
    ['no algorithm, no qop', digest({}), true],
    ['MD5-sess', digest({ algorithm: 'MD5-sess' }), true],
    ['qop=auth-int only', digest({ qop: 'auth-int' }), true],
    ['SHA-512-256', digest({ algorithm: 'SHA-512-256' }), false],
    ['unknown qop', digest({ qop: 'token' }), false],
    ['no nonce', { scheme: 'digest', params: { realm: 'r' } }, false],
    ['basic', { scheme: 'basic', params: {} }, false],
  ];
  for (const [name, challenge, expected] of support) {
    it(`digestSupported: ${name} → ${expected}`, () => expect(digestSupported(challenge)).to.equal(expected));
  }

  it('prefers Digest over Basic whatever the order; falls back to Basic; null when nothing usable', () => {
    expect(createAuthorizer([{ scheme: 'basic', params: {} }, digest({})], creds)?.scheme).to.equal('digest');
    expect(createAuthorizer([digest({ algorithm: 'SHA-512-256' }), { scheme: 'basic', params: {} }], creds)?.scheme).to.equal('basic');
    expect(createAuthorizer([{ scheme: 'ntlm', params: {} }], creds)).to.equal(null);
  });

  it('builds an RFC 2617 header; no qop → no nc/cnonce; algorithm only when the server named it', () => {
    const sut = createAuthorizer([digest({})], creds)!;
    const expected = digestResponse({ ...creds, realm: 'r', nonce: 'n', method: 'DESCRIBE', uri: 'rtsp://h/s' });
    expect(sut.authorize('DESCRIBE', 'rtsp://h/s')).to.equal(`Digest username="admin", realm="r", nonce="n", uri="rtsp://h/s", response="${expected}"`);
  });

  it('qop=auth: nc counts up per request, opaque and algorithm echoed, cnonce from the generator', () => {
    const sut = createAuthorizer([digest({ qop: 'auth,auth-int', opaque: 'o', algorithm: 'MD5' })], creds, () => 'c0ffee')!;
    const first = sut.authorize('OPTIONS', 'rtsp://h/s');
    const second = sut.authorize('DESCRIBE', 'rtsp://h/s');
    const resp = digestResponse({ ...creds, realm: 'r', nonce: 'n', method: 'DESCRIBE', uri: 'rtsp://h/s', algorithm: 'MD5', qop: 'auth', nc: '00000002', cnonce: 'c0ffee' });
    expect(first).to.match(/qop=auth, nc=00000001, cnonce="c0ffee"/);
    expect(second).to.equal(`Digest username="admin", realm="r", nonce="n", uri="rtsp://h/s", response="${resp}", algorithm=MD5, opaque="o", qop=auth, nc=00000002, cnonce="c0ffee"`);
  });

  it('escapes quotes in the user name', () => {
    const sut = createAuthorizer([digest({})], { username: 'a"b', password: 'p' })!;
    expect(sut.authorize('OPTIONS', '*')).to.match(/^Digest username="a\\"b"/);
  });
});
