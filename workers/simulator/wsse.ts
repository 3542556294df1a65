/**
 * Server side of ONVIF WS-Security: UsernameToken with PasswordDigest
 * (Base64(SHA-1(nonce bytes + Created + password)), OASIS UsernameToken Profile 1.0 §3.1).
 * PasswordText is refused, as many cameras do. Written for the simulator only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Credentials } from './types.js';

/** `missing`: no UsernameToken at all; `wrong`: a token that does not verify. */
export type WsseVerdict = 'ok' | 'missing' | 'wrong';

const PASSWORD_DIGEST = '#PasswordDigest';

function decodeXmlText(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The first element with local name `name` (any prefix): its attributes text and decoded content. */
const elementPatterns = new Map<string, RegExp>();

function element(xml: string, name: string): { attrs: string; text: string } | undefined {
  let re = elementPatterns.get(name);
  if (!re) {
    re = new RegExp(`<(?:[\\w.-]+:)?${name}\\b([^>]*?)(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>)`);
    elementPatterns.set(name, re);
  }
  const m = re.exec(xml);
  return m ? { attrs: m[1], text: decodeXmlText((m[2] ?? '').trim()) } : undefined;
}

/** Base64(SHA-1(nonce + created + password)) — the PasswordDigest a client must send. */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
}

/**
 * Verifies the UsernameToken of a SOAP request. `cameraNow` is the camera clock (ms); when
 * `maxSkewSeconds` > 0 a Created stamp further than that from it is `wrong` (replay protection).
 */
export function verifyWsse(soap: string, creds: Credentials, cameraNow: number, maxSkewSeconds = 0): WsseVerdict {
  const token = element(soap, 'UsernameToken');
  if (!token) return 'missing';
  const username = element(token.text, 'Username')?.text;
  const password = element(token.text, 'Password');
  const nonce = element(token.text, 'Nonce')?.text;
  const created = element(token.text, 'Created')?.text;
  if (!username || !password || !nonce || !created) return 'wrong';
  const type = /\bType\s*=\s*["']([^"']*)["']/.exec(password.attrs)?.[1] ?? '';
  if (!type.endsWith(PASSWORD_DIGEST)) return 'wrong';
  if (username !== creds.username) return 'wrong';
  if (maxSkewSeconds > 0) {
    const at = Date.parse(created);
    if (!Number.isFinite(at) || Math.abs(at - cameraNow) > maxSkewSeconds * 1000) return 'wrong';
  }
  const expected = Buffer.from(passwordDigest(Buffer.from(nonce, 'base64'), created, creds.password));
  const got = Buffer.from(password.text.replace(/\s+/g, ''));
  return expected.length === got.length && timingSafeEqual(expected, got) ? 'ok' : 'wrong';
}
