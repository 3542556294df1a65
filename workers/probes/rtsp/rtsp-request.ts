/** RTSP request text and the URL hygiene around it (no userinfo on the wire or in reports). */
import type { Credentials } from './digest.js';

export const USER_AGENT = 'SharpEyesMonitor/1';

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i;

/**
 * Removes `user:pass@` from a URL and returns what it held (percent-decoded).
 *   'rtsp://admin:p%40ss@10.0.0.2/live' → { url: 'rtsp://10.0.0.2/live', credentials: { 'admin', 'p@ss' } }
 *   'rtsp://admin@10.0.0.2/live'        → { url: 'rtsp://10.0.0.2/live', credentials: { 'admin', '' } }
 *   'rtsp://10.0.0.2/live'              → { url: 'rtsp://10.0.0.2/live' }
 * The rest of the URL is kept byte for byte (devices compare it literally).
 */
export function splitUserinfo(url: string): { url: string; credentials?: Credentials } {
  const m = USERINFO.exec(url);
  if (!m) return { url };
  const [user, ...pass] = m[2].split(':');
  const decode = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  };
  return { url: m[1] + url.slice(m[0].length), credentials: { username: decode(user), password: decode(pass.join(':')) } };
}

/** True when a URL can go on a request line: no whitespace or control characters (no header injection). */
export function isSafeRequestUrl(url: string): boolean {
  return !/[\s\x00-\x1f\x7f]/.test(url);
}

/**
 * Request text: request line, CSeq, User-Agent, then `headers` in order, then Authorization when
 * given, then the blank line.
 *   ('OPTIONS', 'rtsp://h/s', 1, {}) → 'OPTIONS rtsp://h/s RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: SharpEyesMonitor/1\r\n\r\n'
 */
export function buildRequest(method: string, url: string, cseq: number, headers: Record<string, string> = {}, authorization?: string): string {
  let text = `${method} ${url} RTSP/1.0\r\nCSeq: ${cseq}\r\nUser-Agent: ${USER_AGENT}\r\n`;
  for (const name in headers) text += `${name}: ${oneLine(headers[name])}\r\n`;
  if (authorization !== undefined) text += `Authorization: ${oneLine(authorization)}\r\n`;
  return `${text}\r\n`;
}

/** A header value on one line: runs of CR/LF become one space (no header injection). */
function oneLine(value: string): string {
  return value.indexOf('\r') < 0 && value.indexOf('\n') < 0 ? value : value.replace(/[\r\n]+/g, ' ');
}

/** Printable, bounded text from a device (Server header, reason phrase) for facts and details. */
export function printable(text: string, max = 120): string {
  return text.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?').slice(0, max).trim();
}
