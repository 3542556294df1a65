import { expect } from 'chai';
import http from 'node:http';
import type net from 'node:net';
import { rtspProbe as sut } from '../../../../workers/probes/rtsp.probe.js';
import type { ProbeOptions, ProbeResult } from '../../../../workers/probes/types.js';
import {
  closedPort,
  fixture,
  probeLeavingNoSocket,
  settledSocketHandles,
  startScriptServer,
  tcpSocketHandles,
  type Script,
} from '../../../support/rtsp-script-server.js';

const FAST: ProbeOptions = { timeoutMs: 600, connectTimeoutMs: 300, maxResponseBytes: 64 * 1024 };
/** Slack for timers and a loaded CI machine on top of the probe's own limit. */
const SLACK_MS = 400;

async function run(script: Script | null, onConnection?: (s: net.Socket) => void, options = FAST): Promise<ProbeResult> {
  const server = await startScriptServer(script, onConnection);
  try {
    const result = await probeLeavingNoSocket(server, () => sut({ url: server.url() }, options));
    expect(result.latencyMs).to.be.below(options.timeoutMs + SLACK_MS);
    return result;
  } finally {
    await server.close();
  }
}

/** A synthetic answer echoing the CSeq; `headers` lines end with CRLF. */
const status = (line: string, headers = '', body = ''): Script => (req) => `RTSP/1.0 ${line}\r\nCSeq: ${req.headers.cseq}\r\n${headers}\r\n${body}`;
const okThen = (describe: Script): Script => (req, socket) => (req.method === 'OPTIONS' ? fixture('dahua/OPTIONS.txt') : describe(req, socket));
/** An SDP holding only the audio section of the gw-security capture (no audio-only capture exists). */
function audioOnlySdp(): string {
  const body = fixture('gw-security/DESCRIBE-main.txt').toString('latin1').split('\r\n\r\n')[1];
  const [session, , audio] = body.split(/(?=^m=)/m);
  return session + audio;
}

describe('rtspProbe failure kinds (each bounded, no socket left open)', () => {
  // Truth table: peer behaviour → failure kind.
  it('closed port → refused', async () => {
    const baseline = tcpSocketHandles();
    const result = await sut({ url: `rtsp://127.0.0.1:${await closedPort()}/x` }, FAST);
    expect(result.failure?.kind).to.equal('refused');
    expect(await settledSocketHandles(baseline)).to.be.at.most(baseline);
  });

  it('unusable URLs fail without a connection', async () => {
    const kinds = await Promise.all(['rtsps://127.0.0.1/x', 'http://127.0.0.1/x', 'rtsp:///x', 'rtsp://h/x y'].map(async (url) => (await sut({ url }, FAST)).failure?.kind));
    expect(kinds).to.deep.equal(['unsupported', 'error', 'error', 'error']);
  });

  it('accepts and never answers → timeout', async () => {
    const result = await run(null, () => {});
    expect(result.failure?.kind).to.equal('timeout');
    expect(result.latencyMs).to.be.at.least(FAST.timeoutMs - 5);
  });

  it('trickles one byte at a time → timeout', async () => {
    const bytes = fixture('dahua/OPTIONS.txt');
    const result = await run(null, (socket) => {
      let at = 0;
      const tick = setInterval(() => (socket.destroyed ? clearInterval(tick) : socket.write(bytes.subarray(at, ++at))), 100);
      socket.on('close', () => clearInterval(tick));
    });
    expect(result.failure?.kind).to.equal('timeout');
  });

  it('floods an endless header → too_large, and the socket is cut at once', async () => {
    let written = 0;
    const result = await run(null, (socket) => {
      const chunk = Buffer.alloc(16 * 1024, 'a');
      socket.write('RTSP/1.0 200 OK\r\nX-Flood: ');
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk)) written += chunk.length;
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    });
    expect(result.failure?.kind).to.equal('too_large');
    expect(result.latencyMs).to.be.below(FAST.timeoutMs);
    expect(written).to.be.below(64 * 1024 * 64); // stopped long before a runaway
  });

  it('announces a body larger than the cap → too_large before reading it', async () => {
    const result = await run(okThen(status('200 OK', 'Content-Type: application/sdp\r\nContent-Length: 99999999\r\n')));
    expect(result.failure?.kind).to.equal('too_large');
    expect(result.latencyMs).to.be.below(FAST.timeoutMs);
  });

  it('random bytes → protocol', async () => {
    const result = await run(() => Buffer.from([0x17, 0x03, 0x03, 0x00, 0x20, 0xde, 0xad, 0xbe, 0xef, 0x0d, 0x0a, 0x0d, 0x0a]));
    expect(result.failure?.kind).to.equal('protocol');
  });

  it('text without a status line → protocol', async () => {
    const result = await run(() => 'CSeq: 1\r\nServer: nobody\r\n\r\n');
    expect(result.failure?.kind).to.equal('protocol');
  });

  it('a real HTTP server → protocol', async () => {
    const server = http.createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseline = tcpSocketHandles();
      const { port } = server.address() as net.AddressInfo;
      const result = await sut({ url: `rtsp://127.0.0.1:${port}/x` }, FAST);
      expect(result.failure?.kind, JSON.stringify(result)).to.equal('protocol');
      expect(result.failure?.detail).to.match(/HTTP\/1\.1/);
      expect(await settledSocketHandles(baseline)).to.be.at.most(baseline);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reset in the middle of an answer → protocol', async () => {
    const result = await run(okThen(() => (socket) => socket.end(fixture('hikvision/DESCRIBE.txt').subarray(0, 300))));
    expect(result.failure?.kind).to.equal('protocol');
  });

  const statuses: Array<[string, string]> = [
    ['404 Not Found', 'not_found'],
    ['454 Session Not Found', 'not_found'],
    ['500 Internal Server Error', 'error'],
    ['503 Service Unavailable', 'error'],
    ['403 Forbidden', 'error'],
  ];
  for (const [line, kind] of statuses) {
    it(`DESCRIBE ${line} → ${kind}`, async () => {
      const result = await run(okThen(status(line)));
      expect(result.failure).to.deep.equal({ kind, detail: `DESCRIBE answered ${line}` });
      expect(result.facts?.statusCode).to.equal(Number(line.slice(0, 3)));
    });
  }

  it('audio-only SDP → no_video', async () => {
    const sdp = audioOnlySdp();
    const result = await run(okThen(status('200 OK', `Content-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n`, sdp)));
    expect(result.failure?.kind, JSON.stringify(result)).to.equal('no_video');
    expect(result.facts).to.deep.include({ videoTracks: 0, codec: null });
  });

  it('200 without a session description → protocol', async () => {
    const result = await run(okThen(status('200 OK')));
    expect(result.failure?.kind).to.equal('protocol');
  });

  it('OPTIONS 501 is not fatal: DESCRIBE decides', async () => {
    const result = await run((req) => (req.method === 'OPTIONS' ? status('501 Not Implemented')(req, null as never) : fixture('reolink/DESCRIBE.txt')));
    expect(result.ok, JSON.stringify(result)).to.equal(true);
  });
});

describe('rtspProbe with sloppy framing', () => {
  const sdp = fixture('tp-link/SDP.txt');
  const headNoLength = 'RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\n\r\n';

  it('body without Content-Length, connection closed after it → ok', async () => {
    const result = await run(okThen(() => (socket) => socket.end(Buffer.concat([Buffer.from(headNoLength), sdp]))));
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.facts?.codec).to.equal('H265');
  });

  it('body without Content-Length, connection kept open → ok after a short silence', async () => {
    const result = await run(okThen(() => Buffer.concat([Buffer.from(headNoLength), sdp])));
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.facts?.codec).to.equal('H265');
  });

  it('camera closing the connection after every answer → reconnects for DESCRIBE', async () => {
    const server = await startScriptServer((req) => (socket) => socket.end(fixture(req.method === 'OPTIONS' ? 'dahua/OPTIONS.txt' : 'foscam/DESCRIBE.txt')));
    try {
      const result = await probeLeavingNoSocket(server, () => sut({ url: server.url() }, FAST));
      expect(result.ok, JSON.stringify(result)).to.equal(true);
      expect(server.opened).to.equal(2);
      // The DESCRIBE may race the camera's FIN onto connection 1 (then it is lost and resent once).
      const seen = server.requests.map((r) => `${r.method}@${r.connection}`).join(' ');
      expect(seen).to.be.oneOf(['OPTIONS@1 DESCRIBE@2', 'OPTIONS@1 DESCRIBE@1 DESCRIBE@2']);
    } finally {
      await server.close();
    }
  });

  it('bare LF line endings → ok', async () => {
    const lf = (name: string) => fixture(name).toString('latin1').replace(/\r\n/g, '\n');
    const [head, body] = lf('hikvision/DESCRIBE.txt').split('\n\n');
    const describe = `${head.replace(/Content-Length: \d+/, `Content-Length: ${body.length}`)}\n\n${body}`;
    const result = await run((req) => (req.method === 'OPTIONS' ? lf('dahua/OPTIONS.txt') : describe));
    expect(result.ok, JSON.stringify(result)).to.equal(true);
  });
});
