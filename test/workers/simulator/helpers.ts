/**
 * Raw-socket helpers for the simulator tests. Deliberately independent of the project's probes and
 * of the simulator's own auth code: digests are computed here from the RFCs.
 */
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** Opens a TCP connection; resolves with the socket or rejects with the connect error (e.g. ECONNREFUSED). */
export function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** A socket that buffers everything it receives and can wait for one complete RTSP/HTTP message. */
export class Peer {
  buf = Buffer.alloc(0);
  ended = false;
  error?: NodeJS.ErrnoException;
  private waiters: Array<() => void> = [];

  constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.error = e;
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  static async open(host: string, port: number): Promise<Peer> {
    return new Peer(await open(host, port));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `cond()` holds, rejects after `ms`. */
  async until(cond: () => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms; got ${this.buf.length} bytes`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends `text` and reads one response (head + Content-Length body); consumes it from the buffer. */
  async request(text: string, ms = 5000): Promise<{ status: number; headers: Map<string, string[]>; body: string; raw: string }> {
    this.socket.write(text);
    let parsed: ReturnType<typeof parseMessage>;
    await this.until(() => (parsed = parseMessage(this.buf)) !== undefined || this.ended, ms);
    if (!parsed) throw new Error(`connection ended without a complete answer: ${JSON.stringify(this.buf.toString('latin1'))}`);
    this.buf = this.buf.subarray(parsed.length);
    return parsed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Parses one complete response at the start of `buf`, or undefined when more bytes are needed. */
export function parseMessage(buf: Buffer):
  | { status: number; headers: Map<string, string[]>; body: string; raw: string; length: number }
  | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    const k = line.slice(0, i).trim().toLowerCase();
    headers.set(k, [...(headers.get(k) ?? []), line.slice(i + 1).trim()]);
  }
  const len = Number(headers.get('content-length')?.[0] ?? 0);
  if (buf.length < end + 4 + len) return undefined;
  const status = Number(lines[0].split(' ')[1]);
  return {
    status, headers, body: buf.toString('utf8', end + 4, end + 4 + len),
    raw: buf.toString('latin1', 0, end + 4 + len), length: end + 4 + len,
  };
}

/** Parses the parameters of one WWW-Authenticate Digest challenge. */
export function challengeParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) out[m[1]] = m[2] ?? m[3];
  return out;
}

/** Builds a Digest Authorization header per RFC 2617 §3.2.2 (qop=auth when the challenge offers it). */
export function digestHeader(challenge: string, method: string, uri: string, user: string, pass: string): string {
  const c = challengeParams(challenge);
  const ha1 = md5(`${user}:${c.realm}:${pass}`);
  const ha2 = md5(`${method}:${uri}`);
  if (c.qop) {
    const nc = '00000001';
    const cnonce = '0a4f113b';
    const response = md5(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`);
    return `Digest username="${user}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`;
  }
  const response = md5(`${ha1}:${c.nonce}:${ha2}`);
  return `Digest username="${user}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", response="${response}"`;
}

/** Resolves with the error code of a connection attempt (undefined when it connects). */
export async function connectErrorCode(host: string, port: number): Promise<string | undefined> {
  try {
    (await open(host, port)).destroy();
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 10 ms (for state with no event to await, e.g. counters); rejects after `ms`. */
export async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(10);
  }
}

/** Reads from `socket` (discarding the bytes) until `bytes` arrived; resolves with the first chunk's head. */
export function drain(socket: Socket, bytes: number): Promise<string> {
  return new Promise((resolve) => {
    let total = 0;
    let head = '';
    socket.removeAllListeners('data');
    socket.on('data', (d: Buffer) => {
      if (total === 0) head = d.toString('latin1', 0, 32);
      total += d.length;
      if (total >= bytes) {
        socket.removeAllListeners('data');
        socket.pause();
        resolve(head);
      }
    });
    socket.resume();
  });
}
