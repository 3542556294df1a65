import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { expect } from 'chai';
import type { SimCamera } from '../../../workers/simulator/index.js';
import { connectErrorCode, drain, Peer, sleep } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MAIN = path.join(ROOT, 'workers/simulator/main.ts');

/** Resident memory of another process, from /proc (MiB). */
function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

function startCli(args: string[]): { child: ChildProcess; ready: Promise<Record<string, unknown>> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) resolve(JSON.parse(line) as Record<string, unknown>);
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}: ${err}`)));
  });
  return { child, ready };
}

async function api(base: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(base + route, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('simulator CLI (separate process + control API)', () => {
  let child: ChildProcess;
  let control: string;
  let cameras: SimCamera[];

  before(async () => {
    const started = startCli(['--cameras', '6', '--base', '127.205.0.1', '--port', '0', '--control-port', '0', '--nvr', '2', '--auth', 'none']);
    child = started.child;
    const ready = await started.ready;
    expect(ready).to.include({ ready: true, cameras: 6 });
    control = String(ready.control);
    expect(control).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    cameras = (await api(control, 'GET', '/cameras')).json as SimCamera[];
  });
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('lists cameras with endpoints and credentials', () => {
    expect(cameras).to.have.length(6);
    expect(cameras[0]).to.include.keys('rtspUrl', 'onvifUrl', 'username', 'password', 'vendor');
    expect(cameras[1].host).to.equal(cameras[0].host); // NVR channels share the address
    expect(cameras[2].host).to.equal('127.205.0.2');
  });

  it('kills and revives a camera through the API', async () => {
    const c = cameras[3];
    expect((await api(control, 'POST', '/cameras/3/kill')).status).to.equal(200);
    expect(await connectErrorCode(c.host, c.port)).to.equal('ECONNREFUSED');
    expect((await api(control, 'POST', '/cameras/3/revive')).status).to.equal(200);
    const p = await Peer.open(c.host, c.port);
    expect((await p.request(`OPTIONS ${c.rtspUrl} RTSP/1.0\r\nCSeq: 7\r\n\r\n`)).status).to.equal(200);
    p.close();
  });

  it('validates fault bodies and camera numbers', async () => {
    expect((await api(control, 'POST', '/cameras/2/fault', { rtsp: 'melt' })).status).to.equal(400);
    expect((await api(control, 'POST', '/cameras/2/fault', { colour: 'red' })).status).to.equal(400);
    expect((await api(control, 'POST', '/cameras/60/fault', { rtsp: 'hang' })).status).to.equal(404);
    const ok = await api(control, 'POST', '/cameras/2/fault', { onvif: 'slow', slowMs: 10, skewSeconds: 30 });
    expect(ok.json).to.deep.equal({ index: 2, fault: { rtsp: 'none', onvif: 'slow', slowMs: 10, skewSeconds: 30 } });
  });

  it('counts requests in /stats', async () => {
    await api(control, 'POST', '/stats/reset');
    const c = cameras[4];
    const p = await Peer.open(c.host, c.port);
    await p.request(`DESCRIBE ${c.rtspUrl} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
    p.close();
    const stats = (await api(control, 'GET', '/stats?perCamera=1')).json as { rtspRequests: number; perCamera: Array<{ rtspDescribes: number }> };
    expect(stats.rtspRequests).to.equal(1);
    expect(stats.perCamera[4].rtspDescribes).to.equal(1);
  });

  it('flood keeps the simulator memory bounded, for a fast reader and a stalled one', async () => {
    const c = cameras[5];
    await api(control, 'POST', '/cameras/5/fault', { rtsp: 'flood', onvif: 'flood' });
    const before = rssMb(child.pid as number);
    const stalled = await Peer.open(c.host, c.port);
    stalled.socket.pause();
    stalled.socket.write(`DESCRIBE ${c.rtspUrl} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
    const reader = await Peer.open(c.host, c.port);
    reader.socket.write(`DESCRIBE ${c.rtspUrl} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
    await drain(reader.socket, 256 * 1024 * 1024);
    await sleep(200);
    const after = rssMb(child.pid as number);
    stalled.close();
    reader.close();
    console.log(`      flood: 256 MiB sent to one reader + one stalled reader; simulator RSS ${before.toFixed(0)} → ${after.toFixed(0)} MiB`);
    expect(after - before).to.be.below(64);
  });

  it('exits 0 on SIGTERM and frees the addresses', async () => {
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).to.equal(0);
    expect(await connectErrorCode(cameras[0].host, cameras[0].port)).to.equal('ECONNREFUSED');
  });

  it('exits 2 naming every bad option', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', MAIN, '--cameras', 'x', '--h265', '3'], { cwd: ROOT });
    let err = '';
    bad.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(bad, 'exit')) as [number | null];
    expect(code).to.equal(2);
    expect(err).to.include('--cameras').and.to.include('--h265');
  });
});
