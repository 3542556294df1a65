import { expect } from 'chai';
import { mediaCodec, parseSdp, resolveControl, videoMedia } from '../../../../workers/probes/rtsp/sdp.js';
import { fixture } from '../../../support/rtsp-script-server.js';

/** The SDP body of a DESCRIBE fixture (after the blank line), or a body-only fixture. */
function sdpOf(name: string): string {
  const text = fixture(name).toString('utf8');
  return text.startsWith('v=') ? text : text.slice(text.indexOf('\r\n\r\n') + 4);
}

describe('parseSdp on captured session descriptions', () => {
  // Truth table: fixture → media types, codec per media, video control as written, session control.
  const cases: Array<[string, string[], Array<string | null>, string | null, string | null]> = [
    ['dahua/DESCRIBE-h264-aac-onvif.txt', ['video', 'audio', 'application'], ['H264', 'MPEG4-GENERIC', 'VND.ONVIF.METADATA'], 'trackID=0', '*'],
    ['dahua/DESCRIBE-h265-pcma.txt', ['video', 'audio'], ['H265', 'PCMA'], 'trackID=0', '*'],
    ['foscam/DESCRIBE.txt', ['video', 'audio'], ['H264', 'PCMU'], 'track1', '*'], // audio: static PT 0, no rtpmap
    ['gw-security/DESCRIBE-main.txt', ['video', 'audio'], ['H264', 'PCMU'], 'video', '*'], // rtpmap says PCMU for PT 8 - as written
    ['gw-security/DESCRIBE-sub.txt', ['video'], ['H264'], 'video', '*'],
    ['h264dvr/DESCRIBE.txt', ['video', 'audio'], ['H264', 'PCMA'], 'trackID=3', '*'], // 'H264/90000 ' trailing space
    [
      'hikvision/DESCRIBE.txt',
      ['video', 'application'],
      ['H264', 'VND.ONVIF.METADATA'],
      'rtsp://192.168.5.106:554/Streaming/Channels/101/trackID=1?transportmode=unicast&profile=Profile_1',
      'rtsp://192.168.5.106:554/Streaming/Channels/101/?transportmode=unicast&profile=Profile_1',
    ],
    ['reolink/DESCRIBE.txt', ['video', 'audio'], ['H264', 'MPEG4-GENERIC'], 'trackID=1', '*'],
    ['tp-link/SDP.txt', ['video', 'audio', 'application/TP-LINK'], ['H265', 'PCMA', 'TP-LINK'], 'track1', null],
  ];
  for (const [name, types, codecs, control, sessionControl] of cases) {
    it(name, () => {
      const sut = parseSdp(sdpOf(name));
      expect(sut.media.map((m) => m.type)).to.deep.equal(types);
      expect(sut.media.map((m) => m.codec)).to.deep.equal(codecs);
      expect(videoMedia(sut)[0].control).to.equal(control);
      expect(sut.control).to.equal(sessionControl);
    });
  }

  it('audio-only (gw-security main without its video section) has no video media', () => {
    const [session, , audio] = sdpOf('gw-security/DESCRIBE-main.txt').split(/(?=^m=)/m);
    const sut = parseSdp(session + audio);
    expect(videoMedia(sut)).to.deep.equal([]);
    expect(sut.media.map((m) => [m.type, m.codec, m.control])).to.deep.equal([['audio', 'PCMU', 'audio']]);
  });

  it('LF-only text, m=VIDEO upper case, rtpmap before m= ignored', () => {
    const sut = parseSdp('v=0\na=rtpmap:96 H264/90000\nm=VIDEO 0 RTP/AVP 96\na=rtpmap:96 hevc/90000\n');
    expect(videoMedia(sut).map((m) => m.codec)).to.deep.equal(['H265']);
  });
});

describe('mediaCodec', () => {
  // Truth table: formats + rtpmap → codec.
  const cases: Array<[string[], Record<string, string>, string | null]> = [
    [['96'], { '96': 'H264' }, 'H264'],
    [['96'], { '96': 'h265' }, 'H265'],
    [['96'], { '96': 'HEVC' }, 'H265'],
    [['98', '96'], { '96': 'H264', '98': 'H265' }, 'H265'],
    [['26'], {}, 'JPEG'],
    [['0'], {}, 'PCMU'],
    [['96'], {}, null],
    [['smart/1/90000'], { '95': 'TP-LINK' }, 'TP-LINK'],
    [[], {}, null],
  ];
  for (const [formats, rtpmap, expected] of cases) {
    it(`${JSON.stringify(formats)} ${JSON.stringify(rtpmap)} → ${expected}`, () => expect(mediaCodec(formats, rtpmap)).to.equal(expected));
  }
});

describe('resolveControl', () => {
  // Truth table: base + control → URL.
  const cases: Array<[string, string | null, string]> = [
    ['rtsp://h/s/', 'trackID=1', 'rtsp://h/s/trackID=1'],
    ['rtsp://h/s', 'track1', 'rtsp://h/s/track1'],
    ['rtsp://h/cam/realmonitor?channel=1&subtype=1/', 'trackID=0', 'rtsp://h/cam/realmonitor?channel=1&subtype=1/trackID=0'],
    ['rtsp://h/s/', '*', 'rtsp://h/s/'],
    ['rtsp://h/s/', null, 'rtsp://h/s/'],
    ['rtsp://h/s/', 'rtsp://h2:554/x/trackID=1?a=b', 'rtsp://h2:554/x/trackID=1?a=b'],
    ['rtsp://h:554/s/', '/other/track1', 'rtsp://h:554/other/track1'],
  ];
  for (const [base, control, expected] of cases) {
    it(`${base} + ${control} → ${expected}`, () => expect(resolveControl(base, control)).to.equal(expected));
  }
});
