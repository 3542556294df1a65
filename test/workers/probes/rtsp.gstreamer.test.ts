import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rtspProbe as sut } from '../../../workers/probes/rtsp.probe.js';
import type { ProbeOptions, ProbeResult, ProbeTarget } from '../../../workers/probes/types.js';
import { FFPROBE, gstMissing, startGstRtspServer, type GstRtspServer } from '../../support/gst-rtsp.js';
import { settledSocketHandles, tcpSocketHandles } from '../../support/rtsp-script-server.js';

const run = promisify(execFile);
const USER = 'operator';
const PASSWORD = 'Gst:p@ss w0rd';
const OPTIONS: ProbeOptions = { timeoutMs: 5000, connectTimeoutMs: 2000 };

/** ffprobe's codec names → ours. */
const FFPROBE_CODECS: Record<string, string> = { h264: 'H264', hevc: 'H265' };

/** Codec names ffprobe (an independent RTSP client) reads from the stream. */
async function ffprobeCodecs(url: string): Promise<string[]> {
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_name', '-of', 'json', url], { timeout: 20_000 });
  return (JSON.parse(stdout) as { streams: Array<{ codec_name: string }> }).streams.map((s) => s.codec_name);
}

describe('rtspProbe against a real GStreamer RTSP server', function () {
  this.timeout(60_000);
  let gst: GstRtspServer;

  before(async function () {
    const missing = gstMissing();
    if (missing) {
      if (process.env.CI === 'true') throw new Error(`GStreamer cross-check is mandatory under CI=true: ${missing}`);
      console.warn(`      skipping the GStreamer RTSP cross-check: ${missing}`);
      // Reason: Debian's GStreamer RTSP server is not installed here; under CI=true this threw above.
      this.skip();
    }
    gst = await startGstRtspServer({ user: USER, password: PASSWORD });
  });

  after(async () => {
    await gst?.stop();
  });

  /** Runs the probe, then checks the server saw every client connection close and no handle is left here. */
  async function probe(pathname: string, target: Partial<ProbeTarget> = {}): Promise<ProbeResult> {
    const baseline = tcpSocketHandles();
    const result = await sut({ url: gst.url(pathname), ...target }, OPTIONS);
    await gst.clientsClosed();
    expect(await settledSocketHandles(baseline)).to.be.at.most(baseline);
    return result;
  }

  it('/normal → ok, H264, no auth', async () => {
    const result = await probe('/normal');
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.facts).to.deep.include({ codec: 'H264', authScheme: 'none', videoTracks: 1, statusCode: 200 });
    expect(String(result.facts?.server)).to.match(/GStreamer/i);
  });

  it('/h265 → ok, H265 (when x265enc is installed)', async function () {
    if (!gst.mounts.includes('/h265')) {
      if (process.env.CI === 'true') throw new Error('x265enc is mandatory under CI=true (apt-get install gstreamer1.0-plugins-bad)');
      // Reason: x265enc (gstreamer1.0-plugins-bad, installed by .ci/run) may be absent on a developer machine.
      this.skip();
    }
    const result = await probe('/h265');
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.facts?.codec).to.equal('H265');
  });

  it('/auth with the right credentials → ok via Digest', async () => {
    const result = await probe('/auth', { username: USER, password: PASSWORD });
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    expect(result.facts).to.deep.include({ codec: 'H264', authScheme: 'digest' });
    expect(JSON.stringify(result)).not.to.include(PASSWORD);
  });

  it('/auth with a wrong password → auth', async () => {
    const result = await probe('/auth', { username: USER, password: 'not-the-password' });
    expect(result.failure?.kind, JSON.stringify(result)).to.equal('auth');
    expect(JSON.stringify(result)).not.to.include('not-the-password');
  });

  it('/auth without credentials → auth', async () => {
    const result = await probe('/auth');
    expect(result.failure?.kind, JSON.stringify(result)).to.equal('auth');
  });

  it('/missing → not_found', async () => {
    const result = await probe('/missing');
    expect(result.failure?.kind, JSON.stringify(result)).to.equal('not_found');
    expect(result.facts?.statusCode).to.equal(404);
  });

  it('/audio → no_video', async () => {
    const result = await probe('/audio');
    expect(result.failure?.kind, JSON.stringify(result)).to.equal('no_video');
    expect(result.facts).to.deep.include({ videoTracks: 0 });
  });

  for (const pathname of ['/normal', '/auth']) {
    it(`ffprobe (independent client) agrees on the codec of ${pathname}`, async () => {
      const ours = await probe(pathname, { username: USER, password: PASSWORD });
      // Credentials in the URL for ffprobe only; our probe takes them separately.
      const theirs = await ffprobeCodecs(gst.url(pathname, { user: USER, password: PASSWORD }));
      expect(theirs.map((c) => FFPROBE_CODECS[c] ?? c)).to.deep.equal([ours.facts?.codec]);
      await gst.clientsClosed();
    });
  }

  it('50 concurrent probes against /normal are all ok and all hang up', async () => {
    const baseline = tcpSocketHandles();
    const before = gst.clients().connected;
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 50 }, () => sut({ url: gst.url('/normal') }, OPTIONS)));
    const wallMs = performance.now() - started;
    const failed = results.filter((r) => !r.ok);
    expect(failed, JSON.stringify(failed.slice(0, 3))).to.deep.equal([]);
    expect(results.every((r) => r.facts?.codec === 'H264')).to.equal(true);
    await gst.clientsClosed();
    expect(gst.clients().connected - before).to.equal(50);
    expect(await settledSocketHandles(baseline)).to.be.at.most(baseline);
    const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
    console.log(`      50 concurrent: wall ${wallMs.toFixed(0)} ms, median ${latencies[25]} ms, max ${latencies[49]} ms`);
  });
});
