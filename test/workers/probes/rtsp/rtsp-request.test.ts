import { expect } from 'chai';
import { buildRequest, isSafeRequestUrl, printable, splitUserinfo } from '../../../../workers/probes/rtsp/rtsp-request.js';

describe('splitUserinfo', () => {
  // Truth table: URL → URL without userinfo + credentials found.
  const cases: Array<[string, ReturnType<typeof splitUserinfo>]> = [
    ['rtsp://10.0.0.2/live', { url: 'rtsp://10.0.0.2/live' }],
    ['rtsp://admin:p%40ss@10.0.0.2:554/live?x=1', { url: 'rtsp://10.0.0.2:554/live?x=1', credentials: { username: 'admin', password: 'p@ss' } }],
    ['rtsp://admin@10.0.0.2/live', { url: 'rtsp://10.0.0.2/live', credentials: { username: 'admin', password: '' } }],
    ['rtsp://a:b:c@h/s', { url: 'rtsp://h/s', credentials: { username: 'a', password: 'b:c' } }],
    ['rtsp://a:%E0%A4%A@h/s', { url: 'rtsp://h/s', credentials: { username: 'a', password: '%E0%A4%A' } }], // bad escape kept
    ['rtsp://h/s?next=x@y', { url: 'rtsp://h/s?next=x@y' }], // @ after the host is not userinfo
  ];
  for (const [input, expected] of cases) it(input, () => expect(splitUserinfo(input)).to.deep.equal(expected));
});

describe('buildRequest / isSafeRequestUrl / printable', () => {
  it('writes request line, CSeq, User-Agent, extra headers, blank line', () => {
    expect(buildRequest('DESCRIBE', 'rtsp://h/s', 2, { Accept: 'application/sdp' })).to.equal(
      'DESCRIBE rtsp://h/s RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: SharpEyesMonitor/1\r\nAccept: application/sdp\r\n\r\n',
    );
  });

  it('cannot be used to inject header lines', () => {
    expect(buildRequest('OPTIONS', 'rtsp://h/s', 1, { X: 'a\r\nEvil: 1' })).not.to.include('\r\nEvil');
    expect(isSafeRequestUrl('rtsp://h/s')).to.equal(true);
    expect(isSafeRequestUrl('rtsp://h/s RTSP/1.0\r\nEvil: 1')).to.equal(false);
  });

  it('printable: control characters replaced, length bounded', () => {
    expect(printable('Rtsp\x00Server\x1b', 8)).to.equal('Rtsp?Ser');
    expect(printable('  H264DVR 1.0 ')).to.equal('H264DVR 1.0');
  });
});
