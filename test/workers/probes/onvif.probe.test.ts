import { expect } from 'chai';
import { existsSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { onvifProbe } from '../../../workers/probes/onvif.probe.js';
import type { ProbeOptions, ProbeResult } from '../../../workers/probes/types.js';
import { CLOCKS, IDENTITIES } from './onvif/expected.js';
import { FIXTURES, fixtureClock, startReplay, type Replay, type ReplayDevice } from './onvif/replay-server.js';

/** Vendors whose captures hold both GetSystemDateAndTime and GetDeviceInformation. */
const VENDORS = Object.keys(IDENTITIES).filter((v) =>
  ['GetSystemDateAndTime.xml', 'GetDeviceInformation.xml'].every((f) => existsSync(join(FIXTURES, v, f))),
);
const USER = 'onvif-admin';
const PASS = 's3cret-Pa55';

/** Every connection the device accepted has closed (for a device that never hangs up, only the probe can have closed it). */
const allClosed = (replay: Replay) =>
  Promise.race([replay.allClosed(), new Promise((_, reject) => setTimeout(() => reject(new Error('probe left a socket open')), 2000))]);

describe('onvifProbe against a replayed device on 127.0.0.1', () => {
  let replay: Replay | undefined;

  /** Starts a device, probes it once, and checks every connection was closed by the probe. */
  async function probe(device: ReplayDevice, creds: { username?: string; password?: string } = { username: USER, password: PASS }, options: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
    replay = await startReplay({ username: USER, password: PASS, ...device });
    const started = Date.now();
    // The worker clock runs in step with the capture's clock unless the test skews the device.
    const now = device.skewMs === undefined ? () => fixtureClock(device.vendor) + Date.now() - started : undefined;
    const result = await onvifProbe({ url: replay.url, ...creds }, { timeoutMs: 2000, now, ...options });
    await allClosed(replay);
    expect(JSON.stringify(result)).to.not.include(PASS);
    return result;
  }
  afterEach(async () => {
    await replay?.close();
    replay = undefined;
  });

  it('covers at least the ten vendors with both captures', () => expect(VENDORS).to.have.length.of.at.least(10));

  for (const vendor of VENDORS) {
    it(`${vendor}: ok with identity facts, clock offset and WS-Security`, async () => {
      const sut = await probe({ vendor });
      expect(sut.ok, JSON.stringify(sut.failure)).to.equal(true);
      const [vendorName, model, firmware] = IDENTITIES[vendor];
      expect(sut.facts).to.include({ vendor: vendorName, model, firmware, authenticated: true, authMethod: 'ws-security' });
      expect(sut.facts?.serial).to.be.a('string').and.not.equal('');
      expect(sut.facts?.hardwareId).to.be.a('string');
      expect(sut.facts?.deviceTz).to.equal(CLOCKS[vendor].tz);
      expect(Math.abs(sut.facts?.clockOffsetMs as number)).to.be.below(2000);
      expect(replay!.calls).to.deep.equal([
        { op: 'GetSystemDateAndTime', token: false, digest: false },
        { op: 'GetDeviceInformation', token: true, digest: false },
      ]);
    });
  }

  it('wrong password → auth "credentials rejected", nothing secret in the result', async () => {
    const sut = await probe({ vendor: 'axis-q6045-e' }, { username: USER, password: 'wrong-password' });
    expect(sut.ok).to.equal(false);
    expect(sut.failure?.kind).to.equal('auth');
    expect(sut.failure?.detail).to.match(/^credentials rejected \(GetDeviceInformation: HTTP 400, SOAP fault Sender\/NotAuthorized/);
    expect(JSON.stringify(sut)).to.not.include(USER).and.not.include('wrong-password');
  });

  it('wrong password on a device refusing with the DVC gSOAP 401 → auth', async () => {
    const sut = await probe({ vendor: 'dvc-dcn-bm2220lpr', refusal: 'dvc-401' }, { username: USER, password: 'nope' });
    expect(sut.failure).to.deep.include({ kind: 'auth' });
    expect(sut.failure?.detail).to.include('HTTP 401');
  });

  it('no credentials on a device that requires them → auth "no credentials configured"', async () => {
    const sut = await probe({ vendor: 'hikvision-ds-2cd2012-i' }, {});
    expect(sut.failure?.kind).to.equal('auth');
    expect(sut.failure?.detail).to.match(/^no credentials configured/);
    expect(sut.facts?.deviceTz).to.equal('CST7:00:00');
  });

  it('no credentials on an open device → ok, authenticated false', async () => {
    const sut = await probe({ vendor: 'happytimesoft-ipcamera', auth: 'none' }, {});
    expect(sut.ok).to.equal(true);
    expect(sut.facts).to.include({ vendor: 'Happytimesoft', authenticated: false, authMethod: 'none' });
  });

  it('GetSystemDateAndTime refused without auth → retried once with WS-Security', async () => {
    const sut = await probe({ vendor: 'dvc-dcn-bm2220lpr', clockNeedsAuth: true, refusal: 'dvc-401' });
    expect(sut.ok, JSON.stringify(sut.failure)).to.equal(true);
    expect(replay!.calls.map((c) => [c.op, c.token])).to.deep.equal([
      ['GetSystemDateAndTime', false],
      ['GetSystemDateAndTime', true],
      ['GetDeviceInformation', true],
    ]);
  });

  it('HTTP 401 with WWW-Authenticate Digest → retried once with HTTP Digest', async () => {
    const sut = await probe({ vendor: 'sunba-performance-series', auth: 'http-digest' });
    expect(sut.ok, JSON.stringify(sut.failure)).to.equal(true);
    expect(sut.facts).to.include({ vendor: 'SUNBA', authMethod: 'http-digest', authenticated: true });
    expect(replay!.calls.map((c) => [c.op, c.digest])).to.deep.equal([
      ['GetSystemDateAndTime', false],
      ['GetDeviceInformation', false],
      ['GetDeviceInformation', true],
    ]);
  });

  it('HTTP Digest with a wrong password → auth after a single retry', async () => {
    const sut = await probe({ vendor: 'sunba-performance-series', auth: 'http-digest' }, { username: USER, password: 'bad' });
    expect(sut.failure?.kind).to.equal('auth');
    expect(replay!.calls).to.have.length(3);
  });

  it('device clock +3600 s → clockOffsetMs ≈ 3,600,000 and the corrected token is accepted', async () => {
    const sut = await probe({ vendor: 'hikvision-ds-2df7276-ael', skewMs: 3_600_000 });
    expect(sut.ok, JSON.stringify(sut.failure)).to.equal(true);
    expect(sut.facts?.clockOffsetMs as number).to.be.closeTo(3_600_000, 2000);
  });

  it('device clock −1 day → clockOffsetMs ≈ −86,400,000, ok', async () => {
    const sut = await probe({ vendor: 'unbranded-enp1a14-ir-25x', skewMs: -86_400_000 });
    expect(sut.ok, JSON.stringify(sut.failure)).to.equal(true);
    expect(sut.facts?.clockOffsetMs as number).to.be.closeTo(-86_400_000, 2000);
  });

  const failures: Array<[string, ReplayDevice, string, RegExp]> = [
    ['ActionNotSupported for GetDeviceInformation', { vendor: 'onvif-ipnc-ipg-8150pss', misbehave: 'unsupported' }, 'unsupported', /GetDeviceInformation: HTTP 500, SOAP fault Receiver\/ActionNotSupported/],
    ['HTML 404', { vendor: 'axis-q6045-e', misbehave: 'html404' }, 'not_found', /GetSystemDateAndTime: HTTP 404/],
    ['HTML login page with 200', { vendor: 'axis-q6045-e', misbehave: 'html200' }, 'protocol', /DOCTYPE/],
    ['DOCTYPE with entities', { vendor: 'axis-q6045-e', misbehave: 'doctype' }, 'protocol', /DOCTYPE is not allowed/],
    ['a hang', { vendor: 'axis-q6045-e', misbehave: 'hang' }, 'timeout', /no complete answer within/],
    ['a flood', { vendor: 'axis-q6045-e', misbehave: 'flood' }, 'too_large', /exceeds the 65536-byte cap/],
    ['a declared 50 MB answer', { vendor: 'axis-q6045-e', misbehave: 'flood-declared' }, 'too_large', /52428800 bytes/],
    ['a trickle', { vendor: 'axis-q6045-e', misbehave: 'trickle' }, 'timeout', /no complete answer/],
    ['an answer cut short', { vendor: 'axis-q6045-e', misbehave: 'early-close' }, 'protocol', /mid-answer/],
  ];
  for (const [what, device, kind, detail] of failures) {
    it(`${what} → ${kind}`, async () => {
      const sut = await probe(device, undefined, { timeoutMs: 400, maxResponseBytes: 64 * 1024 });
      expect(sut.ok).to.equal(false);
      expect(sut.failure?.kind).to.equal(kind);
      expect(sut.failure?.detail).to.match(detail);
      expect(sut.latencyMs).to.be.below(1500);
    });
  }

  it('answers without Content-Length, ended by close → ok', async () => {
    const sut = await probe({ vendor: 'dlink-dcs-6511', misbehave: 'close-delimited' });
    expect(sut.ok, JSON.stringify(sut.failure)).to.equal(true);
    expect(sut.facts?.model).to.equal('DCS-6511');
  });

  it('drops user:pass@ from the URL (no Basic header sent)', async () => {
    replay = await startReplay({ vendor: 'axis-q6045-e', auth: 'none' });
    const url = replay.url.replace('http://', 'http://admin:hunter2@');
    const sut = await onvifProbe({ url }, { timeoutMs: 2000 });
    await allClosed(replay);
    expect(sut.ok).to.equal(true);
    expect(replay.calls.every((c) => !c.digest)).to.equal(true);
    expect(JSON.stringify(sut)).to.not.include('hunter2');
  });

  it('a closed port → refused; a non-http URL → error', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const refused = await onvifProbe({ url: `http://127.0.0.1:${port}/onvif/device_service` }, { timeoutMs: 2000 });
    expect(refused.failure).to.deep.equal({ kind: 'refused', detail: 'GetSystemDateAndTime: connection refused' });
    const wrong = await onvifProbe({ url: 'rtsp://127.0.0.1/onvif' }, { timeoutMs: 2000 });
    expect(wrong.failure?.kind).to.equal('error');
  });
});
