/**
 * The wire exchanges of one `bench:probe` floor round (floor-loop.ts), with as little code as possible.
 *
 * Per round, side by side:
 *   RTSP  one connection: OPTIONS → 200; DESCRIBE → 401 (nonce found by indexOf); DESCRIBE with the
 *         Digest answer (HA1 and HA2 precomputed per camera, one MD5 per round) → 200 + SDP.
 *   ONVIF GetSystemDateAndTime (own connection, Connection: close) → 200; then GetDeviceInformation
 *         with a WS-Security header precomputed per camera (the simulator does not check replay) → 200.
 * No parsing beyond the status code, the end of the head and Content-Length.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import type { SimCamera as SimulatedCamera } from '../../workers/simulator/types.js';

/** The fields of a simulated camera (control API's GET /cameras) a floor round needs. */
export type SimCamera = Pick<SimulatedCamera, 'host' | 'port' | 'rtspUrl' | 'onvifUrl' | 'username' | 'password' | 'realm' | 'digestQop'>;

export interface Prepared {
  host: string;
  port: number;
  options: string;
  describe: string;
  /** Authorization header text around the per-round nonce and response. */
  authPrefix: string;
  ha1: string;
  ha2: string;
  qop: boolean;
  gsdt: Buffer;
  gdi: Buffer;
}

const CNONCE = '0a4f113b';
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const DEVICE = 'http://www.onvif.org/ver10/device/wsdl';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const DIGEST_TYPE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
const B64 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-soap-message-security-1.0#Base64Binary';

function soapPost(cam: SimCamera, op: string, header: string): Buffer {
  const envelope =
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">` +
    (header ? `<s:Header>${header}</s:Header>` : '') + `<s:Body><tds:${op} xmlns:tds="${DEVICE}"/></s:Body></s:Envelope>`;
  const url = new URL(cam.onvifUrl);
  const head =
    `POST ${url.pathname} HTTP/1.1\r\nContent-Type: application/soap+xml; charset=utf-8; action="${DEVICE}/${op}"\r\n` +
    `Content-Length: ${Buffer.byteLength(envelope)}\r\nConnection: close\r\nUser-Agent: floor\r\nHost: ${url.host}\r\n\r\n`;
  return Buffer.from(head + envelope);
}

/** Everything per camera that a round does not need to recompute. */
export function prepare(cam: SimCamera): Prepared {
  const nonce = randomBytes(16);
  const created = new Date().toISOString();
  const digest = createHash('sha1').update(nonce).update(created).update(cam.password).digest('base64');
  const token =
    `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><wsse:UsernameToken><wsse:Username>${cam.username}</wsse:Username>` +
    `<wsse:Password Type="${DIGEST_TYPE}">${digest}</wsse:Password><wsse:Nonce EncodingType="${B64}">${nonce.toString('base64')}</wsse:Nonce>` +
    `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`;
  const req = (method: string, cseq: number, extra = '') => `${method} ${cam.rtspUrl} RTSP/1.0\r\nCSeq: ${cseq}\r\nUser-Agent: floor\r\n${extra}`;
  return {
    host: cam.host,
    port: cam.port,
    options: `${req('OPTIONS', 1)}\r\n`,
    describe: `${req('DESCRIBE', 2, 'Accept: application/sdp\r\n')}\r\n`,
    authPrefix: `${req('DESCRIBE', 3, 'Accept: application/sdp\r\n')}Authorization: Digest username="${cam.username}", realm="${cam.realm}", uri="${cam.rtspUrl}", `,
    ha1: md5(`${cam.username}:${cam.realm}:${cam.password}`),
    ha2: md5(`DESCRIBE:${cam.rtspUrl}`),
    qop: cam.digestQop,
    gsdt: soapPost(cam, 'GetSystemDateAndTime', ''),
    gdi: soapPost(cam, 'GetDeviceInformation', token),
  };
}

/** Status code once a whole message (head + Content-Length body) is in `buf`, else 0. */
function complete(buf: string): number {
  const head = buf.indexOf('\r\n\r\n');
  if (head < 0) return 0;
  const cl = buf.indexOf('Content-Length: ');
  const len = cl >= 0 && cl < head ? parseInt(buf.slice(cl + 16, buf.indexOf('\r', cl)), 10) : 0;
  return buf.length < head + 4 + len ? 0 : parseInt(buf.slice(9, 12), 10);
}

function authorized(p: Prepared, buf: string): string {
  const at = buf.indexOf('nonce="') + 7;
  const nonce = buf.slice(at, buf.indexOf('"', at));
  const response = p.qop ? md5(`${p.ha1}:${nonce}:00000001:${CNONCE}:auth:${p.ha2}`) : md5(`${p.ha1}:${nonce}:${p.ha2}`);
  const qop = p.qop ? `, qop=auth, nc=00000001, cnonce="${CNONCE}"` : '';
  return `${p.authPrefix}nonce="${nonce}", response="${response}"${qop}\r\n\r\n`;
}

/**
 * One connection: sends `first` once connected, then for each complete answer asks `next` for the
 * following request (a string) or the verdict (a boolean). Socket trouble or silence is `false`.
 */
function converse(p: Prepared, first: string | Buffer, next: (status: number, answer: string) => string | boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(p.port, p.host);
    let buf = '';
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(first));
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => resolve(false)); // a no-op once resolved
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      const status = complete(buf);
      if (status === 0) return;
      const answer = next(status, buf);
      buf = '';
      if (typeof answer === 'string') return void socket.write(answer);
      socket.destroy();
      resolve(answer);
    });
  });
}

/** OPTIONS → 200, DESCRIBE → 401, DESCRIBE with Digest → 200, on one connection. */
function rtsp(p: Prepared): Promise<boolean> {
  let step = 0;
  return converse(p, p.options, (status, answer) => {
    step++;
    if (step === 1) return status === 200 && p.describe;
    if (step === 2) return status === 401 && authorized(p, answer);
    return status === 200;
  });
}

function post(p: Prepared, request: Buffer): Promise<boolean> {
  return converse(p, request, (status) => status === 200);
}

/** One round: RTSP beside the two ONVIF posts; true when all three answered as expected. */
export async function round(p: Prepared): Promise<boolean> {
  const [a, b] = await Promise.all([rtsp(p), post(p, p.gsdt).then((ok) => ok && post(p, p.gdi))]);
  return a && b;
}
