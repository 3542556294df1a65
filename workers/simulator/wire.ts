/**
 * Request framing shared by RTSP/1.0 and HTTP/1.x (same grammar: request line, headers, blank line,
 * Content-Length or — HTTP only — chunked body). The protocol is sniffed from the request line.
 */

export interface WireRequest {
  protocol: 'rtsp' | 'http';
  method: string;
  /** Request target as sent: an absolute rtsp:// URL, `*`, or an HTTP origin-form path. */
  target: string;
  version: string;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Map<string, string>;
  body: Buffer;
}

/** Largest request head (request line + headers) accepted before the connection is closed. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Largest request body accepted. */
export const MAX_BODY_BYTES = 1024 * 1024;

const REQUEST_LINE = /^([A-Z_][A-Z0-9_-]*) (\S+) ((RTSP|HTTP)\/1\.\d)$/;

type Chunked = { body: Buffer; end: number } | 'incomplete' | 'bad';

function decodeChunked(buf: Buffer, start: number): Chunked {
  const parts: Buffer[] = [];
  let size = 0;
  let pos = start;
  for (;;) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) return 'incomplete';
    const len = parseInt(buf.toString('latin1', pos, eol).split(';')[0].trim(), 16);
    if (!Number.isFinite(len) || len < 0) return 'bad';
    if (len === 0) {
      // Last chunk; optional trailers (ignored) end with an empty line.
      if (buf.length < eol + 4) return 'incomplete';
      const end = buf.toString('latin1', eol + 2, eol + 4) === '\r\n' ? eol + 4 : buf.indexOf('\r\n\r\n', eol + 2) + 4;
      return end < 4 ? 'incomplete' : { body: Buffer.concat(parts, size), end };
    }
    size += len;
    if (size > MAX_BODY_BYTES) return 'bad';
    if (buf.length < eol + 2 + len + 2) return 'incomplete';
    parts.push(buf.subarray(eol + 2, eol + 2 + len));
    pos = eol + 2 + len + 2;
  }
}

function parseHead(text: string): Omit<WireRequest, 'body'> | null {
  const lines = text.split(/\r?\n/);
  const m = REQUEST_LINE.exec(lines[0]);
  if (!m) return null;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const prev = headers.get(name);
    headers.set(name, prev === undefined ? value : `${prev}, ${value}`);
  }
  return { protocol: m[4] === 'RTSP' ? 'rtsp' : 'http', method: m[1], target: m[2], version: m[3], headers };
}

/**
 * Incremental reader: feed socket chunks with `push`; complete requests come out of `onRequest` in
 * order. `onError` is called once for a malformed or oversized request; the reader then ignores input.
 */
export class RequestReader {
  private buf: Buffer = Buffer.alloc(0);
  private failed = false;

  constructor(
    private readonly onRequest: (req: WireRequest) => void,
    private readonly onError: (reason: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.failed) return;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    while (!this.failed && this.buf.length > 0 && this.next()) {
      // keep going while complete requests are buffered
    }
  }

  private fail(reason: string): false {
    this.failed = true;
    this.buf = Buffer.alloc(0);
    this.onError(reason);
    return false;
  }

  /** Takes one complete request off the buffer; false when more bytes are needed. */
  private next(): boolean {
    // Tolerate blank lines between messages (RFC 7230 §3.5).
    let skip = 0;
    while (skip < this.buf.length && (this.buf[skip] === 0x0d || this.buf[skip] === 0x0a)) skip += 1;
    if (skip > 0) this.buf = this.buf.subarray(skip);
    let headEnd = this.buf.indexOf('\r\n\r\n');
    let sep = 4;
    if (headEnd < 0) {
      headEnd = this.buf.indexOf('\n\n');
      sep = 2;
    }
    if (headEnd < 0) return this.buf.length > MAX_HEAD_BYTES ? this.fail('request head too large') : false;
    if (headEnd > MAX_HEAD_BYTES) return this.fail('request head too large');
    const head = parseHead(this.buf.toString('latin1', 0, headEnd));
    if (!head) return this.fail('malformed request');
    const bodyStart = headEnd + sep;
    const te = head.headers.get('transfer-encoding');
    if (head.protocol === 'http' && te && /chunked/i.test(te)) {
      const res = decodeChunked(this.buf, bodyStart);
      if (res === 'incomplete') return false;
      if (res === 'bad') return this.fail('bad chunked body');
      this.buf = this.buf.subarray(res.end);
      this.onRequest({ ...head, body: res.body });
      return true;
    }
    const cl = head.headers.get('content-length');
    const len = cl === undefined ? 0 : Number(cl);
    if (!Number.isInteger(len) || len < 0 || len > MAX_BODY_BYTES) return this.fail('bad Content-Length');
    if (this.buf.length < bodyStart + len) return false;
    const body = Buffer.from(this.buf.subarray(bodyStart, bodyStart + len));
    this.buf = this.buf.subarray(bodyStart + len);
    this.onRequest({ ...head, body });
    return true;
  }
}

/** Serialises a response: status line, headers (Content-Length added when a body is given), body. */
export function formatResponse(
  statusLine: string,
  headers: Array<[string, string | number]>,
  body?: Buffer | string,
): Buffer {
  const bodyBuf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const lines = [statusLine, ...headers.map(([k, v]) => `${k}: ${v}`)];
  if (bodyBuf) lines.push(`Content-Length: ${bodyBuf.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return bodyBuf ? Buffer.concat([head, bodyBuf]) : head;
}
