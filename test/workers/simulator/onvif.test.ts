import { expect } from 'chai';
import onvif from 'onvif';
import { startFleet, type Fleet, type SimCamera } from '../../../workers/simulator/index.js';

// agsh/onvif is the independent client here: its SOAP, WS-Security and parsing are not ours.
type Cam = InstanceType<typeof onvif.Cam>;

function camFor(c: SimCamera, password = c.password, autoconnect = false): Cam {
  return new onvif.Cam({ hostname: c.host, port: c.port, username: c.username, password, timeout: 5000, autoconnect });
}

function call<T>(cam: Cam, method: 'getSystemDateAndTime' | 'getDeviceInformation' | 'getHostname'): Promise<T> {
  return new Promise((resolve, reject) => {
    (cam[method] as (cb: (err: Error | null, data?: unknown) => void) => void).call(cam, (err, data) =>
      err ? reject(err) : resolve(data as T));
  });
}

/** Resolves with the HTTP status of the next response the client sees. */
function nextStatus(cam: Cam): Promise<number> {
  return new Promise((resolve) => cam.once('rawResponse', (_xml: string, status: number) => resolve(status)));
}

describe('simulator ONVIF (agsh/onvif client)', () => {
  let sut: Fleet;

  before(async () => {
    sut = await startFleet({ count: 8, baseAddress: '127.201.0.1', port: 0, seed: 3, wsseMaxSkewSeconds: 300 });
  });
  after(() => sut.stop());
  afterEach(async () => {
    for (const c of sut.cameras) await sut.setFault(c.index, { rtsp: 'none', onvif: 'none', skewSeconds: 0 });
  });

  it('rotates vendors and mixes both NotAuthorized styles', () => {
    expect(sut.cameras.slice(0, 4).map((c) => c.vendor)).to.deep.equal(['hikvision', 'axis', 'dlink', 'happytimesoft']);
    expect(new Set(sut.cameras.map((c) => c.onvifAuthStyle))).to.have.keys('axis', 'dvc');
  });

  it('getSystemDateAndTime answers the real time without credentials', async () => {
    for (const c of sut.cameras.slice(0, 4)) {
      const date = await call<Date>(camFor(c, 'irrelevant'), 'getSystemDateAndTime');
      expect(Math.abs(date.getTime() - Date.now()), c.vendor).to.be.below(3000);
    }
  });

  it('shows the per-camera clock skew in the date', async () => {
    await sut.setFault(2, { skewSeconds: -7200 });
    const date = await call<Date>(camFor(sut.cameras[2]), 'getSystemDateAndTime');
    expect((date.getTime() - Date.now()) / 1000).to.be.closeTo(-7200, 3);
  });

  it('getDeviceInformation succeeds with the right password, personalised per camera', async () => {
    const expected = { hikvision: 'HIKVISION', axis: 'AXIS', dlink: 'D-Link Corporation', happytimesoft: 'Happytimesoft' };
    for (const c of sut.cameras.slice(0, 4)) {
      const cam = camFor(c);
      await call(cam, 'getSystemDateAndTime');
      const info = await call<{ manufacturer: string; serialNumber: string; model: string }>(cam, 'getDeviceInformation');
      expect(info.manufacturer).to.equal(expected[c.vendor]);
      expect(info.serialNumber).to.equal(c.serialNumber);
      expect(String(info.model)).to.equal(c.model);
    }
  });

  it('getDeviceInformation fails with a wrong password: HTTP 400 NotAuthorized or HTTP 401, per camera', async () => {
    for (const c of sut.cameras) {
      const cam = camFor(c, 'wrong-password');
      const status = nextStatus(cam);
      const err = await call(cam, 'getDeviceInformation').then(() => undefined, (e: Error) => e);
      expect(err, `camera ${c.index}`).to.be.instanceOf(Error);
      expect(await status).to.equal(c.onvifAuthStyle === 'axis' ? 400 : 401);
      expect(err?.message).to.match(c.onvifAuthStyle === 'axis' ? /Sender not authorized/ : /401 Unauthorized/);
    }
  });

  it('compensates skew only for clients that read the camera clock first (replay window on)', async () => {
    await sut.setFault(1, { skewSeconds: 3600 });
    const naive = camFor(sut.cameras[1]);
    await call(naive, 'getDeviceInformation').then(() => expect.fail('accepted a stale Created'), () => undefined);
    const careful = camFor(sut.cameras[1]);
    await call(careful, 'getSystemDateAndTime');
    await call(careful, 'getDeviceInformation');
  });

  it('connect() works through GetServices or its GetCapabilities fallback, with XAddrs on the camera', async () => {
    for (const c of sut.cameras.slice(0, 4)) {
      const cam = camFor(c, c.password);
      await new Promise<void>((resolve, reject) => cam.connect((err) => (err ? reject(err) : resolve())));
      const uri = (cam as unknown as { uri: Record<string, { hostname: string; port: string }> }).uri;
      expect(uri.device?.hostname ?? uri.media?.hostname, c.vendor).to.equal(c.host);
      expect(Number((uri.device ?? uri.media).port), c.vendor).to.equal(c.port);
    }
  });

  it('answers other actions with ActionNotSupported', async () => {
    const err = await call(camFor(sut.cameras[0]), 'getHostname').then(() => undefined, (e: Error) => e);
    expect(err?.message).to.include('Action Not Implemented');
  });

  it('fault auth refuses even the right password but still tells the time', async () => {
    await sut.setFault(3, { onvif: 'auth' });
    const cam = camFor(sut.cameras[3]);
    await call(cam, 'getSystemDateAndTime');
    await call(cam, 'getDeviceInformation').then(() => expect.fail('accepted'), () => undefined);
  });

  it('counts ONVIF calls per camera', async () => {
    sut.resetStats();
    const cam = camFor(sut.cameras[5]);
    await call(cam, 'getSystemDateAndTime');
    await call(cam, 'getDeviceInformation');
    expect(sut.counters(5).onvifRequests).to.equal(2);
    expect(sut.stats().onvifRequests).to.equal(2);
  });
});
