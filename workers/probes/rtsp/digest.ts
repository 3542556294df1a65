/**
 * HTTP-style authentication for RTSP: WWW-Authenticate parsing, RFC 2617 / RFC 7616 Digest
 * (MD5, MD5-sess, SHA-256, SHA-256-sess; with and without qop) and RFC 7617 Basic.
 */
import { hash as oneShotHash } from 'node:crypto';
import { isSpace } from '../chars.js';
import { randomNonce } from '../random-bytes.js';

/** One challenge; scheme and parameter names lower-cased, values unquoted. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** User name and password as configured for the camera (never logged or reported). */
export interface Credentials {
  username: string;
  password: string;
}

/** Reads a quoted-string starting at s[i] === '"'; returns the unescaped value and the index after it. */
function readQuoted(s: string, i: number): [string, number] {
  let out = '';
  let run = ++i;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 /* " */) break;
    if (c === 0x5c /* \ */ && i + 1 < s.length) {
      out += s.slice(run, i) + s[i + 1];
      run = ++i + 1;
    }
  }
  return [out + s.slice(run, i), i + 1];
}

const isSpaceOrComma = (c: number) => c === 0x2c || isSpace(c);
const isBlank = (c: number) => c === 0x20 || c === 0x09;

/**
 * Parses WWW-Authenticate values (one header with several challenges, or several headers).
 *   'Digest realm="Surveillance Server", nonce="98481030"'  → [digest {realm, nonce}]
 *   'digest realm=cam, nonce=abc, qop="auth,auth-int"'       → [digest {realm:'cam', nonce:'abc', qop:'auth,auth-int'}]
 *   'Basic realm="x", Digest realm="y", nonce="n"'           → [basic {realm:'x'}, digest {realm:'y', nonce:'n'}]
 *   ['Digest realm="a", nonce="1"', 'Basic realm="a"']      → [digest …, basic …]
 *   'Digest realm="say \"hi\""'                              → [digest {realm:'say "hi"'}]
 *   ''                                                        → []
 */
export function parseChallenges(values: string[]): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  for (const s of values) {
    let current: AuthChallenge | null = null;
    let i = 0;
    while (i < s.length) {
      while (i < s.length && isSpaceOrComma(s.charCodeAt(i))) i++;
      const tokenStart = i;
      while (i < s.length && !isSpaceOrComma(s.charCodeAt(i)) && s.charCodeAt(i) !== 0x3d /* = */) i++;
      const token = s.slice(tokenStart, i).toLowerCase();
      if (!token) {
        i++; // a stray '=' or similar: step over it
        continue;
      }
      let j = i;
      while (j < s.length && isBlank(s.charCodeAt(j))) j++;
      if (s[j] !== '=') {
        current = { scheme: token, params: {} };
        out.push(current);
        continue;
      }
      j++;
      while (j < s.length && isBlank(s.charCodeAt(j))) j++;
      let value: string;
      if (s[j] === '"') [value, i] = readQuoted(s, j);
      else {
        i = j;
        while (i < s.length && !isSpaceOrComma(s.charCodeAt(i))) i++;
        value = s.slice(j, i);
      }
      if (current) current.params[token] = value;
    }
  }
  return out;
}

const HASHES: Record<string, string> = { md5: 'md5', 'md5-sess': 'md5', 'sha-256': 'sha256', 'sha-256-sess': 'sha256' };

/** Everything that goes into one Digest `response` computation. */
export interface DigestParams extends Credentials {
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  /** MD5 when absent. */
  algorithm?: string;
  /** 'auth' or 'auth-int'; absent = RFC 2069 compatibility mode (no cnonce, no nc). */
  qop?: string;
  nc?: string;
  cnonce?: string;
  /** Entity body for auth-int; empty for RTSP requests without a body. */
  body?: string;
}

/**
 * The Digest `response` value.
 *   qop absent:  H( H(user:realm:pass) : nonce : H(method:uri) )
 *   qop=auth:    H( HA1 : nonce : nc : cnonce : qop : H(method:uri) )
 *   qop=auth-int HA2 = H(method:uri:H(body))
 *   *-sess:      HA1 = H( H(user:realm:pass) : nonce : cnonce )
 * Throws on an unknown algorithm (callers check with `digestSupported` first).
 */
export function digestResponse(p: DigestParams): string {
  const algorithm = (p.algorithm ?? 'MD5').toLowerCase();
  const name = HASHES[algorithm];
  if (!name) throw new Error(`unsupported digest algorithm ${p.algorithm}`);
  let ha1 = cachedHash(name, `${p.username}:${p.realm}:${p.password}`);
  if (algorithm.endsWith('-sess')) ha1 = hash(name, `${ha1}:${p.nonce}:${p.cnonce ?? ''}`);
  const ha2 = p.qop === 'auth-int' ? hash(name, `${p.method}:${p.uri}:${hash(name, p.body ?? '')}`) : cachedHash(name, `${p.method}:${p.uri}`);
  return p.qop ? hash(name, `${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : hash(name, `${ha1}:${p.nonce}:${ha2}`);
}

// One-shot hashing: half the CPU of createHash().update().digest() for inputs this small.
const hash = (name: string, text: string) => oneShotHash(name, text, 'hex');

/**
 * H(user:realm:pass) and H(method:uri) stay the same for a camera from one check to the next, so they
 * are computed once (every check answers a challenge, and two of its three hashes were these). The
 * key holds the password, like the worker's password cache; the map is bounded and never logged.
 */
const hashes = new Map<string, string>();
const HASHES_MAX = 200_000;

function cachedHash(name: string, text: string): string {
  const key = `${name}\n${text}`;
  let value = hashes.get(key);
  if (value === undefined) {
    value = hash(name, text);
    if (hashes.size >= HASHES_MAX) hashes.clear();
    hashes.set(key, value);
  }
  return value;
}

/**
 * Which qop we answer with.
 *   qop absent            → undefined (no-qop mode)
 *   'auth' / 'auth,auth-int' → 'auth'
 *   'auth-int'            → 'auth-int'
 *   'something-else'      → null (unusable)
 */
function chooseQop(offered: string | undefined): string | undefined | null {
  if (offered === undefined || offered.trim() === '') return undefined;
  let authInt = false;
  for (const q of offered.split(',')) {
    const token = q.trim().toLowerCase();
    if (token === 'auth') return 'auth';
    if (token === 'auth-int') authInt = true;
  }
  return authInt ? 'auth-int' : null;
}

/** Whether we can answer a challenge: Basic, or Digest with a nonce, a known algorithm and a usable qop. */
export function digestSupported(c: AuthChallenge): boolean {
  return c.scheme === 'digest' && c.params.nonce !== undefined && HASHES[(c.params.algorithm ?? 'md5').toLowerCase()] !== undefined && chooseQop(c.params.qop) !== null;
}

/** `Basic base64(user:pass)` (UTF-8). 'Aladdin' / 'open sesame' → 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='. */
export function basicAuthorization(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}

/** A quoted-string; the regular expression only when there is something to escape (this runs five times per check). */
const quote = (v: string) => (v.indexOf('"') < 0 && v.indexOf('\\') < 0 ? `"${v}"` : `"${v.replace(/["\\]/g, '\\$&')}"`);

/** Builds Authorization headers for successive requests; Digest nonce-count increments per use. */
export interface Authorizer {
  scheme: 'digest' | 'basic';
  authorize(method: string, uri: string): string;
}

/**
 * Picks the challenge to answer: the first usable Digest (server order = server preference), else
 * Basic, else null.
 *   [basic, digest]           → digest
 *   [basic]                   → basic
 *   [digest algorithm=SHA-512-256] → null
 *   [ntlm]                    → null
 */
export function createAuthorizer(challenges: AuthChallenge[], creds: Credentials, newCnonce: () => string = randomCnonce): Authorizer | null {
  const digest = challenges.find(digestSupported);
  if (digest) return new DigestAuthorizer(digest.params, creds, newCnonce);
  if (challenges.some(isBasic)) return new BasicAuthorizer(creds);
  return null;
}

// Classes and module functions rather than closures made per probe: V8 drops the optimised code of
// per-call closures at every full GC, and these ran once or twice per probe (re-optimised every few seconds).
const randomCnonce = () => randomNonce(8).toString('hex');
const isBasic = (c: AuthChallenge) => c.scheme === 'basic';

class DigestAuthorizer implements Authorizer {
  readonly scheme = 'digest';
  private readonly realm: string;
  private readonly nonce: string;
  private readonly opaque: string | undefined;
  private readonly algorithm: string | undefined;
  private readonly qop: string | undefined;
  private count = 0;

  constructor(
    params: Record<string, string>,
    private readonly creds: Credentials,
    private readonly newCnonce: () => string,
  ) {
    this.realm = params.realm ?? '';
    this.nonce = params.nonce;
    this.opaque = params.opaque;
    this.algorithm = params.algorithm;
    this.qop = chooseQop(params.qop) ?? undefined;
  }

  authorize(method: string, uri: string): string {
    const { creds, realm, nonce, opaque, algorithm, qop } = this;
    const nc = (++this.count).toString(16).padStart(8, '0');
    const cnonce = qop ? this.newCnonce() : undefined;
    // A plain literal, not a spread of creds: this runs once per probe, and the spread cost more than the hashing.
    const response = digestResponse({ username: creds.username, password: creds.password, realm, nonce, method, uri, algorithm, qop, nc, cnonce });
    const parts = [`username=${quote(creds.username)}`, `realm=${quote(realm)}`, `nonce=${quote(nonce)}`, `uri=${quote(uri)}`, `response=${quote(response)}`];
    if (algorithm) parts.push(`algorithm=${algorithm}`);
    if (opaque !== undefined) parts.push(`opaque=${quote(opaque)}`);
    if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce!)}`);
    return `Digest ${parts.join(', ')}`;
  }
}

class BasicAuthorizer implements Authorizer {
  readonly scheme = 'basic';
  constructor(private readonly creds: Credentials) {}
  authorize(): string {
    return basicAuthorization(this.creds);
  }
}
