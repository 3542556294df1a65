/**
 * Incremental HTTP/1.x response reader for the SOAP client: feed it socket chunks, it tells when the
 * whole answer (head + body) is in. Bodies by Content-Length, chunked, or read until the peer closes.
 * Bounded: the head at MAX_HEAD_BYTES, the body at the caller's cap. Every problem is a value.
 */
import { findHeadEnd, lineBefore, startsLike } from '../message-head.js';
import type { ProbeFailure } from '../types.js';

/** Header names lower-cased; a header sent more than once keeps every value, in order. */
export type HttpHeaders = Record<string, string | string[]>;

export interface HttpAnswer {
  status: number;
  headers: HttpHeaders;
  body: Buffer;
}

export type HttpStep = { kind: 'more' } | { kind: 'done'; answer: HttpAnswer } | { kind: 'failed'; failure: ProbeFailure };

/** Longest head accepted (node's default --max-http-header-size). */
export const MAX_HEAD_BYTES = 16 * 1024;
const MAX_CHUNK_LINE = 1024;
const PREFIX = Buffer.from('HTTP/');
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: |$)/;
const MORE: HttpStep = { kind: 'more' };

const malformed = (what: string): HttpStep => ({ kind: 'failed', failure: { kind: 'protocol', detail: `malformed HTTP answer (${what})` } });

/**
 * One reader per request.
 *   head incomplete, peer closes               → protocol "connection closed before an HTTP answer"
 *   not starting with "HTTP/", bad status line → protocol "malformed HTTP answer (…)"
 *   1xx interim head                           → skipped, the next head is read
 *   Content-Length above the cap               → too_large before any body is read
 *   body (any framing) growing past the cap    → too_large
 *   Content-Length / chunked body cut short    → protocol "connection closed after N bytes, mid-answer"
 *   no Content-Length, not chunked             → the body ends when the peer closes
 */
export class HttpResponseReader {
  private buf: Buffer = Buffer.alloc(0);
  private head: Omit<HttpAnswer, 'body'> | null = null;
  private mode: 'length' | 'chunked' | 'close' = 'close';
  private length = 0;
  private readonly parts: Buffer[] = [];
  private size = 0;
  /** Chunked: bytes of chunk data still to read, or -1 while a size line (or trailer) is expected. */
  private chunkLeft = -1;
  private trailers = false;

  constructor(private readonly cap: number) {}

  /** Body bytes read so far. */
  get bodyBytes(): number {
    return this.size;
  }

  push(chunk: Buffer): HttpStep {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (!this.head) {
      const step = this.readHead();
      if (step) return step;
    }
    return this.mode === 'chunked' ? this.readChunks() : this.readBody();
  }

  /** The peer closed its side: the answer ends here. */
  end(): HttpStep {
    if (!this.head) return { kind: 'failed', failure: { kind: 'protocol', detail: this.buf.length ? 'connection closed mid-head' : 'connection closed before an HTTP answer' } };
    if (this.mode === 'close') return this.done();
    return { kind: 'failed', failure: { kind: 'protocol', detail: `connection closed after ${this.size} bytes, mid-answer` } };
  }

  /** Parses a complete head (undefined → go on), or says why not. */
  private readHead(): HttpStep | undefined {
    if (!startsLike(this.buf, PREFIX)) return malformed('not HTTP');
    const end = findHeadEnd(this.buf);
    if (!end) return this.buf.length > MAX_HEAD_BYTES ? malformed('header overflow') : MORE;
    if (end.index > MAX_HEAD_BYTES) return malformed('header overflow');
    const text = this.buf.toString('latin1', 0, end.index);
    this.buf = this.buf.subarray(end.index + end.length);
    // Lines end in LF or CRLF; walked by index rather than split into an array of lines.
    let eol = text.indexOf('\n');
    const m = STATUS_LINE.exec(lineBefore(text, 0, eol < 0 ? text.length : eol));
    if (!m) return malformed('status line');
    const status = Number(m[1]);
    if (status < 200) return undefined; // 100 Continue and other interim answers
    const headers: HttpHeaders = {};
    while (eol >= 0) {
      const from = eol + 1;
      eol = text.indexOf('\n', from);
      const to = eol < 0 ? text.length : eol;
      const colon = text.indexOf(':', from);
      if (colon <= from || colon >= to) return malformed('header line');
      const name = text.slice(from, colon).trim().toLowerCase();
      const value = text.slice(colon + 1, to).trim();
      const had = headers[name];
      headers[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    }
    this.head = { status, headers };
    return this.framing(headers, status);
  }

  private framing(headers: HttpHeaders, status: number): HttpStep | undefined {
    const te = headers['transfer-encoding'];
    const cl = headers['content-length'];
    if (status === 204 || status === 304) this.mode = 'length';
    else if (te !== undefined && /chunked/i.test(String(te))) this.mode = 'chunked';
    else if (cl !== undefined) {
      if (Array.isArray(cl) || !/^\d{1,15}$/.test(cl)) return malformed('Content-Length');
      this.mode = 'length';
      this.length = Number(cl);
      if (this.length > this.cap) return { kind: 'failed', failure: { kind: 'too_large', detail: `answer of ${this.length} bytes exceeds the ${this.cap}-byte cap` } };
    }
    return undefined;
  }

  private take(bytes: Buffer): HttpStep | undefined {
    this.size += bytes.length;
    if (this.size > this.cap) return { kind: 'failed', failure: { kind: 'too_large', detail: `answer exceeds the ${this.cap}-byte cap` } };
    if (bytes.length) this.parts.push(bytes);
    return undefined;
  }

  private readBody(): HttpStep {
    const want = this.mode === 'length' ? this.length - this.size : this.buf.length;
    const bytes = this.buf.subarray(0, Math.max(0, want));
    this.buf = Buffer.alloc(0);
    const over = this.take(bytes);
    if (over) return over;
    return this.mode === 'length' && this.size >= this.length ? this.done() : MORE;
  }

  private readChunks(): HttpStep {
    for (;;) {
      if (this.chunkLeft > 0) {
        const bytes = this.buf.subarray(0, this.chunkLeft);
        this.buf = this.buf.subarray(bytes.length);
        this.chunkLeft -= bytes.length;
        const over = this.take(bytes);
        if (over) return over;
        if (this.chunkLeft > 0) return MORE;
        this.chunkLeft = -2; // the CRLF after the data
      }
      const eol = this.buf.indexOf('\n');
      if (eol < 0) return this.buf.length > MAX_CHUNK_LINE ? malformed('chunk size') : MORE;
      const line = this.buf.toString('latin1', 0, eol).replace(/\r$/, '');
      this.buf = this.buf.subarray(eol + 1);
      if (this.chunkLeft === -2) {
        if (line !== '') return malformed('chunk end');
        this.chunkLeft = -1;
      } else if (this.trailers) {
        if (line === '') return this.done();
      } else {
        const m = /^([0-9a-fA-F]{1,8})(?:[ \t]*;.*)?$/.exec(line);
        if (!m) return malformed('chunk size');
        this.chunkLeft = parseInt(m[1], 16);
        if (this.chunkLeft === 0) this.trailers = true;
      }
    }
  }

  private done(): HttpStep {
    const { status, headers } = this.head!;
    return { kind: 'done', answer: { status, headers, body: this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size) } };
  }
}
