import { expect } from 'chai';
import { startFleet, type Fleet, type SimCamera } from '../../../workers/simulator/index.js';
import { challengeParams, digestHeader, Peer } from './helpers.js';

const describeReq = (url: string, cseq: number, auth?: string): string =>
  `DESCRIBE ${url} RTSP/1.0\r\nCSeq: ${cseq}\r\nAccept: application/sdp\r\n${auth ? `Authorization: ${auth}\r\n` : ''}\r\n`;

/** OPTIONS, DESCRIBE (401), DESCRIBE with credentials on one connection, as an RTSP client does. */
async function describeWith(cam: SimCamera, password: string, url = cam.rtspUrl) {
  const peer = await Peer.open(cam.host, cam.port);
  try {
    const options = await peer.request(`OPTIONS ${url} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
    const challenge = await peer.request(describeReq(url, 2));
    const digest = challenge.headers.get('www-authenticate')?.find((v) => v.startsWith('Digest '));
    const basic = challenge.headers.get('www-authenticate')?.find((v) => v.startsWith('Basic '));
    const auth = digest
      ? digestHeader(digest, 'DESCRIBE', url, cam.username, password)
      : `Basic ${Buffer.from(`${cam.username}:${password}`).toString('base64')}`;
    const answer = await peer.request(describeReq(url, 3, auth));
    return { options, challenge, answer, digest, basic };
  } finally {
    peer.close();
  }
}

describe('simulator RTSP (raw socket client)', () => {
  let sut: Fleet;

  before(async () => {
    sut = await startFleet({
      count: 8, baseAddress: '127.202.0.1', port: 0, auth: 'digest', nvr: [{ channels: 3 }], seed: 7,
      credentials: { username: 'admin', password: 'Secr3t!' },
    });
  });
  after(() => sut.stop());

  it('answers OPTIONS with Public and echoes CSeq, then 401 Digest, then 200 + SDP with m=video', async () => {
    const cam = sut.cameras[4];
    const { options, challenge, answer, digest } = await describeWith(cam, 'Secr3t!');
    expect(options.status).to.equal(200);
    expect(options.headers.get('cseq')).to.deep.equal(['1']);
    expect(options.headers.get('public')?.[0]).to.include('DESCRIBE');
    expect(challenge.status).to.equal(401);
    expect(challenge.headers.get('cseq')).to.deep.equal(['2']);
    expect(challengeParams(digest ?? '').realm).to.equal(cam.realm);
    expect(answer.status, answer.raw).to.equal(200);
    expect(answer.headers.get('cseq')).to.deep.equal(['3']);
    expect(answer.headers.get('content-type')).to.deep.equal(['application/sdp']);
    expect(answer.body).to.match(/^v=0\r\n/);
    expect(answer.body).to.match(/\r\nm=video /);
    expect(answer.body).to.include('H264/90000');
    expect(answer.body).to.include(`rtsp://${cam.host}:${cam.port}/Streaming/Channels/101/`);
  });

  it('verifies Digest with and without qop (RFC 2617 both forms)', async () => {
    const seen = new Set<boolean>();
    for (const cam of sut.cameras.slice(3)) {
      const { answer } = await describeWith(cam, 'Secr3t!');
      expect(answer.status, `${cam.index} qop=${cam.digestQop}`).to.equal(200);
      seen.add(cam.digestQop);
    }
    expect([...seen].sort()).to.deep.equal([false, true]);
  });

  it('answers a wrong password with 401 again and counts the refusal', async () => {
    const cam = sut.cameras[5];
    const before = sut.counters(5).authFailures;
    const { answer } = await describeWith(cam, 'wrong');
    expect(answer.status).to.equal(401);
    expect(answer.headers.get('www-authenticate')?.[0]).to.match(/^Digest /);
    expect(sut.counters(5).authFailures).to.equal(before + 1);
  });

  it('refuses a Digest response computed for another URI or on a nonce it did not issue', async () => {
    const cam = sut.cameras[6];
    const peer = await Peer.open(cam.host, cam.port);
    try {
      const ch = (await peer.request(describeReq(cam.rtspUrl, 1))).headers.get('www-authenticate')?.[0] ?? '';
      const otherUri = digestHeader(ch, 'DESCRIBE', `rtsp://${cam.host}:${cam.port}/Streaming/Channels/102`, cam.username, 'Secr3t!');
      expect((await peer.request(describeReq(cam.rtspUrl, 2, otherUri))).status).to.equal(401);
      const forged = digestHeader(ch.replace(/nonce="[^"]*"/, 'nonce="00000000000000000000000000000000"'), 'DESCRIBE', cam.rtspUrl, cam.username, 'Secr3t!');
      expect((await peer.request(describeReq(cam.rtspUrl, 3, forged))).status).to.equal(401);
    } finally {
      peer.close();
    }
  });

  it('answers an unknown path with 404 (after authentication)', async () => {
    const cam = sut.cameras[7];
    const { answer } = await describeWith(cam, 'Secr3t!', `rtsp://${cam.host}:${cam.port}/cam/realmonitor`);
    expect(answer.status).to.equal(404);
  });

  it('serves NVR channels on one address with /Streaming/Channels/<n>01 and counts DESCRIBE per channel', async () => {
    const nvr = sut.cameras.slice(0, 3);
    expect(new Set(nvr.map((c) => `${c.host}:${c.port}`)).size).to.equal(1);
    expect(nvr.map((c) => c.nvrGroup)).to.deep.equal([0, 0, 0]);
    expect(nvr[2].rtspUrl).to.match(/\/Streaming\/Channels\/301$/);
    sut.resetStats();
    const { answer } = await describeWith(nvr[2], 'Secr3t!');
    expect(answer.status).to.equal(200);
    expect(answer.body).to.include('/Streaming/Channels/301/');
    expect(sut.counters(2).rtspDescribes).to.equal(2);
    expect(sut.counters(0).rtspDescribes).to.equal(0);
  });

  it('offers Basic (and both schemes) when configured, and announces H.265 when asked', async () => {
    const fleet = await startFleet({ count: 2, baseAddress: '127.202.1.1', port: 0, auth: 'both', h265Ratio: 1 });
    try {
      const cam = fleet.cameras[0];
      const { challenge, answer, basic } = await describeWith(cam, cam.password);
      expect(challenge.headers.get('www-authenticate')).to.have.length(2);
      expect(basic).to.match(/^Basic realm="/);
      expect(answer.status).to.equal(200);
      expect(answer.body).to.include('H265/90000');
    } finally {
      await fleet.stop();
    }
  });

  it('accepts Basic credentials on a Basic camera and refuses wrong ones', async () => {
    const fleet = await startFleet({ count: 1, baseAddress: '127.202.2.1', port: 0, auth: 'basic' });
    try {
      const cam = fleet.cameras[0];
      expect((await describeWith(cam, cam.password)).answer.status).to.equal(200);
      expect((await describeWith(cam, 'nope')).answer.status).to.equal(401);
    } finally {
      await fleet.stop();
    }
  });
});
