import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import { startFleet } from '../../../workers/simulator/index.js';
import { connectErrorCode, Peer } from './helpers.js';

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('simulator start-up and scale', () => {
  it('starts 2,000 cameras in a few seconds, answers on the first and last, and stops cleanly', async () => {
    const fds0 = openFds();
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const sut = await startFleet({ count: 2000, baseAddress: '127.204.0.1', port: 0, auth: 'none' });
    const startMs = performance.now() - t0;
    const rssMb = (process.memoryUsage().rss - rss0) / 1048576;
    try {
      expect(sut.cameras).to.have.length(2000);
      expect(new Set(sut.cameras.map((c) => c.host)).size).to.equal(2000);
      expect(sut.cameras.some((c) => /\.(0|255)$/.test(c.host))).to.equal(false);
      expect(openFds() - fds0).to.be.within(2000, 2010);
      for (const c of [sut.cameras[0], sut.cameras[999], sut.cameras[1999]]) {
        const p = await Peer.open(c.host, c.port);
        expect((await p.request(`DESCRIBE ${c.rtspUrl} RTSP/1.0\r\nCSeq: 1\r\n\r\n`)).status).to.equal(200);
        p.close();
      }
    } finally {
      const t1 = performance.now();
      await sut.stop();
      const stopMs = performance.now() - t1;
      // Measurements for the report (not assertions beyond "a few seconds").
      console.log(`      2,000 cameras: start ${startMs.toFixed(0)} ms, stop ${stopMs.toFixed(0)} ms, RSS +${rssMb.toFixed(0)} MiB`);
    }
    expect(startMs).to.be.below(10_000);
    expect(await connectErrorCode(sut.cameras[0].host, sut.cameras[0].port)).to.equal('ECONNREFUSED');
    expect(openFds() - fds0).to.be.at.most(2);
  });

  it('refuses to start on addresses already in use, naming the address, and leaves nothing open', async () => {
    const first = await startFleet({ count: 3, baseAddress: '127.204.100.1', port: 0 });
    const fds0 = openFds();
    try {
      const port = first.cameras[1].port;
      const err = await startFleet({ count: 3, baseAddress: '127.204.100.2', port }).then(() => undefined, (e: Error) => e);
      expect(err?.message).to.match(new RegExp(`127\\.204\\.100\\.2:${port}.*EADDRINUSE`));
      expect(openFds()).to.equal(fds0);
    } finally {
      await first.stop();
    }
  });
});
