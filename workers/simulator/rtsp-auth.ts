/**
 * Server side of RTSP authentication: Digest (RFC 2617 / RFC 7616, MD5 and MD5-sess, qop "auth" or
 * none) and Basic. Written for the simulator only; shares no code with the project's probes.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RtspAuthMode } from './types.js';

/** What one camera's RTSP server accepts. */
export interface RtspAuthSpec {
  mode: RtspAuthMode;
  realm: string;
  qop: boolean;
  username: string;
  password: string;
}

/** `ok`: let the request through; otherwise answer 401 (with `stale=true` for `stale`). */
export type AuthVerdict = 'ok' | 'missing' | 'wrong' | 'stale';

const NONCE_TTL_MS = 10 * 60 * 1000;
const NONCE_BUCKET_MS = 10_000;

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Stateless nonces: hex time bucket + truncated HMAC, so any nonce we issued can be checked without
 * a table. One nonce per 10 s bucket (cached), as many cameras reuse a nonce for a while; this keeps
 * HMAC work off the per-request path at 10,000 cameras.
 */
export class NonceBook {
  private readonly secret = randomBytes(16);
  private readonly macs = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  private mac(bucket: string): string {
    let mac = this.macs.get(bucket);
    if (mac === undefined) {
      mac = createHmac('sha256', this.secret).update(bucket).digest('hex').slice(0, 20);
      if (this.macs.size >= 128) this.macs.clear();
      this.macs.set(bucket, mac);
    }
    return mac;
  }

  issue(): string {
    const bucket = Math.floor(this.now() / NONCE_BUCKET_MS).toString(16).padStart(12, '0');
    return bucket + this.mac(bucket);
  }

  check(nonce: string): 'ok' | 'stale' | 'bad' {
    if (!/^[0-9a-f]{32}$/.test(nonce)) return 'bad';
    const bucket = nonce.slice(0, 12);
    if (!sameText(nonce.slice(12), this.mac(bucket))) return 'bad';
    return this.now() - parseInt(bucket, 16) * NONCE_BUCKET_MS > NONCE_TTL_MS ? 'stale' : 'ok';
  }
}

/** Parses `k=v, k="quoted \" value"` auth parameters (names lower-cased). */
export function parseAuthParams(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.set(m[1].toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]);
  }
  return out;
}

/** WWW-Authenticate values for a 401 (Digest first when both are offered). */
export function challenges(spec: RtspAuthSpec, nonces: NonceBook, stale = false): string[] {
  const out: string[] = [];
  if (spec.mode === 'digest' || spec.mode === 'both' || spec.mode === 'none') {
    // `none` only reaches here through the `auth` fault: challenge like a Digest camera.
    const qop = spec.qop ? ', qop="auth", algorithm=MD5' : '';
    out.push(`Digest realm="${spec.realm}", nonce="${nonces.issue()}"${qop}${stale ? ', stale=TRUE' : ''}`);
  }
  if (spec.mode === 'basic' || spec.mode === 'both') out.push(`Basic realm="${spec.realm}"`);
  return out;
}

function pathOf(uri: string): string {
  const noScheme = uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return (noScheme.split('?')[0] || '/').replace(/\/+$/, '') || '/';
}

function verifyBasic(token: string, spec: RtspAuthSpec): AuthVerdict {
  const decoded = Buffer.from(token.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'wrong';
  const ok = sameText(decoded.slice(0, colon), spec.username) && sameText(decoded.slice(colon + 1), spec.password);
  return ok ? 'ok' : 'wrong';
}

function verifyDigest(paramText: string, method: string, target: string, spec: RtspAuthSpec, nonces: NonceBook): AuthVerdict {
  const p = parseAuthParams(paramText);
  const [username, realm, nonce, uri, response] = ['username', 'realm', 'nonce', 'uri', 'response'].map((k) => p.get(k));
  if (!username || !realm || !nonce || !uri || !response) return 'wrong';
  const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase();
  if (algorithm !== 'MD5' && algorithm !== 'MD5-SESS') return 'wrong';
  const qop = p.get('qop');
  const nc = p.get('nc');
  const cnonce = p.get('cnonce');
  if (spec.qop && (qop !== 'auth' || !nc || !cnonce)) return 'wrong';
  if (qop !== undefined && (qop !== 'auth' || !nc || !cnonce)) return 'wrong';
  if (username !== spec.username || realm !== spec.realm) return 'wrong';
  if (pathOf(uri) !== pathOf(target) && target !== '*') return 'wrong';
  const nonceState = nonces.check(nonce);
  if (nonceState === 'bad') return 'wrong';
  let ha1 = md5(`${username}:${realm}:${spec.password}`);
  if (algorithm === 'MD5-SESS') ha1 = md5(`${ha1}:${nonce}:${cnonce ?? ''}`);
  const ha2 = md5(`${method}:${uri}`);
  const expected = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  if (!sameText(response.toLowerCase(), expected)) return 'wrong';
  return nonceState === 'stale' ? 'stale' : 'ok';
}

/**
 * Checks an Authorization header against the camera's spec. Mode `none` accepts anything; a scheme
 * the camera did not offer is `wrong`; a correct Digest answer on an expired nonce is `stale`.
 */
export function verifyRtspAuth(
  header: string | undefined,
  method: string,
  target: string,
  spec: RtspAuthSpec,
  nonces: NonceBook,
): AuthVerdict {
  if (spec.mode === 'none') return 'ok';
  if (!header) return 'missing';
  const m = /^\s*(\S+)\s+(.*)$/s.exec(header);
  if (!m) return 'wrong';
  const scheme = m[1].toLowerCase();
  if (scheme === 'basic' && (spec.mode === 'basic' || spec.mode === 'both')) return verifyBasic(m[2], spec);
  if (scheme === 'digest' && (spec.mode === 'digest' || spec.mode === 'both')) {
    return verifyDigest(m[2], method, target, spec, nonces);
  }
  return 'wrong';
}
