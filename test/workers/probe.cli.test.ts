import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFleet, type Fleet } from '../../workers/simulator/index.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm run probe -- …` as an operator runs it; returns exit code and the parsed JSON line. */
async function probe(args: string[]): Promise<{ code: number; result?: Record<string, unknown>; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'workers/probe.cli.ts', ...args], { cwd: ROOT });
    return { code: 0, result: JSON.parse(stdout), stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, result: e.stdout ? JSON.parse(e.stdout) : undefined, stderr: e.stderr };
  }
}

describe('npm run probe (one probe, one JSON line)', function () {
  this.timeout(30_000);
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet({ count: 1, port: 0, baseAddress: '127.1.70.1', auth: 'digest' });
  });
  after(async () => fleet.stop());

  it('prints ok, latency and facts with exit 0; never prints the password', async () => {
    const cam = fleet.cameras[0];
    const rtsp = await probe(['rtsp', cam.rtspUrl, '--username', cam.username, '--password', cam.password]);
    expect(rtsp.code).to.equal(0);
    expect(rtsp.result).to.include({ probe: 'rtsp', ok: true });
    expect((rtsp.result!.facts as Record<string, unknown>).codec).to.equal('H264');
    const inline = cam.onvifUrl.replace('http://', `http://${cam.username}:${cam.password}@`);
    const onvif = await probe(['onvif', inline, '--timeout-ms', '3000']);
    expect(onvif.code).to.equal(0);
    expect(onvif.result!.facts).to.include({ vendor: 'HIKVISION', authenticated: true });
    expect(JSON.stringify(onvif.result)).not.to.contain(cam.password);
  });

  it('exits 1 with the failure kind for a failing camera, 2 for bad arguments', async () => {
    const cam = fleet.cameras[0];
    const wrong = await probe(['rtsp', cam.rtspUrl, '--username', cam.username, '--password', 'nope']);
    expect(wrong.code).to.equal(1);
    expect(wrong.result!.failure).to.include({ kind: 'auth' });
    await fleet.kill(0);
    const dead = await probe(['tcp', `tcp://${cam.host}:${cam.port}`]);
    expect(dead.code).to.equal(1);
    expect(dead.result!.failure).to.include({ kind: 'refused' });
    expect((await probe(['ping', cam.rtspUrl])).code).to.equal(2);
    expect((await probe(['rtsp', cam.rtspUrl, '--timeout-ms', 'soon'])).code).to.equal(2);
  });
});
