import net from 'node:net';
import tls from 'node:tls';
import { promiseWithResolve } from '../promise-with-resolve.js';
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

/**
 * Handlers and timers below are module functions and class methods, never closures made per request:
 * V8 drops the optimised code of per-call closures at every full GC, so at thousands of requests a
 * minute closures were re-optimised every few seconds (measured with --trace-opt: ~5 % of the worker's CPU).
 */
const EXCHANGE = Symbol('soapExchange');
type OwnedSocket = net.Socket & { [EXCHANGE]?: SoapExchange };

/** POSTs one SOAP call and returns status, headers and the whole body — or a failure. Never rejects. */
export function postSoap(call: SoapCall): Promise<SoapHttpResult> {
  const [answer, resolve] = promiseWithResolve<SoapHttpResult>();
  new SoapExchange(call, resolve).start();
  return answer;
}

/** One request's state; its socket carries it (EXCHANGE) to the shared handlers. */
class SoapExchange {
  private readonly remaining: number;
  private readonly connectLimit: number;
  private readonly secure: boolean;
  private readonly reader: HttpResponseReader;
  private settled = false;
  private connected = false;
  private answered = false;
  private socket: OwnedSocket | undefined;
  private request: Buffer | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly call: SoapCall,
    private readonly resolve: (result: SoapHttpResult) => void,
  ) {
    this.remaining = Math.max(0, call.deadline - performance.now());
    this.secure = call.url.protocol === 'https:';
    this.reader = new HttpResponseReader(call.maxResponseBytes);
    this.connectLimit = Math.min(call.connectTimeoutMs, this.remaining);
  }

  start(): void {
    // One timer per request (two per request cost measurable CPU at thousands of checks a minute): it
    // first watches the connection; if the socket is connected by then and the answer still
    // outstanding, it is armed once more for the rest of the deadline.
    this.timer = setTimeout(expireExchange, this.connectLimit, this);
    let socket: OwnedSocket;
    try {
      this.request = requestBytes(this.call);
      socket = this.socket = connect(this.call.url, this.secure);
    } catch (err) {
      return this.finish({ ok: false, failure: { kind: 'error', detail: `request not sent: ${(err as Error).message}` } });
    }
    socket[EXCHANGE] = this;
    socket.setNoDelay(true);
    // Written once connected, as the bench's bare loop does: a write queued on a connecting socket
    // takes the stream's pending-write path (buffered, then flushed on connect).
    socket.on(this.secure ? 'secureConnect' : 'connect', onSocketConnect);
    socket.on('data', onSocketData);
    socket.on('end', onSocketEnd);
    socket.on('error', onSocketError);
    socket.on('close', onSocketEnd);
  }

  /** The timer: the connect limit first, then (connected) the rest of the deadline. When both coincide, the deadline names the failure. */
  expire(): void {
    if (!this.connected && this.connectLimit < this.remaining) {
      return this.finish({ ok: false, failure: { kind: 'timeout', detail: `no TCP connection within ${this.call.connectTimeoutMs} ms` } });
    }
    const left = this.call.deadline - performance.now();
    if (this.connected && left >= 1) {
      this.timer = setTimeout(expireExchange, left, this);
      return;
    }
    this.finish({ ok: false, failure: { kind: 'timeout', detail: `no complete answer within ${Math.round(this.remaining)} ms` } });
  }

  onConnect(): void {
    this.connected = true;
    this.socket!.write(this.request!);
  }

  onData(chunk: Buffer): void {
    this.answered = true;
    this.onStep(this.reader.push(chunk));
  }

  /** 'end' or 'close'. After the verdict the socket is destroyed: its 'close' must not build a failure nobody reads. */
  onEnd(): void {
    if (!this.settled) this.onStep(this.reader.end());
  }

  onError(err: Error): void {
    if (this.settled) return;
    this.finish({ ok: false, failure: this.answered ? { kind: 'protocol', detail: `connection closed after ${this.reader.bodyBytes} bytes, mid-answer` } : socketFailure(err) });
  }

  private onStep(step: HttpStep): void {
    if (step.kind === 'done') this.finish({ ok: true, status: step.answer.status, headers: step.answer.headers, body: step.answer.body });
    else if (step.kind === 'failed') this.finish({ ok: false, failure: step.failure });
  }

  private finish(result: SoapHttpResult): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.socket?.destroy();
    this.resolve(result);
  }
}

function expireExchange(exchange: SoapExchange): void {
  exchange.expire();
}
function onSocketConnect(this: OwnedSocket): void {
  this[EXCHANGE]!.onConnect();
}
function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[EXCHANGE]!.onData(chunk);
}
function onSocketEnd(this: OwnedSocket): void {
  this[EXCHANGE]!.onEnd();
}
function onSocketError(this: OwnedSocket, err: Error): void {
  this[EXCHANGE]!.onError(err);
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
