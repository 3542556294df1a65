import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { rtspProbe as sut } from '../../../workers/probes/rtsp.probe.js';
import type { ProbeOptions, ProbeTarget } from '../../../workers/probes/types.js';
import { fixture, probeLeavingNoSocket, RTSP_FIXTURES, startScriptServer, type ReceivedRequest, type Script, type ScriptServer } from '../../support/rtsp-script-server.js';
import { startStalledListener } from '../../support/stalled-listener.js';

const OPTIONS: ProbeOptions = { timeoutMs: 3000, connectTimeoutMs: 1000 };
const USER = 'admin';
const PASSWORD = 'S3cret:pa$$';

/** Byte-for-byte replay: OPTIONS → `optionsFixture`, DESCRIBE → `describeFixture`. */
const replay = (optionsFixture: string, describeFixture: string): Script => (req) => fixture(req.method === 'OPTIONS' ? optionsFixture : describeFixture);

async function probe(script: Script, target: Partial<ProbeTarget> = {}, options = OPTIONS) {
  const server = await startScriptServer(script);
  try {
    const result = await probeLeavingNoSocket(server, () => sut({ url: server.url(), ...target }, options));
    return { result, server };
  } finally {
    await server.close();
  }
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Independent RFC 2617 check of an Authorization header as a camera would do it. */
function digestValid(req: ReceivedRequest, realm: string, nonce: string, password = PASSWORD): boolean {
  const h = req.headers.authorization ?? '';
  if (!/^digest /i.test(h)) return false;
  const p: Record<string, string> = {};
  for (const m of h.matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) p[m[1]] = (m[2] ?? m[3]).replace(/\\(.)/g, '$1');
  const ha1 = md5(`${USER}:${realm}:${password}`);
  const ha2 = md5(`${req.method}:${p.uri}`);
  const expected = p.qop ? md5(`${ha1}:${nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  return p.username === USER && p.realm === realm && p.nonce === nonce && p.uri === req.url && p.response === expected;
}

describe('rtspProbe against replayed camera fixtures', () => {
  // Truth table: fixture → codec, Server fact (OPTIONS fixture's unless DESCRIBE has its own), resolved video control.
  const describes: Array<[string, string, string, string]> = [
    ['dahua/DESCRIBE-h264-aac-onvif.txt', 'H264', 'Rtsp Server/3.0', 'rtsp://192.168.5.111:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif/trackID=0'],
    ['dahua/DESCRIBE-h265-pcma.txt', 'H265', 'Rtsp Server/3.0', 'rtsp://cam-driveway/cam/realmonitor?channel=1&subtype=2/trackID=0'],
    ['foscam/DESCRIBE.txt', 'H264', 'Rtsp Server/3.0', 'rtsp://192.168.5.107:65534/videoMain/track1'],
    ['gw-security/DESCRIBE-main.txt', 'H264', 'Rtsp Server/2.0', 'rtsp://192.168.1.110:5050/H264?channel=1&subtype=0&unicast=true&proto=Onvif/video'],
    ['gw-security/DESCRIBE-sub.txt', 'H264', 'Rtsp Server/2.0', 'rtsp://192.168.1.110:5049/H264?channel=1&subtype=1&unicast=true&proto=Onvif/video'],
    ['h264dvr/DESCRIBE.txt', 'H264', 'H264DVR 1.0', 'rtsp://127.0.0.1:554/camera/trackID=3'],
    ['hikvision/DESCRIBE.txt', 'H264', 'Rtsp Server/3.0', 'rtsp://192.168.5.106:554/Streaming/Channels/101/trackID=1?transportmode=unicast&profile=Profile_1'],
    ['reolink/DESCRIBE.txt', 'H264', 'Rtsp Server/3.0', 'rtsp://192.168.5.206/h264Preview_01_main/trackID=1'],
  ];
  for (const [name, codec, server, control] of describes) {
    it(`${name}: ok, ${codec}`, async () => {
      const { result, server: peer } = await probe(replay('dahua/OPTIONS.txt', name));
      expect(result.ok, JSON.stringify(result)).to.equal(true);
      expect(result.facts).to.deep.equal({ authScheme: 'none', statusCode: 200, server, videoTracks: 1, codec, control });
      expect(peer.requests.map((r) => [r.method, r.headers.cseq, r.headers['user-agent']])).to.deep.equal([
        ['OPTIONS', '1', 'SharpEyesMonitor/1'],
        ['DESCRIBE', '2', 'SharpEyesMonitor/1'],
      ]);
      expect(peer.requests[1].headers.accept).to.equal('application/sdp');
      expect(peer.opened).to.equal(1);
    });
  }

  it('the DESCRIBE truth table covers every DESCRIBE fixture', () => {
    const all = readdirSync(RTSP_FIXTURES, { recursive: true, encoding: 'utf8' }).map((f) => f.split(path.sep).join('/'));
    expect(all.filter((f) => /DESCRIBE/.test(f)).sort()).to.deep.equal(describes.map(([n]) => n).sort());
  });

  // Every header-only 200 fixture (PLAY/SETUP/TEARDOWN/OPTIONS: Session with runs of spaces, `Cseq`, ssrc space…)
  // is a valid answer to OPTIONS; the probe must read it and go on to DESCRIBE on the same connection.
  const headerOnly = readdirSync(RTSP_FIXTURES, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => /\/(OPTIONS|PLAY|SETUP|TEARDOWN)[^/]*\.txt$/.test(f))
    .sort();
  for (const name of headerOnly) {
    it(`${name} as the OPTIONS answer, then DESCRIBE`, async () => {
      const { result, server } = await probe(replay(name, 'hikvision/DESCRIBE.txt'));
      expect(result.ok, JSON.stringify(result)).to.equal(true);
      expect(result.facts?.codec).to.equal('H264');
      expect(server.opened).to.equal(1);
    });
  }

  it('tp-link/SDP.txt behind a synthetic head: H265', async () => {
    const sdp = fixture('tp-link/SDP.txt');
    const head = `RTSP/1.0 200 OK\r\nCSeq: 2\r\nServer: TP-LINK RTSP Server\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n`;
    const { result } = await probe((req) => (req.method === 'OPTIONS' ? fixture('dahua/OPTIONS.txt') : Buffer.concat([Buffer.from(head), sdp])));
    expect(result).to.deep.include({ ok: true });
    expect(result.facts).to.deep.include({ codec: 'H265', videoTracks: 1, server: 'TP-LINK RTSP Server' });
    expect(String(result.facts?.control)).to.match(/^rtsp:\/\/127\.0\.0\.1:\d+\/stream\/track1$/); // relative to the request URL
  });

  it('reads answers split into 7-byte chunks', async () => {
    const chunked: Script = (req) => (socket) => {
      const bytes = fixture(req.method === 'OPTIONS' ? 'dahua/OPTIONS.txt' : 'reolink/DESCRIBE.txt');
      const send = (at: number) => at < bytes.length && !socket.destroyed && socket.write(bytes.subarray(at, at + 7), () => setImmediate(send, at + 7));
      send(0);
    };
    const { result } = await probe(chunked);
    expect(result.ok).to.equal(true);
    expect(result.facts?.codec).to.equal('H264');
  });
});

describe('rtspProbe authentication (longse 401 fixture and synthetic challenges)', () => {
  const LONGSE = { realm: 'Surveillance Server', nonce: '98481030' };
  /** 401 from the longse capture until a correct Digest arrives, then the fixtures. */
  const longse = (alsoOptions: boolean): Script => (req) => {
    if (req.method === 'OPTIONS' && !alsoOptions) return fixture('dahua/OPTIONS.txt');
    if (!digestValid(req, LONGSE.realm, LONGSE.nonce)) return fixture('longse/401-Unauthorized-Digest.txt');
    return fixture(req.method === 'OPTIONS' ? 'dahua/OPTIONS.txt' : 'hikvision/DESCRIBE.txt');
  };

  it('401 on DESCRIBE → one Digest retry (no qop) that the camera verifies → ok', async () => {
    const { result, server } = await probe(longse(false), { username: USER, password: PASSWORD });
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.facts).to.deep.include({ authScheme: 'digest', codec: 'H264', statusCode: 200 });
    expect(server.requests.map((r) => r.method)).to.deep.equal(['OPTIONS', 'DESCRIBE', 'DESCRIBE']);
    expect(server.requests.map((r) => r.headers.cseq)).to.deep.equal(['1', '2', '3']);
    expect(digestValid(server.requests[2], LONGSE.realm, LONGSE.nonce)).to.equal(true);
  });

  it('401 already on OPTIONS → authenticated OPTIONS, then DESCRIBE carries credentials at once', async () => {
    const { result, server } = await probe(longse(true), { username: USER, password: PASSWORD });
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(server.requests.map((r) => [r.method, Boolean(r.headers.authorization)])).to.deep.equal([
      ['OPTIONS', false],
      ['OPTIONS', true],
      ['DESCRIBE', true],
    ]);
    expect(server.requests.slice(1).every((r) => digestValid(r, LONGSE.realm, LONGSE.nonce))).to.equal(true);
  });

  it('wrong password → auth, after exactly one retry; no credential in the result', async () => {
    const { result, server } = await probe(longse(false), { username: USER, password: 'wrong-password' });
    expect(result).to.deep.include({ ok: false });
    expect(result.failure?.kind).to.equal('auth');
    expect(server.requests.filter((r) => r.method === 'DESCRIBE')).to.have.length(2);
    expect(JSON.stringify(result)).not.to.match(/wrong-password|admin/);
  });

  it('no credentials configured → auth without a retry', async () => {
    const { result, server } = await probe(longse(true));
    expect(result.failure?.kind).to.equal('auth');
    expect(result.failure?.detail).to.match(/requires credentials/);
    expect(server.requests).to.have.length(1);
  });

  it('credentials pasted into the URL are used but never sent in the URL nor reported', async () => {
    const server = await startScriptServer(longse(false));
    try {
      const url = server.url().replace('rtsp://', `rtsp://${USER}:${encodeURIComponent(PASSWORD)}@`);
      const result = await probeLeavingNoSocket(server, () => sut({ url }, OPTIONS));
      expect(result.ok, JSON.stringify(result)).to.equal(true);
      expect(server.requests.every((r) => !r.url.includes('@'))).to.equal(true);
      expect(JSON.stringify(result)).not.to.include(PASSWORD);
    } finally {
      await server.close();
    }
  });

  // Per-device realm, lower-case scheme, qop="auth", empty opaque, Basic offered too in a second header.
  const REALM = 'Login to 2J0123PAZ00042';
  const qopScript: Script = (req) => {
    if (digestValid(req, REALM, 'a1b2c3')) return fixture(req.method === 'OPTIONS' ? 'dahua/OPTIONS.txt' : 'dahua/DESCRIBE-h265-pcma.txt');
    return `RTSP/1.0 401 Unauthorized\r\nCSeq: ${req.headers.cseq}\r\nWWW-Authenticate: Basic realm="${REALM}"\r\nWWW-Authenticate: digest realm="${REALM}", nonce=a1b2c3, qop="auth", opaque=""\r\n\r\n`;
  };

  it('Digest with qop=auth preferred over Basic; nc counts up; opaque echoed', async () => {
    const { result, server } = await probe(qopScript, { username: USER, password: PASSWORD });
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.facts).to.deep.include({ authScheme: 'digest', codec: 'H265' });
    const auths = server.requests.filter((r) => r.headers.authorization).map((r) => r.headers.authorization);
    expect(auths).to.have.length(2);
    expect(auths[0]).to.match(/qop=auth, nc=00000001/).and.to.match(/opaque=""/);
    expect(auths[1]).to.match(/nc=00000002/);
  });

  it('Basic only → Basic header, ok', async () => {
    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const script: Script = (req) =>
      req.headers.authorization === basic
        ? fixture(req.method === 'OPTIONS' ? 'dahua/OPTIONS.txt' : 'gw-security/DESCRIBE-main.txt')
        : `RTSP/1.0 401 Unauthorized\r\nCSeq: ${req.headers.cseq}\r\nWWW-Authenticate: Basic realm="cam"\r\n\r\n`;
    const { result } = await probe(script, { username: USER, password: PASSWORD });
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.facts?.authScheme).to.equal('basic');
  });
});

describe('rtspProbe when the TCP connection never completes', () => {
  it('is a timeout named for the connection, at the connect limit', async () => {
    const stalled = await startStalledListener();
    try {
      const started = performance.now();
      const result = await sut({ url: `rtsp://127.0.0.1:${stalled.port}/Streaming/Channels/101` }, { timeoutMs: 3000, connectTimeoutMs: 200 });
      expect(result.ok).to.equal(false);
      expect(result.failure).to.deep.equal({ kind: 'timeout', detail: 'no TCP connection within 200 ms' });
      expect(performance.now() - started).to.be.within(190, 2000);
    } finally {
      await stalled.close();
    }
  });
});
