/**
 * Incremental RTSP/1.0 response reader: feed it socket chunks, it tells when one whole response has
 * arrived. Lenient where real cameras are sloppy, strict where a wrong protocol must be told apart.
 */
import { findHeadEnd, startsLike } from '../message-head.js';

/** One parsed response. Header names are matched case-insensitively; values are trimmed. */
export interface RtspResponse {
  statusCode: number;
  reason: string;
  /** Headers in arrival order, names as sent. */
  headers: Array<[name: string, value: string]>;
  body: Buffer;
}

/** The outcome of feeding bytes: wait, one complete message (plus bytes after it), or not RTSP. */
export type ParseStep =
  | { kind: 'more' }
  | { kind: 'message'; message: RtspResponse; rest: Buffer }
  | { kind: 'error'; detail: string };

/** Options: whether a response without Content-Length still carries a body read until close/idle. */
export interface ReaderOptions {
  /** Default: a Content-Type header says there is a body. */
  bodyWithoutLength?: (head: Omit<RtspResponse, 'body'>) => boolean;
}

/** First value of a header, matched case-insensitively (`Cseq`, `CSeq`, `CSEQ`); undefined if absent. */
export function header(message: Pick<RtspResponse, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  // Length first: most names differ in length, and toLowerCase allocates.
  return message.headers.find(([n]) => n.length === wanted.length && n.toLowerCase() === wanted)?.[1];
}

/** Every value of a header in arrival order (WWW-Authenticate may come several times). */
export function headerValues(message: Pick<RtspResponse, 'headers'>, name: string): string[] {
  const wanted = name.toLowerCase();
  return message.headers.filter(([n]) => n.length === wanted.length && n.toLowerCase() === wanted).map(([, v]) => v);
}

const STATUS_LINE = /^RTSP\/(\d+)\.(\d+) +(\d{3})(?: +(.*))?$/;
const PREFIX = Buffer.from('RTSP/');

/**
 * Parses a status line.
 *   'RTSP/1.0 200 OK'            → { 200, 'OK' }
 *   'RTSP/1.0 401 Unauthorized'  → { 401, 'Unauthorized' }
 *   'RTSP/1.0  454'              → { 454, '' }   (runs of spaces, no reason)
 *   'HTTP/1.1 200 OK'            → null          (another protocol)
 *   'RTSP/1.0 2000 OK'           → null
 */
export function parseStatusLine(line: string): { statusCode: number; reason: string } | null {
  const m = STATUS_LINE.exec(line.trim());
  return m ? { statusCode: Number(m[3]), reason: (m[4] ?? '').trim() } : null;
}

/**
 * Splits header lines into [name, value] pairs.
 *   'CSeq: 1 '                    → ['CSeq', '1']          (trailing space)
 *   'Session:        708345999'   → ['Session', '708345999'] (runs of spaces)
 *   ' continued'                  → appended to the previous value (obsolete line folding)
 *   'no colon here'               → ignored
 */
export function parseHeaderLines(lines: string[]): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1];
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return headers;
}

/** Reads one response at a time; create one per exchange, carrying `rest` over to the next. */
export class RtspResponseReader {
  private buf: Buffer;
  private head: Omit<RtspResponse, 'body'> | null = null;
  private bodyStart = 0;
  private bodyLength: number | 'until-close' = 0;

  constructor(
    initial: Buffer = Buffer.alloc(0),
    private readonly options: ReaderOptions = {},
  ) {
    this.buf = initial;
  }

  /** True once the head is in and the body has no length: the caller ends it on close or idle. */
  get openEnded(): boolean {
    return this.head !== null && this.bodyLength === 'until-close';
  }

  /** Total bytes this response will take (head + declared body) once the head is in; null while unknown. */
  get announcedSize(): number | null {
    return this.head && this.bodyLength !== 'until-close' ? this.bodyStart + this.bodyLength : null;
  }

  /** Adds bytes; returns whether a full response is there. */
  push(chunk: Buffer): ParseStep {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    return this.step();
  }

  /** The peer closed or went quiet: an open-ended body ends here; anything else is incomplete. */
  finish(): ParseStep {
    if (this.head && this.bodyLength === 'until-close') {
      return { kind: 'message', message: withBody(this.head, this.buf.subarray(this.bodyStart)), rest: Buffer.alloc(0) };
    }
    const step = this.step();
    if (step.kind !== 'more') return step;
    const got = this.buf.length;
    return { kind: 'error', detail: got === 0 ? 'connection closed without an answer' : `connection closed mid-answer after ${got} bytes` };
  }

  private step(): ParseStep {
    if (!this.head) {
      const started = this.parseHead();
      if (started) return started;
    }
    if (!this.head || this.bodyLength === 'until-close') return { kind: 'more' };
    const end = this.bodyStart + this.bodyLength;
    if (this.buf.length < end) return { kind: 'more' };
    return { kind: 'message', message: withBody(this.head, this.buf.subarray(this.bodyStart, end)), rest: this.buf.subarray(end) };
  }

  /** Parses the head when complete; returns a step only to report an error or to wait. */
  private parseHead(): ParseStep | null {
    // Tolerate blank lines before the status line (left over from a previous message).
    let offset = 0;
    while (offset < this.buf.length && (this.buf[offset] === 0x0d || this.buf[offset] === 0x0a)) offset++;
    const start = this.buf.subarray(offset);
    if (!startsLike(start, PREFIX)) return { kind: 'error', detail: `not an RTSP answer: ${describeStart(start)}` };
    const end = findHeadEnd(start);
    if (!end) return { kind: 'more' };
    const lines = start.subarray(0, end.index).toString('latin1').split(/\r?\n/);
    const status = parseStatusLine(lines[0]);
    if (!status) return { kind: 'error', detail: `malformed status line: ${describeStart(start)}` };
    const head = { statusCode: status.statusCode, reason: status.reason, headers: parseHeaderLines(lines.slice(1)) };
    const length = contentLength(head);
    if (length === 'invalid') return { kind: 'error', detail: 'invalid Content-Length' };
    this.head = head;
    this.bodyStart = offset + end.index + end.length;
    const openEnded = (this.options.bodyWithoutLength ?? ((h) => header(h, 'content-type') !== undefined))(head);
    this.bodyLength = length ?? (openEnded ? 'until-close' : 0);
    return null;
  }
}

/** The response of `head` with `body` (a literal rather than a spread: this runs per answer). */
function withBody(head: Omit<RtspResponse, 'body'>, body: Buffer): RtspResponse {
  return { statusCode: head.statusCode, reason: head.reason, headers: head.headers, body };
}

/** Declared body length: a number, null when absent, 'invalid' when unusable or contradictory. */
function contentLength(head: Pick<RtspResponse, 'headers'>): number | null | 'invalid' {
  const values = headerValues(head, 'content-length');
  if (values.length === 0) return null;
  if (!values.every((v) => /^\d{1,10}$/.test(v) && v === values[0])) return 'invalid';
  return Number(values[0]);
}

/** First bytes of a foreign answer, printable, for an operator to recognise (e.g. 'HTTP/1.1 400 Bad Request'). */
function describeStart(buf: Buffer): string {
  const line = buf.subarray(0, 40).toString('latin1').split(/\r?\n/)[0];
  return JSON.stringify(line.replace(/[^\x20-\x7e]/g, '.'));
}
