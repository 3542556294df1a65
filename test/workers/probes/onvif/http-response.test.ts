import { expect } from 'chai';
import { HttpResponseReader, MAX_HEAD_BYTES, type HttpStep } from '../../../../workers/probes/onvif/http-response.js';

/** Feeds `text` in pieces of `split` bytes (1 = byte by byte) and returns the last step, then `end()` if asked. */
function read(text: string | Buffer, { split = Infinity, cap = 4096, close = false } = {}): HttpStep {
  const sut = new HttpResponseReader(cap);
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
  let step: HttpStep = { kind: 'more' };
  for (let i = 0; i < bytes.length && step.kind === 'more'; i += Math.min(split, bytes.length)) step = sut.push(bytes.subarray(i, i + split));
  return close && step.kind === 'more' ? sut.end() : step;
}

const body = (step: HttpStep) => (step.kind === 'done' ? step.answer.body.toString('latin1') : step);

describe('onvif/http-response HttpResponseReader', () => {
  for (const split of [Infinity, 7, 1]) {
    describe(`fed ${split === Infinity ? 'at once' : `${split} byte(s) at a time`}`, () => {
      it('Content-Length body', () => {
        expect(body(read('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n<a/>', { split }))).to.equal('<a/>');
      });
      it('chunked body with extensions and trailers', () => {
        const text = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n<a>\r\n4\r\n</a>\r\n0\r\nX-Trailer: 1\r\n\r\n';
        expect(body(read(text, { split }))).to.equal('<a></a>');
      });
      it('a 100 Continue before the answer is skipped', () => {
        expect(body(read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', { split }))).to.equal('ok');
      });
      it('bare LF line ends from sloppy devices', () => {
        expect(body(read('HTTP/1.0 200 OK\nContent-Length: 2\n\nok', { split }))).to.equal('ok');
      });
    });
  }

  it('a body without Content-Length ends at close', () => {
    expect(body(read('HTTP/1.0 200 OK\r\n\r\n<a/>', { close: true }))).to.equal('<a/>');
  });

  it('204 has no body', () => {
    expect(read('HTTP/1.1 204 No Content\r\n\r\n')).to.deep.include({ kind: 'done' });
  });

  it('keeps every WWW-Authenticate value and lower-cases names', () => {
    const step = read('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="a", nonce="1"\r\nWWW-Authenticate: Basic realm="a"\r\nContent-Length: 0\r\n\r\n');
    expect(step.kind === 'done' && step.answer).to.deep.equal({
      status: 401,
      headers: { 'www-authenticate': ['Digest realm="a", nonce="1"', 'Basic realm="a"'], 'content-length': '0' },
      body: Buffer.alloc(0),
    });
  });

  const failures: Array<[string, string, { cap?: number; close?: boolean }, { kind: string; detail: string }]> = [
    ['SSH banner', 'SSH-2.0-OpenSSH_8.9p1\r\n', {}, { kind: 'protocol', detail: 'malformed HTTP answer (not HTTP)' }],
    ['RTSP on the port', 'RTSP/1.0 200 OK\r\n\r\n', {}, { kind: 'protocol', detail: 'malformed HTTP answer (not HTTP)' }],
    ['bad status line', 'HTTP/1.1 2000 OK\r\n\r\n', {}, { kind: 'protocol', detail: 'malformed HTTP answer (status line)' }],
    ['header line without colon', 'HTTP/1.1 200 OK\r\nnonsense\r\n\r\n', {}, { kind: 'protocol', detail: 'malformed HTTP answer (header line)' }],
    ['two Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', {}, { kind: 'protocol', detail: 'malformed HTTP answer (Content-Length)' }],
    ['head never ends', `HTTP/1.1 200 OK\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}`, {}, { kind: 'protocol', detail: 'malformed HTTP answer (header overflow)' }],
    ['bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', {}, { kind: 'protocol', detail: 'malformed HTTP answer (chunk size)' }],
    ['declared length over the cap', 'HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n', {}, { kind: 'too_large', detail: 'answer of 5000 bytes exceeds the 4096-byte cap' }],
    ['chunks over the cap', `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${`400\r\n${'x'.repeat(0x400)}\r\n`.repeat(5)}`, {}, { kind: 'too_large', detail: 'answer exceeds the 4096-byte cap' }],
    ['read-to-close over the cap', `HTTP/1.0 200 OK\r\n\r\n${'x'.repeat(5000)}`, {}, { kind: 'too_large', detail: 'answer exceeds the 4096-byte cap' }],
    ['closed before anything', '', { close: true }, { kind: 'protocol', detail: 'connection closed before an HTTP answer' }],
    ['closed mid-head', 'HTTP/1.1 200 OK\r\n', { close: true }, { kind: 'protocol', detail: 'connection closed mid-head' }],
    ['closed mid-body', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n<a', { close: true }, { kind: 'protocol', detail: 'connection closed after 2 bytes, mid-answer' }],
    ['closed mid-chunks', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n<a>\r\n', { close: true }, { kind: 'protocol', detail: 'connection closed after 3 bytes, mid-answer' }],
  ];
  for (const [name, text, options, failure] of failures) {
    it(`${name} → ${failure.kind}`, () => {
      expect(read(text, options)).to.deep.equal({ kind: 'failed', failure });
    });
  }
});
