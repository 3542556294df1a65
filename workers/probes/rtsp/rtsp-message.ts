/**
 * Incremental RTSP/1.0 response reader: feed it socket chunks, it tells when one whole response has
 * arrived. Lenient where real cameras are sloppy, strict where a wrong protocol must be told apart.
 */
import { findHeadEnd, lineBefore, startsLike } from '../message-head.js';

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
  // A loop, not find() with a closure made per call: V8 re-optimises such closures after every full GC.
  for (const [n, v] of message.headers) if (sameName(n, wanted)) return v;
  return undefined;
}

/** Every value of a header in arrival order (WWW-Authenticate may come several times). */
export function headerValues(message: Pick<RtspResponse, 'headers'>, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [n, v] of message.headers) if (sameName(n, wanted)) values.push(v);
  return values;
}

/** `name` equals the lower-case `wanted` but for case; length first: most names differ in length, and toLowerCase allocates. */
const sameName = (name: string, wanted: string) => name.length === wanted.length && name.toLowerCase() === wanted;

const hasContentType = (head: Omit<RtspResponse, 'body'>) => header(head, 'content-type') !== undefined;

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
  for (const line of lines) addHeaderLine(headers, line);
  return headers;
}

/** One line of parseHeaderLines' rules. */
function addHeaderLine(headers: Array<[string, string]>, line: string): void {
  const first = line.charCodeAt(0);
  if ((first === 0x20 || first === 0x09) && headers.length > 0) {
    const last = headers[headers.length - 1];
    last[1] = `${last[1]} ${line.trim()}`.trim();
    return;
  }
  const colon = line.indexOf(':');
  if (colon <= 0) return;
  headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
}

/** parseHeaderLines over the lines of `head` after its first (the status line), without splitting it first. */
function headerLinesOf(head: string, from: number): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (;;) {
    const nl = head.indexOf('\n', from);
    if (nl < 0) {
      addHeaderLine(headers, head.slice(from));
      break;
    }
    addHeaderLine(headers, lineBefore(head, from, nl));
    from = nl + 1;
  }
  return headers;
}

const EMPTY = Buffer.alloc(0);

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
    const body = this.bodyLength === 0 ? EMPTY : this.buf.subarray(this.bodyStart, end);
    return { kind: 'message', message: withBody(this.head, body), rest: end === this.buf.length ? EMPTY : this.buf.subarray(end) };
  }

  /** Parses the head when complete; returns a step only to report an error or to wait. */
  private parseHead(): ParseStep | null {
    const buf = this.buf;
    // Tolerate blank lines before the status line (left over from a previous message).
    let offset = 0;
    while (offset < buf.length && (buf[offset] === 0x0d || buf[offset] === 0x0a)) offset++;
    const start = offset === 0 ? buf : buf.subarray(offset);
    if (!startsLike(start, PREFIX)) return { kind: 'error', detail: `not an RTSP answer: ${describeStart(start)}` };
    const end = findHeadEnd(start);
    if (!end) return { kind: 'more' };
    const head = start.toString('latin1', 0, end.index);
    const eol = head.indexOf('\n');
    const status = parseStatusLine(eol < 0 ? head : lineBefore(head, 0, eol));
    if (!status) return { kind: 'error', detail: `malformed status line: ${describeStart(start)}` };
    const parsed = { statusCode: status.statusCode, reason: status.reason, headers: eol < 0 ? [] : headerLinesOf(head, eol + 1) };
    const length = contentLength(parsed);
    if (length === 'invalid') return { kind: 'error', detail: 'invalid Content-Length' };
    this.head = parsed;
    this.bodyStart = offset + end.index + end.length;
    const openEnded = (this.options.bodyWithoutLength ?? hasContentType)(parsed);
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
  let value: string | null = null;
  for (const [name, v] of head.headers) {
    if (name.length !== 14 || name.toLowerCase() !== 'content-length') continue;
    if (!/^\d{1,10}$/.test(v) || (value !== null && v !== value)) return 'invalid';
    value = v;
  }
  return value === null ? null : Number(value);
}

/** First bytes of a foreign answer, printable, for an operator to recognise (e.g. 'HTTP/1.1 400 Bad Request'). */
function describeStart(buf: Buffer): string {
  const line = buf.subarray(0, 40).toString('latin1').split(/\r?\n/)[0];
  return JSON.stringify(line.replace(/[^\x20-\x7e]/g, '.'));
}
