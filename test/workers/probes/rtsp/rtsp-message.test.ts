import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { header, headerValues, parseHeaderLines, parseStatusLine, RtspResponseReader, type ParseStep } from '../../../../workers/probes/rtsp/rtsp-message.js';
import { fixture, RTSP_FIXTURES } from '../../../support/rtsp-script-server.js';

const message = (step: ParseStep) => {
  if (step.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(step)}`);
  return step;
};

describe('parseStatusLine', () => {
  // Truth table: line → status or null.
  const cases: Array<[string, { statusCode: number; reason: string } | null]> = [
    ['RTSP/1.0 200 OK', { statusCode: 200, reason: 'OK' }],
    ['RTSP/1.0 401 Unauthorized', { statusCode: 401, reason: 'Unauthorized' }],
    ['RTSP/1.0  454', { statusCode: 454, reason: '' }],
    ['RTSP/2.0 404 Stream Not Found ', { statusCode: 404, reason: 'Stream Not Found' }],
    ['HTTP/1.1 200 OK', null],
    ['RTSP/1.0 2000 OK', null],
    ['RTSP/1.0 OK', null],
  ];
  for (const [line, expected] of cases) it(JSON.stringify(line), () => expect(parseStatusLine(line)).to.deep.equal(expected));
});

describe('parseHeaderLines and header lookup', () => {
  // Truth table: raw lines → [name, value] pairs.
  const cases: Array<[string, string[], Array<[string, string]>]> = [
    ['trailing space (longse)', ['CSeq: 1 '], [['CSeq', '1']]],
    ['runs of spaces after the colon (hikvision)', ['Session:        708345999;timeout=60'], [['Session', '708345999;timeout=60']]],
    ['no space after the colon', ['Cseq:3'], [['Cseq', '3']]],
    ['folded continuation line', ['WWW-Authenticate: Digest realm="a",', '  nonce="b"'], [['WWW-Authenticate', 'Digest realm="a", nonce="b"']]],
    ['line without a colon is ignored', ['garbage', 'A: b'], [['A', 'b']]],
    ['empty value', ['X-Empty:'], [['X-Empty', '']]],
  ];
  for (const [name, lines, expected] of cases) it(name, () => expect(parseHeaderLines(lines)).to.deep.equal(expected));

  it('looks names up case-insensitively (Cseq / CSeq / CSEQ)', () => {
    const msg = { headers: parseHeaderLines(['Cseq: 3', 'WWW-Authenticate: Basic realm="a"', 'www-authenticate: Digest realm="a", nonce="n"']) };
    expect(header(msg, 'CSeq')).to.equal('3');
    expect(header(msg, 'CSEQ')).to.equal('3');
    expect(header(msg, 'Server')).to.equal(undefined);
    expect(headerValues(msg, 'WWW-Authenticate')).to.deep.equal(['Basic realm="a"', 'Digest realm="a", nonce="n"']);
  });
});

describe('RtspResponseReader', () => {
  const files = readdirSync(RTSP_FIXTURES, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.txt') && !f.endsWith('SDP.txt'))
    .sort();

  for (const name of files) {
    it(`${name}: whole, and byte by byte, give the same complete message`, () => {
      const bytes = fixture(name);
      const whole = message(new RtspResponseReader().push(bytes));
      expect(whole.rest.length).to.equal(0);
      const sut = new RtspResponseReader();
      let last: ParseStep = { kind: 'more' };
      for (let i = 0; i < bytes.length; i++) {
        expect(last.kind, `complete too early at byte ${i}`).to.equal('more');
        last = sut.push(bytes.subarray(i, i + 1));
      }
      expect(message(last).message).to.deep.equal(whole.message);
      expect(header(whole.message, 'cseq')).to.match(/^\d+$/);
      expect(whole.message.body.length).to.equal(Number(header(whole.message, 'content-length') ?? 0));
    });
  }

  it('longse 401: status 401, CSeq "1" despite the trailing space, no body', () => {
    const { message: msg } = message(new RtspResponseReader().push(fixture('longse/401-Unauthorized-Digest.txt')));
    expect([msg.statusCode, msg.reason, header(msg, 'cseq'), msg.body.length]).to.deep.equal([401, 'Unauthorized', '1', 0]);
  });

  it('returns the bytes after one message as rest (two answers in one chunk)', () => {
    const two = Buffer.concat([fixture('dahua/OPTIONS.txt'), fixture('reolink/DESCRIBE.txt')]);
    const first = message(new RtspResponseReader().push(two));
    const second = message(new RtspResponseReader(first.rest).push(Buffer.alloc(0)));
    expect([first.message.statusCode, header(second.message, 'cseq'), second.message.body.length]).to.deep.equal([200, '3', 734]);
  });

  // Truth table for early verdicts on foreign bytes.
  const foreign: Array<[string, string | Buffer, string]> = [
    ['HTTP answer', 'HTTP/1.1 400 Bad Request\r\n\r\n', 'error'],
    ['TLS record', Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02]), 'error'],
    ['first byte already wrong', 'X', 'error'],
    ['"RTS" so far', 'RTS', 'more'],
    ['leading blank lines then RTSP', '\r\n\r\nRTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n', 'message'],
    ['RTSP prefix, bad status line', 'RTSP/1.0 abc\r\n\r\n', 'error'],
    ['contradicting Content-Length', 'RTSP/1.0 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n', 'error'],
    ['non-numeric Content-Length', 'RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n', 'error'],
  ];
  for (const [name, input, kind] of foreign) {
    it(`${name} → ${kind}`, () => expect(new RtspResponseReader().push(Buffer.from(input)).kind).to.equal(kind));
  }

  it('body without Content-Length: open-ended when Content-Type is present, ended by finish()', () => {
    const sut = new RtspResponseReader();
    expect(sut.push(Buffer.from('RTSP/1.0 200 OK\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n')).kind).to.equal('more');
    expect(sut.openEnded).to.equal(true);
    sut.push(Buffer.from('m=video 0 RTP/AVP 96\r\n'));
    expect(message(sut.finish()).message.body.toString()).to.equal('v=0\r\nm=video 0 RTP/AVP 96\r\n');
  });

  it('no Content-Length and no Content-Type → empty body, unless the caller expects one', () => {
    const bytes = Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 2\r\n\r\n');
    expect(new RtspResponseReader().push(bytes).kind).to.equal('message');
    expect(new RtspResponseReader(undefined, { bodyWithoutLength: () => true }).push(bytes).kind).to.equal('more');
  });

  it('announces its size once the head is in', () => {
    const sut = new RtspResponseReader();
    expect(sut.announcedSize).to.equal(null);
    const head = 'RTSP/1.0 200 OK\r\nContent-Length: 1000\r\n\r\n';
    sut.push(Buffer.from(head));
    expect(sut.announcedSize).to.equal(head.length + 1000);
  });

  // Truth table for finish() on an incomplete answer.
  const endings: Array<[string, string, RegExp]> = [
    ['nothing received', '', /without an answer/],
    ['head cut short', 'RTSP/1.0 200 OK\r\nCSeq', /mid-answer after 21 bytes/],
    ['body cut short', 'RTSP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc', /mid-answer/],
  ];
  for (const [name, input, detail] of endings) {
    it(`finish(): ${name} → error`, () => {
      const step = new RtspResponseReader(Buffer.from(input)).finish();
      expect(step.kind).to.equal('error');
      expect(step.kind === 'error' && step.detail).to.match(detail);
    });
  }
});
