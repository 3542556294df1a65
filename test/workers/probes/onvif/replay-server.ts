import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { NS, find, parseXml, textAt, type XmlElement } from '../../../../workers/probes/onvif/xml.js';

/**
 * A fake ONVIF device on 127.0.0.1 (port 0) that replays the captured fixtures byte for byte and
 * checks credentials the way a camera does: WS-Security PasswordDigest recomputed here with
 * node:crypto, Created within ±10 s of the device clock, nonces never reused; or HTTP Digest (MD5).
 */

export const FIXTURES = join(import.meta.dirname, '../../../fixtures/onvif');

export type Misbehaviour =
  | 'unsupported' // GetDeviceInformation → SUNBA ActionNotSupported fault, HTTP 500
  | 'html404' // every call → HTML 404 page
  | 'html200' // every call → HTML page with 200
  | 'doctype' // every call → 200 with a billion-laughs DOCTYPE
  | 'hang' // accept, read, never answer
  | 'flood' // 200, chunked, endless body
  | 'flood-declared' // 200 with Content-Length: 50 MB
  | 'trickle' // 200, one byte every 20 ms
  | 'close-delimited' // valid answer without Content-Length, ended by closing the connection
  | 'early-close'; // Content-Length 4000, 100 bytes, then close

export interface ReplayDevice {
  /** Fixture folder answering GetSystemDateAndTime and GetDeviceInformation. */
  vendor: string;
  username?: string;
  password?: string;
  /** What GetDeviceInformation requires: a WS-Security token (default), HTTP Digest, or nothing. */
  auth?: 'ws-security' | 'http-digest' | 'none';
  /** GetSystemDateAndTime requires authentication too. */
  clockNeedsAuth?: boolean;
  /** Refusal: Axis ter:NotAuthorized fault with HTTP 400 (default) or the DVC gSOAP fault with HTTP 401. */
  refusal?: 'axis-400' | 'dvc-401';
  /** When set, UTCDateTime is rewritten to real time + skewMs; otherwise the fixture bytes are sent as is. */
  skewMs?: number;
  misbehave?: Misbehaviour;
}

export interface Replay {
  url: string;
  /** Operations received, in order, with the auth each carried. */
  calls: Array<{ op: string; token: boolean; digest: boolean }>;
  /** Resolves when every accepted connection has closed (the client destroyed it). */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

export const fixture = (vendor: string, file: string): Buffer => readFileSync(join(FIXTURES, vendor, file));

/** UTC of a GetSystemDateAndTime fixture (the device clock at capture time). */
export function fixtureClock(vendor: string): number {
  const utc = find(parseXml(fixture(vendor, 'GetSystemDateAndTime.xml')), NS.tt, 'UTCDateTime');
  const n = (part: string, local: string) => Number(textAt(utc, [NS.tt, part], [NS.tt, local]));
  return Date.UTC(n('Date', 'Year'), n('Date', 'Month') - 1, n('Date', 'Day'), n('Time', 'Hour'), n('Time', 'Minute'), n('Time', 'Second'));
}

const BILLION_LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>';
const REALM = 'replay-device';
const NONCE = 'dcd98b7102dd2f0e8b11d0f600bfb0c093';
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export async function startReplay(device: ReplayDevice): Promise<Replay> {
  const sockets = new Set<Socket>();
  const seenNonces = new Set<string>();
  const calls: Replay['calls'] = [];
  const started = Date.now();
  const deviceNow = () => (device.skewMs !== undefined ? Date.now() + device.skewMs : fixtureClock(device.vendor) + Date.now() - started);

  const tokenValid = (envelope: XmlElement): boolean => {
    const token = find(envelope, NS.wsse, 'UsernameToken');
    if (!token) return false;
    const nonce = textAt(token, [NS.wsse, 'Nonce']) ?? '';
    const created = textAt(token, [NS.wsu, 'Created']) ?? '';
    const expected = createHash('sha1').update(Buffer.from(nonce, 'base64')).update(created).update(device.password ?? '').digest('base64');
    const fresh = Math.abs(Date.parse(created) - deviceNow()) <= 10_000 && !seenNonces.has(nonce);
    seenNonces.add(nonce);
    return textAt(token, [NS.wsse, 'Username']) === device.username && textAt(token, [NS.wsse, 'Password']) === expected && fresh;
  };
  const digestValid = (header: string | undefined): boolean => {
    const p = Object.fromEntries([...(header ?? '').matchAll(/(\w+)="?([^",]*)"?/g)].map((m) => [m[1], m[2]]));
    if (!header?.startsWith('Digest ') || p.username !== device.username || p.nonce !== NONCE) return false;
    const ha1 = md5(`${device.username}:${REALM}:${device.password}`);
    return p.response === md5(`${ha1}:${NONCE}:${p.nc}:${p.cnonce}:${p.qop}:${md5(`POST:${p.uri}`)}`);
  };

  const send = (res: http.ServerResponse, status: number, body: Buffer | string, headers: http.OutgoingHttpHeaders = {}) => {
    if (device.misbehave === 'close-delimited') {
      res.socket?.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} X\r\nContent-Type: application/soap+xml\r\nConnection: close\r\n\r\n`), Buffer.from(body)]));
      return;
    }
    res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8', ...headers });
    res.end(body);
  };
  const refuse = (res: http.ServerResponse) => {
    const challenge = device.auth === 'http-digest' ? { 'WWW-Authenticate': `Digest realm="${REALM}", nonce="${NONCE}", qop="auth"` } : undefined;
    if (device.refusal === 'dvc-401' || challenge) send(res, 401, fixture('dvc-dcn-bm2220lpr', 'Fault-401-Unauthorized-GetSystemDateAndTime.xml'), challenge);
    else send(res, 400, fixture('axis-q6045-e', 'Fault-NotAuthorized-GetSystemUris.xml'));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (device.misbehave && misbehave(device.misbehave, req, res)) return;
      const envelope = parseXml(Buffer.concat(chunks));
      const op = find(envelope, NS.soap12, 'Body')!.children[0].local;
      const token = tokenValid(envelope);
      const digest = digestValid(req.headers.authorization);
      calls.push({ op, token: find(envelope, NS.wsse, 'UsernameToken') !== undefined, digest: req.headers.authorization !== undefined });
      if (op === 'GetSystemDateAndTime') {
        if (device.clockNeedsAuth && !token && !digest) return refuse(res);
        return send(res, 200, clockAnswer(device));
      }
      if (op !== 'GetDeviceInformation') return send(res, 400, fixture('dvc-dcn-bm2220lpr', 'Fault-MethodNotImplemented.xml'));
      if (device.misbehave === 'unsupported') return send(res, 500, fixture('sunba-performance-series', 'Fault-ActionNotSupported.xml'));
      const auth = device.auth ?? 'ws-security';
      if ((auth === 'ws-security' && !token) || (auth === 'http-digest' && !digest)) return refuse(res);
      return send(res, 200, fixture(device.vendor, 'GetDeviceInformation.xml'));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/onvif/device_service`,
    calls,
    allClosed: () => Promise.all([...sockets].map((s) => new Promise((resolve) => (s.destroyed ? resolve(null) : s.once('close', resolve))))).then(() => undefined),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function clockAnswer(device: ReplayDevice): Buffer | string {
  const raw = fixture(device.vendor, 'GetSystemDateAndTime.xml');
  if (device.skewMs === undefined) return raw;
  const d = new Date(Date.now() + device.skewMs);
  const values: Record<string, number> = {
    Year: d.getUTCFullYear(), Month: d.getUTCMonth() + 1, Day: d.getUTCDate(),
    Hour: d.getUTCHours(), Minute: d.getUTCMinutes(), Second: d.getUTCSeconds(),
  };
  return raw.toString('utf8').replace(/(<([\w-]+:)?UTCDateTime>)([\s\S]*?)(<\/([\w-]+:)?UTCDateTime>)/, (_m, open: string, _p, inner: string, close: string) =>
    open + inner.replace(/<(([\w-]+:)?(Year|Month|Day|Hour|Minute|Second))>\d+</g, (_x, tag: string, _q, f: string) => `<${tag}>${values[f]}<`) + close,
  );
}

/** Answers with the misbehaviour; false when the request should be served normally. */
function misbehave(kind: Misbehaviour, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const socket = req.socket;
  switch (kind) {
    case 'html404':
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>');
      return true;
    case 'html200':
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><html><body>Login</body></html>');
      return true;
    case 'doctype':
      res.writeHead(200, { 'Content-Type': 'application/soap+xml' }).end(BILLION_LAUGHS);
      return true;
    case 'hang':
      return true;
    case 'flood': {
      res.writeHead(200, { 'Content-Type': 'application/soap+xml' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      return true;
    }
    case 'flood-declared':
      res.writeHead(200, { 'Content-Type': 'application/soap+xml', 'Content-Length': String(50 * 1024 * 1024) });
      res.write(Buffer.alloc(1024, 0x20));
      return true;
    case 'trickle': {
      res.writeHead(200, { 'Content-Type': 'application/soap+xml' });
      const timer = setInterval(() => res.write(' '), 20);
      socket.once('close', () => clearInterval(timer));
      return true;
    }
    case 'early-close':
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: 4000\r\n\r\n' + '<'.repeat(100));
      return true;
    default:
      return false;
  }
}
