/**
 * One RTSP control connection over `node:net`: request/response exchanges one at a time, a byte cap
 * per exchange, open-ended bodies ended by close or silence, reconnect when the peer closed after an
 * answer. Every failure is a ProbeFailure value; `close()` always destroys the socket.
 */
import net from 'node:net';
import { promiseWithResolve } from '../promise-with-resolve.js';
import { socketFailure } from '../socket-failure.js';
import type { ProbeFailure } from '../types.js';
import { RtspResponseReader, type ParseStep, type ReaderOptions, type RtspResponse } from './rtsp-message.js';

/** A value or the failure that prevented it (expected failures are values, not exceptions). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: ProbeFailure };

/** Where to connect and the limits of one connection. */
export interface ConnectionOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  maxResponseBytes: number;
  /** Silence that ends a body sent without Content-Length on a connection kept open. */
  idleBodyMs: number;
}

type Waiter = (outcome: Outcome<RtspResponse | null>) => void;

/**
 * Socket handlers and timers are module functions and methods, not closures made per connection: V8
 * drops the optimised code of per-call closures at every full GC, and at thousands of probes a minute
 * they were re-optimised every few seconds (measured with --trace-opt).
 */
const CONNECTION = Symbol('rtspConnection');
type OwnedSocket = net.Socket & { [CONNECTION]?: RtspConnection };

/**
 * Use: `exchange()` per request (sequentially), `abort()` from the probe's overall timer, `close()` in
 * a finally block. Never throws for network behaviour; `connections` counts TCP connects made.
 */
export class RtspConnection {
  private socket: net.Socket | null = null;
  private closed = true;
  private aborted: ProbeFailure | null = null;
  private waiter: Waiter | null = null;
  private reader: RtspResponseReader | null = null;
  private carry: Buffer = Buffer.alloc(0);
  private received = 0;
  private connectTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  /** TCP connections opened so far (a peer that closes after each answer needs several). */
  connections = 0;

  constructor(private readonly options: ConnectionOptions) {}

  /** Sends one request and waits for its response; reconnects once if a reused connection was found closed. */
  async exchange(request: string, readerOptions: ReaderOptions = {}): Promise<Outcome<RtspResponse>> {
    for (let attempt = 0; ; attempt++) {
      const fresh = this.closed;
      if (fresh) {
        const opened = await this.connect();
        if (!opened.ok) return opened;
      }
      const waiting = this.expect();
      if (!this.aborted) this.send(request, readerOptions);
      const outcome = await waiting;
      const peerClosedIdle = !outcome.ok && !fresh && this.received === 0 && this.closed && !this.aborted;
      if (peerClosedIdle && attempt === 0) continue;
      return outcome as Outcome<RtspResponse>;
    }
  }

  /** Ends whatever is pending with `failure` and destroys the socket; later exchanges fail at once. */
  abort(failure: ProbeFailure): void {
    if (!this.aborted) this.aborted = failure;
    this.settle({ ok: false, failure });
    this.close();
  }

  /** Destroys the socket (idempotent). */
  close(): void {
    clearTimeout(this.connectTimer);
    clearTimeout(this.idleTimer);
    this.closed = true;
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): Promise<Outcome<RtspResponse | null>> {
    this.close();
    this.carry = Buffer.alloc(0);
    const waiting = this.expect();
    if (this.aborted) return waiting;
    const socket: OwnedSocket = net.connect({ host: this.options.host, port: this.options.port });
    socket[CONNECTION] = this;
    this.socket = socket;
    this.closed = false;
    this.connections++;
    this.connectTimer = setTimeout(connectTimedOut, this.options.connectTimeoutMs, this);
    socket.setNoDelay(true);
    socket.on('connect', onSocketConnect);
    socket.on('data', onSocketData);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
    return waiting;
  }

  /** Starts one exchange on the open connection (the waiter is set). */
  private send(request: string, readerOptions: ReaderOptions): void {
    this.reader = new RtspResponseReader(this.carry, readerOptions);
    this.received = this.carry.length;
    this.carry = Buffer.alloc(0);
    if (this.closed || !this.socket) return this.onStep(this.reader.finish());
    this.socket.write(request);
    if (this.received > 0) this.onStep(this.reader.push(Buffer.alloc(0)));
  }

  /** The outcome of what is about to start, or at once the failure that aborted the connection. */
  private expect(): Promise<Outcome<RtspResponse | null>> {
    if (this.aborted) return Promise.resolve({ ok: false, failure: this.aborted });
    const [waiting, resolve] = promiseWithResolve<Outcome<RtspResponse | null>>();
    this.waiter = resolve;
    return waiting;
  }

  /** Socket events reach the connection only while that socket is still its current one. */
  static fromSocket(socket: OwnedSocket): RtspConnection | undefined {
    const conn = socket[CONNECTION];
    return conn && conn.socket === socket ? conn : undefined;
  }

  onConnect(): void {
    clearTimeout(this.connectTimer);
    this.settle({ ok: true, value: null });
  }

  onConnectTimeout(): void {
    this.fail({ kind: 'timeout', detail: `no TCP connection within ${this.options.connectTimeoutMs} ms` });
  }

  onError(err: Error): void {
    this.fail(socketFailure(err));
  }

  onIdle(): void {
    if (this.reader) this.onStep(this.reader.finish());
  }

  private settle(outcome: Outcome<RtspResponse | null>): void {
    clearTimeout(this.idleTimer);
    const waiter = this.waiter;
    this.waiter = null;
    this.reader = null;
    waiter?.(outcome);
  }

  /** A failure of the current exchange: the connection is unusable afterwards. */
  private fail(failure: ProbeFailure): void {
    this.settle({ ok: false, failure });
    this.close();
  }

  onData(chunk: Buffer): void {
    if (!this.reader) {
      // Bytes nobody asked for yet: keep (bounded) for the next exchange.
      this.carry = Buffer.concat([this.carry, chunk]);
      if (this.carry.length > this.options.maxResponseBytes) this.close();
      return;
    }
    this.received += chunk.length;
    if (this.received > this.options.maxResponseBytes) return this.tooLarge(this.received);
    this.onStep(this.reader.push(chunk));
  }

  private onStep(step: ParseStep): void {
    if (step.kind === 'message') {
      this.carry = step.rest;
      this.settle({ ok: true, value: step.message });
    } else if (step.kind === 'error') {
      this.fail({ kind: 'protocol', detail: step.detail });
    } else if (this.reader) {
      const announced = this.reader.announcedSize;
      if (announced !== null && announced > this.options.maxResponseBytes) return this.tooLarge(announced);
      if (this.reader.openEnded) {
        clearTimeout(this.idleTimer);
        this.idleTimer = setTimeout(idleBodyEnded, this.options.idleBodyMs, this);
      }
    }
  }

  private tooLarge(bytes: number): void {
    this.fail({ kind: 'too_large', detail: `answer exceeds ${this.options.maxResponseBytes} bytes (${bytes} announced or read)` });
  }

  onClose(): void {
    this.closed = true;
    clearTimeout(this.connectTimer);
    if (!this.waiter) return;
    if (!this.reader) return this.fail({ kind: 'protocol', detail: 'connection closed before it was usable' });
    const step = this.reader.finish();
    this.onStep(step);
  }
}

function connectTimedOut(conn: RtspConnection): void {
  conn.onConnectTimeout();
}
function idleBodyEnded(conn: RtspConnection): void {
  conn.onIdle();
}
function onSocketConnect(this: OwnedSocket): void {
  RtspConnection.fromSocket(this)?.onConnect();
}
function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  RtspConnection.fromSocket(this)?.onData(chunk);
}
function onSocketError(this: OwnedSocket, err: Error): void {
  RtspConnection.fromSocket(this)?.onError(err);
}
function onSocketClose(this: OwnedSocket): void {
  RtspConnection.fromSocket(this)?.onClose();
}
