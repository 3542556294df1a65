import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Folder of the RTSP fixtures copied from /work/shared/fixtures/rtsp (bytes identical). */
export const RTSP_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/rtsp');

/** Raw bytes of a fixture, e.g. fixture('dahua/OPTIONS.txt'). */
export function fixture(name: string): Buffer {
  return readFileSync(path.join(RTSP_FIXTURES, name));
}

/** One request as the scripted server received it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  /** Header names lower-cased; the last value wins. */
  headers: Record<string, string>;
  /** 1-based number of the TCP connection it came on. */
  connection: number;
}

/** What to answer: bytes, nothing (hang), or full control of the socket. */
export type Reply = string | Buffer | null | ((socket: net.Socket) => void);
export type Script = (req: ReceivedRequest, socket: net.Socket) => Reply;

export interface ScriptServer {
  port: number;
  url(pathAndQuery?: string): string;
  requests: ReceivedRequest[];
  /** Connections accepted / closed so far (server side). */
  readonly opened: number;
  readonly closed: number;
  /** Resolves once every accepted connection has closed; rejects after `withinMs`. */
  allClosed(withinMs?: number): Promise<void>;
  close(): Promise<void>;
}

function parseRequest(text: string, connection: number): ReceivedRequest {
  const [line, ...rest] = text.split('\r\n');
  const [method = '', url = ''] = line.split(' ');
  const headers: Record<string, string> = {};
  for (const h of rest) {
    const i = h.indexOf(':');
    if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  return { method, url, headers, connection };
}

/**
 * A scripted RTSP peer on 127.0.0.1:<ephemeral>. Without `onConnection` it reads requests (no bodies)
 * and answers each with `script(request)`; with `onConnection` the test owns every socket (hang,
 * flood, garbage…). Counts server-side connection closes so tests can prove the probe hung up.
 */
export async function startScriptServer(script: Script | null, onConnection?: (socket: net.Socket) => void): Promise<ScriptServer> {
  const requests: ReceivedRequest[] = [];
  let opened = 0;
  let closed = 0;
  const waiters = new Set<() => void>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const connection = ++opened;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      closed++;
      sockets.delete(socket);
      for (const w of waiters) w();
    });
    if (onConnection) {
      socket.resume(); // read (and drop) requests so the client's FIN is seen
      return onConnection(socket);
    }
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const req = parseRequest(buffered.slice(0, end), connection);
        buffered = buffered.slice(end + 4);
        requests.push(req);
        const reply = script!(req, socket);
        if (typeof reply === 'function') reply(socket);
        else if (reply !== null && !socket.destroyed) socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: (p = '/stream') => `rtsp://127.0.0.1:${port}${p}`,
    requests,
    get opened() {
      return opened;
    },
    get closed() {
      return closed;
    },
    allClosed(withinMs = 2000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (closed < opened) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${opened - closed} of ${opened} connections still open after ${withinMs} ms`));
        }, withinMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Number of TCP socket handles alive in this process (client and server side). */
export function tcpSocketHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

/** Waits (event-loop turns, no sleeps) until at most `baseline` TCP socket handles remain; returns the count. */
export async function settledSocketHandles(baseline: number, turns = 50): Promise<number> {
  for (let i = 0; i < turns && tcpSocketHandles() > baseline; i++) await new Promise((r) => setImmediate(r));
  return tcpSocketHandles();
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * Runs a probe against `server` and proves it hung up: every server-side connection closed and no
 * TCP socket handle left in this process beyond what was there before.
 */
export async function probeLeavingNoSocket<T>(server: ScriptServer, run: () => Promise<T>): Promise<T> {
  const baseline = tcpSocketHandles();
  const result = await run();
  await server.allClosed();
  const left = await settledSocketHandles(baseline);
  if (left > baseline) throw new Error(`${left - baseline} TCP socket handle(s) left open by the probe`);
  return result;
}
