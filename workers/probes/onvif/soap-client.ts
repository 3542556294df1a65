import net from 'node:net';
import tls from 'node:tls';
import { socketFailure } from '../socket-failure.js';
import type { ProbeFailure } from '../types.js';
import { HttpResponseReader, type HttpHeaders, type HttpStep } from './http-response.js';

/**
 * One SOAP 1.2 POST over a plain `net` (or `tls`) socket, built for probing hostile or broken devices:
 * - a hard deadline covers DNS + connect + headers + body; on expiry the socket is destroyed;
 * - a separate connect limit tells "nothing listening/routable" from "slow to answer";
 * - the body is capped at maxResponseBytes (declared Content-Length or bytes read) → 'too_large';
 * - one connection per request (Connection: close), no redirects; the socket is destroyed once the
 *   verdict is known;
 * - bodies without Content-Length (read to close) and chunked bodies are fine; a body cut short is 'protocol'.
 * No node:http: a request and an answer per probe step do not need its agent, streams and parser
 * objects, which cost more CPU than the exchange itself (see README, Benchmarks).
 * Every outcome is a value; the function never rejects.
 */

/** SOAP 1.2 envelope namespace (ONVIF uses SOAP 1.2 only). */
export const SOAP12_ENVELOPE_NS = 'http://www.w3.org/2003/05/soap-envelope';

/** One request: where, what, and the limits that bound it. */
export interface SoapCall {
  /** Device service URL without userinfo. */
  url: Readonly<URL>;
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
  | { ok: true; status: number; headers: HttpHeaders; body: Buffer }
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
    const secure = call.url.protocol === 'https:';
    const reader = new HttpResponseReader(call.maxResponseBytes);
    let settled = false;
    let socket: net.Socket | undefined;
    const finish = (result: SoapHttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve(result);
    };
    const onStep = (step: HttpStep) => {
      if (step.kind === 'done') finish({ ok: true, status: step.answer.status, headers: step.answer.headers, body: step.answer.body });
      else if (step.kind === 'failed') finish({ ok: false, failure: step.failure });
    };
    // One timer per request (two per request cost measurable CPU at thousands of checks a minute): it
    // first watches the connection; if the socket is connected by then and the answer still
    // outstanding, it is armed once more for the rest of the deadline. When both limits coincide, the
    // deadline names the failure.
    const connectLimit = Math.min(call.connectTimeoutMs, remaining);
    let connected = false;
    const expire = () => {
      if (!connected && connectLimit < remaining) {
        return finish({ ok: false, failure: { kind: 'timeout', detail: `no TCP connection within ${call.connectTimeoutMs} ms` } });
      }
      const left = call.deadline - performance.now();
      if (connected && left >= 1) {
        timer = setTimeout(expire, left);
        return;
      }
      finish({ ok: false, failure: { kind: 'timeout', detail: `no complete answer within ${Math.round(remaining)} ms` } });
    };
    let timer = setTimeout(expire, connectLimit);
    let answered = false;
    let request: Buffer;
    try {
      request = requestBytes(call);
      socket = connect(call.url, secure);
    } catch (err) {
      finish({ ok: false, failure: { kind: 'error', detail: `request not sent: ${(err as Error).message}` } });
      return;
    }
    socket.setNoDelay(true);
    // Written once connected, as the bench's bare loop does: a write queued on a connecting socket
    // takes the stream's pending-write path (buffered, then flushed on connect).
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      connected = true;
      socket!.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      answered = true;
      onStep(reader.push(chunk));
    });
    // After the verdict the socket is destroyed: its 'close' must not build a failure nobody reads.
    socket.once('end', () => settled || onStep(reader.end()));
    socket.on('error', (err) =>
      settled || finish({ ok: false, failure: answered ? { kind: 'protocol', detail: `connection closed after ${reader.bodyBytes} bytes, mid-answer` } : socketFailure(err) }),
    );
    socket.once('close', () => settled || onStep(reader.end()));
  });
}

function connect(url: Readonly<URL>, secure: boolean): net.Socket {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  // Cameras mostly carry self-signed certificates; what we send is a digest, never the password.
  if (secure) return tls.connect({ host, port, rejectUnauthorized: false, ...(net.isIP(host) ? {} : { servername: host }) });
  return net.connect({ host, port });
}

/** Request line, headers and envelope in one buffer (one write); header values never carry CR/LF. */
function requestBytes(call: SoapCall): Buffer {
  let head =
    `POST ${call.url.pathname}${call.url.search} HTTP/1.1\r\nHost: ${call.url.host}\r\n` +
    `Content-Type: application/soap+xml; charset=utf-8; action="${call.action}"\r\n` +
    `Content-Length: ${Buffer.byteLength(call.envelope, 'utf8')}\r\nConnection: close\r\nUser-Agent: sharp-eyes-monitor\r\n`;
  if (call.headers) for (const [name, value] of Object.entries(call.headers)) head += `${name}: ${value.replace(/[\r\n]+/g, ' ')}\r\n`;
  // The head is ASCII (a URL's host and path are percent-encoded), so one UTF-8 encoding serves both.
  return Buffer.from(`${head}\r\n${call.envelope}`, 'utf8');
}
