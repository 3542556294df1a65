import { expect } from 'chai';
import { startFleet, type Fleet, type SimCamera } from '../../../workers/simulator/index.js';
import { connectErrorCode, drain, Peer, sleep, waitFor } from './helpers.js';

const options = (c: SimCamera): string => `OPTIONS ${c.rtspUrl} RTSP/1.0\r\nCSeq: 1\r\n\r\n`;
const describeReq = (c: SimCamera): string => `DESCRIBE ${c.rtspUrl} RTSP/1.0\r\nCSeq: 2\r\n\r\n`;
function soap(c: SimCamera, action = 'GetSystemDateAndTime'): string {
  const body = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><${action} xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`;
  return `POST /onvif/device_service HTTP/1.1\r\nHost: ${c.host}:${c.port}\r\nContent-Type: application/soap+xml; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe('simulator fault switches', () => {
  let sut: Fleet;
  let cam: SimCamera;
  const peers: Peer[] = [];
  const peer = async (): Promise<Peer> => {
    const p = await Peer.open(cam.host, cam.port);
    peers.push(p);
    return p;
  };

  before(async () => {
    // No RTSP auth here, so every refusal below is the fault's doing.
    sut = await startFleet({ count: 4, baseAddress: '127.203.0.1', port: 0, auth: 'none', nvr: [{ channels: 2 }] });
    cam = sut.cameras[2];
  });
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    for (const c of sut.cameras) await sut.setFault(c.index, { rtsp: 'none', onvif: 'none', slowMs: 2000 });
  });
  after(() => sut.stop());

  it('none: OPTIONS, DESCRIBE and SOAP on one keep-alive connection', async () => {
    const p = await peer();
    expect((await p.request(options(cam))).status).to.equal(200);
    expect((await p.request(describeReq(cam))).status).to.equal(200);
    expect((await p.request(soap(cam))).status).to.equal(200);
  });

  it('down: connection refused; revive: answers again on the same address and port', async () => {
    await sut.kill(cam.index);
    expect(await connectErrorCode(cam.host, cam.port)).to.equal('ECONNREFUSED');
    expect(sut.stats().downCameras).to.equal(1);
    await sut.revive(cam.index);
    expect(sut.cameras[cam.index].port).to.equal(cam.port);
    expect((await (await peer()).request(describeReq(cam))).status).to.equal(200);
  });

  it('down on one protocol only resets that protocol and keeps serving the other', async () => {
    await sut.setFault(cam.index, { rtsp: 'down' });
    const p = await peer();
    expect((await p.request(soap(cam))).status).to.equal(200);
    p.socket.write(options(cam));
    await p.until(() => p.ended);
    expect(p.error?.code).to.equal('ECONNRESET');
  });

  it('down on one NVR channel leaves the shared address listening for the others', async () => {
    const [ch1, ch2] = sut.cameras;
    await sut.kill(ch1.index);
    const p = await Peer.open(ch2.host, ch2.port);
    peers.push(p);
    expect((await p.request(describeReq(ch2))).status).to.equal(200);
    await sut.kill(ch2.index);
    expect(await connectErrorCode(ch2.host, ch2.port)).to.equal('ECONNREFUSED');
    await sut.revive(ch1.index);
    await sut.revive(ch2.index);
  });

  it('reset: accepts, then the request meets ECONNRESET', async () => {
    await sut.setFault(cam.index, { rtsp: 'reset' });
    const p = await peer();
    p.socket.write(options(cam));
    await p.until(() => p.ended);
    expect(p.error?.code).to.equal('ECONNRESET');
    expect(p.buf.length).to.equal(0);
  });

  it('hang: accepts and reads, but sends nothing for 1 s and keeps the connection open', async () => {
    await sut.setFault(cam.index, { rtsp: 'hang' });
    const p = await peer();
    p.socket.write(options(cam));
    await sleep(1000);
    expect(p.buf.length).to.equal(0);
    expect(p.ended).to.equal(false);
    expect(sut.counters(cam.index).rtspRequests).to.be.greaterThan(0);
  });

  it('auth: 401 with a challenge even where no credentials are needed; ONVIF NotAuthorized', async () => {
    await sut.setFault(cam.index, { rtsp: 'auth', onvif: 'auth' });
    const p = await peer();
    const r = await p.request(describeReq(cam));
    expect(r.status).to.equal(401);
    expect(r.headers.get('www-authenticate')?.[0]).to.match(/^Digest realm=/);
    expect([400, 401]).to.include((await p.request(soap(cam, 'GetDeviceInformation'))).status);
  });

  it('notfound: RTSP 404 on DESCRIBE and HTTP 404 on ONVIF', async () => {
    await sut.setFault(cam.index, { rtsp: 'notfound', onvif: 'notfound' });
    const p = await peer();
    expect((await p.request(describeReq(cam))).status).to.equal(404);
    expect((await p.request(soap(cam))).status).to.equal(404);
  });

  it('garbage: random binary bytes, then the connection closes', async () => {
    await sut.setFault(cam.index, { onvif: 'garbage' });
    const p = await peer();
    p.socket.write(soap(cam));
    await p.until(() => p.ended);
    expect(p.buf.length).to.be.at.least(64);
    expect(p.buf[0]).to.be.at.least(0x80);
    expect(p.buf.toString('latin1')).not.to.match(/^(HTTP|RTSP)\//);
  });

  it('slow: the normal answer, after slowMs', async () => {
    await sut.setFault(cam.index, { rtsp: 'slow', slowMs: 400 });
    const p = await peer();
    const t0 = Date.now();
    const r = await p.request(options(cam));
    expect(r.status).to.equal(200);
    expect(Date.now() - t0).to.be.at.least(380);
  });

  it('trickle: one byte about every 500 ms', async () => {
    await sut.setFault(cam.index, { rtsp: 'trickle' });
    const p = await peer();
    p.socket.write(options(cam));
    await p.until(() => p.buf.length >= 1, 1000);
    await sleep(1200);
    expect(p.buf.length).to.be.within(2, 4);
    expect('RTSP/1.0'.startsWith(p.buf.toString('latin1'))).to.equal(true);
    expect(p.ended).to.equal(false);
  });

  it('flood: an answer head, then bytes without end; closing the client frees the connection', async () => {
    await sut.setFault(cam.index, { rtsp: 'flood' });
    const p = await peer();
    p.socket.write(describeReq(cam));
    const head = await drain(p.socket, 32 * 1024 * 1024);
    expect(head).to.match(/^RTSP\/1\.0 200 OK\r\nCSeq: 2\r\n/);
    p.close();
    await waitFor(() => sut.stats().openConnections === 0);
  });

  it('novideo: DESCRIBE answers an audio-only SDP', async () => {
    await sut.setFault(cam.index, { rtsp: 'novideo' });
    const r = await (await peer()).request(describeReq(cam));
    expect(r.status).to.equal(200);
    expect(r.body).to.match(/\r\nm=audio /);
    expect(r.body).not.to.match(/m=video/);
  });

  it('rejects unknown fault kinds, naming the field', async () => {
    // @ts-expect-error deliberately wrong kind
    expect(() => sut.setFault(0, { onvif: 'explode' })).to.throw(/onvif: unknown fault "explode"/);
    expect(() => sut.setFault(99, { rtsp: 'none' })).to.throw(RangeError);
  });
});
