import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { loopbackAddresses, planFleet } from '../../../workers/simulator/camera-plan.js';
import { loadFixtures } from '../../../workers/simulator/fixtures.js';
import { NonceBook, verifyRtspAuth, type RtspAuthSpec } from '../../../workers/simulator/rtsp-auth.js';
import { RequestReader, type WireRequest } from '../../../workers/simulator/wire.js';
import { passwordDigest, verifyWsse } from '../../../workers/simulator/wsse.js';
import { md5 } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('../../../workers/simulator/fixtures/', import.meta.url));

describe('simulator units', () => {
  describe('loopbackAddresses', () => {
    const table: Array<[string, number, string[]]> = [
      ['127.1.0.1', 3, ['127.1.0.1', '127.1.0.2', '127.1.0.3']],
      ['127.1.0.253', 3, ['127.1.0.253', '127.1.0.254', '127.1.1.1']], // skips .255 and .0
      ['127.1.0.0', 1, ['127.1.0.1']],
    ];
    for (const [base, n, want] of table) {
      it(`${base} × ${n}`, () => expect(loopbackAddresses(base, n)).to.deep.equal(want));
    }
    it('refuses bases outside 127/8 and ranges that leave it', () => {
      expect(() => loopbackAddresses('10.0.0.1', 1)).to.throw(/127\.0\.0\.0\/8/);
      expect(() => loopbackAddresses('127.255.255.250', 10)).to.throw(/leave/);
    });
  });

  describe('planFleet', () => {
    it('is deterministic per seed and groups NVR channels on the first address', () => {
      const a = planFleet({ count: 50, nvr: [{ channels: 4 }], auth: { digest: 1, basic: 1, none: 1 }, seed: 9 });
      const b = planFleet({ count: 50, nvr: [{ channels: 4 }], auth: { digest: 1, basic: 1, none: 1 }, seed: 9 });
      expect(a).to.deep.equal(b);
      expect(a.addresses).to.have.length(47);
      expect(a.addresses[0].cameraIndexes).to.deep.equal([0, 1, 2, 3]);
      expect(new Set(a.cameras.map((c) => c.rtspAuth))).to.have.keys('digest', 'basic', 'none');
      expect(a.cameras[3].rtspUrl).to.equal('rtsp://127.1.0.1:8554/Streaming/Channels/401');
    });
    it('names what is wrong', () => {
      expect(() => planFleet({ count: 0 })).to.throw(/count/);
      expect(() => planFleet({ count: 2, nvr: [{ channels: 3 }] })).to.throw(/exceed/);
    });
  });

  describe('fixtures', () => {
    it('are the byte-identical copies listed in fixtures/SOURCES.md', () => {
      const rows = [...readFileSync(`${FIXTURES}SOURCES.md`, 'utf8').matchAll(/^\| `([^`]+)` \|.*\| (\d+) \| `([0-9a-f]{16})` \|$/gm)];
      const files = (readdirSync(FIXTURES, { recursive: true }) as string[])
        .filter((f) => /^(onvif|rtsp)\/.+\.(xml|txt)$/.test(f))
        .sort();
      expect(rows.map((r) => r[1]).sort()).to.deep.equal(files);
      for (const [, file, bytes, sha] of rows) {
        const data = readFileSync(FIXTURES + file);
        expect(data.length, file).to.equal(Number(bytes));
        expect(createHash('sha256').update(data).digest('hex').slice(0, 16), file).to.equal(sha);
      }
    });
    it('GetSystemDateAndTime at the capture time reproduces the capture byte for byte', () => {
      const dirs = { hikvision: 'hikvision-ds-2cd2012-i', axis: 'axis-q6045-e', dlink: 'dlink-dcs-6511', happytimesoft: 'happytimesoft-ipcamera' };
      for (const [vendor, dir] of Object.entries(dirs)) {
        const original = readFileSync(`${FIXTURES}onvif/${dir}/GetSystemDateAndTime.xml`, 'utf8');
        const utc = /UTCDateTime>([\s\S]*?)<\/[\w-]*:?UTCDateTime/.exec(original)?.[1] ?? '';
        const n = (f: string): number => Number(new RegExp(`${f}>\\s*(\\d+)`).exec(utc)?.[1]);
        const at = Date.UTC(n('Year'), n('Month') - 1, n('Day'), n('Hour'), n('Minute'), n('Second'));
        expect(loadFixtures().vendors[vendor as keyof typeof dirs].dateTime(at), vendor).to.equal(original);
      }
    });
  });

  describe('RequestReader', () => {
    const feed = (chunks: Array<string | Buffer>): { reqs: WireRequest[]; errors: string[] } => {
      const reqs: WireRequest[] = [];
      const errors: string[] = [];
      const sut = new RequestReader((r) => reqs.push(r), (e) => errors.push(e));
      for (const c of chunks) sut.push(Buffer.isBuffer(c) ? c : Buffer.from(c, 'latin1'));
      return { reqs, errors };
    };
    const two = 'OPTIONS rtsp://h/x RTSP/1.0\r\nCSeq: 1\r\n\r\nDESCRIBE rtsp://h/x RTSP/1.0\r\nCSeq: 2\r\n\r\n';
    it('frames requests delivered byte by byte or two in one chunk', () => {
      expect(feed(two.split('')).reqs.map((r) => r.method)).to.deep.equal(['OPTIONS', 'DESCRIBE']);
      expect(feed([two]).reqs.map((r) => r.headers.get('cseq'))).to.deep.equal(['1', '2']);
    });
    it('reads Content-Length and chunked HTTP bodies', () => {
      const cl = feed(['POST /onvif/x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel', 'lo']).reqs[0];
      expect(cl.body.toString()).to.equal('hello');
      const ch = feed(['POST /onvif/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n']).reqs[0];
      expect(ch.body.toString()).to.equal('hello');
      expect(ch.protocol).to.equal('http');
    });
    const bad: Array<[string, string | Buffer]> = [
      ['TLS hello', Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x0d, 0x0a, 0x0d, 0x0a])],
      ['unknown protocol', 'GET / SIP/2.0\r\n\r\n'],
      ['oversized head', `OPTIONS * RTSP/1.0\r\nX: ${'a'.repeat(20_000)}`],
      ['negative length', 'POST /onvif/x HTTP/1.1\r\nContent-Length: -1\r\n\r\n'],
    ];
    for (const [name, input] of bad) it(`reports ${name}`, () => expect(feed([input]).errors).to.have.length(1));
  });

  describe('verifyWsse', () => {
    const creds = { username: 'admin', password: 'pw' };
    const now = Date.parse('2026-01-01T00:00:00Z');
    const token = (o: { user?: string; pass?: string; type?: string; created?: string }): string => {
      const nonce = Buffer.from('0123456789abcdef');
      const created = o.created ?? '2026-01-01T00:00:00.000Z';
      const type = o.type ?? 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
      return `<s:Header><wsse:Security><wsse:UsernameToken><wsse:Username>${o.user ?? 'admin'}</wsse:Username><wsse:Password Type="${type}">${passwordDigest(nonce, created, o.pass ?? 'pw')}</wsse:Password><wsse:Nonce>${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header>`;
    };
    const table: Array<[string, string, number, string]> = [
      ['right digest', token({}), 0, 'ok'],
      ['wrong password', token({ pass: 'x' }), 0, 'wrong'],
      ['other user', token({ user: 'root' }), 0, 'wrong'],
      ['PasswordText type', token({ type: '...#PasswordText' }), 0, 'wrong'],
      ['no token', '<s:Header/>', 0, 'missing'],
      ['Created 10 min off, window 300 s', token({ created: '2026-01-01T00:10:00.000Z' }), 300, 'wrong'],
      ['Created 10 min off, window off', token({ created: '2026-01-01T00:10:00.000Z' }), 0, 'ok'],
    ];
    for (const [name, xml, window, want] of table) {
      it(name, () => expect(verifyWsse(xml, creds, now, window)).to.equal(want));
    }
  });

  describe('verifyRtspAuth', () => {
    const nonces = new NonceBook();
    const nonce = nonces.issue();
    const spec = (mode: RtspAuthSpec['mode'], qop = false): RtspAuthSpec => ({ mode, realm: 'R', qop, username: 'u', password: 'p' });
    const uri = 'rtsp://h:1/Streaming/Channels/101';
    const ha1 = md5('u:R:p');
    const ha2 = md5(`DESCRIBE:${uri}`);
    const plain = `Digest username="u", realm="R", nonce="${nonce}", uri="${uri}", response="${md5(`${ha1}:${nonce}:${ha2}`)}"`;
    const sessHa1 = md5(`${ha1}:${nonce}:cn`);
    const sess = `Digest username="u", realm="R", nonce="${nonce}", uri="${uri}", algorithm=MD5-sess, qop=auth, nc=00000001, cnonce="cn", response="${md5(`${sessHa1}:${nonce}:00000001:cn:auth:${ha2}`)}"`;
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    const table: Array<[string, string | undefined, RtspAuthSpec, string]> = [
      ['no auth needed', undefined, spec('none'), 'ok'],
      ['missing', undefined, spec('digest'), 'missing'],
      ['digest without qop', plain, spec('digest'), 'ok'],
      ['digest without qop when qop was offered', plain, spec('digest', true), 'wrong'],
      ['MD5-sess with qop', sess, spec('digest', true), 'ok'],
      ['basic on a digest-only camera', basic, spec('digest'), 'wrong'],
      ['basic on a basic camera', basic, spec('basic'), 'ok'],
      ['digest on a camera offering both', plain, spec('both'), 'ok'],
    ];
    for (const [name, header, s, want] of table) {
      it(name, () => expect(verifyRtspAuth(header, 'DESCRIBE', uri, s, nonces)).to.equal(want));
    }
  });
});
