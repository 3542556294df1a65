import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { socketFailure } from '../socket-failure.js';
import type { ProbeFailure } from '../types.js';

/**
 * One SOAP 1.2 POST over node:http(s), built for probing hostile or broken devices:
 * - a hard deadline covers DNS + connect + headers + body; on expiry the request is destroyed;
 * - a separate connect limit tells "nothing listening/routable" from "slow to answer";
 * - the body is capped at maxResponseBytes (declared Content-Length or bytes read) → 'too_large';
 * - no agent, no keep-alive, no redirects; the socket is destroyed once the verdict is known;
 * - bodies without Content-Length (read to close) are fine; a body cut short of its Content-Length is 'protocol'.
 * Every outcome is a value; the function never rejects.
 */

/** SOAP 1.2 envelope namespace (ONVIF uses SOAP 1.2 only). */
export const SOAP12_ENVELOPE_NS = 'http://www.w3.org/2003/05/soap-envelope';

/** One request: where, what, and the limits that bound it. */
export interface SoapCall {
  /** Device service URL without userinfo. */
  url: URL;
  /** SOAP action URI, sent as the `action` parameter of Content-Type. */
  action: string;
  /** Complete envelope (see soapEnvelope). */
  envelope: string;
  /** Absolute deadline on the performance.now() clock. */
  deadline: number;
  /** Limit for the TCP (and TLS) connection; capped by the deadline. */
  connectTimeoutMs: number;
  maxResponseBytes: number;
  /** Extra request headers (Authorization on a digest retry). */
  headers?: Record<string, string>;
}

/** Any HTTP status counts as an answer (the caller interprets it); failures are transport-level. */
export type SoapHttpResult =
  | { ok: true; status: number; headers: IncomingHttpHeaders; body: Buffer }
  | { ok: false; failure: ProbeFailure };

/** A SOAP 1.2 envelope around `bodyXml`, with optional header blocks. */
export function soapEnvelope(bodyXml: string, headerXml = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${SOAP12_ENVELOPE_NS}">` +
    (headerXml ? `<s:Header>${headerXml}</s:Header>` : '') +
    `<s:Body>${bodyXml}</s:Body></s:Envelope>`
  );
}

/** POSTs one SOAP call and returns status, headers and the whole body — or a failure. Never rejects. */
export function postSoap(call: SoapCall): Promise<SoapHttpResult> {
  return new Promise((resolve) => {
    const remaining = Math.max(0, call.deadline - performance.now());
    const payload = Buffer.from(call.envelope, 'utf8');
    let settled = false;
    let req: http.ClientRequest | undefined;
    let response: IncomingMessage | undefined;
    const finish = (result: SoapHttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadlineTimer);
      clearTimeout(connectTimer);
      response?.destroy();
      req?.destroy();
      resolve(result);
    };
    const deadlineTimer = setTimeout(
      () => finish({ ok: false, failure: { kind: 'timeout', detail: `no complete answer within ${Math.round(remaining)} ms` } }),
      remaining,
    );
    const connectTimer = setTimeout(
      () => finish({ ok: false, failure: { kind: 'timeout', detail: `no TCP connection within ${call.connectTimeoutMs} ms` } }),
      Math.min(call.connectTimeoutMs, remaining),
    );
    try {
      req = (call.url.protocol === 'https:' ? https : http).request(call.url, requestOptions(call, payload.length));
    } catch (err) {
      finish({ ok: false, failure: { kind: 'error', detail: `request not sent: ${(err as Error).message}` } });
      return;
    }
    req.once('socket', (socket) => {
      const connected = () => clearTimeout(connectTimer);
      if (!socket.connecting) connected();
      else socket.once(call.url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    req.on('error', (err) => finish({ ok: false, failure: requestFailure(err) }));
    req.once('response', (res) => {
      response = res;
      readBody(res, call.maxResponseBytes, finish);
    });
    req.end(payload);
  });
}

function requestOptions(call: SoapCall, length: number): https.RequestOptions {
  return {
    method: 'POST',
    agent: false,
    // Cameras mostly carry self-signed certificates; what we send is a digest, never the password.
    rejectUnauthorized: false,
    headers: {
      'Content-Type': `application/soap+xml; charset=utf-8; action="${call.action}"`,
      'Content-Length': String(length),
      Connection: 'close',
      'User-Agent': 'sharp-eyes-monitor',
      ...call.headers,
    },
  };
}

/** Socket errors as usual; HTTP parser errors (HPE_*: not HTTP, header overflow) are 'protocol'. */
function requestFailure(err: unknown): ProbeFailure {
  const code = String((err as NodeJS.ErrnoException)?.code ?? '');
  if (code.startsWith('HPE_')) return { kind: 'protocol', detail: `malformed HTTP answer (${code})` };
  return socketFailure(err);
}

function readBody(res: IncomingMessage, cap: number, finish: (result: SoapHttpResult) => void): void {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > cap) {
    finish({ ok: false, failure: { kind: 'too_large', detail: `answer of ${declared} bytes exceeds the ${cap}-byte cap` } });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > cap) {
      finish({ ok: false, failure: { kind: 'too_large', detail: `answer exceeds the ${cap}-byte cap` } });
      return;
    }
    chunks.push(chunk);
  });
  res.once('end', () => {
    finish({ ok: true, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, size) });
  });
  res.on('error', () => {
    finish({ ok: false, failure: { kind: 'protocol', detail: `connection closed after ${size} bytes, mid-answer` } });
  });
  res.once('close', () => {
    if (!res.complete) {
      finish({ ok: false, failure: { kind: 'protocol', detail: `connection closed after ${size} bytes, mid-answer` } });
    }
  });
}
